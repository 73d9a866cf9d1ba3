/**
 * Checks a client `$regex` before it reaches a database. The embedded engine
 * runs regexes with JavaScript's backtracking engine, so besides length and
 * syntax we refuse the two shapes behind catastrophic backtracking:
 * a repeated group that itself contains a quantifier (`(a+)+`, `(\w*)*`) and
 * backreferences. This is a heuristic, not a proof: alternations of
 * overlapping branches (`(a|aa)+`) still pass, and polynomial patterns remain
 * possible; the 200-character limit keeps those small.
 */

export const MAX_REGEX_LENGTH = 200;

/** `{n}`, `{n,}`, `{n,m}` at the start of `rest`, or undefined when `{` is a literal. */
function braceQuantifier(rest: string): { length: number; isRepeating: boolean } | undefined {
  const m = /^\{(\d+)(,(\d*))?\}/.exec(rest);
  if (!m) return undefined;
  const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
  return { length: m[0].length, isRepeating: max > 1 };
}

/** The quantifier at `i`, if any: its length and whether it can repeat an atom. */
function quantifierAt(pattern: string, i: number): { length: number; isRepeating: boolean } | undefined {
  const c = pattern[i];
  let q: { length: number; isRepeating: boolean } | undefined;
  if (c === '*' || c === '+') q = { length: 1, isRepeating: true };
  else if (c === '?') q = { length: 1, isRepeating: false };
  else if (c === '{') q = braceQuantifier(pattern.slice(i));
  if (q && pattern[i + q.length] === '?') q = { ...q, length: q.length + 1 }; // lazy suffix
  return q;
}

/** Index just past the character class opening at `i` (`[...]`). */
function skipClass(pattern: string, i: number): number {
  let j = i + 1;
  if (pattern[j] === '^') j++;
  if (pattern[j] === ']') j++; // `[]]` style: a leading `]` is literal in some flavours
  while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
  return j + 1;
}

function structuralProblem(pattern: string): string | undefined {
  // One frame per open group: does it contain a quantifier?
  const stack: boolean[] = [false];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    let containsQuantifier = false;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && pattern[i + 2] === '<')) return 'must not use backreferences';
      i += 2;
    } else if (c === '[') {
      i = skipClass(pattern, i);
    } else if (c === '(') {
      stack.push(false);
      i += 1;
      if (pattern[i] === '?') i += 2; // `(?:`, `(?=`, `(?<name>`: the marker is not a quantifier
      continue;
    } else if (c === ')') {
      containsQuantifier = stack.length > 1 ? (stack.pop() ?? false) : false;
      i += 1;
    } else {
      i += 1;
    }
    const q = quantifierAt(pattern, i);
    if (q) {
      if (containsQuantifier && q.isRepeating) return 'must not repeat a group that contains a quantifier (nested quantifiers)';
      i += q.length;
      containsQuantifier = true;
    }
    if (containsQuantifier) stack[stack.length - 1] = true;
  }
  return undefined;
}

/** Why `pattern` with `options` is refused, or undefined when it is acceptable. */
export function regexProblem(pattern: unknown, options: unknown): string | undefined {
  if (typeof pattern !== 'string') return 'must be a string';
  if (pattern.length > MAX_REGEX_LENGTH) return `must be at most ${MAX_REGEX_LENGTH} characters`;
  if (options !== undefined && options !== '' && options !== 'i') return 'only the option "i" is allowed';
  try {
    new RegExp(pattern, typeof options === 'string' ? options : '');
  } catch {
    return 'is not a valid regular expression';
  }
  return structuralProblem(pattern);
}
