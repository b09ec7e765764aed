// What request input may hold, decided once for every route: the rules the JSON body parser, the query and path
// check and the validators all apply, so that no value PostgreSQL, Cedar or the stack would choke on gets past
// the edge. A rejected value is a 400 naming its field.
import { AppError } from './errors.ts';

/** Deeper JSON than this is refused before anything recurses over it (forms and policies nest far less). */
export const MAX_JSON_DEPTH = 64;

/** Why a string may not enter the platform, or undefined when it may. */
export function textProblem(value: string): string | undefined {
  // PostgreSQL text and jsonb cannot hold U+0000; a lone surrogate is not Unicode (UTF-8 cannot encode it).
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (!value.isWellFormed()) return 'must be valid Unicode (it holds a lone surrogate)';
  return undefined;
}

export interface InputProblem {
  readonly field: string;
  readonly message: string;
}

// A JSON pointer to the value; a key that breaks the rules is shown escaped, so the message itself stays clean.
const pointer = (path: string, key: string | number) => {
  const text = typeof key === 'string' && textProblem(key) ? JSON.stringify(key).slice(1, -1) : String(key);
  return `${path}/${text.replace(/~/g, '~0').replace(/\//g, '~1')}`;
};

/**
 * The first value in a parsed body, query or path that breaks the rules: a bad string (or key), a number that is
 * not finite, nesting past MAX_JSON_DEPTH, or a key that would reach an object's prototype.
 */
export function findInputProblem(value: unknown, path = '', depth = 0): InputProblem | undefined {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { field: path || '/', message: problem } : undefined;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : { field: path || '/', message: 'must be a finite number' };
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_JSON_DEPTH) return { field: path || '/', message: `nests deeper than ${MAX_JSON_DEPTH} levels` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = findInputProblem(value[i], pointer(path, i), depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const [key, inner] of Object.entries(value)) {
    const keyProblem = key === '__proto__' ? 'is not an accepted field name' : textProblem(key);
    if (keyProblem) return { field: pointer(path, key), message: `field name ${keyProblem}` };
    const problem = findInputProblem(inner, pointer(path, key), depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

/** A 400 for a value that breaks the input rules. */
export function inputError(problem: InputProblem, part = 'body'): AppError {
  return new AppError('validation.failed', 400, `${part} ${problem.field}: ${problem.message}`, {
    field: problem.field,
  });
}

/** Throws the 400 for the first value in `value` that breaks the rules. */
export function assertInput(value: unknown, part: string): void {
  const problem = findInputProblem(value, '');
  if (problem) throw inputError(problem, part);
}

/** Nesting depth of a JSON text, counted without parsing it (strings skipped), stopping once past `limit`. */
function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/** Parses a JSON request body under the input rules; every failure is a 400 with our error codes. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new AppError('request.empty_body', 400, 'The JSON body is empty');
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
    throw new AppError('validation.failed', 400, `body: nests deeper than ${MAX_JSON_DEPTH} levels`, { field: '/' });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('request.malformed_json', 400, 'The body is not valid JSON');
  }
  assertInput(value, 'body');
  return value;
}

// One copy per schema object, so a schema shared by several routes (or carrying an $id) stays one schema to Ajv.
const bounded = new WeakMap<object, unknown>();

/**
 * Bounds every number a schema accepts: integers to the safe range (ids are bigint, JSON numbers past 2^53 lose
 * digits), numbers to finite values. Explicit bounds win. Returns a copy; the route's schema is not touched.
 */
export function boundNumbers<T>(schema: T): T {
  if (schema === null || typeof schema !== 'object') return schema;
  const known = bounded.get(schema);
  if (known) return known as T;
  if (Array.isArray(schema)) {
    const copy = schema.map((s) => boundNumbers(s));
    bounded.set(schema, copy);
    return copy as T;
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(schema)) {
    // Values, not subschemas: leave them as they are.
    out[key] =
      key === 'enum' || key === 'const' || key === 'default' || key === 'examples' ? inner : boundNumbers(inner);
  }
  const types = Array.isArray(out.type) ? out.type : [out.type];
  const limit = types.includes('integer')
    ? Number.MAX_SAFE_INTEGER
    : types.includes('number')
      ? Number.MAX_VALUE
      : undefined;
  if (limit !== undefined) {
    if (out.maximum === undefined && out.exclusiveMaximum === undefined) out.maximum = limit;
    if (out.minimum === undefined && out.exclusiveMinimum === undefined) out.minimum = -limit;
  }
  bounded.set(schema, out);
  return out as T;
}

/** What `parseQuery` answers for a query string that is not valid percent-encoded UTF-8; refused before validation. */
export const MALFORMED_QUERY = Symbol('malformed query');

/**
 * The query string parser of every listener: like the default (repeated keys become arrays, `+` is a space) but
 * strict — a malformed escape or one that decodes to invalid UTF-8 (a lone surrogate, an overlong form) marks the
 * query as malformed instead of being passed on raw or as U+FFFD, and `__proto__` is never a key.
 */
export function parseQuery(text: string): Record<string | symbol, unknown> {
  const out: Record<string | symbol, unknown> = {};
  if (text === '') return out;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
      value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return { [MALFORMED_QUERY]: true };
    }
    if (key === '__proto__') return { [MALFORMED_QUERY]: true };
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[key] = [existing, value];
  }
  return out;
}
