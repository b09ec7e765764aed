import assert from 'node:assert/strict';
import { globSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { LOCKS } from './locks.ts';

test('each advisory lock has its own key, and no module picks a number of its own', () => {
  const keys = Object.values(LOCKS);
  assert.equal(new Set(keys).size, keys.length);
  for (const file of globSync('src/**/*.ts', { exclude: ['**/*.test.ts', 'src/platform/locks.ts'] })) {
    const text = readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /advisory_(?:xact_)?lock\(\s*\d/, `${file} locks a literal key`);
    assert.doesNotMatch(text, /\b7_304_991_\d{3}\b/, `${file} defines a lock key outside locks.ts`);
  }
});
