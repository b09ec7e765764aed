// The safety valve's price (run with DATABASE_URL for PostgreSQL): an authorized, policy-checked, masked,
// ledger-logged record lookup through the exchange zone (RFC 9421 signed request, Cedar decisions, masking,
// access log, ledger entry, signed response) against a bare Fastify route doing the same SQL lookup, in the same
// run, over loopback HTTP at 50 concurrent connections. The load comes from a worker thread (its own event loop),
// which also signs each request with a fresh nonce; the ledger integrator runs as it does in production.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import Fastify from 'fastify';
import pg from 'pg';
import { createClient, createStaffUser, signRequest } from '../src/modules/auth/index.ts';
import { approveShareRequest, createShareRequest } from '../src/modules/exchange/index.ts';
import { Integrator, openLedger } from '../src/modules/ledger/index.ts';
import { createDepartment, upsertRegions } from '../src/modules/org/index.ts';
import { residentIdCheckChar } from '../src/modules/privacy/index.ts';
import { createRegister } from '../src/modules/registry/index.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createSecretBox, generateKeyPair } from '../src/platform/crypto.ts';
import { createLogger } from '../src/platform/log.ts';
import { createWorkCalendar } from '../src/platform/workdays.ts';
import { startZones } from '../src/zones/zones.ts';
import { openBenchDatabase } from './support.ts';

interface LoadJob {
  readonly name: string;
  readonly base: string;
  readonly signed: { keyId: string; privateKey: string } | undefined;
  readonly ids: readonly string[];
  readonly seconds: number;
  readonly concurrency: number;
}

// ---- the load generator (worker thread) ----
// Keep-alive HTTP/1.1 over node:http (lighter than fetch, so the generator takes less of the shared CPU). Signed
// requests are signed before the clock starts, each with its own nonce — clients sign on their own machines, so
// their signing is not the server's cost — and are used once each.
if (!isMainThread) {
  const job = workerData as Omit<LoadJob, 'path'> & { pathTemplate: string };
  const { Agent, request } = await import('node:http');
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure = '';
  const budget = Math.ceil(job.seconds * (job.signed ? 5000 : 15000));
  const prepared: Array<{ id: string; path: string; headers: Record<string, string> }> = [];
  for (let i = 0, k = 0; i < budget; i++) {
    k = (k * 7919 + 13) % job.ids.length;
    const id = job.ids[k] ?? '';
    const path = job.pathTemplate.replace('{id}', id);
    const headers = job.signed
      ? signRequest({
          method: 'GET',
          url: `${job.base}${path}`,
          keyId: job.signed.keyId,
          alg: 'ed25519',
          privateKey: job.signed.privateKey,
        })
      : {};
    prepared.push({ id, path, headers });
  }
  const url = new URL(job.base);
  const get = (p: { id: string; path: string; headers: Record<string, string> }) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: p.path, headers: p.headers, agent, method: 'GET' },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  let next = 0;
  const began = performance.now();
  const end = began + job.seconds * 1000;
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (performance.now() < end && next < prepared.length) {
        const p = prepared[next++];
        if (!p) break;
        const start = performance.now();
        const res = await get(p);
        // The right answer, not only a 200: the one record asked for (its ID number is granted in clear).
        if (res.status !== 200 || !res.body.includes(`"${p.id}"`)) {
          failures++;
          firstFailure ||= `${res.status} ${res.body.slice(0, 300)}`;
        } else if (next % 97 === 0) {
          const records = (JSON.parse(res.body) as { records?: unknown[] }).records;
          if (records?.length !== 1) {
            failures++;
            firstFailure ||= `expected one record for ${p.id}: ${res.body.slice(0, 300)}`;
          }
        }
        latencies.push(performance.now() - start);
      }
    }),
  );
  agent.destroy();
  const elapsed = (performance.now() - began) / 1000;
  parentPort?.postMessage({ latencies, failures, firstFailure, elapsed, exhausted: next >= prepared.length });
} else {
  await main();
}

function runLoad(job: LoadJob, pathTemplate: string) {
  return new Promise<{ rps: number; p50: number; p99: number; failures: number; firstFailure: string }>(
    (resolve, reject) => {
      const data = job;
      const worker = new Worker(new URL(import.meta.url), { workerData: { ...data, pathTemplate } });
      worker.once('message', (m: { latencies: number[]; failures: number; firstFailure: string }) => {
        if ((m as { exhausted?: boolean }).exhausted) console.log(`(${job.name}: ran out of pre-signed requests)`);
        const sorted = m.latencies.sort((a, b) => a - b);
        const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
        resolve({
          rps: sorted.length / ((m as { elapsed?: number }).elapsed ?? job.seconds),
          p50: pct(50),
          p99: pct(99),
          failures: m.failures,
          firstFailure: m.firstFailure,
        });
      });
      worker.once('error', reject);
    },
  );
}

async function main() {
  const N = Number(process.env.BENCH_EXCHANGE_ROWS ?? 100_000);
  const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
  const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
  const POOL = 10;
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  const { database, drop } = await openBenchDatabase(POOL);
  const secrets = createSecretBox(randomBytes(32));
  const node = await openLedger(database.owner, {
    origin: 'bench.zhengtong.local/ledger',
    profile: 'sha256-ed25519',
    secrets,
  });
  const system = { db: database.owner, ledger: node.forZone('system'), secrets, clock: () => new Date() };
  await database.owner.transaction((tx) =>
    upsertRegions(tx, [
      { code: '100000', name: '中华人民共和国', level: 'national', parent_code: null },
      { code: '120000', name: '天津市', level: 'province', parent_code: '100000' },
    ]),
  );
  const provider = await createDepartment(system, 'system', { code: 'B-GA', name: '公安局', regionCode: '120000' });
  const consumer = await createDepartment(system, 'system', { code: 'B-RS', name: '人社局', regionCode: '120000' });
  const register = await createRegister(
    { db: database.forZone('internal'), ledger: system.ledger, clock: () => new Date() },
    'system',
    {
      departmentId: provider.id,
      name: '户籍人口基本信息',
      attribute: 'basic',
      baseLibrary: 'population',
      classification: { item: '01', subitem: '001' },
      abstract: 'bench',
      format: 'database',
      secrecy: 'non_classified',
      sharing: { type: 'conditional', conditions: '政务服务', method: 'api', basis: '《居民身份证法》' },
      open: { type: 'closed' },
      updateCycle: 'daily',
      publishedOn: '2026-01-01',
      visibility: 'internal',
      fields: [
        {
          code: 'resident_id',
          name: '公民身份号码',
          type: 'string',
          unique: true,
          grade: 'important',
          piiType: 'resident_id',
        },
        { code: 'name', name: '姓名', type: 'string', grade: 'important', piiType: 'name' },
        { code: 'gender', name: '性别', type: 'enum', enumValues: ['男', '女'], grade: 'general', piiType: 'none' },
        { code: 'birth_date', name: '出生日期', type: 'date', grade: 'general', piiType: 'birth_date' },
        { code: 'household_size', name: '户内人数', type: 'integer', grade: 'general', piiType: 'none' },
        { code: 'criminal_note', name: '违法犯罪记录', type: 'string', grade: 'core', piiType: 'none' },
      ],
    },
  );

  // N records, written in batches as an import does.
  const ids: string[] = [];
  const t0 = performance.now();
  for (let start = 0; start < N; start += 5000) {
    const batch: Array<Record<string, unknown>> = [];
    for (let i = start; i < Math.min(N, start + 5000); i++) {
      const born = new Date(Date.UTC(1950, 0, 1) + (i % 21_900) * 86_400_000)
        .toISOString()
        .slice(0, 10)
        .replaceAll('-', '');
      const first17 = `120101${born}${String(Math.floor(i / 21_900) % 1000).padStart(3, '0')}`;
      const id = first17 + residentIdCheckChar(first17);
      ids.push(id);
      batch.push({
        resident_id: id,
        name: `测试${i}`,
        gender: i % 2 ? '女' : '男',
        birth_date: '1980-01-01',
        household_size: (i % 5) + 1,
        criminal_note: '无',
      });
    }
    const { sql } = await import('kysely');
    await database.owner.transaction((tx) =>
      sql`with new as (
            insert into records (register_id, data, updated_by)
            select ${register.id}, elem, 'bench' from jsonb_array_elements(${JSON.stringify(batch)}::jsonb) as t(elem)
            returning id, data)
          insert into record_unique_values (register_id, field, value, record_id)
          select ${register.id}, 'resident_id', new.data->>'resident_id', new.id from new
          on conflict do nothing`.execute(tx),
    );
  }
  await database.owner.transaction(async (tx) => {
    await tx.deleteFrom('record_changes').execute();
  });
  const unique = [...new Set(ids)];
  console.log(
    `seeded ${unique.length} records in ${((performance.now() - t0) / 1000).toFixed(1)} s (${database.engine})`,
  );

  // A conditional grant: look people up by ID number (clear), names and birth dates masked.
  const officer = async (departmentId: number, username: string) => {
    const m = await createStaffUser(system, 'system', {
      username,
      displayName: username,
      departmentId,
      roles: ['data_officer'],
      password: 'bench-password-1',
    });
    return {
      kind: 'staff' as const,
      staffId: m.id,
      username,
      departmentId,
      roles: [{ role: 'data_officer' as const, departmentId }],
    };
  };
  const xdeps = {
    db: database.forZone('internal'),
    ledger: node.forZone('internal'),
    clock: () => new Date(),
    calendar: createWorkCalendar(),
    shareRequestDays: 10,
    exchangeRatePerMinute: 1_000_000,
    exchangeDailyLimit: 1_000_000_000,
  };
  const request = await createShareRequest(xdeps, await officer(consumer.id, 'rs-data'), {
    registerCode: register.code,
    fields: ['resident_id', 'name', 'gender', 'birth_date', 'household_size'],
    purpose: '社保待遇资格认证',
    legalBasis: '《社会保险法》',
    validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
  });
  await approveShareRequest(xdeps, await officer(provider.id, 'ga-data'), request.id, {
    clearFields: ['resident_id'],
    ratePerMinute: 1_000_000,
    dailyLimit: 1_000_000_000,
  });
  const keys = generateKeyPair('ed25519');
  const { client } = await createClient({ ...system, defaultAlg: 'ed25519' }, 'system', {
    departmentId: consumer.id,
    name: 'bench client',
    alg: 'ed25519',
    publicKey: keys.publicKey,
  });

  const dataDir = (await import('node:fs')).mkdtempSync(`${os.tmpdir()}/zt-bench-`);
  const config = loadConfig({ ZT_DATA_DIR: dataDir, ZT_EXCHANGE_PORT: '0', ZT_HOST: '127.0.0.1' }, dataDir);
  const log = createLogger('silent');
  const ctx = { config, database, log, secrets, clock: () => new Date(), version: 'bench', web: false, ledger: node };
  const zones = await startZones(ctx, ['exchange']);
  const integrator = new Integrator({ database, node, log });
  if (!process.env.BENCH_NO_INTEGRATOR) integrator.start();

  // The bare route: the same lookup SQL on its own pool of the same size, JSON out, nothing else.
  const url = process.env.DATABASE_URL;
  const bare = Fastify({ logger: false });
  let lookup: (id: string) => Promise<unknown[]>;
  let lookupPrepared: (id: string) => Promise<unknown[]> = (id) => lookup(id);
  const lookupSql = `select r.* from record_unique_values u join records r on r.id = u.record_id
     where u.register_id = $1 and u.field = 'resident_id' and u.value = $2 and r.id > 0 and not r.deleted
       and r.data @> $3::jsonb order by r.id limit 20`;
  if (url) {
    const pool = new pg.Pool({ connectionString: await benchDbUrl(database), max: POOL });
    lookup = async (id) => (await pool.query(lookupSql, [register.id, id, JSON.stringify({ resident_id: id })])).rows;
    // The same, as a named prepared statement (planned once per connection), as the exchange's own read is.
    lookupPrepared = async (id) =>
      (
        await pool.query({
          name: 'bare_lookup',
          text: lookupSql,
          values: [register.id, id, JSON.stringify({ resident_id: id })],
        })
      ).rows;
  } else {
    lookup = async (id) => {
      const { sql } = await import('kysely');
      return (
        await sql`select r.* from record_unique_values u join records r on r.id = u.record_id
          where u.register_id = ${register.id} and u.field = 'resident_id' and u.value = ${id} and not r.deleted
          order by r.id limit 20`.execute(database.kysely)
      ).rows;
    };
  }
  bare.get('/bare/:id', async (req) => ({ records: await lookup((req.params as { id: string }).id) }));
  bare.get('/prepared/:id', async (req) => ({ records: await lookupPrepared((req.params as { id: string }).id) }));
  const bareBase = await bare.listen({ host: '127.0.0.1', port: 0 });

  const purpose = encodeURIComponent('社保待遇资格认证');
  const fullTemplate = `/api/v1/exchange/registers/${register.code}/records?purpose=${purpose}&filter=resident_id:{id}`;
  const job = (name: string, base: string, signed: LoadJob['signed'], seconds: number): LoadJob => ({
    name,
    base,
    signed,
    ids: unique,
    seconds,
    concurrency: CONCURRENCY,
  });
  const signed = { keyId: client.keyId, privateKey: keys.privateKey };
  console.log(`\n-- record lookup by ID number, ${CONCURRENCY} concurrent connections, ${SECONDS} s each --`);
  if (process.env.BENCH_ONLY === 'full') {
    // For profiling the exchange path alone.
    const r = await runLoad(job('full', zones.urls.exchange ?? '', signed, SECONDS), fullTemplate);
    console.log(
      `exchange only: ${r.rps.toFixed(0)} req/s p50 ${r.p50.toFixed(1)} p99 ${r.p99.toFixed(1)} failures ${r.failures} ${r.firstFailure}`,
    );
    process.exit(0);
  }
  await runLoad(job('warm-up bare', bareBase, undefined, 2), '/bare/{id}');
  await runLoad(job('warm-up full', zones.urls.exchange ?? '', signed, 2), fullTemplate);
  const results: Record<string, Array<Awaited<ReturnType<typeof runLoad>>>> = { bare: [], prepared: [], full: [] };
  for (let round = 0; round < 2; round++) {
    results.bare?.push(await runLoad(job('bare', bareBase, undefined, SECONDS), '/bare/{id}'));
    results.prepared?.push(await runLoad(job('prepared', bareBase, undefined, SECONDS), '/prepared/{id}'));
    results.full?.push(await runLoad(job('full', zones.urls.exchange ?? '', signed, SECONDS), fullTemplate));
  }
  const line = (label: string, r: Awaited<ReturnType<typeof runLoad>>) =>
    console.log(
      `${label.padEnd(46)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   failures ${r.failures}${r.firstFailure ? ` (${r.firstFailure})` : ''}`,
    );
  for (const [i, r] of (results.bare ?? []).entries()) line(`bare Fastify + same SQL (round ${i + 1})`, r);
  for (const [i, r] of (results.prepared ?? []).entries())
    line(`bare, SQL as a prepared statement (round ${i + 1})`, r);
  for (const [i, r] of (results.full ?? []).entries()) line(`exchange: signed+valve+mask+ledger (round ${i + 1})`, r);
  const best = (rs: Array<Awaited<ReturnType<typeof runLoad>>> = []) => rs.reduce((a, b) => (b.rps > a.rps ? b : a));
  const b = best(results.bare);
  const bp = best(results.prepared);
  const f = best(results.full);
  console.log(
    `ratio (best rounds) ${(f.rps / b.rps).toFixed(2)} against the bare route, ${(f.rps / bp.rps).toFixed(2)} against it with a prepared statement; target ≥ 0.5`,
  );
  console.log(`exchange p99 ${f.p99.toFixed(1)} ms (target ≤ 20 ms); bare p99 ${b.p99.toFixed(1)} ms`);
  const logged = await database.owner.transaction(async (tx) => {
    const { sql } = await import('kysely');
    const r = await sql<{ n: number }>`select count(*)::int as n from access_log`.execute(tx);
    return r.rows[0]?.n ?? 0;
  });
  console.log(
    `access-log rows written: ${logged}; ledger integrated: ${await integrator.drain()} left in queue after run`,
  );

  await integrator.stop();
  await zones.close();
  await bare.close();
  await database.close();
  await drop();
}

async function benchDbUrl(database: unknown): Promise<string> {
  // openBenchDatabase makes a fresh database beside DATABASE_URL; find its name from the owner connection.
  const { sql } = await import('kysely');
  const db = database as { owner: { transaction: <T>(fn: (tx: never) => Promise<T>) => Promise<T> } };
  const name = await db.owner.transaction(async (tx) => {
    const r = await sql<{ d: string }>`select current_database() as d`.execute(tx);
    return r.rows[0]?.d ?? '';
  });
  const u = new URL(process.env.DATABASE_URL ?? '');
  u.pathname = `/${name}`;
  return u.toString();
}
