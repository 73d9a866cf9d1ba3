/**
 * The `inn`, `kpp` and `ogrn` text formats: the check-digit algorithms on
 * numbers of real organisations, the refusals (wrong check digit, length,
 * letters) with the message that says which, and their wiring into field
 * metadata (a default must pass the format; only text fields take one).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAjv } from '../../core/metadata/ajv.ts';
import { ajvToFieldErrors } from '../../core/metadata/ajv-errors.ts';
import { innProblem, kppProblem, ogrnProblem, russianIdMessage } from '../../core/metadata/russian-ids.ts';
import { validateEntity } from '../../core/metadata/validate-entity.ts';

/** Published numbers; each was checked against the algorithm by hand or with BigInt, not only by this code. */
const VALID_INN = [
  '7707083893', // Sberbank
  '7736050003', // Gazprom
  '5504036333', // Gazprom Neft
  '7702070139', // VTB
  '7728168971', // Alfa-Bank
  '500100732259', // a 12-digit INN of an individual, the example most validators cite
];
const VALID_OGRN = [
  '1027700132195', // Sberbank
  '1027700070518', // Gazprom
  '1027739609391', // VTB
  '304500116000157', // a 15-digit OGRNIP (sole proprietor)
];

describe('INN', () => {
  it('accepts 10-digit INNs of real organisations and a 12-digit INN of an individual', () => {
    for (const inn of VALID_INN) assert.equal(innProblem(inn), undefined, inn);
  });

  it('refuses a wrong check digit, in either position of a 12-digit INN', () => {
    assert.equal(innProblem('7707083894'), 'the check digit does not match');
    assert.equal(innProblem('1234567890'), 'the check digit does not match');
    assert.equal(innProblem('500100732269'), 'the check digits do not match', 'first check digit wrong');
    assert.equal(innProblem('500100732258'), 'the check digits do not match', 'second check digit wrong');
    // A 10-digit company number padded to 12 is not an individual's number.
    assert.equal(innProblem('770708389300'), 'the check digits do not match');
  });

  it('refuses other lengths and anything but digits', () => {
    assert.equal(innProblem('12345'), 'it has 10 digits for an organisation or 12 for an individual, not 5');
    assert.equal(innProblem('77070838931'), 'it has 10 digits for an organisation or 12 for an individual, not 11');
    assert.equal(innProblem(''), 'only the digits 0-9 are allowed');
    for (const inn of ['770708389O', '7707 083893', '７７０７０８３８９３', '-707083893']) assert.equal(innProblem(inn), 'only the digits 0-9 are allowed', inn);
  });

  it('every single-digit change of a valid INN is caught', () => {
    for (const inn of VALID_INN) {
      const last = inn.length - 1;
      const changed = `${inn.slice(0, last)}${(Number(inn[last]) + 1) % 10}`;
      assert.notEqual(innProblem(changed), undefined, changed);
    }
  });
});

describe('KPP', () => {
  it('accepts 4 digits, 2 digits or capital Latin letters, 3 digits', () => {
    for (const kpp of ['773601001', '784201001', '7736AB001', '77360Z001']) assert.equal(kppProblem(kpp), undefined, kpp);
  });

  it('refuses other lengths, lower case, Cyrillic and letters outside the middle', () => {
    assert.equal(kppProblem('77360100'), 'it has 9 characters, not 8');
    for (const kpp of ['7736ab001', '7736АБ001', 'A73601001', '7736010O1']) {
      assert.equal(kppProblem(kpp), '4 digits, then 2 digits or capital Latin letters, then 3 digits', kpp);
    }
  });
});

describe('OGRN', () => {
  it('accepts 13-digit OGRNs of real organisations and a 15-digit OGRNIP', () => {
    for (const ogrn of VALID_OGRN) assert.equal(ogrnProblem(ogrn), undefined, ogrn);
  });

  it('refuses a wrong check digit, other lengths and letters', () => {
    assert.equal(ogrnProblem('1027700132194'), 'the check digit does not match');
    assert.equal(ogrnProblem('304500116000158'), 'the check digit does not match');
    assert.equal(ogrnProblem('10277001321'), 'it has 13 digits for an organisation (OGRN) or 15 for a sole proprietor (OGRNIP), not 11');
    assert.equal(ogrnProblem('10277001321950'), 'it has 13 digits for an organisation (OGRN) or 15 for a sole proprietor (OGRNIP), not 14');
    assert.equal(ogrnProblem('102770013219X'), 'only the digits 0-9 are allowed');
  });

  it('computes the check digit exactly beyond 2^53 (agrees with BigInt on 2,000 generated numbers)', () => {
    let seed = 12345;
    const digit = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 10).toString();
    for (let i = 0; i < 2000; i += 1) {
      const length = i % 2 === 0 ? 12 : 14;
      const body = `${1 + (i % 9)}${Array.from({ length: length - 1 }, digit).join('')}`;
      const check = (BigInt(body) % (length === 12 ? 11n : 13n)) % 10n;
      assert.equal(ogrnProblem(`${body}${check}`), undefined, `${body}${check}`);
      assert.equal(ogrnProblem(`${body}${(check + 1n) % 10n}`), 'the check digit does not match');
    }
  });
});

describe('the formats in field metadata and validation', () => {
  const ajv = createAjv();
  const check = (format: string, value: unknown) => {
    const validate = ajv.compile({ type: 'object', properties: { id: { type: 'string', format } } });
    const data = { id: value };
    return validate(data) ? [] : ajvToFieldErrors(validate.errors, data);
  };

  it('Ajv refuses with a message that says what is wrong, at the field', () => {
    assert.deepEqual(check('inn', '7707083893'), []);
    assert.deepEqual(check('inn', '7707083894'), [{ path: '/id', message: 'must be a valid INN: the check digit does not match' }]);
    assert.deepEqual(check('kpp', '7736ab001'), [{ path: '/id', message: 'must be a valid KPP: 4 digits, then 2 digits or capital Latin letters, then 3 digits' }]);
    assert.deepEqual(check('ogrn', '1027700132'), [{ path: '/id', message: 'must be a valid OGRN: it has 13 digits for an organisation (OGRN) or 15 for a sole proprietor (OGRNIP), not 10' }]);
    assert.deepEqual(check('ogrn', 1027700132195), [{ path: '/id', message: 'must be string' }], 'formats apply to strings only');
  });

  it('the message names the format even without a value to explain', () => {
    assert.equal(russianIdMessage('inn', 42), 'must be a valid INN');
  });

  it('is a format of text fields; a default must pass it', () => {
    const entity = (field: Record<string, unknown>) => ({ name: 'thing', label: { en: 'Thing' }, fields: [{ name: 'code', label: { en: 'Code' }, ...field }] });
    const errors = (field: Record<string, unknown>) => validateEntity(entity(field), { entities: new Map() });
    assert.deepEqual(errors({ type: 'text', format: 'inn', default: '7707083893' }), []);
    assert.deepEqual(errors({ type: 'text', format: 'ogrn', default: '1027700132194' }), [{ path: '/fields/0/default', message: 'must be a valid OGRN: the check digit does not match' }]);
    assert.deepEqual(errors({ type: 'integer', format: 'inn' }).map((error) => error.path), ['/fields/0/format']);
    assert.deepEqual(errors({ type: 'text', format: 'snils' }).map((error) => error.path), ['/fields/0/format']);
  });
});
