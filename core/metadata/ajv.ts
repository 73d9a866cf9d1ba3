/**
 * The one Ajv configuration used for metadata documents and for record
 * validation: JSON Schema 2020-12, every error reported, formats (date,
 * date-time, email, uri …, and our `time-zone`: an IANA zone name this
 * runtime knows, see time-zone.ts; `inn`, `kpp`, `ogrn`: Russian
 * registration numbers with their check digits, see russian-ids.ts), and
 * two keywords for exact money bounds — `x-decimal-minimum` /
 * `x-decimal-maximum` compare decimal strings digit by digit
 * (core/metadata/decimal.ts). Other JSON Schema tools ignore these
 * `x-` keywords; the bounds are also stated in the field's description.
 */
import { Ajv2020, str } from 'ajv/dist/2020.js';
import type { KeywordErrorCxt } from 'ajv/dist/types/index.js';
import addFormatsModule from 'ajv-formats';
import { compareDecimal, numberToDecimal } from './decimal.ts';
import { RUSSIAN_ID_FORMATS, isValidRussianId } from './russian-ids.ts';
import { TIME_ZONE_FORMAT, isTimeZoneName } from './time-zone.ts';

// ajv-formats is CommonJS with a default export; under NodeNext its type is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export type Ajv = Ajv2020;

export const DECIMAL_MINIMUM = 'x-decimal-minimum';
export const DECIMAL_MAXIMUM = 'x-decimal-maximum';

function decimalBound(keyword: string, isMinimum: boolean) {
  return {
    keyword,
    type: 'string' as const,
    schemaType: 'number' as const,
    error: { message: ({ schemaCode }: KeywordErrorCxt) => (isMinimum ? str`must be >= ${schemaCode}` : str`must be <= ${schemaCode}`) },
    validate: (bound: number, value: string) => {
      const limit = numberToDecimal(bound);
      const order = limit === undefined ? undefined : compareDecimal(value, limit);
      if (order === undefined) return true; // the pattern reports malformed values
      return isMinimum ? order >= 0 : order <= 0;
    },
  };
}

export function createAjv(): Ajv {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addFormat(TIME_ZONE_FORMAT, { type: 'string', validate: isTimeZoneName });
  for (const format of RUSSIAN_ID_FORMATS) ajv.addFormat(format, { type: 'string', validate: (value: string) => isValidRussianId(format, value) });
  ajv.addKeyword(decimalBound(DECIMAL_MINIMUM, true));
  ajv.addKeyword(decimalBound(DECIMAL_MAXIMUM, false));
  return ajv;
}
