import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import { find } from 'mingo';
import { normalizeText, searchableFields, searchFilter, searchTokens, tokenize, SEARCH_FIELD } from '../../core/search/normalize.ts';
import type { EntityDefinition } from '../../core/metadata/types.ts';
import { assertRefused } from './helpers.ts';

test('normalization folds case and accents, Cyrillic included', () => {
  assert.equal(normalizeText('Ёлка'), 'елка');
  assert.equal(normalizeText('ЁЖИК ёжик'), 'ежик ежик');
  assert.equal(normalizeText('Crème Brûlée'), 'creme brulee');
  assert.equal(normalizeText('İstanbul'), 'istanbul');
  assert.equal(normalizeText('Straße'), normalizeText('STRASSE'));
  assert.equal(normalizeText('ﬁle ＡＢＣ'), 'file abc');
  assert.equal(normalizeText('Ўладзімір'), 'уладзімір');
});

test('й stays й, whether typed precomposed, decomposed or in capitals', () => {
  assert.equal(normalizeText('Йошкар-Ола'), 'йошкар-ола');
  assert.equal(normalizeText('И\u0306ошкар'), 'йошкар');
  assert.equal(normalizeText('чай'), 'чай');
  assert.notEqual(normalizeText('мой'), normalizeText('мои'));
});

test('tokenize splits on anything that is not a letter or digit', () => {
  assert.deepEqual(tokenize('ООО «Ромашка», Ростов-на-Дону; john.doe@example.com'), ['ооо', 'ромашка', 'ростов', 'на', 'дону', 'john', 'doe', 'example', 'com']);
  assert.deepEqual(tokenize('  ...  '), []);
  assert.equal(tokenize('x'.repeat(100))[0].length, 64);
});

const entity: EntityDefinition = {
  name: 'organization',
  label: { en: 'Organization' },
  searchable: ['name', 'city'],
  fields: [
    { name: 'name', type: 'text', label: { en: 'Name' } },
    { name: 'city', type: 'text', label: { en: 'City' } },
    { name: 'phone', type: 'phone', label: { en: 'Phone' }, searchable: true },
    { name: 'status', type: 'enum', label: { en: 'Status' }, searchable: true, options: [{ value: 'new', label: { en: 'New', ru: 'Новый' } }] },
    { name: 'secret', type: 'text', label: { en: 'Secret' } },
    { name: 'old', type: 'text', label: { en: 'Old' }, searchable: true, retired: true },
  ],
};

test('searchable fields come from the entity list and the field flags, live fields only', () => {
  assert.deepEqual(searchableFields(entity).map((f) => f.name), ['name', 'city', 'phone', 'status']);
});

test('record tokens: distinct words of searchable fields, enum labels, joined phone digits', () => {
  const tokens = searchTokens(
    { name: 'ООО «Ромашка»', city: 'Москва', phone: '+7 (495) 123-45-67', status: 'new', secret: 'hidden', old: 'gone' },
    searchableFields(entity),
  );
  assert.deepEqual(tokens.sort(), ['123', '45', '495', '67', '7', '74951234567', 'new', 'москва', 'новый', 'ооо', 'ромашка'].sort());
  assert.ok(!tokens.includes('hidden') && !tokens.includes('gone'));
});

test('record tokens are capped and empty values give none', () => {
  const long = Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' ');
  assert.equal(searchTokens({ name: long }, searchableFields(entity)).length, 500);
  assert.deepEqual(searchTokens({ name: null }, searchableFields(entity)), []);
});

test('the search condition is anchored, case-sensitive prefix regexes on _search, longest first', () => {
  const filter = searchFilter('  Моск РОМ ') as { _search: { $all: RegExp[] } };
  assert.deepEqual(Object.keys(filter), [SEARCH_FIELD]);
  assert.deepEqual(filter._search.$all.map((r) => [r.source, r.flags]), [['^моск', ''], ['^ром', '']]);
  assert.deepEqual((searchFilter('мос Москва') as { _search: { $all: RegExp[] } })._search.$all.map(String), ['/^москва/']);
});

test('a query with no words is no condition; regex syntax in it is inert', () => {
  assert.equal(searchFilter(''), undefined);
  assert.equal(searchFilter('.* ^$ (|)'), undefined);
  const filter = searchFilter('a.b*') as { _search: { $all: RegExp[] } };
  assert.deepEqual(filter._search.$all.map(String), ['/^a/', '/^b/']);
});

test('more than 10 query words is a 400', () => {
  assertRefused(() => searchFilter('aa bb cc dd ee ff gg hh ii jj kk'), '/q', 'at most 10 words');
  assert.ok(searchFilter('aa bb cc dd ee ff gg hh ii jj aaa'));
});

test('search matches records regardless of case and accents, all words as prefixes', () => {
  const fields = searchableFields(entity);
  const records = [
    { name: 'Ёлочка', city: 'Йошкар-Ола' },
    { name: 'Café Crème', city: 'Paris' },
    { name: 'ООО Ромашка', city: 'Москва', phone: '+7 (495) 123-45-67' },
  ].map((r) => ({ _id: new ObjectId(), ...r, [SEARCH_FIELD]: searchTokens(r, fields) }));
  const names = (q: string) => find(records, searchFilter(q) ?? {}).all().map((r) => r.name);
  assert.deepEqual(names('ёлоч'), ['Ёлочка']);
  assert.deepEqual(names('ЕЛОЧКА'), ['Ёлочка']);
  assert.deepEqual(names('йошк'), ['Ёлочка']);
  assert.deepEqual(names('иошк'), [], 'й and и stay distinct');
  assert.deepEqual(names('cafe creme'), ['Café Crème']);
  assert.deepEqual(names('CRÈM'), ['Café Crème']);
  assert.deepEqual(names('ромашка москва'), ['ООО Ромашка']);
  assert.deepEqual(names('ромашка париж'), [], 'every word must match');
  assert.deepEqual(names('машка'), [], 'prefixes only, not infixes');
  assert.deepEqual(names('8495'), []);
  assert.deepEqual(names('7495123'), ['ООО Ромашка']);
  assert.deepEqual(names('495 123'), ['ООО Ромашка']);
});
