/**
 * MongoDB (PCRE) regular expressions as JS RegExp: flags i, m, s, u map directly; x
 * (extended) is emulated by stripping unescaped whitespace and # comments outside
 * character classes; l is ignored. Invalid patterns fail with code 51091.
 */
import { CommandError } from '../errors.ts';

function stripExtended(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '#') {
      while (i < pattern.length && pattern[i] !== '\n') i++;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

export function toJsRegExp(pattern: string, options: string): RegExp {
  let flags = '';
  for (const f of options) {
    if ('imsu'.includes(f)) {
      if (!flags.includes(f)) flags += f;
    } else if (f !== 'x' && f !== 'l') {
      throw new CommandError(51108, `invalid flag in regex options: ${f}`);
    }
  }
  const source = options.includes('x') ? stripExtended(pattern) : pattern;
  try {
    return new RegExp(source, flags);
  } catch (err) {
    throw new CommandError(51091, `Regular expression is invalid: ${err instanceof Error ? err.message : String(err)}`);
  }
}
