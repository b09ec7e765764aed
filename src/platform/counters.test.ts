import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENGINE, startTestDb } from '../../test/helpers.ts';
import { LeasedBudget, SharedCounters } from './counters.ts';

const db = await startTestDb();

test(`[${ENGINE}] a claim is granted at most what is left of the window's budget, atomically`, async () => {
  const c = new SharedCounters(db.forZone('exchange'));
  assert.equal((await c.claim('k1', 60_000, 4, 10)).granted, 4);
  assert.equal((await c.claim('k1', 60_000, 4, 10)).granted, 4);
  assert.equal((await c.claim('k1', 60_000, 4, 10)).granted, 2, 'only what is left');
  assert.equal((await c.claim('k1', 60_000, 4, 10)).granted, 0, 'spent');
  const concurrent = await Promise.all(Array.from({ length: 40 }, () => c.claim('k2', 60_000, 1, 25)));
  assert.equal(
    concurrent.reduce((n, r) => n + r.granted, 0),
    25,
    'concurrent claims together get exactly the budget',
  );
});

test(`[${ENGINE}] leased budgets on several instances never pass the limit together, and small limits are exact`, async () => {
  const instances = [0, 1, 2].map(() => new LeasedBudget(new SharedCounters(db.forZone('exchange'))));
  for (const limit of [1, 7, 20, 200]) {
    const key = `budget:${limit}`;
    const takes = await Promise.all(
      Array.from({ length: limit * 3 }, (_, i) => instances[i % 3]?.take(key, 86_400_000, limit) ?? Promise.resolve(1)),
    );
    const allowed = takes.filter((w) => w === 0).length;
    assert.ok(allowed <= limit, `limit ${limit}: ${allowed} allowed`);
    // A lease is a twentieth of the limit: at most that much per other instance can be left unused.
    const slack = 2 * Math.max(1, Math.ceil(limit / 20)) - 2;
    assert.ok(allowed >= limit - slack, `limit ${limit}: ${allowed} allowed (slack ${slack})`);
    if (limit <= 20) assert.equal(allowed, limit, 'blocks of one: exact');
    assert.ok(
      takes.filter((w) => w > 0).every((w) => w >= 1 && w <= 86_400),
      'the refused learn when to come back',
    );
  }
});

test(`[${ENGINE}] limits hold over a sliding window: a window's edge does not reset them`, async () => {
  let now = Math.floor(Date.now() / 60_000) * 60_000 + 50_000; // late in a minute
  const c = new SharedCounters(db.forZone('public'), () => now);
  for (let i = 0; i < 5; i++) assert.equal((await c.hit('edge', 60_000)).count, i + 1);
  now += 11_000; // just past the edge: 5 of the last minute still count (rounded up)
  assert.equal((await c.hit('edge', 60_000)).count, 1 + 5);
  now += 30_000; // half way: the previous minute weighs a little under a half
  assert.equal((await c.hit('edge', 60_000)).count, 2 + Math.ceil(5 * (1 - 31 / 60)));
  now += 60_000; // two windows on: only the last one's count is left, weighted
  assert.ok((await c.hit('edge', 60_000)).count <= 3);
  // Claims: a budget of 4 spent late in one window is not given again just after the edge.
  const at = Math.floor(Date.now() / 60_000) * 60_000 + 59_000;
  const budget = new SharedCounters(db.forZone('exchange'), () => at);
  assert.equal((await budget.claim('claims', 60_000, 4, 4)).granted, 4);
  const next = new SharedCounters(db.forZone('exchange'), () => at + 2_000);
  assert.equal((await next.claim('claims', 60_000, 4, 4)).granted, 0, 'the last minute’s 4 still count');
  const later = new SharedCounters(db.forZone('exchange'), () => at + 46_000);
  assert.equal((await later.claim('claims', 60_000, 4, 4)).granted, 3, 'a quarter still counts: ceil(4 × 0.25) = 1');
});
