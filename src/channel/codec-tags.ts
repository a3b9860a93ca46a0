/**
 * Tags of the channel's compact binary codec, shared by codec-write.ts and codec-read.ts.
 *
 * Each value is one tag byte followed by its body (little-endian):
 * - UNDEFINED, NULL, TRUE, FALSE, HOLE (an array hole): no body
 * - INT: int32; FLOAT: float64 (also -0, NaN, ±Infinity)
 * - STRING8: u8 length + latin1 bytes; STRING32: u32 length + latin1 bytes;
 *   STRING16: u32 length in UTF-16 code units + the code units (lone surrogates survive)
 * - BIGINT: a string (hex, with a leading '-' when negative)
 * - ARRAY: u32 length + elements; OBJECT: u32 key count + the keys (strings) + the values
 * - DATE: float64 time; REGEXP: source string, flags string
 * - MAP: u32 count + (key, value) pairs; SET: u32 count + values
 * - V8: u32 length + a v8.serialize blob (Error and the other rare built-ins)
 */
export const TAG_UNDEFINED = 0;
export const TAG_NULL = 1;
export const TAG_TRUE = 2;
export const TAG_FALSE = 3;
export const TAG_INT = 4;
export const TAG_FLOAT = 5;
export const TAG_STRING8 = 6;
export const TAG_STRING32 = 7;
export const TAG_STRING16 = 8;
export const TAG_BIGINT = 9;
export const TAG_ARRAY = 10;
export const TAG_OBJECT = 11;
export const TAG_DATE = 12;
export const TAG_REGEXP = 13;
export const TAG_MAP = 14;
export const TAG_SET = 15;
export const TAG_V8 = 16;
export const TAG_HOLE = 17;
