// Signed-request throughput of the exchange zone (RFC 9421, Ed25519 and SM2-SM3), end to end over loopback
// HTTP through a real listener and database, plus the raw signature and password-hashing costs behind it. Each
// call: the client signs (timed, on the same machine), the zone parses Signature-Input, checks freshness, finds the
// key in its exact cache, verifies, records the nonce in the one statement that also reads the cache generation
// (last_used_at at most once a minute), answers, and signs the response. Every answer must be a 200 naming the
// client. Database: a throw-away PostgreSQL database beside DATABASE_URL, or PGlite in memory.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, signRequest } from '../src/modules/auth/index.ts';
import { openLedger } from '../src/modules/ledger/index.ts';
import { createDepartment, upsertRegions } from '../src/modules/org/index.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createSecretBox, generateKeyPair, hashPassword, signBytes, verifyBytes } from '../src/platform/crypto.ts';
import { createLogger } from '../src/platform/log.ts';
import { startZones } from '../src/zones/zones.ts';
import { openBenchDatabase } from './support.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

function timeOps(label: string, n: number, fn: () => void) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  const ms = performance.now() - t0;
  console.log(
    `${label.padEnd(34)} ${(n / (ms / 1000)).toFixed(0).padStart(7)} ops/s  (${(ms / n).toFixed(3)} ms each)`,
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
);
console.log('\n-- primitives --');
const data = randomBytes(300);
for (const alg of ['ed25519', 'sm2-sm3'] as const) {
  const keys = generateKeyPair(alg);
  const sig = signBytes(alg, keys.privateKey, data);
  timeOps(`${alg} sign`, alg === 'ed25519' ? 5000 : 500, () => signBytes(alg, keys.privateKey, data));
  timeOps(`${alg} verify`, alg === 'ed25519' ? 5000 : 500, () => verifyBytes(alg, keys.publicKey, data, sig));
}
{
  const n = 10;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await hashPassword('benchmark-password');
  console.log(
    `${'scrypt password hash (N=2^15)'.padEnd(34)} ${((performance.now() - t0) / n).toFixed(1).padStart(7)} ms each`,
  );
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'zt-bench-'));
const config = loadConfig(
  {
    ZT_DATA_DIR: dataDir,
    ZT_PUBLIC_PORT: '0',
    ZT_INTERNAL_PORT: '0',
    ZT_EXCHANGE_PORT: '0',
    ZT_HOST: '127.0.0.1',
    DATABASE_URL: process.env.DATABASE_URL ?? '',
  },
  dataDir,
);
const { database, drop } = await openBenchDatabase(CONCURRENCY + 4);
const secrets = createSecretBox(randomBytes(32));
const ledgerNode = await openLedger(database.owner, {
  origin: config.ledgerOrigin,
  profile: config.cryptoProfile,
  secrets,
});
const ctx = {
  config,
  database,
  log: createLogger('silent'),
  secrets,
  clock: () => new Date(),
  version: 'bench',
  web: false,
  ledger: ledgerNode,
};
const ledger = ledgerNode.forZone('system');
const db = database.owner;
await db.transaction((tx) =>
  upsertRegions(tx, [
    { code: '100000', name: '中华人民共和国', level: 'national', parent_code: null },
    { code: '120000', name: '天津市', level: 'province', parent_code: '100000' },
  ]),
);
const dept = await createDepartment({ db, ledger, clock: () => new Date() }, 'system', {
  code: `B-${randomBytes(3).toString('hex')}`,
  name: '基准测试部门',
  regionCode: '120000',
});
const running = await startZones(ctx, ['exchange']);
const base = running.urls.exchange ?? '';
console.log(
  `\n-- signed GET /api/v1/exchange/whoami over HTTP, ${database.engine}, ${REQUESTS} requests, ${CONCURRENCY} in flight --`,
);

for (const alg of ['ed25519', 'sm2-sm3'] as const) {
  const keys = generateKeyPair(alg);
  const { client } = await createClient(
    { db, ledger, secrets: ctx.secrets, clock: ctx.clock, defaultAlg: alg },
    'system',
    {
      departmentId: dept.id,
      name: `bench ${alg}`,
      alg,
      publicKey: keys.publicKey,
    },
  );
  const url = `${base}/api/v1/exchange/whoami`;
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next++;
        const start = performance.now();
        const headers = signRequest({ method: 'GET', url, keyId: client.keyId, alg, privateKey: keys.privateKey });
        const res = await fetch(url, { headers });
        const body = await res.text();
        if (res.status !== 200 || !body.includes(client.keyId) || !res.headers.has('signature')) failures++;
        latencies.push(performance.now() - start);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `${alg.padEnd(8)} ${(REQUESTS / seconds).toFixed(0).padStart(6)} req/s   p50 ${percentile(latencies, 50).toFixed(2)} ms   p99 ${percentile(latencies, 99).toFixed(2)} ms   failures ${failures}` +
      '   (client signing included)',
  );
}
await running.close();
await database.close();
await drop();
