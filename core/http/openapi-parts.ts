/**
 * Building blocks of the OpenAPI description shared by every module that describes its
 * endpoints (core/openapi, core/pipelines, core/engagement): references, problem answers,
 * the common error answers, the record id parameter.
 */
export type Json = Record<string, unknown>;

export const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

/** A JSON content map (`content` of a request body or response). */
export const jsonContent = (schema: Json): Json => ({ 'application/json': { schema } });

/** A JSON response with its description. */
export const jsonResponse = (schema: Json, description = 'OK'): Json => ({ description, content: jsonContent(schema) });

/** An RFC 9457 problem answer. */
export const problem = (description: string): Json => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });

export const PROBLEMS = {
  '400': problem('Bad input: see errors[] for the failing fields'),
  '401': problem('Not signed in'),
  '403': problem('Signed in but not allowed'),
  '404': problem('Unknown, or not visible to the caller'),
};

export const ID_PARAM: Json = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{24}$' } };

/** `deal` → `Deal`, for schema and operation names. */
export const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);
