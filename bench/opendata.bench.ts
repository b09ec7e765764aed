// Open data at scale (run with DATABASE_URL for PostgreSQL): CKAN's package_search over 10,000 published datasets,
// and datastore_search with a filter and limit 100 on a 1,000,000-row resource, through the public zone's HTTP
// stack (inject: no sockets, so the figures are the server's own time).

import os from 'node:os';
import { sql } from 'kysely';
import { analyzeRows } from '../src/modules/opendata/opendata.store.ts';
import { createDepartment } from '../src/modules/org/index.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createLogger } from '../src/platform/log.ts';
import { buildPublicZone } from '../src/zones/zones.ts';
import { openBenchPlatform } from './support.ts';

const DATASETS = Number(process.env.BENCH_DATASETS ?? 10_000);
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const pct = (s: number[], p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`,
);
const { database, drop, secrets, ledger, system } = await openBenchPlatform(10);
const departments: number[] = [];
for (let i = 0; i < 20; i++) {
  departments.push(
    (await createDepartment(system, 'system', { code: `OD-${i}`, name: `开放部门${i}`, regionCode: '120000' })).id,
  );
}

// The catalogue, written directly (publishing goes through registers; here only its shape matters).
const THEMES = ['transport', 'health', 'education', 'economy', 'housing', 'environment'];
const schema = JSON.stringify({
  fields: [
    { name: 'k', title: '键', type: 'integer' },
    { name: 'v', title: '值', type: 'string' },
  ],
});
const t0 = performance.now();
await database.owner.transaction(async (tx) => {
  await sql`
    insert into opendata_datasets (name, department_id, access, title, notes, theme, tags, license_id, update_cycle,
                                   fields, version, created_at, modified_at)
    select 'ds-' || i, (${JSON.stringify(departments)}::jsonb->>(i % 20))::bigint, 'open',
           '数据集' || i || (array['公交','医院','学校','停车','空气','企业'])[1 + i % 6],
           '第' || i || '个开放数据集', (${THEMES}::text[])[1 + i % 6], array['标签' || (i % 50)], 'cc-by-4.0', 'monthly',
           array['k','v'], 1, now() - (i || ' minutes')::interval, now() - (i || ' minutes')::interval
    from generate_series(1, ${DATASETS}::int) as i`.execute(tx);
  await sql`
    insert into opendata_versions (dataset_id, version, schema, row_count, sha256, receipt_id, created_by, created_at)
    select id, 1, ${schema}::jsonb, 0, repeat('0', 64), 'bench', 'system', created_at from opendata_datasets`.execute(
    tx,
  );
});
const big = await database.owner.transaction(async (tx) => {
  const r = await sql<{ id: number; uuid: string }>`select id, uuid from opendata_datasets where name = 'ds-1'`.execute(
    tx,
  );
  const row = r.rows[0];
  if (!row) throw new Error('no dataset');
  for (let from = 1; from <= ROWS; from += 100_000) {
    await sql`
      insert into opendata_rows (dataset_id, version, row_no, data)
      select ${row.id}, 1, n, jsonb_build_object('k', n % 1000, 'v', 'value-' || n)
      from generate_series(${from}::int, ${Math.min(ROWS, from + 99_999)}::int) as n`.execute(tx);
  }
  await sql`update opendata_versions set row_count = ${ROWS} where dataset_id = ${row.id}`.execute(tx);
  return row;
});
await database.owner.transaction((tx) => analyzeRows(tx)); // as a release does once it has committed
console.log(
  `loaded ${DATASETS} datasets and a ${ROWS}-row resource in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const config = loadConfig({ ZT_LOG_LEVEL: 'silent', ZT_DATA_DIR: os.tmpdir() }, os.tmpdir());
const app = await buildPublicZone({
  config,
  database,
  log: createLogger('silent'),
  secrets,
  clock: () => new Date(),
  version: 'bench',
  web: false,
  ledger,
});

async function measure(label: string, url: () => string, target: number) {
  for (let i = 0; i < 20; i++) await app.inject({ url: url() }); // warm
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    const res = await app.inject({ url: url() });
    times.push(performance.now() - started);
    if (res.statusCode !== 200) throw new Error(`${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label}: p50 ${pct(times, 50).toFixed(2)} ms, p99 ${pct(times, 99).toFixed(2)} ms (target p99 ≤ ${target} ms) over ${CALLS} calls`,
  );
}

const queries = ['', '公交', '医院 数据集1', '学校'];
let n = 0;
await measure(
  'package_search (q, fq, facets, rows 10)',
  () => {
    n++;
    const q = queries[n % queries.length] ?? '';
    const fq = n % 2 ? `groups:${THEMES[n % THEMES.length]}` : 'metadata_modified:[2020-01-01T00:00:00Z TO *]';
    return `/api/3/action/package_search?q=${encodeURIComponent(q)}&fq=${encodeURIComponent(fq)}&facet.field=${encodeURIComponent('["groups","organization"]')}&start=${n % 50}`;
  },
  10,
);
await measure(
  `datastore_search (filter, limit 100) on ${ROWS} rows`,
  () =>
    `/api/3/action/datastore_search?resource_id=${big.uuid}-csv&filters=${encodeURIComponent(JSON.stringify({ k: n++ % 1000 }))}&limit=100&include_total=false`,
  20,
);
await app.close();
await database.close();
await drop();
