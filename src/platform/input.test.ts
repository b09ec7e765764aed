import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from './errors.ts';
import { boundNumbers, findInputProblem, MALFORMED_QUERY, parseJsonBody, parseQuery } from './input.ts';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? `${e.status} ${e.code} ${String(e.details?.field ?? '')}` : 'other';
  }
  return 'ok';
};

test('JSON bodies: NUL, lone surrogates, non-finite numbers, deep nesting and __proto__ are 400s naming the field', () => {
  assert.equal(
    code(() => parseJsonBody('{"a":{"b":"x\\u0000"}}')),
    '400 validation.failed /a/b',
  );
  assert.equal(
    code(() => parseJsonBody('{"a":["\\ud800"]}')),
    '400 validation.failed /a/0',
  );
  assert.equal(
    code(() => parseJsonBody('{"n":1e309}')),
    '400 validation.failed /n',
  );
  assert.equal(
    code(() => parseJsonBody(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)),
    '400 validation.failed /',
  );
  assert.equal(
    code(() => parseJsonBody('{"__proto__":{"admin":true}}')),
    '400 validation.failed /__proto__',
  );
  assert.equal(
    code(() => parseJsonBody('{"a":')),
    '400 request.malformed_json ',
  );
  assert.equal(
    code(() => parseJsonBody('  ')),
    '400 request.empty_body ',
  );
  // Brackets inside strings are not nesting; 64 levels are fine.
  assert.deepEqual(parseJsonBody(`{"s":"${'['.repeat(500)}"}`), { s: '['.repeat(500) });
  assert.equal(
    code(() => parseJsonBody(`${'['.repeat(63)}${']'.repeat(63)}`)),
    'ok',
  );
});

test('a bad key is named escaped, so the error message itself holds no NUL', () => {
  const problem = findInputProblem({ 'a\u0000': 1 });
  assert.equal(problem?.field, '/a\\u0000');
});

test('query strings: malformed escapes and invalid UTF-8 are marked, repeated keys become arrays', () => {
  assert.deepEqual(parseQuery('a=1&b=x+y&a=2&c'), { a: ['1', '2'], b: 'x y', c: '' });
  for (const bad of ['q=%E0%A4%A', 'q=%', 'q=%ED%A0%80', 'q=%C0%80', '__proto__=1']) {
    assert.equal(parseQuery(bad)[MALFORMED_QUERY], true, bad);
  }
});

test('every integer a schema accepts is bounded to the safe range unless it says more; numbers stay finite', () => {
  const schema = {
    type: 'object',
    properties: { id: { type: 'integer' }, v: { type: 'integer', maximum: 10 }, x: { type: 'number' } },
    enum: undefined,
  };
  const bounded = boundNumbers(schema) as unknown as {
    properties: Record<string, { maximum: number; minimum: number }>;
  };
  assert.equal(bounded.properties.id?.maximum, Number.MAX_SAFE_INTEGER);
  assert.equal(bounded.properties.v?.maximum, 10);
  assert.equal(bounded.properties.x?.maximum, Number.MAX_VALUE);
  assert.equal(boundNumbers(schema), bounded, 'one copy per schema object');
  assert.equal((schema.properties.id as { maximum?: number }).maximum, undefined, 'the original is untouched');
});
