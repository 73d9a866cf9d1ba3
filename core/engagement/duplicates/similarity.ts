/**
 * Name similarity (0 to 1) for duplicate control. Two standard measures,
 * averaged: Jaro-Winkler (good with typos and transpositions, but it
 * rewards a shared beginning so much that "СеверСтрой" and "СеверТорг"
 * score 0.91) and the Levenshtein ratio (1 − edits / length, which sees
 * that those differ in half their letters). Names are compared in word
 * order, sorted ("Ivanov Ivan" / "Ivan Ivanov") and without spaces
 * ("Газпром нефть" / "Газпромнефть"); a name whose words (at least two) are
 * all in the other ("Петров Иван" / "Петров Иван Сергеевич") counts as
 * similar too. Pure; UTF-16 code units, exact for Cyrillic and Latin.
 */
import { nameTokens } from './normalize.ts';

const MAX_COMPARED = 100;
/** Score of a name whose words are all contained in the other's. */
export const CONTAINED_SCORE = 0.95;

export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j <= Math.min(b.length - 1, i + window); j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j]) transpositions++;
    j++;
  }
  return (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
}

export function jaroWinkler(a: string, b: string, prefixScale = 0.1): number {
  const similarity = jaro(a, b);
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return similarity + prefix * prefixScale * (1 - similarity);
}

export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** The averaged measure of two already normalised strings. */
export function stringSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const x = a.slice(0, MAX_COMPARED);
  const y = b.slice(0, MAX_COMPARED);
  const ratio = 1 - levenshtein(x, y) / Math.max(x.length, y.length, 1);
  return (jaroWinkler(x, y) + ratio) / 2;
}

export function nameSimilarity(a: string, b: string): number {
  const x = nameTokens(a);
  const y = nameTokens(b);
  if (x.length === 0 || y.length === 0) return 0;
  const variants = (tokens: string[]) => [tokens.join(' '), [...tokens].sort().join(' '), tokens.join('')];
  const [vx, vy] = [variants(x), variants(y)];
  let best = Math.max(...vx.map((v, i) => stringSimilarity(v, vy[i]!)));
  const [small, large] = x.length <= y.length ? [x, y] : [y, x];
  if (small.length >= 2 && small.length < large.length && small.every((token) => large.includes(token))) best = Math.max(best, CONTAINED_SCORE);
  return best;
}
