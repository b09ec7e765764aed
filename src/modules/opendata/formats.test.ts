// A version's files beyond the canonical CSV's bytes: byte ranges of the CSV and JSON (RFC 9110), the XLSX workbook
// and the Parquet file generated from the same stored table, typed by the dictionary. Real database, real zones.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { parquetReadObjects } from 'hyparquet';
import { ENGINE, startTestPlatform } from '../../../test/helpers.ts';
import { publishBusStops } from '../../../test/opendata-fixtures.ts';

const p = await startTestPlatform();
await publishBusStops(p);
const action = (name: string, query: Record<string, string> = {}) =>
  p.public.inject({ method: 'GET', url: `/api/3/action/${name}?${new URLSearchParams(query)}` });

test(`[${ENGINE}] downloads answer byte ranges of the same bytes, with the version's hash as entity tag`, async () => {
  const url = '/api/v1/opendata/datasets/bus-stops/versions/1/data';
  const full = await p.public.inject({ url: `${url}.csv` });
  const file = full.rawPayload;
  assert.equal(full.headers['accept-ranges'], 'bytes');
  assert.equal(Number(full.headers['content-length']), file.length);
  const etag = String(full.headers.etag);
  assert.equal(etag, `"${createHash('sha256').update(file).digest('hex')}"`);
  const part = await p.public.inject({ url: `${url}.csv`, headers: { range: 'bytes=10-49' } });
  assert.equal(part.statusCode, 206);
  assert.equal(part.headers['content-range'], `bytes 10-49/${file.length}`);
  assert.deepEqual(part.rawPayload, file.subarray(10, 50));
  // A resumed download: the rest from where it stopped, in the middle of a multi-byte character.
  const cut = file.indexOf(Buffer.from('站点1')) + 1;
  const rest = await p.public.inject({ url: `${url}.csv`, headers: { range: `bytes=${cut}-`, 'if-range': etag } });
  assert.equal(rest.statusCode, 206);
  assert.deepEqual(Buffer.concat([file.subarray(0, cut), rest.rawPayload]), file);
  // Another entity tag (the file changed under the client): the whole file, 200.
  const stale = await p.public.inject({ url: `${url}.csv`, headers: { range: 'bytes=10-49', 'if-range': '"old"' } });
  assert.equal(stale.statusCode, 200);
  assert.equal(stale.rawPayload.length, file.length);
  const json = (await p.public.inject({ url: `${url}.json` })).rawPayload;
  const tail = await p.public.inject({ url: `${url}.json`, headers: { range: 'bytes=-20' } });
  assert.deepEqual(tail.rawPayload, json.subarray(json.length - 20));
  const outside = await p.public.inject({ url: `${url}.csv`, headers: { range: `bytes=${file.length}-` } });
  assert.equal(outside.statusCode, 416);
  assert.equal(outside.headers['content-range'], `bytes */${file.length}`);
  assert.equal(outside.json().error.code, 'opendata.range');
  // Ranges RFC 9110 lets a server ignore get the whole file.
  for (const range of ['bytes=0-1,5-9', 'bytes=x-', 'lines=1-2']) {
    const whole = await p.public.inject({ url: `${url}.csv`, headers: { range } });
    assert.equal(whole.statusCode, 200, range);
    assert.equal(whole.rawPayload.length, file.length);
  }
  const head = await p.public.inject({ method: 'HEAD', url: `${url}.csv` });
  assert.equal(head.statusCode, 200);
  assert.equal(Number(head.headers['content-length']), file.length);
});

test(`[${ENGINE}] the same table as an XLSX workbook, typed, and a resource of the package`, async () => {
  const res = await p.public.inject({ url: '/api/v1/opendata/datasets/bus-stops/versions/1/data.xlsx' });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const sheet = book.worksheets[0];
  assert.ok(sheet);
  assert.deepEqual((sheet.getRow(1).values as unknown[]).slice(1), [
    'stop_id',
    'stop_name',
    'lines',
    'fare',
    'opened',
    'shelter',
  ]);
  assert.deepEqual((sheet.getRow(8).values as unknown[]).slice(1), [
    'S007',
    '鼓楼, "北"站',
    2,
    2.2,
    '2020-01-07',
    false,
  ]);
  assert.equal(sheet.rowCount, 26);
  const pkg = (await action('package_show', { id: 'bus-stops' })).json().result;
  assert.deepEqual(
    pkg.resources.map((r: { format: string }) => r.format),
    ['CSV', 'JSON', 'XLSX', 'PARQUET'],
  );
});

test(`[${ENGINE}] the same table as a Parquet file, its columns typed by the dictionary`, async () => {
  const res = await p.public.inject({ url: '/api/v1/opendata/datasets/bus-stops/versions/1/data.parquet' });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], 'application/vnd.apache.parquet');
  const bytes = res.rawPayload;
  const file = new Uint8Array(bytes).buffer;
  const rows = (await parquetReadObjects({ file })) as Array<Record<string, unknown>>;
  assert.equal(rows.length, 25);
  assert.deepEqual(rows[6], {
    stop_id: 'S007',
    stop_name: '鼓楼, "北"站',
    lines: 2n,
    fare: 2.2,
    opened: '2020-01-07',
    shelter: false,
  });
  assert.equal(rows[3]?.fare, null, 'an empty value is a null');
  assert.equal(
    (await p.public.inject({ method: 'HEAD', url: '/api/v1/opendata/datasets/bus-stops/versions/1/data.parquet' }))
      .statusCode,
    200,
  );
});
