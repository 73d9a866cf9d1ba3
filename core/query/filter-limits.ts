/**
 * Size and shape limits on a raw filter, checked on the string before
 * JSON.parse so that a 1 MB or 50,000-levels-deep filter costs one scan.
 */

export const MAX_FILTER_BYTES = 64 * 1024;
/** Nesting of JSON objects and arrays: `{"a":{"$gte":1}}` is 2 deep. */
export const MAX_FILTER_DEPTH = 10;
/** Field conditions plus operators, counted over the whole filter. */
export const MAX_FILTER_NODES = 200;
/** Values in one `$in` / `$nin` / `$all`, branches in one `$and` / `$or` / `$nor`. */
export const MAX_LIST_LENGTH = 1000;

/** Why the raw filter is refused before parsing, or undefined. */
export function rawFilterProblem(raw: string): string | undefined {
  // Cheap length test first: more UTF-16 units than the byte limit is always too many bytes.
  if (raw.length > MAX_FILTER_BYTES || Buffer.byteLength(raw, 'utf8') > MAX_FILTER_BYTES) {
    return `must be at most ${MAX_FILTER_BYTES} bytes`;
  }
  let depth = 0;
  let isInString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (isInString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) isInString = false;
    } else if (c === 0x22) {
      isInString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > MAX_FILTER_DEPTH) return `must not nest deeper than ${MAX_FILTER_DEPTH} levels`;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return undefined;
}
