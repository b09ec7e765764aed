// Open data: a department opens a register's open fields as a dataset with immutable versions; CKAN's Action API
// answers as CKAN does (GET and POST, its envelope, its errors), the harvester's paging sees every change once, and
// the DataStore reads the version's table. Real database, real zones.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  buildDepartment,
  countRows,
  ENGINE,
  queuedEntries,
  registerInput,
  staffSession,
  startTestPlatform,
  systemDeps,
  waitFor,
} from '../../../test/helpers.ts';
import { createRecord, createRegister } from '../registry/index.ts';

const p = await startTestPlatform();
const sys = systemDeps(p);
const jt = await buildDepartment(p);
const other = await buildDepartment(p);
const officer = await staffSession(p, ['data_officer'], jt.id);
const stranger = await staffSession(p, ['data_officer'], other.id);

const stops = await createRegister(sys, 'system', {
  ...registerInput(jt.id),
  name: '公交站点',
  attribute: 'departmental',
  baseLibrary: undefined,
  classification: { item: '05', subitem: '002' },
  sharing: { type: 'unconditional', method: 'api' },
  open: { type: 'open' },
  fields: [
    {
      code: 'stop_id',
      name: '站点编号',
      type: 'string',
      required: true,
      unique: true,
      grade: 'general',
      piiType: 'none',
    },
    { code: 'stop_name', name: '站点名称', type: 'string', required: true, grade: 'general', piiType: 'none' },
    { code: 'lines', name: '途经线路数', type: 'integer', grade: 'general', piiType: 'none' },
    { code: 'keeper_phone', name: '管理员电话', type: 'string', grade: 'general', piiType: 'phone' },
    { code: 'power_feed', name: '供电回路', type: 'string', grade: 'important', piiType: 'none' },
  ],
} as never);
const closed = await createRegister(sys, 'system', { ...registerInput(jt.id), open: { type: 'closed' } } as never);
const conditional = await createRegister(sys, 'system', {
  ...registerInput(jt.id),
  name: '企业用电量',
  attribute: 'departmental',
  baseLibrary: undefined,
  classification: { item: '05', subitem: '003' },
  open: { type: 'conditional', conditions: '用于节能研究' },
  fields: [
    { code: 'month', name: '月份', type: 'string', required: true, grade: 'general', piiType: 'none' },
    { code: 'kwh', name: '用电量', type: 'decimal', grade: 'general', piiType: 'none' },
  ],
} as never);
for (let i = 1; i <= 25; i++) {
  await createRecord(sys, 'system', stops.code, {
    stop_id: `S${String(i).padStart(3, '0')}`,
    stop_name: i === 7 ? '鼓楼, "北"站' : `站点${i}`,
    lines: i % 5,
    keeper_phone: '13800138000',
    power_feed: `回路${i}`,
  });
}
await createRecord(sys, 'system', conditional.code, { month: '2026-10', kwh: 1234.5 });

const publish = (payload: Record<string, unknown>, headers = officer.login.headers) =>
  p.internal.inject({ method: 'POST', url: '/api/v1/opendata/datasets', headers, payload });
const action = (name: string, query: Record<string, string> = {}) =>
  p.public.inject({ method: 'GET', url: `/api/3/action/${name}?${new URLSearchParams(query)}` });
const post = (name: string, body: unknown) =>
  p.public.inject({ method: 'POST', url: `/api/action/${name}`, payload: body as object });

const base = { theme: 'transport', licenseId: 'cc-by-4.0', tags: ['公交', '站点'] };

test(`[${ENGINE}] a register's open fields become a dataset with version 1; graded and personal fields never leave`, async () => {
  const res = await publish({ ...base, register: stops.code, name: 'bus-stops', title: '公交站点' });
  assert.equal(res.statusCode, 201, res.body);
  const d = res.json();
  assert.equal(d.access, 'open');
  assert.equal(d.version, 1);
  assert.deepEqual(
    d.versions[0].fields.map((f: { name: string }) => f.name),
    ['stop_id', 'stop_name', 'lines'],
  );
  assert.equal(d.versions[0].rowCount, 25);
  // The version's hash is the SHA-256 of the CSV anyone downloads.
  const csv = await p.public.inject({ url: '/api/v1/opendata/datasets/bus-stops/versions/1/data.csv' });
  assert.equal(csv.statusCode, 200);
  assert.equal(createHash('sha256').update(csv.rawPayload).digest('hex'), d.versions[0].sha256);
  assert.match(csv.body, /^stop_id,stop_name,lines\r\nS001,站点1,1\r\n/);
  assert.match(csv.body, /S007,"鼓楼, ""北""站",2\r\n/);
  assert.doesNotMatch(csv.body, /13800138000|回路/);
  const json = await p.public.inject({ url: '/api/v1/opendata/datasets/bus-stops/versions/1/data.json' });
  assert.equal(json.json().length, 25);
  assert.deepEqual(Object.keys(json.json()[0]), ['stop_id', 'stop_name', 'lines']);
});

test(`[${ENGINE}] refusals name the reason and write nothing`, async () => {
  const datasets = await countRows(p, 'opendata_datasets' as never);
  const entries = await queuedEntries(p);
  const cases: Array<[Record<string, unknown>, number, string, typeof officer.login.headers?]> = [
    [
      { ...base, register: stops.code, name: 'phones', fields: ['stop_id', 'keeper_phone'] },
      400,
      'opendata.field_closed',
    ],
    [{ ...base, register: stops.code, name: 'feeds', fields: ['power_feed'] }, 400, 'opendata.field_closed'],
    [{ ...base, register: stops.code, name: 'nofield', fields: ['nope'] }, 400, 'opendata.unknown_field'],
    [{ ...base, register: closed.code, name: 'closed-one' }, 409, 'opendata.not_open'],
    [{ ...base, register: stops.code, name: 'bus-stops' }, 409, 'opendata.name_taken'],
    [{ ...base, register: stops.code, name: 'lic', licenseId: 'wtfpl' }, 400, 'opendata.licence'],
    [{ ...base, register: stops.code, name: 'theirs' }, 404, 'register.not_found', stranger.login.headers],
    [{ ...base, register: stops.code, name: 'Bad Name' }, 400, 'validation.failed'],
  ];
  for (const [payload, status, code, headers] of cases) {
    const res = await publish(payload, headers);
    assert.equal(res.statusCode, status, `${JSON.stringify(payload)}: ${res.body}`);
    assert.equal(res.json().error.code, code);
  }
  assert.equal(await countRows(p, 'opendata_datasets' as never), datasets);
  assert.equal(await queuedEntries(p), entries);
});

test(`[${ENGINE}] a new version snapshots the register again; an unchanged one is refused; both stay downloadable`, async () => {
  const again = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/opendata/datasets/bus-stops/versions',
    headers: officer.login.headers,
    payload: {},
  });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().error.code, 'opendata.unchanged');
  await createRecord(sys, 'system', stops.code, { stop_id: 'S026', stop_name: '新站', lines: 3 });
  const v2 = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/opendata/datasets/bus-stops/versions',
    headers: officer.login.headers,
    payload: { note: '新增一个站点' },
  });
  assert.equal(v2.statusCode, 201, v2.body);
  assert.equal(v2.json().version, 2);
  assert.deepEqual(
    v2.json().versions.map((v: { rowCount: number }) => v.rowCount),
    [25, 26],
  );
  assert.notEqual(v2.json().versions[0].sha256, v2.json().versions[1].sha256);
  const old = await p.public.inject({ url: '/api/v1/opendata/datasets/bus-stops/versions/1/data.csv' });
  assert.equal(createHash('sha256').update(old.rawPayload).digest('hex'), v2.json().versions[0].sha256);
  const other = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/opendata/datasets/bus-stops/versions',
    headers: stranger.login.headers,
    payload: {},
  });
  assert.equal(other.statusCode, 404);
});

test(`[${ENGINE}] the page of changes between two versions: rows added, removed and changed by key`, async () => {
  const diff = await p.public.inject({ url: '/api/v1/opendata/datasets/bus-stops/diff?from=1&to=2' });
  assert.equal(diff.statusCode, 200, diff.body);
  assert.deepEqual(diff.json(), {
    from: 1,
    to: 2,
    fieldsAdded: [],
    fieldsRemoved: [],
    added: 1,
    removed: 0,
    changed: 0,
    samples: { added: ['S026'], removed: [], changed: [] },
  });
  assert.equal(
    (await p.public.inject({ url: '/api/v1/opendata/datasets/bus-stops/diff?from=1&to=9' })).statusCode,
    404,
  );
  assert.equal(
    (await p.public.inject({ url: '/api/v1/opendata/datasets/bus-stops/diff?from=x&to=2' })).statusCode,
    400,
  );
});

test(`[${ENGINE}] CKAN: status_show, package_list, package_show by name and id, GET and POST, the envelope`, async () => {
  assert.equal(
    (await publish({ ...base, register: conditional.code, name: 'power-use', theme: 'economy' })).statusCode,
    201,
  );
  const status = await action('status_show');
  assert.equal(status.statusCode, 200);
  assert.equal(status.json().success, true);
  assert.match(status.json().help, /help_show\?name=status_show$/);
  assert.ok(status.json().result.ckan_version);
  assert.deepEqual((await action('package_list')).json().result, ['bus-stops', 'power-use']);
  const shown = (await action('package_show', { id: 'bus-stops' })).json().result;
  for (const key of [
    'id',
    'name',
    'title',
    'notes',
    'license_id',
    'license_title',
    'owner_org',
    'organization',
    'groups',
    'tags',
    'resources',
    'extras',
    'metadata_created',
    'metadata_modified',
    'num_resources',
    'num_tags',
    'private',
    'state',
    'type',
  ]) {
    assert.ok(key in shown, key);
  }
  assert.equal(shown.version, '2');
  assert.deepEqual(
    shown.resources.map((r: { format: string }) => r.format),
    ['CSV', 'JSON', 'XLSX', 'PARQUET'],
  );
  assert.match(shown.resources[0].hash, /^sha256:[0-9a-f]{64}$/);
  assert.equal(shown.groups[0].name, 'transport');
  const byId = await post('package_show', { id: shown.id });
  assert.equal(byId.json().result.name, 'bus-stops');
  assert.equal((await post('package_show', {})).statusCode, 409);
  const missing = await action('package_show', { id: 'no-such-dataset' });
  assert.equal(missing.statusCode, 404);
  assert.deepEqual(missing.json().error, { __type: 'Not Found Error', message: 'Not found' });
  assert.equal(missing.json().success, false);
});

test(`[${ENGINE}] CKAN errors as CKAN returns them: rows=-1, start=abc, a malformed fq, an unknown action, bad JSON`, async () => {
  const rows = await action('package_search', { rows: '-1' });
  assert.equal(rows.statusCode, 409);
  assert.deepEqual(rows.json().error, { __type: 'Validation Error', rows: ['Must be a natural number'] });
  const start = await action('package_search', { start: 'abc' });
  assert.equal(start.statusCode, 409);
  assert.deepEqual(start.json().error, { __type: 'Validation Error', start: ['Invalid integer'] });
  for (const fq of ['tags:', 'nosuchfield:x', 'metadata_modified:[2026 TO', '"unterminated']) {
    const bad = await action('package_search', { fq });
    assert.equal(bad.statusCode, 400, fq);
    assert.equal(bad.json().error.__type, 'Search Query Error', fq);
  }
  const unknown = await action('package_nonsense');
  assert.equal(unknown.statusCode, 400);
  assert.equal(unknown.json(), 'Bad request - Action name not known: package_nonsense');
  const json = await p.public.inject({
    method: 'POST',
    url: '/api/3/action/package_show',
    headers: { 'content-type': 'application/json' },
    payload: '{"id": ',
  });
  assert.equal(json.statusCode, 400);
  const array = await post('package_show', [1, 2]);
  assert.equal(array.statusCode, 400);
  assert.equal((await action('package_search', { sort: 'drop table desc' })).statusCode, 400);
  assert.equal((await action('package_search', { 'facet.field': '[1,2' })).statusCode, 409);
});

test(`[${ENGINE}] package_search: q, fq terms and ranges, facets, sort, rows clamped to 1000`, async () => {
  const all = (await action('package_search', { 'facet.field': '["groups","tags","res_format"]' })).json().result;
  assert.equal(all.count, 2);
  assert.deepEqual(all.search_facets.groups.items.map((i: { name: string }) => i.name).sort(), [
    'economy',
    'transport',
  ]);
  assert.deepEqual(all.facets.tags, { 公交: 2, 站点: 2 });
  assert.equal((await action('package_search', { q: '站点' })).json().result.count, 2);
  assert.equal((await action('package_search', { q: '用电量 企业' })).json().result.count, 1);
  assert.deepEqual(
    (await action('package_search', { fq: 'groups:transport' }))
      .json()
      .result.results.map((r: { name: string }) => r.name),
    ['bus-stops'],
  );
  assert.equal((await action('package_search', { fq: '-groups:transport' })).json().result.count, 1);
  assert.equal((await action('package_search', { fq: 'tags:"公交" groups:economy' })).json().result.count, 1);
  // Solr's boolean syntax, as CKAN passes fq on: OR, AND, NOT, parentheses, a field's value list; fq_list ANDed.
  for (const [fq, count] of [
    ['groups:(transport OR economy)', 2],
    ['groups:transport OR groups:economy', 2],
    ['groups:transport || groups:economy', 2],
    ['(tags:公交 AND groups:economy) OR name:bus-stops', 2],
    ['NOT groups:transport', 1],
    ['groups:transport AND NOT tags:公交', 0],
    ['groups:transport && -tags:站点', 0],
    ['+groups:transport', 1],
  ] as const) {
    assert.equal((await action('package_search', { fq })).json().result.count, count, fq);
  }
  const both = await action('package_search', {
    fq_list: JSON.stringify(['groups:transport OR groups:economy', 'name:bus-stops']),
  });
  assert.equal(both.json().result.count, 1);
  for (const fq of [
    '(groups:transport',
    'groups:(transport',
    'groups:transport)',
    `${'('.repeat(20)}groups:x${')'.repeat(20)}`,
    'OR',
    'NOT',
  ]) {
    const bad = await action('package_search', { fq });
    assert.equal(bad.statusCode, 400, fq);
    assert.equal(bad.json().error.__type, 'Search Query Error', fq);
  }
  assert.equal(
    (await action('package_search', { fq: 'metadata_modified:[2000-01-01T00:00:00Z TO *]' })).json().result.count,
    2,
  );
  assert.equal(
    (await action('package_search', { fq: 'metadata_modified:[* TO 2000-01-01T00:00:00Z]' })).json().result.count,
    0,
  );
  const sorted = (await post('package_search', { sort: 'name desc', rows: 5000 })).json().result;
  assert.deepEqual(
    sorted.results.map((r: { name: string }) => r.name),
    ['power-use', 'bus-stops'],
  );
  assert.equal(sorted.sort, 'name desc');
  assert.equal(
    (await action('package_search', { rows: '1', start: '1', sort: 'name asc' })).json().result.results[0].name,
    'power-use',
  );
});

test(`[${ENGINE}] the harvester's paging returns every changed dataset exactly once`, async () => {
  const seen: string[] = [];
  for (let start = 0; ; start += 1) {
    const page = (
      await action('package_search', {
        fq: 'metadata_modified:[2000-01-01T00:00:00Z TO *]',
        sort: 'id asc',
        rows: '1',
        start: String(start),
      })
    ).json().result;
    seen.push(...page.results.map((r: { name: string }) => r.name));
    if (page.results.length === 0) break;
  }
  assert.deepEqual([...seen].sort(), ['bus-stops', 'power-use']);
  assert.equal(new Set(seen).size, seen.length);
});

test(`[${ENGINE}] organizations, groups, tags, licences and resources as CKAN lists them`, async () => {
  const orgs = (await action('organization_list', { all_fields: 'true' })).json().result;
  assert.equal(orgs.length, 1);
  assert.equal(orgs[0].package_count, 2);
  const org = (await action('organization_show', { id: orgs[0].name, include_datasets: 'true' })).json().result;
  assert.equal(org.packages.length, 2);
  assert.equal((await action('organization_show', { id: 'nobody' })).statusCode, 404);
  assert.ok((await action('group_list')).json().result.includes('transport'));
  assert.equal((await action('group_show', { id: 'transport' })).json().result.package_count, 1);
  assert.deepEqual((await action('tag_list')).json().result, ['公交', '站点']);
  assert.ok((await action('license_list')).json().result.some((l: { id: string }) => l.id === 'cc-by-4.0'));
  const pkg = (await action('package_show', { id: 'bus-stops' })).json().result;
  const res = (await action('resource_show', { id: pkg.resources[0].id })).json().result;
  assert.equal(res.format, 'CSV');
  assert.equal((await action('resource_show', { id: 'nope' })).statusCode, 404);
});

test(`[${ENGINE}] datastore_search: filters, q, fields, sort, paging, totals, formats; a conditional dataset needs a key`, async () => {
  const pkg = (await action('package_show', { id: 'bus-stops' })).json().result;
  const rid = pkg.resources[0].id;
  const first = (await action('datastore_search', { resource_id: rid, limit: '5' })).json().result;
  assert.equal(first.total, 26);
  assert.equal(first.records.length, 5);
  assert.deepEqual(
    first.fields.map((f: { id: string; type: string }) => `${f.id}:${f.type}`),
    ['_id:int', 'stop_id:text', 'stop_name:text', 'lines:int'],
  );
  const filtered = (
    await post('datastore_search', { resource_id: rid, filters: { lines: 0 }, sort: 'stop_id desc' })
  ).json().result;
  assert.deepEqual(
    filtered.records.map((r: { stop_id: string }) => r.stop_id),
    ['S025', 'S020', 'S015', 'S010', 'S005'],
  );
  const asText = (await action('datastore_search', { resource_id: rid, filters: '{"lines":"0"}' })).json().result;
  assert.equal(asText.total, 5, 'a filter given as text matches the integer field');
  const q = (await action('datastore_search', { resource_id: rid, q: '鼓楼' })).json().result;
  assert.equal(q.total, 1);
  const lists = (
    await action('datastore_search', {
      resource_id: rid,
      fields: 'stop_id',
      limit: '2',
      offset: '24',
      records_format: 'lists',
    })
  ).json().result;
  assert.deepEqual(lists.records, [
    [25, 'S025'],
    [26, 'S026'],
  ]);
  const numeric = (
    await action('datastore_search', { resource_id: rid, sort: 'lines desc', limit: '1', include_total: 'false' })
  ).json().result;
  assert.equal(numeric.records[0].lines, 4);
  assert.equal(numeric.total, undefined);
  for (const [query, status] of [
    [{ resource_id: rid, filters: '{bad' }, 409],
    [{ resource_id: rid, fields: 'keeper_phone' }, 409],
    [{ resource_id: rid, sort: 'power_feed' }, 409],
    [{ resource_id: rid, limit: '-5' }, 409],
    [{ resource_id: rid, records_format: 'xml' }, 409],
    [{ resource_id: 'missing' }, 404],
    [{}, 409],
  ] as const) {
    const res = await action('datastore_search', query as Record<string, string>);
    assert.equal(res.statusCode, status, JSON.stringify(query));
    assert.equal(res.json().success, false);
  }
  const dump = await p.public.inject({ url: `/datastore/dump/${rid}` });
  assert.equal(dump.statusCode, 200);
  assert.equal(dump.body.split('\r\n').length - 2, 26);

  const cond = (await action('package_show', { id: 'power-use' })).json().result;
  const locked = await action('datastore_search', { resource_id: cond.resources[0].id });
  assert.equal(locked.statusCode, 403);
  assert.equal(locked.json().error.__type, 'Authorization Error');
  const file = await p.public.inject({ url: '/api/v1/opendata/datasets/power-use/versions/1/data.csv' });
  assert.equal(file.statusCode, 403);
  assert.equal(file.json().error.code, 'opendata.conditional');
});

test(`[${ENGINE}] the publisher edits a dataset's description: harvesters see it modified, its versions stay`, async () => {
  const edit = (payload: unknown, headers = officer.login.headers) =>
    p.internal.inject({
      method: 'PATCH',
      url: '/api/v1/opendata/datasets/bus-stops',
      headers,
      payload: payload as object,
    });
  const before = (await action('package_show', { id: 'bus-stops' })).json().result;
  const entries = await queuedEntries(p);
  for (const [payload, status, code] of [
    [{ licenseId: 'wtfpl' }, 400, 'opendata.licence'],
    [{ theme: 'nope' }, 400, 'opendata.theme'],
    [{ temporalStart: '2026-05-01', temporalEnd: '2026-01-01' }, 400, 'opendata.temporal'],
    [{}, 400, 'validation.failed'],
    [{ title: '' }, 400, 'validation.failed'],
  ] as const) {
    const res = await edit(payload);
    assert.equal(res.statusCode, status, res.body);
    assert.equal(res.json().error.code, code);
  }
  assert.equal((await edit({ title: '越权修改' }, stranger.login.headers)).statusCode, 404);
  assert.equal(await queuedEntries(p), entries, 'a refused edit writes nothing');
  assert.equal(
    (await action('package_show', { id: 'bus-stops' })).json().result.metadata_modified,
    before.metadata_modified,
  );

  const ok = await edit({
    title: '公交站点（含候车亭）',
    tags: ['公交', '候车亭'],
    contact: '公交集团 022-1234',
    spatial: null,
  });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().contact, '公交集团 022-1234');
  const after = (await action('package_show', { id: 'bus-stops' })).json().result;
  assert.equal(after.title, '公交站点（含候车亭）');
  assert.deepEqual(
    after.tags.map((t: { name: string }) => t.name),
    ['公交', '候车亭'],
  );
  assert.ok(after.metadata_modified > before.metadata_modified, 'a harvester sees it changed');
  assert.deepEqual(
    after.resources.map((r: { hash: string }) => r.hash),
    before.resources.map((r: { hash: string }) => r.hash),
  );
  assert.equal(await queuedEntries(p), entries + 1);
});

test(`[${ENGINE}] a withdrawn dataset leaves the API and its data goes; the workbench keeps its versions' hashes`, async () => {
  const res = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/opendata/datasets/power-use/withdraw',
    headers: officer.login.headers,
    payload: { reason: '数据口径调整' },
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().state, 'withdrawn');
  assert.equal(res.json().versions.length, 1);
  assert.equal((await action('package_show', { id: 'power-use' })).statusCode, 404);
  assert.deepEqual((await action('package_list')).json().result, ['bus-stops']);
  const list = await p.internal.inject({ url: '/api/v1/opendata/datasets', headers: officer.login.headers });
  assert.equal(list.json().find((d: { name: string }) => d.name === 'power-use').versions[0].sha256.length, 64);
  const theirs = await p.internal.inject({ url: '/api/v1/opendata/datasets', headers: stranger.login.headers });
  assert.deepEqual(theirs.json(), []);
});

test(`[${ENGINE}] datasets are in the portal's search, and a withdrawn one leaves it`, async () => {
  const hits = async (q: string) =>
    ((await p.public.inject({ url: `/api/v1/search?q=${encodeURIComponent(q)}` })).json().hits ?? []) as Array<{
      id: string;
      type: string;
    }>;
  await waitFor('the dataset in the search index', async () =>
    (await hits('公交站点')).some((h) => h.type === 'dataset' && h.id === 'bus-stops'),
  );
  await waitFor(
    'the withdrawn one out of it',
    async () => !(await hits('企业用电量')).some((h) => h.type === 'dataset'),
  );
});
