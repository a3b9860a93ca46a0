/**
 * The one value codec of fearless. Every value that crosses a thread goes through it: spawn
 * arguments and results, channel messages (ring bytes and hub-parked envelopes), Mutex/RwLock
 * values and Arc values (each entry of an Arc<Map> index alone). Rings, lock cells and
 * postMessage only carry its bytes.
 *
 * The contract: a value arrives as structuredClone would deliver it, whatever the path —
 * shared references and cycles keep their identity, holes stay holes, named array properties,
 * own `__proto__` keys and typed array offsets are kept, symbol-keyed and non-enumerable
 * properties are left behind, a data-only class instance arrives as a plain object — plus what
 * structuredClone drops: an Error's custom name, its own fields (`code`...) and an
 * AggregateError's `errors`. The same values are refused on every path, with the path to the
 * bad part. Handles, errors and buffers are tags of the byte stream or entries of side tables,
 * never keys of data. Decoding needs no code generation (where it is allowed, an object literal
 * per shape makes it faster, with the same result), and typed arrays get buffers of their own
 * unless the value shares (SharedArrayBuffer) or moves (transfer) them.
 */
export { encode, encodeInPlace, type InPlace } from './encode.js';
export { decode } from './decode.js';
export { commitMove, decodeEnvelope, encodeEnvelope, EnvelopeTarget, handOver, type Encoded, type Envelope } from './envelope.js';
export { viewsOf, type DecodeSource, type EncodeTarget, type ReadViews } from './target.js';
