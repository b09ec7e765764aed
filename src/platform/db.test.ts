import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { ENGINE, startTestDb } from '../../test/helpers.ts';
import { isPermissionDenied, openPglite, UnsafeIntegerError } from './db.ts';
import { migrate } from './migrate.ts';

const db = await startTestDb();

test(`[${ENGINE}] int8, numeric and date parse the same way on both engines`, async () => {
  const row = await db.owner.transaction(async (tx) => {
    const r = await sql<{ small: number; big: number; count: number; dec: string; day: string }>`
      select 42::int8 as small, 9007199254740991::int8 as big, (select count(*) from regions) as count,
             12.50::numeric as dec, date '2026-11-29' as day`.execute(tx);
    return r.rows[0];
  });
  assert.deepEqual(row, { small: 42, big: 9007199254740991, count: 0, dec: '12.50', day: '2026-11-29' });
  const bytes = await db.owner.transaction(
    async (tx) => (await sql<{ b: unknown }>`select '\\x00ff10'::bytea as b`.execute(tx)).rows[0]?.b,
  );
  assert.ok(Buffer.isBuffer(bytes), 'bytea is a Buffer');
  assert.equal((bytes as Buffer).toString('hex'), '00ff10');
});

test(`[${ENGINE}] an int8 beyond 2^53 fails loudly instead of losing precision`, async () => {
  await assert.rejects(
    db.owner.transaction((tx) => sql`select 9007199254740993::int8 as n`.execute(tx)),
    (e: unknown) => e instanceof UnsafeIntegerError || String(e).includes('safe integer range'),
  );
});

test(`[${ENGINE}] the public zone's role gets a permission error on internal tables`, async () => {
  const publicDb = db.forZone('public');
  for (const table of ['staff', 'staff_roles', 'staff_credentials', 'staff_sessions', 'api_clients']) {
    await assert.rejects(
      publicDb.transaction((tx) => sql`select * from ${sql.table(table)}`.execute(tx)),
      (e: unknown) => isPermissionDenied(e),
      `public read ${table}`,
    );
  }
  await assert.rejects(
    publicDb.transaction((tx) =>
      sql`insert into departments (code, name, region_code) values ('X1', 'x', '120000')`.execute(tx),
    ),
    (e: unknown) => isPermissionDenied(e),
  );
  // What the public zone needs, it has.
  await publicDb.transaction((tx) => sql`select code from regions limit 1`.execute(tx));
  await publicDb.transaction((tx) => sql`select id from accounts limit 1`.execute(tx));
});

test(`[${ENGINE}] the wall covers ledger payloads: the public role reads a receipt only through the reader check`, async () => {
  await db.owner.transaction(async (tx) => {
    await sql`insert into ledger_entries (idx, receipt_id, leaf, leaf_hash, entry_type, entry_time, zone, actor, subject,
                                         payload, salt, readers)
      values (0, 'r-wall-1', '\\x00', '\\x01', 't', '2026-12-02T00:00:00Z', 'public', 'account:1', 'account:1',
              '{"secret":1}', '\\x02', '{account:1}')`.execute(tx);
    await sql`insert into ledger_queue (receipt_id, leaf, entry_type, entry_time, zone, actor, subject, payload, salt, readers)
      values ('r-wall-2', '\\x00', 't', '2026-12-02T00:00:00Z', 'public', 'account:1', 'account:1', '{"secret":2}',
              '\\x02', '{account:1}')`.execute(tx);
  });
  const publicDb = db.forZone('public');
  for (const query of [
    sql`select payload from ledger_entries`,
    sql`select salt from ledger_entries`,
    sql`select readers from ledger_entries`,
    sql`select * from ledger_entries`,
    sql`select payload from ledger_queue`,
    sql`select receipt_id from ledger_queue`,
  ]) {
    await assert.rejects(
      publicDb.transaction((tx) => query.execute(tx)),
      (e: unknown) => isPermissionDenied(e),
      'the public role reads no payload, salt, readers or queue',
    );
  }
  // The public part of the log stays public.
  const leaf = await publicDb.transaction(
    async (tx) => (await sql<{ idx: number }>`select idx, leaf, leaf_hash from ledger_entries`.execute(tx)).rows,
  );
  assert.equal(leaf.length, 1);
  // A receipt: only for a reader named on it; queued ones only say they are pending.
  const receipt = (id: string, principals: string[]) =>
    publicDb.transaction(
      async (tx) =>
        (
          await sql<{ payload: string | null; pending: boolean }>`
            select payload, pending from ledger_receipt_for(${id}, ${principals}::text[])`.execute(tx)
        ).rows,
    );
  assert.deepEqual(await receipt('r-wall-1', ['account:1']), [{ payload: '{"secret":1}', pending: false }]);
  assert.deepEqual(await receipt('r-wall-1', ['account:2']), []);
  assert.deepEqual(await receipt('r-wall-2', ['account:1']), [{ payload: null, pending: true }]);
  assert.deepEqual(await receipt('r-wall-2', ['account:2']), []);
  const listed = await publicDb.transaction(
    async (tx) =>
      (await sql<{ receipt_id: string }>`select receipt_id from ledger_receipts_of('account:1', 10)`.execute(tx)).rows,
  );
  assert.deepEqual(listed, [{ receipt_id: 'r-wall-1' }]);
  await db.owner.transaction(async (tx) => {
    await sql`delete from ledger_entries where receipt_id = 'r-wall-1'`.execute(tx);
    await sql`delete from ledger_queue where receipt_id = 'r-wall-2'`.execute(tx);
  });
});

test(`[${ENGINE}] internal and exchange zones see only their own tables`, async () => {
  await db.forZone('internal').transaction((tx) => sql`select * from staff`.execute(tx));
  for (const [zone, table] of [
    ['internal', 'accounts'],
    ['internal', 'account_sessions'],
    ['exchange', 'accounts'],
    ['exchange', 'staff'],
    ['exchange', 'staff_sessions'],
  ] as const) {
    await assert.rejects(
      db.forZone(zone).transaction((tx) => sql`select * from ${sql.table(table)}`.execute(tx)),
      (e: unknown) => isPermissionDenied(e),
      `${zone} read ${table}`,
    );
  }
  // The exchange may only touch last_used_at of a client, never its key.
  await assert.rejects(
    db.forZone('exchange').transaction((tx) => sql`update api_clients set public_key = 'x'`.execute(tx)),
    (e: unknown) => isPermissionDenied(e),
  );
});

test(`[${ENGINE}] the zone role ends with its transaction`, async () => {
  await db.forZone('public').transaction(async () => {});
  const user = await db.owner.transaction(
    async (tx) => (await sql<{ u: string }>`select current_user as u`.execute(tx)).rows[0]?.u,
  );
  assert.notEqual(user, 'zt_public');
  const inside = await db
    .forZone('public')
    .transaction(async (tx) => (await sql<{ u: string }>`select current_user as u`.execute(tx)).rows[0]?.u);
  assert.equal(inside, 'zt_public');
});

test(`[${ENGINE}] migrating again applies nothing`, async () => {
  assert.deepEqual(await migrate(db), []);
  assert.deepEqual(await Promise.all([migrate(db), migrate(db)]), [[], []]);
});

test(`[${ENGINE}] a failing transaction leaves nothing behind`, async () => {
  await assert.rejects(
    db.owner.transaction(async (tx) => {
      await sql`insert into regions (code, name, level) values ('990000', '测试', 'province')`.execute(tx);
      throw new Error('crash mid-way');
    }),
  );
  const n = await db.owner.transaction(
    async (tx) =>
      (await sql<{ n: number }>`select count(*) as n from regions where code = '990000'`.execute(tx)).rows[0]?.n,
  );
  assert.equal(n, 0);
});

test(`[${ENGINE}] a zone's single-statement reads run under the zone's role too`, async () => {
  const who = await db
    .forZone('public')
    .read(async (q) => (await sql<{ u: string }>`select current_user as u`.execute(q)).rows[0]?.u);
  assert.equal(who, 'zt_public');
  await assert.rejects(
    db.forZone('public').read((q) => sql`select * from staff`.execute(q)),
    (e: unknown) => isPermissionDenied(e),
  );
  // Even RESET ROLE cannot leave the zone's role for the rest of the connection's life.
  const after = await db.forZone('public').transaction(async (tx) => {
    await sql`reset role`.execute(tx).catch(() => {});
    return (await sql<{ u: string }>`select current_user as u`.execute(tx)).rows[0]?.u;
  });
  if (ENGINE === 'postgres') assert.equal(after, 'zt_public');
});

test("the embedded database starts with the configured buffer pool, and with PGlite's own otherwise", async () => {
  for (const [sharedBuffers, expected] of [
    ['16MB', '16MB'],
    [undefined, '128MB'],
  ] as const) {
    const pglite = await openPglite(undefined, { sharedBuffers });
    try {
      const [row] = await (await pglite.rawSession()).query<{ shared_buffers: string }>('show shared_buffers');
      assert.equal(row?.shared_buffers, expected);
    } finally {
      await pglite.close();
    }
  }
});
