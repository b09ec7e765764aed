// The refusal throttle: unverified callers' refusals are recorded one by one up to a budget per address and
// minute; past it the address is answered 429 before any signature is checked, and the counted refusals become one
// summary record (access log + ledger) when the minute ends or the zone closes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { ENGINE, startTestPlatform } from '../../../test/helpers.ts';
import { RefusalThrottle } from './limits.ts';

test('the throttle records up to the budget, then blocks and counts; ended minutes are summarised once', () => {
  const t = new RefusalThrottle(2);
  assert.equal(t.blocked('1.1.1.1', 0), 0);
  assert.equal(t.recordable('1.1.1.1', 0), true);
  assert.equal(t.recordable('1.1.1.1', 1000), true);
  assert.equal(t.recordable('1.1.1.1', 2000), false, 'past the budget: counted');
  assert.equal(t.blocked('1.1.1.1', 3000), 57, 'blocked until the minute ends');
  assert.equal(t.blocked('2.2.2.2', 3000), 0, 'another address is not');
  assert.deepEqual(t.drain(59_000), [], 'the minute has not ended');
  assert.deepEqual(t.drain(61_000), [{ ip: '1.1.1.1', since: 0, suppressed: 2 }]);
  assert.deepEqual(t.drain(200_000), [], 'summarised once');
  assert.equal(t.blocked('1.1.1.1', 61_000), 0, 'a new minute, a new budget');
  const small = new RefusalThrottle(1, 2);
  for (const ip of ['a', 'b', 'c']) {
    small.recordable(ip, 0);
    small.recordable(ip, 0);
  }
  assert.deepEqual(
    small.drain(0).map((s) => s.ip),
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
