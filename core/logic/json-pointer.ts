/** RFC 6901 JSON Pointers, the path form of every `FieldError`. */

/** Escape one reference token (`~` → `~0`, `/` → `~1`). */
export function escapeToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Join a base pointer and tokens: `pointer('/fields', 2, 'type')` → `/fields/2/type`. */
export function pointer(base: string, ...tokens: Array<string | number>): string {
  return base + tokens.map((t) => `/${escapeToken(t)}`).join('');
}
