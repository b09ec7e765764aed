// Two `zhengtong serve` processes on one PostgreSQL, as behind a load balancer: limits are the node's, not each
// process's (login throttle, a grant's rate and daily volume, the refusal budget); a change made through one
// instance is seen by the other (exact caches at the next call, search within seconds); and when the ledger's
// integrator leader is killed with SIGKILL under load, the other instance leads within seconds and every committed
// entry is in the log exactly once. PostgreSQL only: PGlite is one process's embedded database.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { signRequest } from '../src/modules/auth/index.ts';
import { type DatabaseHandle, openDatabase } from '../src/platform/db.ts';
import { ENGINE, freshDatabaseUrl, waitFor } from './helpers.ts';

const BIN = path.resolve(import.meta.dirname, '../bin/zhengtong.js');
const databaseUrl = await freshDatabaseUrl();
const skip = databaseUrl ? false : 'needs PostgreSQL (ZT_TEST_DATABASE_URL): PGlite is embedded in one process';
const dataDir = mkdtempSync(path.join(tmpdir(), 'zt-instances-'));
const env = {
  ...process.env,
  ZT_DATA_DIR: dataDir,
  DATABASE_URL: databaseUrl ?? '',
  ZT_LOG_LEVEL: 'warn',
  ZT_HOST: '127.0.0.1',
  ZT_PUBLIC_PORT: '0',
  ZT_INTERNAL_PORT: '0',
  ZT_EXCHANGE_PORT: '0',
  // The throttles count per client address; X-Forwarded-For gives each check an address of its own.
  ZT_TRUST_PROXY: 'true',
  ZT_LOGIN_RATE: '6',
  ZT_EXCHANGE_REFUSALS: '4',
};
const LEADER_LOCK = 7_304_991_206;

interface Instance {
  readonly child: ChildProcess;
  readonly urls: Record<'public' | 'internal' | 'exchange', string>;
}

function startInstance(): Promise<Instance> {
  const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
    child.stdout?.on('data', (chunk) => {
      out += String(chunk);
      const url = (zone: string) => new RegExp(`zhengtong ${zone}\\s+(http://\\S+)`).exec(out)?.[1];
      const [pub, internal, exchange] = [url('public'), url('internal'), url('exchange')];
      if (pub && internal && exchange) {
        clearTimeout(timer);
        resolve({ child, urls: { public: pub, internal, exchange } });
      }
    });
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', () => resolve())));

let db: DatabaseHandle;
let a: Instance;
let b: Instance;
let staffHeaders: Record<string, string>;
let client: {
  keyId: string;
  alg: string;
  privateKeyPem: string;
  grants: Array<{ register: string; purpose: string; fields: string[] }>;
};

const json = { 'content-type': 'application/json' };

async function signedCall(
  instance: Instance,
  grant: { register: string; purpose: string; fields: string[] },
  ip = '10.0.0.1',
) {
  const url = `${instance.urls.exchange}/api/v1/exchange/registers/${grant.register}/records?purpose=${encodeURIComponent(grant.purpose)}&fields=${grant.fields.join(',')}&limit=1`;
  const headers = signRequest({
    method: 'GET',
    url,
    keyId: client.keyId,
    alg: client.alg as 'ed25519',
    privateKey: client.privateKeyPem,
  });
  return fetch(url, { headers: { ...headers, 'x-forwarded-for': ip } });
}

if (databaseUrl) {
  const seeded = spawnSync(process.execPath, [BIN, 'seed', '--demo'], { env, encoding: 'utf8' });
  assert.equal(seeded.status, 0, seeded.stderr);
  client = JSON.parse(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8')).exchangeClient;
  db = await openDatabase({ databaseUrl, dataDir });
  after(() => db.close());
  a = await startInstance();
  // The first instance takes the integrator's lock before the second one starts.
  await waitFor('the first instance to lead', async () => (await leaderPid()) !== undefined);
  b = await startInstance();
  const login = await fetch(`${a.urls.internal}/api/v1/auth/login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username: 'admin', password: 'zhengtong-demo' }),
  });
  assert.equal(login.status, 200);
  const cookie = String(login.headers.get('set-cookie')).split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  staffHeaders = { ...json, cookie, 'x-csrf-token': csrfToken };
  // A session made through one instance works on the other.
  assert.equal((await fetch(`${b.urls.internal}/api/v1/auth/session`, { headers: staffHeaders })).status, 200);
}

async function leaderPid(): Promise<number | undefined> {
  const r = await db.owner.transaction((tx) =>
    sql<{ pid: number }>`select pid from pg_locks where locktype = 'advisory' and granted and objsubid = 1
      and ((classid::bigint << 32) | objid::bigint) = ${LEADER_LOCK}`.execute(tx),
  );
  return r.rows[0]?.pid;
}

test(`[${ENGINE}] the login throttle is one budget across instances`, { skip }, async () => {
  const statuses: Array<[string, number]> = [];
  for (let i = 0; i < 10; i++) {
    const instance = i % 2 === 0 ? a : b;
    const res = await fetch(`${instance.urls.internal}/api/v1/auth/login`, {
      method: 'POST',
      headers: { ...json, 'x-forwarded-for': '10.7.7.7' },
      body: JSON.stringify({ username: 'nobody', password: 'guess-1234' }),
    });
    statuses.push([i % 2 === 0 ? 'a' : 'b', res.status]);
  }
  assert.equal(statuses.filter(([, s]) => s === 401).length, 6, JSON.stringify(statuses));
  assert.ok(statuses.some(([w, s]) => w === 'a' && s === 429) && statuses.some(([w, s]) => w === 'b' && s === 429));
});

async function grantOf(register: string): Promise<number> {
  const r = await db.owner.transaction((tx) =>
    sql<{ id: number }>`select g.id from grants g join registers r on r.id = g.register_id
      join api_clients c on c.department_id = g.consumer_department_id
      where r.code = ${register} and c.key_id = ${client.keyId} and g.status = 'active'`.execute(tx),
  );
  const id = r.rows[0]?.id;
  assert.ok(id, `a grant on ${register}`);
  return id;
}

test(`[${ENGINE}] a grant's call rate and daily volume hold across instances`, { skip }, async () => {
  const [rated, daily] = client.grants;
  assert.ok(rated && daily);
  await db.owner.transaction(async (tx) => {
    await sql`update grants set rate_per_minute = 4 where id = ${await grantOf(rated.register)}`.execute(tx);
    await sql`update grants set daily_limit = 3 where id = ${await grantOf(daily.register)}`.execute(tx);
  });
  const rate: number[] = [];
  for (let i = 0; i < 8; i++) rate.push((await signedCall(i % 2 === 0 ? a : b, rated)).status);
  assert.equal(rate.filter((s) => s === 200).length, 4, JSON.stringify(rate));
  assert.ok(rate.slice(4).every((s) => s === 429));
  const volume: Array<{ status: number; code?: string }> = [];
  for (let i = 0; i < 6; i++) {
    const res = await signedCall(i % 2 === 0 ? b : a, daily);
    volume.push({
      status: res.status,
      ...(res.status === 429 ? { code: ((await res.json()) as { error: { code: string } }).error.code } : {}),
    });
  }
  assert.deepEqual(
    volume.map((v) => v.status),
    [200, 200, 200, 429, 429, 429],
  );
  assert.ok(volume.slice(3).every((v) => v.code === 'exchange.daily_limit'));
});

test(`[${ENGINE}] unverified callers' refusals are recorded up to one budget across instances`, { skip }, async () => {
  const answers: Array<{ status: number; receipt: boolean }> = [];
  for (let i = 0; i < 8; i++) {
    const res = await fetch(`${(i % 2 === 0 ? a : b).urls.exchange}/api/v1/exchange/whoami`, {
      headers: { 'x-forwarded-for': '10.8.8.8' },
    });
    answers.push({ status: res.status, receipt: res.headers.has('zt-receipt') });
  }
  assert.equal(answers.filter((x) => x.receipt).length, 4, JSON.stringify(answers));
  assert.deepEqual(
    answers.slice(-2).map((x) => x.status),
    [429, 429],
    'both instances answer at once past the budget',
  );
});

test(`[${ENGINE}] a change through one instance is seen by the other: caches at the next call, search within seconds`, {
  skip,
}, async () => {
  const grant = client.grants[0];
  assert.ok(grant);
  // Revoked on B; A refuses the very next call.
  const revoke = await fetch(`${b.urls.internal}/api/v1/exchange/grants/${await grantOf(grant.register)}/revoke`, {
    method: 'POST',
    headers: staffHeaders,
    body: JSON.stringify({ reason: '两实例缓存一致性测试' }),
  });
  assert.equal(revoke.status, 200, await revoke.text());
  const refused = await signedCall(a, grant, '10.0.0.2');
  assert.equal(refused.status, 403, await refused.text());

  // Withdrawn on B; A's public search stops finding it, and finds it again once republished.
  const items = (await (await fetch(`${a.urls.public}/api/v1/services/items`)).json()) as Array<{
    code: string;
    guide: { name: string };
  }>;
  const item = items[0];
  assert.ok(item);
  const found = async () => {
    const res = await fetch(`${a.urls.public}/api/v1/search?q=${encodeURIComponent(item.guide.name)}`);
    return JSON.stringify(await res.json()).includes(item.code);
  };
  assert.ok(await found());
  const act = (what: string) =>
    fetch(`${b.urls.internal}/api/v1/services/manage/items/${item.code}/${what}`, {
      method: 'POST',
      headers: { cookie: staffHeaders.cookie ?? '', 'x-csrf-token': staffHeaders['x-csrf-token'] ?? '' },
    });
  assert.equal((await act('withdraw')).status, 200);
  const gone = await waitFor('the withdrawn item to leave the other instance’s index', async () => !(await found()));
  assert.equal((await act('publish')).status, 200);
  const back = await waitFor('the republished item to return', found);
  assert.ok(gone < 5_000 && back < 5_000, `search freshness across instances: ${gone} ms, ${back} ms`);
});

test(`[${ENGINE}] kill -9 of the integrator's leader under load: the other leads within seconds, every entry once`, {
  skip,
}, async () => {
  const before = await leaderPid();
  assert.ok(before, 'a leader');
  const acknowledged: string[] = [];
  let n = 0;
  let stop = false;
  const writer = (instance: Instance) => async () => {
    while (!stop) {
      const code = `FAIL-${n++}`;
      try {
        const res = await fetch(`${instance.urls.internal}/api/v1/org/departments`, {
          method: 'POST',
          headers: staffHeaders,
          body: JSON.stringify({ code, name: `故障切换测试${code}`, regionCode: '120000' }),
        });
        if (res.status === 201) acknowledged.push(code);
      } catch {
        if (instance === a) return; // A died
      }
    }
  };
  const writers = [...Array.from({ length: 4 }, writer(a)), ...Array.from({ length: 4 }, writer(b))];
  await new Promise((r) => setTimeout(r, 1500));
  a.child.kill('SIGKILL');
  await exited(a.child);
  const tookOver = await waitFor('the other instance to take the lead', async () => {
    const pid = await leaderPid();
    return pid !== undefined && pid !== before;
  });
  await new Promise((r) => setTimeout(r, 1500)); // B keeps writing as the new leader
  stop = true;
  await Promise.all(writers);
  assert.ok(acknowledged.length > 40, `load ran (${acknowledged.length} acknowledged)`);
  const drained = await waitFor('the queue to drain', async () => {
    const r = await db.owner.transaction((tx) =>
      sql<{ n: number }>`select count(*)::int as n from ledger_queue`.execute(tx),
    );
    return r.rows[0]?.n === 0;
  });
  assert.ok(tookOver < 10_000, `took over in ${tookOver} ms`);
  console.log(
    `failover: the lead taken ${tookOver} ms after the kill; queue empty ${drained} ms after the writes stopped`,
  );

  const { departments, subjects } = await db.owner.transaction(async (tx) => ({
    departments: await tx.selectFrom('departments').select(['id', 'code']).where('code', 'like', 'FAIL-%').execute(),
    subjects: (
      await tx
        .selectFrom('ledger_entries')
        .select('subject')
        .where('entry_type', '=', 'org.department.created')
        .execute()
    ).map((e) => e.subject),
  }));
  const committed = new Set(departments.map((d) => d.code));
  for (const code of acknowledged) assert.ok(committed.has(code), `acknowledged ${code} was committed`);
  for (const d of departments) {
    assert.equal(subjects.filter((s) => s === `department:${d.id}`).length, 1, `${d.code} in the log exactly once`);
  }
  b.child.kill('SIGTERM');
  await exited(b.child);
  const verify = spawnSync(process.execPath, [BIN, 'ledger', 'verify'], { env, encoding: 'utf8' });
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /ledger OK: \d+ entries .* 0 waiting/);
});
