// The refusal throttle: unverified callers' refusals are recorded one by one up to a budget per address and
// minute; past it the address is answered 429 before any signature is checked, and the counted refusals become one
// summary record (access log + ledger) when the minute ends or the zone closes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { ENGINE, startTestDb, startTestPlatform } from '../../../test/helpers.ts';
import { SharedCounters } from '../../platform/counters.ts';
import { RefusalThrottle } from './limits.ts';

test(`[${ENGINE}] the throttle records up to the budget, then blocks and counts; ended minutes are summarised once`, async () => {
  const db = await startTestDb();
  // Real minutes (the counters forget windows older than a day), starting at a minute's start.
  const T0 = Math.floor(Date.now() / 60_000) * 60_000;
  const t = new RefusalThrottle(2, new SharedCounters(db.forZone('exchange')));
  assert.equal(t.blocked('1.1.1.1', T0 + 0), 0);
  assert.equal(await t.recordable('1.1.1.1', T0 + 0), true);
  assert.equal(await t.recordable('1.1.1.1', T0 + 1000), true);
  assert.equal(await t.recordable('1.1.1.1', T0 + 2000), false, 'past the budget: counted');
  assert.equal(t.blocked('1.1.1.1', T0 + 3000), 57, 'blocked until the minute ends');
  assert.equal(t.blocked('2.2.2.2', T0 + 3000), 0, 'another address is not');
  assert.deepEqual(t.drain(T0 + 59_000), [], 'the minute has not ended');
  assert.deepEqual(t.drain(T0 + 61_000), [{ ip: '1.1.1.1', since: T0, suppressed: 2 }]);
  assert.deepEqual(t.drain(T0 + 200_000), [], 'summarised once');
  assert.equal(t.blocked('1.1.1.1', T0 + 61_000), 0, 'a new minute ends the local block');
  assert.equal(await t.recordable('1.1.1.1', T0 + 61_000), false, 'but the sliding minute still holds the last ones');
  assert.equal(await t.recordable('1.1.1.1', T0 + 150_000), true, 'once they slide out, refusals are recorded again');

  // The budget is one across instances: a second throttle on the same database sees the first one's refusals.
  const other = new RefusalThrottle(2, new SharedCounters(db.forZone('exchange')));
  assert.equal(await t.recordable('3.3.3.3', T0 + 120_000), true);
  assert.equal(await other.recordable('3.3.3.3', T0 + 120_500), true);
  assert.equal(await other.recordable('3.3.3.3', T0 + 121_000), false, 'the second instance counts the first one’s');
  assert.equal(t.blocked('3.3.3.3', T0 + 121_000), 0, 'an instance learns of the block at its own next refusal');
  assert.equal(await t.recordable('3.3.3.3', T0 + 121_500), false);
  assert.ok(t.blocked('3.3.3.3', T0 + 122_000) > 0);

  const small = new RefusalThrottle(1, new SharedCounters(db.forZone('exchange')), 2);
  for (const ip of ['a', 'b', 'c']) {
    await small.recordable(ip, T0 + 300_000);
    await small.recordable(ip, T0 + 300_000);
  }
  assert.deepEqual(
    small.drain(T0 + 300_000).map((s) => s.ip),
    ['a'],
    'the oldest address is summarised when memory is full',
  );
});

test(`[${ENGINE}] unsigned junk fills neither the ledger nor the CPU: 429 past the budget, one summary`, async () => {
  const p = await startTestPlatform({ env: { ZT_EXCHANGE_REFUSALS: '3' } });
  const statuses: number[] = [];
  let retryAfter: unknown;
  for (let i = 0; i < 6; i++) {
    const res = await p.exchange.inject({ method: 'GET', url: '/api/v1/exchange/whoami' });
    statuses.push(res.statusCode);
    if (res.statusCode === 429) {
      retryAfter = res.headers['retry-after'];
      assert.equal(res.json().error.code, 'exchange.too_many_refusals');
      assert.ok(res.headers.signature, 'still signed by the node');
      assert.equal(res.headers['zt-receipt'], undefined, 'not recorded one by one');
    } else assert.ok(res.headers['zt-receipt'], 'a recorded refusal carries its receipt');
  }
  assert.deepEqual(statuses, [401, 401, 401, 429, 429, 429]);
  assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 60);
  const count = async (type: string) =>
    p.db.owner.transaction(async (tx) => {
      const r = await sql<{
        n: number;
      }>`select count(*)::int as n from ledger_queue where entry_type = ${type}`.execute(tx);
      return r.rows[0]?.n ?? 0;
    });
  assert.equal(await count('exchange.denied'), 3);
  await p.exchange.close();
  assert.equal(await count('exchange.refusals_counted'), 1, 'the counted refusals, summarised at close');
  const row = await p.db.owner.transaction((tx) =>
    tx.selectFrom('access_log').select(['rows', 'status']).where('status', '=', 429).executeTakeFirst(),
  );
  assert.deepEqual(row, { rows: 3, status: 429 });
});
