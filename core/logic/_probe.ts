import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import jsonLogic from 'json-logic-js';
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv2020({ allErrors: true });
addFormats(ajv);
const v: ValidateFunction = ajv.compile({ type: 'string', format: 'email' });
console.log(v('x'), v.errors as ErrorObject[] | null | undefined, jsonLogic.apply({ '+': [1, 2] }, {}));
