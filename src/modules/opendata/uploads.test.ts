// Datasets from uploaded files: a CSV, XLSX or JSON file is staged with an inferred dictionary, published by the
// dictionary the publisher confirms, and released again as the next version. Bad files and bad rows are refused
// with the line and field named, and nothing is written. Real database, real zones.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import {
  buildDepartment,
  countRows,
  ENGINE,
  queuedEntries,
  registerInput,
  staffSession,
  startTestPlatform,
  systemDeps,
} from '../../../test/helpers.ts';
import { createRecord, createRegister } from '../registry/index.ts';

const p = await startTestPlatform();
const jt = await buildDepartment(p);
const other = await buildDepartment(p);
const officer = await staffSession(p, ['data_officer'], jt.id);
const stranger = await staffSession(p, ['data_officer'], other.id);

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const stage = (body: string | Buffer, query: string, type = 'text/csv', who = officer, department = jt.id) =>
  p.internal.inject({
    method: 'POST',
    url: `/api/v1/opendata/uploads?department=${department}&${query}`,
    headers: { ...who.login.headers, 'content-type': type },
    payload: body,
  });
const json = (method: string, url: string, payload?: unknown, who = officer) =>
  p.internal.inject({ method: method as 'POST', url, headers: who.login.headers, ...(payload ? { payload } : {}) });
const base = { theme: 'transport', licenseId: 'cc-by-4.0', access: 'open', updateCycle: 'monthly' };

const LINES =
  '线路编号,线路名称,站数,票价,开通日期\r\n1,环湖线,12,2,2001-05-01\r\n2,"和平, 河西",20,2.5,2010-10-01\r\n3,滨海快线,8,3,2019-12-30\r\n';

/** What a refused request must leave as it was. */
async function unchanged() {
  return {
    datasets: await countRows(p, 'opendata_datasets' as never),
    versions: await countRows(p, 'opendata_versions' as never),
    uploads: await countRows(p, 'opendata_uploads' as never),
    entries: await queuedEntries(p),
  };
}

let lines: string;
test(`[${ENGINE}] a CSV's dictionary is inferred (types, required, unique, the key) for the publisher to check`, async () => {
  const res = await stage(LINES, 'format=csv&filename=bus-lines.csv');
  assert.equal(res.statusCode, 201, res.body);
  const u = res.json();
  lines = u.id;
  assert.equal(u.rowCount, 3);
  assert.deepEqual(u.header, ['线路编号', '线路名称', '站数', '票价', '开通日期']);
  assert.deepEqual(
    u.dictionary.fields.map((f: { name: string; type: string }) => `${f.name}:${f.type}`),
    ['c1:integer', 'c2:string', 'c3:integer', 'c4:number', 'c5:date'],
  );
  assert.deepEqual(u.dictionary.primaryKey, ['c1']);
  assert.deepEqual(u.sample[1], ['2', '和平, 河西', '20', '2.5', '2010-10-01']);
  // Another department's publisher does not see it.
  assert.equal((await json('GET', `/api/v1/opendata/uploads/${u.id}`, undefined, stranger)).statusCode, 404);
  assert.equal((await json('GET', `/api/v1/opendata/uploads/${u.id}`)).statusCode, 200);
});

const dictionary = {
  fields: [
    { source: '线路编号', name: 'line_no', title: '线路编号', type: 'integer' },
    { source: '线路名称', name: 'line_name', title: '线路名称', type: 'string', description: '对外公布的名称' },
    { source: '站数', name: 'stops', title: '站数', type: 'integer', unit: '个' },
    { source: '票价', name: 'fare', title: '票价', type: 'number', unit: '元' },
  ],
  primaryKey: ['line_no'],
};

test(`[${ENGINE}] a row that does not fit the confirmed dictionary is refused by line and field; nothing is published`, async () => {
  const before = await unchanged();
  const strict = {
    ...dictionary,
    fields: dictionary.fields.map((f) => (f.name === 'fare' ? { ...f, type: 'integer' } : f)),
  };
  const res = await json('POST', '/api/v1/opendata/datasets/from-upload', {
    ...base,
    upload: lines,
    name: 'bus-lines',
    title: '公交线路',
    dictionary: strict,
  });
  assert.equal(res.statusCode, 400, res.body);
  assert.equal(res.json().error.code, 'opendata.upload_value');
  assert.match(res.json().error.message, /line 3, field 'fare': '2.5' is not an integer/);
  for (const [payload, code] of [
    [{ licenseId: 'wtfpl' }, 'opendata.licence'],
    [
      { dictionary: { fields: [{ source: '无此列', name: 'x', title: 'x', type: 'string' }] } },
      'opendata.unknown_field',
    ],
    [
      {
        dictionary: {
          fields: [
            { source: '线路编号', name: 'x', title: 'x', type: 'string' },
            { source: '站数', name: 'x', title: 'y', type: 'string' },
          ],
        },
      },
      'opendata.duplicate_field',
    ],
  ] as const) {
    const r = await json('POST', '/api/v1/opendata/datasets/from-upload', {
      ...base,
      upload: lines,
      name: 'bus-lines',
      title: '公交线路',
      ...payload,
    });
    assert.equal(r.json().error.code, code, r.body);
  }
  // Another department cannot publish it.
  const theirs = await json(
    'POST',
    '/api/v1/opendata/datasets/from-upload',
    { ...base, upload: lines, name: 'bus-lines', title: '公交线路' },
    stranger,
  );
  assert.equal(theirs.statusCode, 404);
  assert.deepEqual(await unchanged(), before);
});

test(`[${ENGINE}] published by the confirmed dictionary: names, units, the key; the upload is used up`, async () => {
  const res = await json('POST', '/api/v1/opendata/datasets/from-upload', {
    ...base,
    upload: lines,
    name: 'bus-lines',
    title: '公交线路',
    tags: ['公交'],
    dictionary,
  });
  assert.equal(res.statusCode, 201, res.body);
  const d = res.json();
  assert.equal(d.versions[0].rowCount, 3);
  const csv = await p.public.inject({ url: '/api/v1/opendata/datasets/bus-lines/versions/1/data.csv' });
  assert.equal(
    csv.body,
    'line_no,line_name,stops,fare\r\n1,环湖线,12,2\r\n2,"和平, 河西",20,2.5\r\n3,滨海快线,8,3\r\n',
  );
  assert.equal(createHash('sha256').update(csv.rawPayload).digest('hex'), d.versions[0].sha256);
  const search = await p.public.inject({
    url: `/api/3/action/datastore_search?resource_id=${d.id}-csv&filters=${encodeURIComponent('{"stops":20}')}`,
  });
  assert.deepEqual(search.json().result.records, [
    { _id: 2, line_no: 2, line_name: '和平, 河西', stops: 20, fare: 2.5 },
  ]);
  const shown = (await p.public.inject({ url: '/api/v1/opendata/datasets/bus-lines' })).json();
  assert.deepEqual(shown.versions[0].fields[3], { name: 'fare', title: '票价', type: 'number', unit: '元' });
  assert.equal((await json('GET', `/api/v1/opendata/uploads/${lines}`)).statusCode, 404, 'used up');
});

test(`[${ENGINE}] the next version from a new file keeps the dictionary; other columns need one`, async () => {
  const next = await stage(`${LINES}4,空港线,15,4,2026-11-01\r\n`, 'format=csv');
  const released = await json('POST', '/api/v1/opendata/datasets/bus-lines/versions', {
    upload: next.json().id,
    note: '新增空港线',
  });
  assert.equal(released.statusCode, 201, released.body);
  assert.equal(released.json().versions[1].rowCount, 4);
  const diff = await p.public.inject({ url: '/api/v1/opendata/datasets/bus-lines/diff?from=1&to=2' });
  assert.equal(diff.json().added, 1);
  assert.deepEqual(diff.json().samples.added, ['4']);

  const before = await unchanged();
  const renamed = await stage('编号,名称\r\n1,环湖线\r\n', 'format=csv');
  const refused = await json('POST', '/api/v1/opendata/datasets/bus-lines/versions', { upload: renamed.json().id });
  assert.equal(refused.json().error.code, 'opendata.dictionary_needed');
  assert.deepEqual(await unchanged(), { ...before, uploads: before.uploads + 1 });
});

test(`[${ENGINE}] a register's dataset takes no files`, async () => {
  const reg = await createRegister(systemDeps(p), 'system', {
    ...registerInput(jt.id),
    attribute: 'departmental',
    baseLibrary: undefined,
    classification: { item: '05', subitem: '021' },
    open: { type: 'open' },
    fields: [{ code: 'k', name: '键', type: 'string', required: true, grade: 'general', piiType: 'none' }],
  } as never);
  await createRecord(systemDeps(p), 'system', reg.code, { k: 'a' });
  const made = await json('POST', '/api/v1/opendata/datasets', {
    theme: 'transport',
    licenseId: 'cc-by-4.0',
    register: reg.code,
    name: 'from-reg',
  });
  assert.equal(made.statusCode, 201, made.body);
  const file = await stage('k\r\nb\r\n', 'format=csv');
  const r = await json('POST', '/api/v1/opendata/datasets/from-reg/versions', { upload: file.json().id });
  assert.equal(r.json().error.code, 'opendata.from_register');
});

test(`[${ENGINE}] personal columns stay home: resident IDs always, mobile numbers unless confirmed as public`, async () => {
  const staged = await stage(
    '机构,负责人身份证,咨询电话\r\n第一医院,11010519491231002X,13800138000\r\n第二医院,11010519491231002X,13900139000\r\n',
    'format=csv',
  );
  const u = staged.json();
  assert.deepEqual(
    u.dictionary.fields.map((f: { piiType?: string }) => f.piiType ?? null),
    [null, 'resident_id', 'phone'],
  );
  const field = (source: string, name: string, extra = {}) => ({
    source,
    name,
    title: source,
    type: 'string',
    ...extra,
  });
  const publish = (fields: unknown[]) =>
    json('POST', '/api/v1/opendata/datasets/from-upload', {
      ...base,
      upload: u.id,
      name: 'hospitals',
      title: '医疗机构',
      dictionary: { fields },
    });
  assert.equal(
    (await publish([field('机构', 'org'), field('负责人身份证', 'id')])).json().error.code,
    'opendata.field_closed',
  );
  assert.equal(
    (await publish([field('机构', 'org'), field('咨询电话', 'tel')])).json().error.code,
    'opendata.field_closed',
  );
  assert.equal(
    (await publish([field('负责人身份证', 'id', { notPersonal: true })])).json().error.code,
    'opendata.field_closed',
    'a resident ID is never confirmed away',
  );
  const ok = await publish([field('机构', 'org'), field('咨询电话', 'tel', { notPersonal: true })]);
  assert.equal(ok.statusCode, 201, ok.body);
  // Without a dictionary, the inferred one goes without the personal columns.
  const again = await stage('机构,负责人身份证\r\n第一医院,11010519491231002X\r\n', 'format=csv');
  const plain = await json('POST', '/api/v1/opendata/datasets/from-upload', {
    ...base,
    upload: again.json().id,
    name: 'hospitals-plain',
    title: '医疗机构（简）',
  });
  assert.deepEqual(
    plain.json().versions[0].fields.map((f: { name: string }) => f.name),
    ['c1'],
  );
});

test(`[${ENGINE}] XLSX and JSON files; GB18030 with its encoding named`, async () => {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('机构');
  sheet.addRow(['name', 'beds', 'opened']);
  sheet.addRow(['第一医院', 500, new Date('1998-03-01T00:00:00Z')]);
  sheet.addRow(['第二医院', 320, new Date('2005-07-15T00:00:00Z')]);
  const xlsx = await stage(Buffer.from(await book.xlsx.writeBuffer()), 'format=xlsx', XLSX);
  assert.equal(xlsx.statusCode, 201, xlsx.body);
  assert.deepEqual(
    xlsx.json().dictionary.fields.map((f: { name: string; type: string }) => `${f.name}:${f.type}`),
    ['name:string', 'beds:integer', 'opened:date'],
  );
  const records = [
    { code: 'A1', open: true, score: 4.5 },
    { code: 'A2', open: false, score: null },
  ];
  const fromJson = await stage(JSON.stringify(records), 'format=json', 'application/json');
  assert.equal(fromJson.statusCode, 201, fromJson.body);
  assert.deepEqual(
    fromJson.json().dictionary.fields.map((f: { name: string; type: string }) => `${f.name}:${f.type}`),
    ['code:string', 'open:boolean', 'score:number'],
  );
  const gbk = Buffer.from([
    ...Buffer.from('name\r\n'),
    0xba,
    0xcd,
    0xc6,
    0xbd,
    0xc7,
    0xf8, // 和平区 in GB18030
    0x0d,
    0x0a,
  ]);
  const wrong = await stage(gbk, 'format=csv');
  assert.equal(wrong.statusCode, 400);
  assert.equal(wrong.json().error.code, 'opendata.upload_encoding');
  assert.match(wrong.json().error.message, /^line 2: /);
  const right = await stage(gbk, 'format=csv&encoding=gb18030');
  assert.equal(right.statusCode, 201, right.body);
  assert.deepEqual(right.json().sample, [['和平区']]);
});

test(`[${ENGINE}] bad files are refused with the line or column named, and nothing is staged`, async () => {
  const before = await countRows(p, 'opendata_uploads' as never);
  const cases: Array<[string | Buffer, string, string, RegExp?]> = [
    ['a,b\r\n1,2\r\n3\r\n', 'format=csv', 'opendata.upload_malformed', /line 3/],
    ['a,"b\r\n1,2\r\n', 'format=csv', 'opendata.upload_malformed'],
    ['', 'format=csv', 'opendata.upload_empty'],
    ['a,b\r\n', 'format=csv', 'opendata.upload_empty'],
    ['a,a\r\n1,2\r\n', 'format=csv', 'opendata.upload_malformed', /'a' appears twice/],
    ['a,,c\r\n1,2,3\r\n', 'format=csv', 'opendata.upload_header', /column 2/],
    [Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x13, 0x37]), 'format=csv', 'opendata.upload_encoding'],
    [Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x13, 0x37]), 'format=xlsx', 'opendata.upload_malformed'],
    ['{"a":1}', 'format=json', 'opendata.upload_malformed', /array/],
    ['[{"a":{"b":1}}]', 'format=json', 'opendata.upload_malformed', /record 1, field 'a'/],
    ['[1]', 'format=json', 'opendata.upload_malformed', /record 1 is not an object/],
    ['[{"a":1', 'format=json', 'opendata.upload_malformed'],
  ];
  for (const [body, query, code, message] of cases) {
    const res = await stage(body, query, query.includes('xlsx') ? XLSX : 'text/csv');
    assert.equal(res.statusCode, 400, `${query} ${String(body).slice(0, 20)}: ${res.body}`);
    assert.equal(res.json().error.code, code, res.body);
    if (message) assert.match(res.json().error.message, message);
  }
  assert.equal((await stage(LINES, 'format=csv', 'text/csv', stranger)).statusCode, 404, "another department's");
  assert.equal((await stage(LINES, 'format=parquet')).statusCode, 400);
  assert.equal(await countRows(p, 'opendata_uploads' as never), before);
});
