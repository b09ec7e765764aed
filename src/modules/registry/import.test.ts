import assert from 'node:assert/strict';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import {
  buildDepartment,
  countRows,
  ENGINE,
  registerInput,
  staffSession,
  startTestPlatform,
} from '../../../test/helpers.ts';
import { residentIdCheckChar } from '../privacy/index.ts';

const p = await startTestPlatform();
const dept = await buildDepartment(p);
const officer = await staffSession(p, ['data_officer'], dept.id);
const HEADER = '公民身份号码,姓名,性别,出生日期,户数';

async function newRegister() {
  const res = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/registry/registers',
    headers: officer.login.headers,
    payload: registerInput(dept.id, {
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
        { code: 'household_size', name: '户数', type: 'integer', min: 1, grade: 'general', piiType: 'none' },
      ],
    }),
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().code as string;
}

function idFor(i: number): string {
  const first17 = `120101${1950 + Math.floor(i / 900)}0101${String(i % 900).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

function csv(rows: number, bad: Record<number, string> = {}, nameOf = (i: number) => `居民${i}`): string {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++)
    lines.push(bad[i] ?? `${idFor(i)},${nameOf(i)},${i % 2 ? '男' : '女'},1980/1/${1 + (i % 28)},${1 + (i % 5)}`);
  return `${lines.join('\n')}\n`;
}

const upload = (code: string, body: string | Buffer, query = '', type = 'text/csv') =>
  p.internal.inject({
    method: 'POST',
    url: `/api/v1/registry/registers/${code}/import${query}`,
    headers: { ...officer.login.headers, 'content-type': type },
    payload: body,
  });
const recordCount = async () => countRows(p, 'records' as never);

test(`[${ENGINE}] a 10,000-row file with 3 bad rows: all-or-nothing imports nothing and names every bad row`, async () => {
  const code = await newRegister();
  const before = await recordCount();
  const body = csv(10_000, {
    17: `${idFor(17).slice(0, 17)}${idFor(17)[17] === '1' ? '2' : '1'},坏号码,男,1980-01-01,1`,
    4000: `${idFor(4000)},缺性别,,1980-01-01,1`,
    9999: `${idFor(9999)},坏户数,女,1980-01-01,很多`,
  });
  const res = await upload(code, body);
  assert.equal(res.statusCode, 400, res.body.slice(0, 300));
  assert.equal(res.json().error.code, 'import.rejected');
  const report = res.json().error.details.report;
  assert.equal(report.rows, 10_000);
  assert.equal(report.invalid, 3);
  assert.equal(report.committed, false);
  assert.deepEqual(
    report.errors.map((e: { row: number; column: string }) => [e.row, e.column]),
    [
      [19, '公民身份号码'],
      [4002, '性别'],
      [10001, '户数'],
    ],
  );
  assert.match(report.errors[0].reason, /not a valid resident ID/);
  // Each reason also names its rule, which the workbench shows in the reader's language.
  assert.deepEqual(
    report.errors.map((e: { rule?: string }) => e.rule),
    ['format:resident-id', 'required', 'type'],
  );
  assert.equal(await recordCount(), before, 'nothing was imported');

  const skip = await upload(code, body, '?skipInvalid=true');
  assert.equal(skip.statusCode, 200, skip.body.slice(0, 300));
  assert.deepEqual([skip.json().inserted, skip.json().invalid, skip.json().committed], [9_997, 3, true]);
  assert.equal(await recordCount(), before + 9_997);
  const page = (
    await p.internal.inject({
      method: 'GET',
      url: `/api/v1/registry/registers/${code}/records?field=resident_id&value=${idFor(5)}`,
      headers: officer.login.headers,
    })
  ).json();
  assert.deepEqual(page.records[0].data, {
    resident_id: idFor(5),
    name: '居民5',
    gender: '男',
    birth_date: '1980-01-06',
    household_size: 1,
  });
});

test(`[${ENGINE}] upsert by a key field: importing the same file again changes nothing; changed rows get a new version`, async () => {
  const code = await newRegister();
  const first = await upload(code, csv(300), '?keyField=resident_id');
  assert.equal(first.json().inserted, 300, first.body);
  const again = await upload(code, csv(300), '?keyField=resident_id');
  assert.deepEqual([again.json().inserted, again.json().updated, again.json().unchanged], [0, 0, 300]);
  const changed = await upload(
    code,
    csv(300, {}, (i) => (i === 7 ? '改名居民' : `居民${i}`)),
    '?keyField=resident_id',
  );
  assert.deepEqual([changed.json().inserted, changed.json().updated, changed.json().unchanged], [0, 1, 299]);
  const rec = (
    await p.internal.inject({
      method: 'GET',
      url: `/api/v1/registry/registers/${code}/records?field=resident_id&value=${idFor(7)}`,
      headers: officer.login.headers,
    })
  ).json().records[0];
  assert.equal(rec.data.name, '改名居民');
  assert.equal(rec.version, 2);
  const history = (
    await p.internal.inject({
      method: 'GET',
      url: `/api/v1/registry/registers/${code}/records/${rec.id}/history`,
      headers: officer.login.headers,
    })
  ).json();
  assert.deepEqual(
    history.map((h: { op: string; validTo: string | null }) => [h.op, h.validTo === null]),
    [
      ['create', false],
      ['update', true],
    ],
  );
  const noKey = await upload(code, csv(3));
  assert.equal(noKey.json().error.code, 'import.rejected', 'without a key the same rows are duplicates');
  assert.match(noKey.json().error.details.report.errors[0].reason, /another record already has/);
  assert.equal(noKey.json().error.details.report.errors[0].rule, 'duplicate');
});

test(`[${ENGINE}] malformed files and unknown columns are clear 400s; duplicates within one file are row errors`, async () => {
  const code = await newRegister();
  const before = await recordCount();
  const ragged = await upload(code, `${HEADER}\n${idFor(1)},张三,男\n`);
  assert.equal(ragged.statusCode, 400);
  assert.equal(ragged.json().error.code, 'import.malformed_file');
  const unclosed = await upload(code, `${HEADER}\n"${idFor(1)},张三,男,1980-01-01,1\n`);
  assert.equal(unclosed.json().error.code, 'import.malformed_file');
  const unknown = await upload(code, `${HEADER},血型\n${idFor(1)},张三,男,1980-01-01,1,A\n`);
  assert.equal(unknown.json().error.code, 'import.unknown_columns');
  assert.deepEqual(unknown.json().error.details.columns, ['血型']);
  const mapped = await upload(
    code,
    `${HEADER},血型\n${idFor(1)},张三,男,1980-01-01,1,A\n`,
    `?mapping=${encodeURIComponent(JSON.stringify({ 血型: '' }))}`,
  );
  assert.equal(mapped.statusCode, 200, mapped.body);
  const empty = await upload(code, `${HEADER}\n`);
  assert.equal(empty.json().error.code, 'import.empty');
  const dupes = await upload(code, `${HEADER}\n${idFor(2)},甲,男,,1\n${idFor(2)},乙,女,,1\n`, '?skipInvalid=true');
  assert.deepEqual([dupes.json().inserted, dupes.json().invalid], [1, 1]);
  const badKey = await upload(code, csv(1), '?keyField=name');
  assert.equal(badKey.json().error.code, 'import.bad_key');
  const wrongType = await p.internal.inject({
    method: 'POST',
    url: `/api/v1/registry/registers/${code}/import`,
    headers: { ...officer.login.headers, 'content-type': 'application/pdf' },
    payload: 'x',
  });
  assert.equal(wrongType.statusCode, 415);
  assert.equal(await recordCount(), before + 2);
});

test(`[${ENGINE}] an XLSX workbook imports like a CSV`, async () => {
  const code = await newRegister();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('户籍');
  ws.addRow(HEADER.split(','));
  ws.addRow([idFor(1), '王小二', '男', new Date(Date.UTC(1990, 4, 6)), 3]);
  ws.addRow([idFor(2), '李小三', '女', '1991-07-08', 2]);
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  const res = await upload(code, buffer, '', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().inserted, 2);
  const rec = (
    await p.internal.inject({
      method: 'GET',
      url: `/api/v1/registry/registers/${code}/records?field=resident_id&value=${idFor(1)}`,
      headers: officer.login.headers,
    })
  ).json().records[0];
  assert.deepEqual(rec.data, {
    resident_id: idFor(1),
    name: '王小二',
    gender: '男',
    birth_date: '1990-05-06',
    household_size: 3,
  });
  const garbage = await upload(
    code,
    Buffer.from('not a zip'),
    '',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  assert.equal(garbage.json().error.code, 'import.malformed_file');
});

test(`[${ENGINE}] an import is one ledger entry holding the file's digest; only the provider's data officer may import`, async () => {
  const code = await newRegister();
  const res = await upload(code, csv(5));
  const entries = await p.db.owner.transaction((tx) =>
    tx.selectFrom('ledger_queue').select(['payload']).where('entry_type', '=', 'registry.records.imported').execute(),
  );
  assert.ok(entries.some((e) => e.payload.includes(res.json().fileSha256)));
  const clerk = await staffSession(p, ['caseworker'], dept.id);
  const denied = await p.internal.inject({
    method: 'POST',
    url: `/api/v1/registry/registers/${code}/import`,
    headers: { ...clerk.login.headers, 'content-type': 'text/csv' },
    payload: csv(1),
  });
  assert.equal(denied.statusCode, 404);
});

test(`[${ENGINE}] exports stream CSV, XLSX and JSON; an exported file imports back unchanged`, async () => {
  const code = await newRegister();
  assert.equal((await upload(code, csv(300), '?keyField=resident_id')).json().inserted, 300);
  const get = (format: string, headers = officer.login.headers) =>
    p.internal.inject({ method: 'GET', url: `/api/v1/registry/registers/${code}/export?format=${format}`, headers });

  const exported = await get('csv');
  assert.equal(exported.statusCode, 200);
  assert.match(String(exported.headers['content-type']), /^text\/csv/);
  assert.match(String(exported.headers['content-disposition']), new RegExp(`${code}\\.csv`));
  assert.ok(exported.body.includes('公民身份号码,姓名,性别,出生日期,户数'));
  const again = await upload(code, exported.rawPayload, '?keyField=resident_id');
  assert.deepEqual([again.json().inserted, again.json().updated, again.json().unchanged], [0, 0, 300], again.body);

  const json = await get('json');
  const rows = JSON.parse(json.body) as Array<{ id: number; data: { resident_id: string } }>;
  assert.equal(rows.length, 300);
  assert.equal(rows[0]?.data.resident_id, idFor(0));

  const xlsx = await get('xlsx');
  assert.equal(xlsx.statusCode, 200);
  const back = await upload(
    code,
    xlsx.rawPayload,
    '?keyField=resident_id',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  assert.deepEqual([back.json().inserted, back.json().unchanged], [0, 300], back.body);

  const stranger = await staffSession(p, ['data_officer']);
  assert.equal((await get('csv', stranger.login.headers)).statusCode, 404);
  assert.equal((await get('pdf')).statusCode, 400);

  // An auditor may export, but personal data leaves masked by type, as it would through the exchange.
  const auditor = await staffSession(p, ['auditor']);
  const audited = JSON.parse((await get('json', auditor.login.headers)).body) as Array<{
    data: { resident_id: string; name: string; gender: string };
  }>;
  assert.equal(audited[0]?.data.resident_id, `${idFor(0).slice(0, 6)}********${idFor(0).slice(14)}`);
  assert.match(audited[0]?.data.name ?? '', /^\S\*+$/);
  assert.ok(['男', '女'].includes(audited[0]?.data.gender ?? ''), 'non-personal values are unchanged');
});
