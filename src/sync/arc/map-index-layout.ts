/**
 * The layout of a Map held in shared memory as a hash index (see map-index.ts), and the key
 * hashing and comparison that the builder and every reader must agree on.
 *
 * One SharedArrayBuffer: Uint32 words first, then a byte heap.
 *   header   [MAGIC, COUNT, CAPACITY, HEAP_AT]
 *   slots    CAPACITY × (hash, entry + 1): open addressing with linear probing, 0 = empty,
 *            at most half full so a miss ends after a probe or two. The hash sits beside the
 *            entry number so a probe rejects most other keys without touching their bytes.
 *   entries  COUNT × (keyOffset, keyLength, keyKind, valueOffset, valueLength), in the Map's
 *            insertion order: iteration walks them front to back, lookups reach them by slot.
 *   heap     from byte HEAP_AT: each key (UTF-8, or a float64 for a number key) and each value
 *            encoded alone by the value codec, so a lookup decodes only the value it found.
 * Offsets in entries are relative to HEAP_AT.
 */

export const MAGIC = 0x464d4150; // 'FMAP': a buffer of another kind fails loudly, not strangely.
export const HEADER_WORDS = 4;
export const COUNT = 1;
export const CAPACITY = 2;
export const HEAP_AT = 3;
export const SLOT_WORDS = 2;
export const ENTRY_WORDS = 5;
export const KEY_OFFSET = 0;
export const KEY_LENGTH = 1;
export const KEY_KIND = 2;
export const VALUE_OFFSET = 3;
export const VALUE_LENGTH = 4;
export const KIND_STRING = 0;
export const KIND_NUMBER = 1;

/** Matches a string holding an unpaired surrogate, which UTF-8 cannot carry (such Maps are not indexed). */
export const LONE_SURROGATE = /\p{Surrogate}/u;

/** Slots for `count` entries: a power of two, at least twice the count. */
export function capacityFor(count: number): number {
  let capacity = 8;
  while (capacity < count * 2) capacity *= 2;
  return capacity;
}

const numberBits = new Float64Array(1);
const numberWords = new Uint32Array(numberBits.buffer);

/** Same hash on every thread for keys that Map treats as equal (SameValueZero). */
export function hashKey(key: string | number): number {
  let hash: number;
  if (typeof key === 'string') {
    // FNV-1a over UTF-16 code units: the lookup hashes the caller's string without encoding it.
    hash = 0x811c9dc5;
    for (let index = 0; index < key.length; index++) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
  } else if (key !== key) {
    hash = 0x7ff80000; // every NaN is one key
  } else {
    numberBits[0] = key === 0 ? 0 : key; // -0 and +0 are one key
    hash = Math.imul(numberWords[0]! ^ 0x9e3779b9, 0x85ebca6b) ^ numberWords[1]!;
  }
  // Murmur3's finaliser: linear probing indexes by the low bits, which FNV alone spreads poorly.
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/**
 * Whether `key` is the UTF-8 string in `bytes[at, at + length)`, compared as it is encoded, so
 * a lookup allocates nothing.
 */
export function sameUtf8(key: string, bytes: Uint8Array, at: number, length: number): boolean {
  // A UTF-16 code unit takes 1 to 3 UTF-8 bytes (a surrogate pair, 2 units, takes 4).
  if (length < key.length || length > key.length * 3) return false;
  let position = at;
  const end = at + length;
  for (let index = 0; index < key.length; index++) {
    let code = key.charCodeAt(index);
    if (code < 0x80) {
      if (bytes[position++] !== code) return false;
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < key.length) {
      const low = key.charCodeAt(index + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        index++;
      }
    }
    // An unpaired surrogate: no stored key has one.
    if (code >= 0xd800 && code <= 0xdfff) return false;
    if (code < 0x800) {
      if (bytes[position++] !== (0xc0 | (code >> 6))) return false;
    } else {
      if (code < 0x10000) {
        if (bytes[position++] !== (0xe0 | (code >> 12))) return false;
      } else {
        if (bytes[position++] !== (0xf0 | (code >> 18))) return false;
        if (bytes[position++] !== (0x80 | ((code >> 12) & 0x3f))) return false;
      }
      if (bytes[position++] !== (0x80 | ((code >> 6) & 0x3f))) return false;
    }
    if (bytes[position++] !== (0x80 | (code & 0x3f))) return false;
    if (position > end) return false;
  }
  return position === end;
}
