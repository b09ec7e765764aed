// A register's fields → the JSON Schema of its records, validated by Ajv. Values whose field declares a PII type with a
// check character (resident ID, credit code) or a fixed shape (mobile phone, e-mail) are checked by it too.
import type { ValidateFunction } from 'ajv';
import { createAjv, describeError, errorField } from '../../platform/validation.ts';
import { isValidCreditCode, isValidMobile, isValidResidentId } from '../privacy/index.ts';
import type { Field } from './registry.schemas.ts';

const ajv = createAjv({ allErrors: true, coerceTypes: false, removeAdditional: false, useDefaults: false });
ajv.addFormat('resident-id', isValidResidentId);
ajv.addFormat('credit-code', isValidCreditCode);
ajv.addFormat('cn-mobile', isValidMobile);

const PII_FORMATS: Partial<Record<Field['piiType'], string>> = {
  resident_id: 'resident-id',
  credit_code: 'credit-code',
  phone: 'cn-mobile',
  email: 'email',
};

function fieldSchema(f: Field): Record<string, unknown> {
  const range = (lo: string, hi: string) => ({
    ...(f.min !== undefined ? { [lo]: f.min } : {}),
    ...(f.max !== undefined ? { [hi]: f.max } : {}),
  });
  switch (f.type) {
    case 'string': {
      const format = PII_FORMATS[f.piiType];
      return {
        type: 'string',
        maxLength: 10_000,
        ...range('minLength', 'maxLength'),
        ...(f.pattern ? { pattern: f.pattern } : {}),
        ...(format ? { format } : {}),
      };
    }
    case 'integer':
      return { type: 'integer', ...range('minimum', 'maximum') };
    case 'decimal':
      return { type: 'number', ...range('minimum', 'maximum') };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { type: 'string', enum: f.enumValues ?? [] };
    case 'code_list':
      return { type: 'string', minLength: 1, maxLength: 100 };
    case 'file':
      return { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of a stored file' };
  }
}

/** The JSON Schema of one record of a register with these fields. */
export function recordSchema(fields: readonly Field[]): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: fields.filter((f) => f.required).map((f) => f.code),
    properties: Object.fromEntries(fields.map((f) => [f.code, { title: f.name, ...fieldSchema(f) }])),
  };
}

export interface RecordProblem {
  readonly field: string;
  readonly message: string;
  /** The rule broken, for a reader's own language: the JSON Schema keyword (`format:<name>` for a format). */
  readonly rule?: string;
  /** The rule's bound (a minimum, a length, the expected type). */
  readonly limit?: string | number;
}

const FORMAT_MESSAGES: Record<string, string> = {
  'resident-id': 'is not a valid resident ID number (check the digits and the check character)',
  'credit-code': 'is not a valid unified social credit code (check its characters)',
  'cn-mobile': 'is not a mobile number (11 digits starting 13–19)',
  date: 'is not a valid date (YYYY-MM-DD)',
  'date-time': 'is not a valid date and time (ISO 8601)',
  email: 'is not an e-mail address',
};

const cache = new Map<string, ValidateFunction>();

/** Validates a record against its register's fields; the validator is compiled once per register version. */
export function validateRecord(cacheKey: string, fields: readonly Field[], data: unknown): RecordProblem[] {
  let validate = cache.get(cacheKey);
  if (!validate) {
    validate = ajv.compile(recordSchema(fields));
    if (cache.size > 500) cache.clear();
    cache.set(cacheKey, validate);
  }
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => {
    const params = e.params as { format?: unknown; limit?: unknown; type?: unknown };
    const limit =
      typeof params.limit === 'number' ? params.limit : typeof params.type === 'string' ? params.type : undefined;
    return {
      field: `/data${errorField(e)}`,
      message: e.keyword === 'format' ? (FORMAT_MESSAGES[String(params.format)] ?? describeError(e)) : describeError(e),
      rule: e.keyword === 'format' ? `format:${String(params.format)}` : e.keyword,
      ...(limit !== undefined ? { limit } : {}),
    };
  });
}

/** Checks that a field definition is usable: an enum has values, a pattern compiles, a range is ordered. */
export function fieldDefinitionProblems(fields: readonly Field[]): RecordProblem[] {
  const problems: RecordProblem[] = [];
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    const at = `/fields/${i}`;
    if (seen.has(f.code)) problems.push({ field: `${at}/code`, message: `field code '${f.code}' appears twice` });
    seen.add(f.code);
    if (f.type === 'enum' && !f.enumValues?.length)
      problems.push({ field: `${at}/enumValues`, message: 'an enum field needs its values' });
    if (f.type !== 'enum' && f.enumValues)
      problems.push({ field: `${at}/enumValues`, message: 'only enum fields take values' });
    if (f.type === 'code_list' && !f.codeList)
      problems.push({ field: `${at}/codeList`, message: 'a code-list field names the register of codes' });
    if (f.min !== undefined && f.max !== undefined && f.min > f.max)
      problems.push({ field: `${at}/min`, message: 'min is larger than max' });
    if (f.pattern) {
      try {
        new RegExp(f.pattern, 'u');
      } catch {
        problems.push({ field: `${at}/pattern`, message: 'the pattern is not a valid regular expression' });
      }
    }
    if (f.unique && !['string', 'integer', 'code_list', 'date'].includes(f.type)) {
      problems.push({ field: `${at}/unique`, message: `a ${f.type} field cannot be a unique key` });
    }
  });
  return problems;
}
