// Registry at scale (run with DATABASE_URL for PostgreSQL): import a generated CSV of N rows (default 1,000,000)
// streamed from disk, sampling the process's memory; then filtered keyset queries over the N records.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLedger } from '../src/modules/ledger/index.ts';
import { createDepartment, upsertRegions } from '../src/modules/org/index.ts';
import { residentIdCheckChar } from '../src/modules/privacy/index.ts';
import { createRegister, importRecords, listRecords } from '../src/modules/registry/index.ts';
import { createSecretBox } from '../src/platform/crypto.ts';
import { openBenchDatabase } from './support.ts';

const url = process.env.DATABASE_URL;
const N = Number(process.env.BENCH_REGISTRY_ROWS ?? (url ? 1_000_000 : 100_000));
const pct = (s: number[], p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;

const { database, drop: dropDb } = await openBenchDatabase(4);
const node = await openLedger(database.owner, {
  origin: 'bench.zhengtong.local/ledger',
  profile: 'sha256-ed25519',
  secrets: createSecretBox(randomBytes(32)),
});
const deps = { db: database.forZone('internal'), ledger: node.forZone('system'), clock: () => new Date() };
await database.owner.transaction((tx) =>
  upsertRegions(tx, [
    { code: '100000', name: '中华人民共和国', level: 'national', parent_code: null },
    { code: '120000', name: '天津市', level: 'province', parent_code: '100000' },
  ]),
);
const dept = await createDepartment({ db: database.owner, ledger: deps.ledger, clock: deps.clock }, 'system', {
  code: 'BENCH',
  name: '基准测试部门',
  regionCode: '120000',
});
const register = await createRegister(deps, 'system', {
  departmentId: dept.id,
  name: '基准测试人口',
  attribute: 'basic',
  baseLibrary: 'population',
  classification: { item: '01', subitem: '001' },
  abstract: 'bench',
  format: 'database',
  secrecy: 'non_classified',
  sharing: { type: 'unconditional', method: 'api' },
  open: { type: 'closed' },
  updateCycle: 'daily',
  publishedOn: '2026-01-01',
  visibility: 'public',
  fields: [
    {
      code: 'resident_id',
      name: '公民身份号码',
      type: 'string',
      required: true,
      unique: true,
      grade: 'important',
      piiType: 'resident_id',
    },
    { code: 'name', name: '姓名', type: 'string', required: true, grade: 'important', piiType: 'name' },
    {
      code: 'gender',
      name: '性别',
      type: 'enum',
      enumValues: ['男', '女'],
      required: true,
      grade: 'general',
      piiType: 'none',
    },
    { code: 'birth_date', name: '出生日期', type: 'date', grade: 'general', piiType: 'birth_date' },
    { code: 'district', name: '区', type: 'string', grade: 'general', piiType: 'none' },
    { code: 'household_size', name: '户内人数', type: 'integer', min: 1, max: 20, grade: 'general', piiType: 'none' },
  ],
});

// Experiment switch: BENCH_NO_GIN=1 drops the GIN index on records.data first, to measure what maintaining it costs.
if (process.env.BENCH_NO_GIN) {
  const { sql } = await import('kysely');
  await database.owner.transaction((tx) => sql`drop index records_data_idx`.execute(tx));
  console.log('(experiment: without the GIN index on records.data)');
}

// ---- the file ----
const dir = mkdtempSync(path.join(os.tmpdir(), 'zt-bench-'));
const file = path.join(dir, 'people.csv');
const districts = ['120101', '120102', '120103', '120104', '120116'];
const idOf = (i: number) => {
  const day = (i % 28) + 1;
  const first17 = `${districts[i % 5]}${1940 + (Math.floor(i / 28) % 80)}${String((Math.floor(i / 2240) % 12) + 1).padStart(2, '0')}${String(day).padStart(2, '0')}${String(Math.floor(i / 26880) % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
};
{
  const out = createWriteStream(file);
  out.write('resident_id,name,gender,birth_date,district,household_size\n');
  for (let i = 0; i < N; i++) {
    const id = idOf(i);
    const line = `${id},居民${i},${Number(id[16]) % 2 ? '男' : '女'},${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)},${districts[i % 5]},${(i % 7) + 1}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

// ---- A: import ----
let peakRss = 0;
const rssSamples: number[] = [];
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, rss);
  rssSamples.push(rss);
}, 250);
const report = await importRecords(deps, 'system', register.code, createReadStream(file), {
  format: 'csv',
  keyField: 'resident_id',
  onProgress: (rows) => {
    if (process.stderr.isTTY) process.stderr.write(`\r${rows} rows`);
  },
});
clearInterval(sampler);
const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;
const quarter = Math.floor(rssSamples.length / 4);
console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; database: ${database.engine}`,
);
console.log(`\n-- A. import of a ${N.toLocaleString('en')}-row CSV (upsert by resident_id, one transaction) --`);
console.log(
  `${report.inserted.toLocaleString('en')} inserted in ${report.seconds.toFixed(1)} s: ${Math.round(report.rows / report.seconds).toLocaleString('en')} rows/s`,
);
console.log(
  `process RSS: after the first quarter ${mib(rssSamples[quarter] ?? 0)}, at the end ${mib(rssSamples.at(-1) ?? 0)}, peak ${mib(peakRss)}`,
);

// ---- B: filtered keyset queries ----
// What autovacuum does shortly after a large import: fresh statistics for the planner.
await database.owner.transaction(async (tx) => {
  const { sql } = await import('kysely');
  await sql`analyze records, record_unique_values`.execute(tx);
});
const actor = {
  kind: 'staff' as const,
  staffId: 0,
  username: 'bench',
  departmentId: dept.id,
  roles: [{ role: 'platform_admin' as const, departmentId: dept.id }],
};
const exact: number[] = [];
const paged: number[] = [];
for (let i = 0; i < 1000; i++) {
  const id = idOf(Math.floor(Math.random() * N));
  let t0 = performance.now();
  const hit = await listRecords(deps, actor, register.code, { field: 'resident_id', value: id, limit: 10 });
  exact.push(performance.now() - t0);
  if (hit.records.length !== 1) throw new Error(`expected one record for ${id}`);
  t0 = performance.now();
  await listRecords(deps, actor, register.code, {
    field: 'district',
    value: districts[i % 5],
    limit: 50,
    after: Math.floor(Math.random() * N),
  });
  paged.push(performance.now() - t0);
}
exact.sort((a, b) => a - b);
paged.sort((a, b) => a - b);
console.log(
  `\n-- B. filtered keyset queries at ${N.toLocaleString('en')} records (1,000 each, through the service) --`,
);
console.log(
  `exact match on resident_id, page of 10: p50 ${pct(exact, 50).toFixed(2)} ms, p99 ${pct(exact, 99).toFixed(2)} ms`,
);
console.log(
  `district = X after a random cursor, page of 50: p50 ${pct(paged, 50).toFixed(2)} ms, p99 ${pct(paged, 99).toFixed(2)} ms`,
);

await database.close();
await dropDb();
