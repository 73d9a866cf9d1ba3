import { test } from 'node:test';
import assert from 'node:assert/strict';
import { regexProblem } from '../../core/query/regex-guard.ts';

test('ordinary search patterns are accepted', () => {
  for (const p of ['^foo', 'a|b', '[a-z]+', '(?:ab)+', '(foo|bar)+', '\\d{3}-\\d{4}', '(\\d{3})?x', '^Моск', '\\(x+\\)+', '[(]a+[)]+', '(?<year>\\d{4})', '(?=a)b*', 'a{2,}b?']) {
    assert.equal(regexProblem(p, undefined), undefined, p);
  }
  assert.equal(regexProblem('abc', 'i'), undefined);
  assert.equal(regexProblem('abc', ''), undefined);
});

test('nested quantifiers are refused whatever the group and quantifier syntax', () => {
  for (const p of ['(a+)+', '(a*)*', '(?:a+)+b', '((ab)*c)+', '(\\w+\\s?)*$', '(a+){2,}', '(x+x+)+y', '([a-z]+)*@', '(a+?)+?']) {
    assert.match(regexProblem(p, undefined) ?? '', /nested quantifiers/, p);
  }
});

test('backreferences are refused', () => {
  assert.match(regexProblem('(a)\\1', undefined) ?? '', /backreferences/);
  assert.match(regexProblem('(?<x>a)\\k<x>', undefined) ?? '', /backreferences/);
});

test('options other than i, over-long and invalid patterns are refused', () => {
  assert.match(regexProblem('a', 'g') ?? '', /only the option "i"/);
  assert.match(regexProblem('a', 's') ?? '', /only the option "i"/);
  assert.match(regexProblem('a'.repeat(201), undefined) ?? '', /at most 200/);
  assert.match(regexProblem('[', undefined) ?? '', /not a valid/);
  assert.match(regexProblem(5, undefined) ?? '', /string/);
});
