import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import {
  accountSession,
  buildDepartment,
  ENGINE,
  staffSession,
  startTestPlatform,
  type TestPlatform,
} from '../../../test/helpers.ts';
import { residentIdCheckChar } from '../privacy/index.ts';
import { auditLog } from './audit.ts';
import { profileCrypto } from './profile.ts';
import {
  fromBase64,
  leafHashOf,
  parseVerifierKey,
  type Receipt,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  verifyReceipt,
} from './verify.ts';

const p = await startTestPlatform();
const c = profileCrypto('sha256-ed25519');
const get = (app: TestPlatform['public'], url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers });

async function trustedKey(platform: TestPlatform) {
  const res = await get(platform.public, '/api/v1/ledger/key');
  return parseVerifierKey(res.json().verifierKey);
}

async function registerCitizen(platform: TestPlatform, seq: string) {
  const first17 = `12010119900307${seq.padStart(3, '0')}`;
  const res = await platform.public.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: {
      kind: 'person',
      name: '测试公民',
      residentId: first17 + residentIdCheckChar(first17),
      password: 'citizen-pass-1',
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return accountSession(res);
}

test(`[${ENGINE}] a new log starts with a signed empty checkpoint`, async () => {
  const res = await get(p.public, '/api/v1/ledger/checkpoint');
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain/);
  const key = await trustedKey(p);
  assert.equal(key.name, 'zhengtong.local/ledger');
  assert.match(
    (await get(p.public, '/api/v1/ledger/key')).json().verifierKey,
    /^zhengtong\.local\/ledger\+[0-9a-f]{8}\+/,
  );
  const cp = await verifyCheckpoint(c, res.body, key);
  assert.ok(cp.size >= 0);
});

test(`[${ENGINE}] an action and its entry commit or roll back together; indexes stay contiguous`, async () => {
  await p.integrator.drain();
  const before = (
    await verifyCheckpoint(c, (await get(p.public, '/api/v1/ledger/checkpoint')).body, await trustedKey(p))
  ).size;
  const ledger = p.ctx.ledger.forZone('system');
  await assert.rejects(
    p.db.owner.transaction(async (tx) => {
      await ledger.append(tx, { type: 'test.rolled_back', actor: 'system', subject: 'test:1', payload: { n: 1 } });
      throw new Error('the business change failed');
    }),
  );
  for (let i = 0; i < 5; i++) await buildDepartment(p);
  assert.equal(await p.integrator.drain(), 5);
  const cp = await verifyCheckpoint(c, (await get(p.public, '/api/v1/ledger/checkpoint')).body, await trustedKey(p));
  assert.equal(cp.size, before + 5);
  const types = await p.db.owner.transaction((tx) =>
    tx.selectFrom('ledger_entries').select(['idx', 'entry_type']).where('idx', '>=', before).orderBy('idx').execute(),
  );
  assert.deepEqual(
    types.map((t) => t.idx),
    [0, 1, 2, 3, 4].map((i) => before + i),
  );
  assert.ok(types.every((t) => t.entry_type === 'org.department.created'));
});

test(`[${ENGINE}] every leaf's inclusion proof and every consistency proof verifies against signed checkpoints`, async () => {
  const key = await trustedKey(p);
  const old = await verifyCheckpoint(c, (await get(p.public, '/api/v1/ledger/checkpoint')).body, key);
  for (let i = 0; i < 7; i++) await buildDepartment(p);
  await p.integrator.drain();
  const now = await verifyCheckpoint(c, (await get(p.public, '/api/v1/ledger/checkpoint')).body, key);
  for (let index = 0; index < now.size; index++) {
    const leaf = (await get(p.public, `/api/v1/ledger/leaves/${index}`)).json();
    assert.equal(Buffer.from(await leafHashOf(c, fromBase64(leaf.leaf))).toString('base64'), leaf.leafHash);
    const proof = (await get(p.public, `/api/v1/ledger/proof/inclusion?index=${index}&size=${now.size}`)).json();
    assert.ok(
      await verifyInclusion(c, index, now.size, fromBase64(leaf.leafHash), proof.hashes.map(fromBase64), now.rootHash),
      `leaf ${index}`,
    );
  }
  const consistency = (await get(p.public, `/api/v1/ledger/proof/consistency?from=${old.size}&to=${now.size}`)).json();
  assert.ok(
    await verifyConsistency(c, old.size, now.size, old.rootHash, now.rootHash, consistency.hashes.map(fromBase64)),
  );
});

test(`[${ENGINE}] out-of-range and malformed proof requests are clear 4xx errors`, async () => {
  await p.integrator.drain();
  const size = (await verifyCheckpoint(c, (await get(p.public, '/api/v1/ledger/checkpoint')).body, await trustedKey(p)))
    .size;
  const cases: Array<[string, number, string]> = [
    [`/api/v1/ledger/leaves/${size + 5}`, 404, 'ledger.out_of_range'],
    ['/api/v1/ledger/leaves/-1', 400, 'validation.failed'],
    ['/api/v1/ledger/leaves/abc', 400, 'validation.failed'],
    [`/api/v1/ledger/proof/inclusion?index=${size}&size=${size}`, 400, 'ledger.out_of_range'],
    [`/api/v1/ledger/proof/inclusion?index=0&size=${size + 1}`, 400, 'ledger.out_of_range'],
    ['/api/v1/ledger/proof/inclusion?index=0', 400, 'validation.failed'],
    ['/api/v1/ledger/proof/inclusion?index=0&size=0', 400, 'validation.failed'],
    [`/api/v1/ledger/proof/consistency?from=${size}&to=1`, 400, 'ledger.out_of_range'],
    [`/api/v1/ledger/proof/consistency?from=1&to=${size + 1}`, 400, 'ledger.out_of_range'],
    ['/api/v1/ledger/proof/consistency?from=1&to=99999999999999999999', 400, 'validation.failed'],
    ['/api/v1/ledger/receipts/not-a-receipt', 401, 'auth.unauthenticated'],
  ];
  for (const [url, status, code] of cases) {
    const res = await get(p.public, url);
    assert.equal(res.statusCode, status, `${url}: ${res.body}`);
    assert.equal(res.json().error.code, code, url);
  }
});

test(`[${ENGINE}] a citizen's receipt verifies end to end; other citizens cannot read it`, async () => {
  const citizen = await registerCitizen(p, '1');
  const list = (await get(p.public, '/api/v1/ledger/receipts', { cookie: citizen.cookie })).json();
  assert.equal(list.length, 0, 'not integrated yet');
  const receipts = await p.db.owner.transaction((tx) =>
    tx.selectFrom('ledger_queue').select(['receipt_id', 'readers']).execute(),
  );
  const mine = receipts.find((r) => r.readers.length === 1 && r.readers[0]?.startsWith('account:'));
  assert.ok(mine);
  const pending = await get(p.public, `/api/v1/ledger/receipts/${mine.receipt_id}`, { cookie: citizen.cookie });
  assert.equal(pending.statusCode, 409);
  assert.equal(pending.json().error.code, 'ledger.pending');

  await p.integrator.drain();
  const listed = (await get(p.public, '/api/v1/ledger/receipts', { cookie: citizen.cookie })).json() as Array<{
    type: string;
    receiptId: string;
  }>;
  // Newest first: the sign-in that came with the registration, then the registration.
  assert.deepEqual(
    listed.map((r) => r.type),
    ['auth.login.succeeded', 'auth.account.registered'],
  );
  const summary = listed[1];
  assert.ok(summary);
  const res = await get(p.public, `/api/v1/ledger/receipts/${summary.receiptId}`, { cookie: citizen.cookie });
  assert.equal(res.statusCode, 200, res.body);
  const receipt = res.json() as Receipt;
  assert.match(receipt.entry.payload, /测试公民/);
  const leafText = Buffer.from(receipt.leaf, 'base64').toString('utf8');
  assert.ok(
    !leafText.includes('测试公民') && !leafText.includes('120101'),
    'the public leaf holds no name or ID number',
  );
  const checks = await verifyReceipt(c, receipt, await trustedKey(p));
  assert.deepEqual(
    checks.map((x) => [x.step, x.ok]),
    [
      ['digest', true],
      ['leaf', true],
      ['checkpoint', true],
      ['inclusion', true],
    ],
  );

  const tampered = {
    ...receipt,
    entry: { ...receipt.entry, payload: receipt.entry.payload.replace('测试公民', '别人') },
  };
  assert.equal((await verifyReceipt(c, tampered, await trustedKey(p))).find((x) => x.step === 'leaf')?.ok, false);

  const other = await registerCitizen(p, '2');
  assert.equal(
    (await get(p.public, `/api/v1/ledger/receipts/${summary.receiptId}`, { cookie: other.cookie })).statusCode,
    404,
  );
  const clerk = await staffSession(p, ['caseworker']);
  assert.equal(
    (await get(p.internal, `/api/v1/ledger/receipts/${summary.receiptId}`, { cookie: clerk.login.cookie })).statusCode,
    404,
  );
  const auditor = await staffSession(p, ['auditor']);
  assert.equal(
    (await get(p.internal, `/api/v1/ledger/receipts/${summary.receiptId}`, { cookie: auditor.login.cookie }))
      .statusCode,
    200,
  );
});

test(`[${ENGINE}] the audit passes on an honest log`, async () => {
  await p.integrator.drain();
  const report = await auditLog(p.db.owner, p.ctx.ledger);
  assert.equal(report.ok, true, report.problem);
  assert.ok(report.size > 10 && report.checkpoints > 3);
});

// Each tamper test runs on its own platform so that one tampering does not mask another.
async function tamperedPlatform(entries = 12) {
  const t = await startTestPlatform();
  for (let i = 0; i < entries; i++) {
    await buildDepartment(t);
    await t.integrator.drain(); // one checkpoint per size
  }
  return t;
}

test(`[${ENGINE}] tampering with stored rows is found and the index named`, async () => {
  const altered = await tamperedPlatform();
  await altered.db.owner.transaction((tx) =>
    sql`update ledger_entries set payload = replace(payload, '测试部门', '假部门') where idx = 7`.execute(tx),
  );
  const r1 = await auditLog(altered.db.owner, altered.ctx.ledger);
  assert.equal(r1.ok, false);
  assert.equal(r1.firstBadIndex, 7, r1.problem);

  const deleted = await tamperedPlatform();
  await deleted.db.owner.transaction((tx) => sql`delete from ledger_entries where idx = 4`.execute(tx));
  const r2 = await auditLog(deleted.db.owner, deleted.ctx.ledger);
  assert.equal(r2.firstBadIndex, 4, r2.problem);

  const swapped = await tamperedPlatform();
  await swapped.db.owner.transaction(async (tx) => {
    await sql`update ledger_entries set idx = 1000000 where idx = 3`.execute(tx);
    await sql`update ledger_entries set idx = 3 where idx = 9`.execute(tx);
    await sql`update ledger_entries set idx = 9 where idx = 1000000`.execute(tx);
  });
  const r3 = await auditLog(swapped.db.owner, swapped.ctx.ledger);
  assert.equal(r3.firstBadIndex, 3, r3.problem);

  const truncated = await tamperedPlatform();
  await truncated.db.owner.transaction((tx) => sql`delete from ledger_entries where idx >= 10`.execute(tx));
  const r4 = await auditLog(truncated.db.owner, truncated.ctx.ledger);
  assert.equal(r4.ok, false);
  assert.equal(r4.firstBadIndex, 10, r4.problem);

  const forgedNote = await tamperedPlatform();
  await forgedNote.db.owner.transaction((tx) =>
    sql`update ledger_checkpoints set note = replace(note, E'\n6\n', E'\n7\n') where size = 6`.execute(tx),
  );
  const r5 = await auditLog(forgedNote.db.owner, forgedNote.ctx.ledger);
  assert.equal(r5.ok, false);
  assert.match(r5.problem ?? '', /checkpoint 6: the checkpoint signature does not verify/);

  const forgedRoot = await tamperedPlatform();
  await forgedRoot.db.owner.transaction((tx) =>
    sql`update ledger_checkpoints set root_hash = decode(repeat('00', 32), 'hex') where size = 8`.execute(tx),
  );
  const r6 = await auditLog(forgedRoot.db.owner, forgedRoot.ctx.ledger);
  assert.equal(r6.ok, false);
  assert.match(r6.problem ?? '', /checkpoint 8/);
});

test(`[${ENGINE}] the SM3/SM2 profile signs and proves with national cryptography`, async () => {
  const sm = await startTestPlatform({ env: { ZT_CRYPTO_PROFILE: 'sm3-sm2' } });
  const citizen = await registerCitizen(sm, '3');
  await sm.integrator.drain();
  const key = (await get(sm.public, '/api/v1/ledger/key')).json();
  assert.equal(key.profile, 'sm3-sm2');
  const [summary] = (await get(sm.public, '/api/v1/ledger/receipts', { cookie: citizen.cookie })).json();
  const receipt = (
    await get(sm.public, `/api/v1/ledger/receipts/${summary.receiptId}`, { cookie: citizen.cookie })
  ).json() as Receipt;
  assert.equal(receipt.profile, 'sm3-sm2');
  const checks = await verifyReceipt(profileCrypto('sm3-sm2'), receipt, parseVerifierKey(key.verifierKey));
  assert.ok(
    checks.every((x) => x.ok),
    JSON.stringify(checks),
  );
  assert.ok((await auditLog(sm.db.owner, sm.ctx.ledger)).ok);
});

test(`[${ENGINE}] integrate() is safe while the loop runs and while a second integrator writes`, async () => {
  const q = await startTestPlatform();
  const { Integrator } = await import('./integrator.ts');
  const loop = new Integrator({ database: q.db, node: q.ctx.ledger, log: q.ctx.log, intervalMs: 1 });
  const other = new Integrator({ database: q.db, node: q.ctx.ledger, log: q.ctx.log });
  loop.start();
  const ledger = q.ctx.ledger.forZone('system');
  let appended = 0;
  for (let round = 0; round < 15; round++) {
    await q.db.owner.transaction(async (tx) => {
      for (let i = 0; i < 20; i++) {
        await ledger.append(tx, { type: 'test.race', actor: 'system', subject: `n:${appended++}`, payload: {} });
      }
    });
    await Promise.all([loop.integrate(), other.integrate(), loop.drain(), q.integrator.drain()]);
  }
  await loop.stop();
  await other.drain();
  const report = await auditLog(q.db.owner, q.ctx.ledger);
  assert.ok(report.ok, report.problem);
  const n = await q.db.owner.transaction(
    async (tx) =>
      (
        await sql<{ n: number }>`select count(*)::int as n from ledger_entries where entry_type = 'test.race'`.execute(
          tx,
        )
      ).rows[0]?.n,
  );
  assert.equal(n, appended, 'every entry once');
});
