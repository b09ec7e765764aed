import os from 'node:os';
import { sql } from 'kysely';
import { Layout } from '../src/modules/opendata/downloads.ts';
import { analyzeRows, insertOffsets, rowsAfter } from '../src/modules/opendata/opendata.store.ts';
import { createDepartment } from '../src/modules/org/index.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createLogger } from '../src/platform/log.ts';
import { buildPublicZone } from '../src/zones/zones.ts';
import { openBenchPlatform } from './support.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const WIDTH = Number(process.env.BENCH_WIDTH ?? 1380);
const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite (in memory: the table itself is in this process)'}`,
);
const { database, drop, secrets, ledger, system } = await openBenchPlatform(4);
const dept = await createDepartment(system, 'system', { code: 'OD-1', name: '开放部门', regionCode: '120000' });
const schema = {
  fields: [
    { name: 'n', title: '序号', type: 'integer' as const },
    { name: 'text', title: '内容', type: 'string' as const },
  ],
};
const t0 = performance.now();
const id = await database.owner.transaction(async (tx) => {
  const r = await sql<{ id: number }>`
    insert into opendata_datasets (name, department_id, access, title, theme, license_id, update_cycle, fields, version,
                                   created_at, modified_at)
    values ('big', ${dept.id}, 'open', '大数据集', 'economy', 'cc-by-4.0', 'monthly', array['n','text'], 1, now(), now())
    returning id`.execute(tx);
  const datasetId = r.rows[0]?.id ?? 0;
  await sql`
    insert into opendata_versions (dataset_id, version, schema, row_count, sha256, receipt_id, created_by, created_at)
    values (${datasetId}, 1, ${JSON.stringify(schema)}::jsonb, ${ROWS}, repeat('0', 64), 'bench', 'system', now())`.execute(
    tx,
  );
  for (let from = 1; from <= ROWS; from += 50_000) {
    // ~WIDTH bytes of text per row, mixed Han and ASCII, different on every row.
    await sql`
      insert into opendata_rows (dataset_id, version, row_no, data)
      select ${datasetId}, 1, n, jsonb_build_object('n', n, 'text',
             left(repeat(md5(n::text) || '天津市和平区', ${Math.ceil(WIDTH / 50)}), ${Math.floor(WIDTH / 1.6)}))
      from generate_series(${from}::int, ${Math.min(ROWS, from + 49_999)}::int) as n`.execute(tx);
  }
  return datasetId;
});
// The layout, as a release measures it over the rows it writes.
const layout = new Layout(schema);
for (let after = 0; ; ) {
  const page = await database.owner.transaction((tx) => rowsAfter(tx, id, 1, after, 5000));
  for (const row of page) layout.add(row.data);
  if (page.length < 5000) break;
  after = page.at(-1)?.row_no ?? after;
}
await database.owner.transaction(async (tx) => {
  await insertOffsets(tx, id, 1, layout.offsets);
  await sql`update opendata_versions set csv_bytes = ${layout.sizes.csv_bytes}, json_bytes = ${layout.sizes.json_bytes}
            where dataset_id = ${id}`.execute(tx);
  await analyzeRows(tx);
});
const size = layout.sizes.csv_bytes;
console.log(`loaded ${ROWS} rows, a ${mb(size)} CSV, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

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
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const url = `${address}/api/v1/opendata/datasets/big/versions/1/data.csv`;

async function download(label: string, headers: Record<string, string>, expected: number) {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const res = await fetch(url, { headers });
  let received = 0;
  let firstByte = 0;
  for await (const chunk of res.body ?? []) {
    if (!firstByte) firstByte = performance.now() - started;
    received += (chunk as Uint8Array).length;
  }
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const seconds = (performance.now() - started) / 1000;
  globalThis.gc?.();
  const settled = process.memoryUsage();
  if (received !== expected) throw new Error(`${label}: received ${received} bytes, expected ${expected}`);
  console.log(
    `${label}: ${res.status}, ${mb(received)} in ${seconds.toFixed(1)} s (${mb(received / seconds)}/s), first byte ${firstByte.toFixed(0)} ms; RSS ${mb(before)} → peak ${mb(peak)} (growth ${mb(peak - before)}, target ≤ 50 MB), after GC: RSS ${mb(settled.rss)}, heap ${mb(settled.heapUsed)}`,
  );
}
// A first, short download warms what every download shares (compiled code, the connection pool's buffers).
await download('warm-up (the first 10 MB)', { range: 'bytes=0-10485759' }, Math.min(size, 10_485_760));
await download('whole file', {}, size);
// Again: what a download holds, once the database's own cache has seen the whole table.
await download('whole file again', {}, size);
const middle = Math.floor(size / 2) + 7;
await download('resumed from the middle (Range)', { range: `bytes=${middle}-` }, size - middle);
await app.close();
await database.close();
await drop();
