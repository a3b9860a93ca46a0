/**
 * The one value format of fearless (see index.ts for the contract). A value is a tag byte and
 * its body, little-endian. Tags are bytes of the stream, never keys of data: no string or
 * object a user sends can be read back as a handle, an error or a reference.
 *
 * Object tags (OBJECT and up) may carry REFERENCED (0x80): the encoder sets it on an object's
 * tag when it meets the object a second time, and the later sightings are REF tags holding the
 * byte offset of that tag. The decoder keeps only flagged objects, so values without shared
 * parts pay nothing for identity.
 */
export const UNDEFINED = 0;
export const NULL = 1;
export const TRUE = 2;
export const FALSE = 3;
/** int32 */
export const INT = 4;
/** float64 (-0, NaN, ±Infinity, fractions, large integers) */
export const FLOAT = 5;
/** u8 length + latin1 bytes */
export const STRING8 = 6;
/** u32 length + latin1 bytes */
export const LATIN1 = 7;
/** u32 length in code units + UTF-16LE code units (lone surrogates survive) */
export const UTF16 = 8;
/** a string: hexadecimal digits, '-' first when negative */
export const BIGINT = 9;
/** an array hole (only inside ARRAY) */
export const HOLE = 10;
/** u32 byte offset (from the start of the value) of an earlier object's tag */
export const REF = 11;

/** u32 count, the keys (strings), then the values */
export const OBJECT = 16;
/** u32 length, `length` elements (HOLE for a hole), u32 count + (key, value) named properties */
export const ARRAY = 17;
/** u32 length, u32 count + (key, value) for every own enumerable key, indices included */
export const SPARSE_ARRAY = 18;
/** float64 time */
export const DATE = 19;
/** source string, flags string */
export const REGEXP = 20;
/** u32 count + (key, value) pairs */
export const MAP = 21;
/** u32 count + values */
export const SET = 22;
/** u8 constructor (ERROR_TYPES), u8 flags (ERROR_*), name string, [message string],
 *  [stack string], [cause value], [errors value], u32 count + (key, value) own fields */
export const ERROR = 23;
/** the primitive inside a Number, String, Boolean or BigInt object */
export const BOXED = 24;
/** u8 flags (RESIZABLE), [u32 maxByteLength], u32 length + the bytes (a copy) */
export const ARRAY_BUFFER = 25;
/** u32 index in the transfer list that travels next to the bytes (a moved ArrayBuffer) */
export const TRANSFERRED = 26;
/** u32 id of a SharedArrayBuffer in the side table (shared, never copied) */
export const SHARED = 27;
/** u8 kind (VIEW_TYPES), the buffer (a value), u32 byteOffset, u32 length (elements; bytes for DataView) */
export const VIEW = 28;
/** kind string, u32 count + shared buffer ids, the descriptor data (a value): a handle of this package */
export const HANDLE = 29;

export const REFERENCED = 0x80;

export const ERROR_MESSAGE = 1;
export const ERROR_STACK = 2;
export const ERROR_CAUSE = 4;
export const ERROR_ERRORS = 8;

export const RESIZABLE = 1;

/** Error constructors by stable index: a decoded error gets the prototype of its index. */
export const ERROR_TYPES: readonly (ErrorConstructor | AggregateErrorConstructor)[] = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError];

/** Typed array and DataView constructors by stable index. */
export const VIEW_TYPES = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView,
] as const;

export type ViewType = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayBufferView;
