// The ledger under load (run with DATABASE_URL for PostgreSQL; PGlite in memory otherwise):
//  A. sustained appends from 32 concurrent business transactions with the integrator running: entries/s and
//     the delay from each business transaction's commit (seen by its caller) to the commit of the first signed
//     checkpoint covering it (seen by a reader polling the latest checkpoint every 5 ms);
//  B. bulk fill to N entries; C. inclusion proof latency at N; D. full `ledger verify` at N.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import { auditLog, Integrator, inclusionProof, openLedger } from '../src/modules/ledger/index.ts';
import { createSecretBox } from '../src/platform/crypto.ts';
import { createLogger } from '../src/platform/log.ts';
import { openBenchDatabase } from './support.ts';

const url = process.env.DATABASE_URL;
const N = Number(process.env.BENCH_LEDGER_ENTRIES ?? (url ? 1_000_000 : 100_000));
const SECONDS = Number(process.env.BENCH_LEDGER_SECONDS ?? 10);
const WORKERS = 32;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const ms = (x: number) => `${x.toFixed(2)} ms`;

const { database, drop: dropDb } = await openBenchDatabase(WORKERS + 4);
const secrets = createSecretBox(randomBytes(32));
const node = await openLedger(database.owner, {
  origin: 'bench.zhengtong.local/ledger',
  profile: 'sha256-ed25519',
  secrets,
});
const log = createLogger('silent');
console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; database: ${database.engine}`,
);

// ---- A: sustained appends with the integrator running ----
{
  const integrator = new Integrator({ database, node, log }); // the production default interval (200 ms)
  if (!process.env.BENCH_NO_INTEGRATOR) integrator.start();
  const db = database.forZone('internal');
  const ledger = node.forZone('internal');
  let appended = 0;
  let maxBacklog = 0;
  const committedAt = new Map<string, number>();
  // The moments each checkpoint size became visible to a reader (the integrator's commit, within the poll period).
  const seen: Array<{ size: number; at: number }> = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const size = await database.owner.transaction(async (tx) =>
        Number(
          (await sql<{ n: number }>`select coalesce(max(size), 0) as n from ledger_checkpoints`.execute(tx)).rows[0]?.n,
        ),
      );
      if (size > (seen.at(-1)?.size ?? 0)) seen.push({ size, at: performance.now() });
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const deadline = performance.now() + SECONDS * 1000;
  const sampler = setInterval(async () => {
    const n = await database.owner.transaction(async (tx) =>
      Number((await sql<{ n: number }>`select count(*) as n from ledger_queue`.execute(tx)).rows[0]?.n),
    );
    maxBacklog = Math.max(maxBacklog, n);
  }, 250);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, w) => {
      while (performance.now() < deadline) {
        const { receiptId } = await db.transaction((tx) =>
          ledger.append(tx, {
            type: 'bench.action',
            actor: `staff:${w}`,
            subject: `case:${appended}`,
            payload: { w, n: appended, note: '基准测试' },
            readers: [`staff:${w}`],
          }),
        );
        committedAt.set(receiptId, performance.now());
        appended++;
      }
    }),
  );
  const appendSeconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  if (process.env.BENCH_NO_INTEGRATOR) {
    console.log(`appends alone (no integrator): ${(appended / appendSeconds).toFixed(0)} entries/s`);
    process.exit(0);
  }
  const drainStart = performance.now();
  for (;;) {
    const left = await database.owner.transaction(async (tx) =>
      Number((await sql<{ n: number }>`select count(*) as n from ledger_queue`.execute(tx)).rows[0]?.n),
    );
    if (left === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const tail = performance.now() - drainStart;
  await new Promise((r) => setTimeout(r, 30)); // the poller sees the last checkpoint
  polling = false;
  await poller;
  await integrator.stop();
  const indexes = await database.owner.transaction(
    async (tx) =>
      (
        await sql<{ receipt_id: string; idx: number }>`select receipt_id, idx from ledger_entries
        where entry_type = 'bench.action'`.execute(tx)
      ).rows,
  );
  const delays: number[] = [];
  for (const { receipt_id, idx } of indexes) {
    const committed = committedAt.get(receipt_id);
    // The first checkpoint seen that covers the entry (binary search over the sizes seen, which only grow).
    let lo = 0;
    let hi = seen.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((seen[mid]?.size ?? 0) > idx) hi = mid;
      else lo = mid + 1;
    }
    const covered = seen[lo];
    if (committed !== undefined && covered && covered.size > idx) delays.push(Math.max(0, covered.at - committed));
  }
  delays.sort((a, b) => a - b);
  console.log(
    `\n-- A. ${WORKERS} concurrent business transactions, one entry each, ${SECONDS} s, integrator every 200 ms --`,
  );
  console.log(`appended and integrated: ${appended} entries, ${(appended / appendSeconds).toFixed(0)} entries/s`);
  console.log(
    `commit → signed checkpoint: p50 ${ms(pct(delays, 50))}, p99 ${ms(pct(delays, 99))}, max ${ms(delays.at(-1) ?? 0)}`,
  );
  console.log(`largest backlog seen: ${maxBacklog} entries; queue empty ${tail.toFixed(0)} ms after the last append`);
}

// ---- B: bulk fill to N ----
{
  const integrator = new Integrator({ database, node, log, batchSize: 10_000 });
  const ledger = node.forZone('system');
  let size = await database.owner.transaction(async (tx) =>
    Number((await sql<{ n: number }>`select count(*) as n from ledger_entries`.execute(tx)).rows[0]?.n),
  );
  const t0 = performance.now();
  const start = size;
  while (size < N) {
    const batch = Math.min(10_000, N - size);
    await database.owner.transaction(async (tx) => {
      for (let i = 0; i < batch; i++) {
        await ledger.append(tx, {
          type: 'bench.fill',
          actor: 'system',
          subject: `case:${size + i}`,
          payload: { i: size + i },
        });
      }
    });
    await integrator.integrateOnceIfFree();
    size += batch;
    if (process.stderr.isTTY) process.stderr.write(`\rfilled ${size}/${N}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `\n-- B. bulk fill to ${N} entries --\n${size - start} entries appended and integrated in ${seconds.toFixed(1)} s (${((size - start) / seconds).toFixed(0)}/s)`,
  );
}

// ---- C: inclusion proofs at N ----
{
  const deps = { db: database.forZone('public'), node };
  const times: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const index = Math.floor(Math.random() * N);
    const t0 = performance.now();
    await inclusionProof(deps, index, N);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`\n-- C. inclusion proof at ${N} entries (5,000 random leaves, through the database) --`);
  console.log(`p50 ${ms(pct(times, 50))}, p99 ${ms(pct(times, 99))}`);
}

// ---- D: full verification at N ----
{
  const t0 = performance.now();
  const report = await auditLog(database.owner, node);
  console.log(`\n-- D. ledger verify of ${report.size} entries, ${report.checkpoints} checkpoints --`);
  console.log(`${report.ok ? 'OK' : `FAILED: ${report.problem}`} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

await database.close();
await dropDb();
