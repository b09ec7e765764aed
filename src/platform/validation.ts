// Ajv instances shared by HTTP validation, configuration and (later) dynamic register and form schemas.
import { Ajv, type ErrorObject, type Options } from 'ajv';
import { default as addFormatsModule } from 'ajv-formats';

// ajv-formats is CommonJS; its default export is the plugin function under Node's ESM interop.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** A new Ajv with the standard formats (date, date-time, email, …); modules add their own formats to theirs. */
export function createAjv(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: false, strict: false, useDefaults: true, ...options });
  addFormats(ajv);
  return ajv;
}

/** JSON bodies: no coercion ("1" is not a number) and unknown fields are an error, never silently dropped. */
export const bodyAjv = createAjv({ coerceTypes: false, removeAdditional: false });
/** Query strings, params and headers arrive as text: coerce to the declared types. */
export const textAjv = createAjv({ coerceTypes: 'array', removeAdditional: false });

/** The JSON pointer of the field an Ajv error is about, e.g. `/residentId` or `/zones/public/port`. */
export function errorField(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
    return `${error.instancePath}/${params.missingProperty}`;
  }
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return `${error.instancePath}/${params.additionalProperty}`;
  }
  return error.instancePath || '/';
}

export function describeError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `unknown field '${String(params.additionalProperty)}'`;
  if (error.keyword === 'required') return `'${String(params.missingProperty)}' is required`;
  return error.message ?? 'is invalid';
}
