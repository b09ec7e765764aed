// Every word a page shows a Chinese reader exists in Chinese: each error code the API can answer, each ledger entry
// type a receipt lists, each value of the vocabularies the pages label. Codes and entry types are read from the
// source, where each is written once; vocabularies from the lists the schemas use.
import assert from 'node:assert/strict';
import { globSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PII_TYPES } from '../src/modules/privacy/index.ts';
import {
  BASE_LIBRARIES,
  FIELD_TYPES,
  FORMATS,
  GRADES,
  OPEN_TYPES,
  RESOURCE_ATTRIBUTES,
  SHARING_TYPES,
  UPDATE_CYCLES,
} from '../src/modules/registry/registry.schemas.ts';
import { APPLICATION_EVENTS } from '../src/modules/services/index.ts';
import { errorZh } from '../web/shared/texts/errors.ts';
import { LABELS } from '../web/shared/texts/labels.ts';
import { uiZh } from '../web/shared/texts/ui-zh.ts';

const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/new AppError\(\s*'([a-z_.]+)'/g, (m) => m[1] ?? ''],
  [/conflict\(\s*'([a-z_.]+)'/g, (m) => m[1] ?? ''],
  [/notFound\(\s*'([a-z_]+)'/g, (m) => `${m[1]}.not_found`],
  // invalid(field, message, code): the third argument
  [/invalid\(\s*(?:'[^']*'|`[^`]*`|[\w.]+),\s*(?:'[^']*'|`[^`]*`|"[^"]*"),\s*'([a-z_.]+)'/g, (m) => m[1] ?? ''],
  [/code: '([a-z_]+\.[a-z_.]+)'/g, (m) => m[1] ?? ''],
];

function codesInSource(): Set<string> {
  const codes = new Set(['auth.forbidden', 'auth.unauthenticated', 'validation.invalid']);
  for (const file of globSync('src/**/*.ts', { exclude: ['**/*.test.ts'] })) {
    const text = readFileSync(file, 'utf8');
    for (const [pattern, code] of PATTERNS) {
      for (const m of text.matchAll(pattern)) codes.add(code(m as RegExpExecArray));
    }
  }
  return codes;
}

test('every error code in the source has a Chinese text', () => {
  const codes = codesInSource();
  assert.ok(codes.size > 100, `found ${codes.size} codes`);
  const missing = [...codes].filter((c) => !errorZh[c]).sort();
  assert.deepEqual(missing, []);
});

test('the error table holds no code the source no longer answers', () => {
  const codes = codesInSource();
  const stale = Object.keys(errorZh).filter((c) => !codes.has(c));
  assert.deepEqual(stale, []);
});

/** Entry types written as literals, and those built from a template with the values the template takes. */
function ledgerTypesInSource(): Set<string> {
  const types = new Set<string>();
  for (const file of globSync('src/**/*.ts', { exclude: ['**/*.test.ts'] })) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\btype: '([a-z_]+\.[a-z_.]+)'/g)) types.add(m[1] ?? '');
  }
  for (const op of ['created', 'updated', 'deleted']) types.add(`registry.record.${op}`);
  for (const op of ['created', 'updated', 'published', 'withdrawn']) types.add(`services.item.${op}`);
  for (const op of ['created', 'changed']) types.add(`services.subplatform.${op}`);
  for (const status of ['created', 'approved', 'rejected', 'refused', 'withdrawn'])
    types.add(`exchange.request.${status}`);
  for (const action of APPLICATION_EVENTS) types.add(`services.application.${action}`);
  return types;
}

test('every ledger entry type has its label for the receipts page', () => {
  const types = ledgerTypesInSource();
  assert.ok(types.size > 50, `found ${types.size} entry types`);
  assert.deepEqual(
    [...types].filter((t) => !(t in LABELS.ledgerType)),
    [],
  );
});

test('every vocabulary value has a label in both languages', () => {
  const lists: Array<[keyof typeof LABELS, readonly string[]]> = [
    ['piiType', PII_TYPES],
    ['attribute', RESOURCE_ATTRIBUTES],
    ['baseLibrary', BASE_LIBRARIES],
    ['format', FORMATS],
    ['sharing', SHARING_TYPES],
    ['open', OPEN_TYPES],
    ['updateCycle', UPDATE_CYCLES],
    ['fieldType', FIELD_TYPES],
    ['grade', GRADES],
  ];
  for (const [kind, values] of lists) {
    const table = LABELS[kind] as Record<string, readonly [string, string]>;
    assert.deepEqual(Object.keys(table).sort(), [...values].sort(), kind);
    for (const [value, [zh, en]] of Object.entries(table)) {
      assert.match(zh, /\p{Script=Han}/u, `${kind}.${value} in Chinese`);
      assert.ok(en && !/\p{Script=Han}/u.test(en), `${kind}.${value} in English`);
    }
  }
});

test('every text a page passes to t() has its Chinese (else a Chinese reader sees the English key)', () => {
  const missing = new Set<string>();
  let found = 0;
  for (const file of globSync('web/**/*.tsx')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'((?:[^'\\]|\\.)+)'\s*\)/g)) {
      found++;
      const key = (m[1] ?? '').replace(/\\'/g, "'");
      if (!(key in uiZh)) missing.add(`${file}: ${key}`);
    }
  }
  assert.ok(found > 300, `found ${found} texts`);
  assert.deepEqual([...missing].sort(), []);
});
