// Search: what a typed query means (pinyin, initials, typos, synonyms), the index's bookkeeping, and the search
// API on both zones — public documents only on the portal, records only for staff who may read them, changes
// found within a second, bad input refused with a clear error.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import {
  buildDepartment,
  ENGINE,
  guideInput,
  registerInput,
  staffSession,
  startTestPlatform,
  systemDeps,
  waitFor,
} from '../../../test/helpers.ts';
import { residentIdCheckChar } from '../privacy/index.ts';
import { createRecord, createRegister, importRecords } from '../registry/index.ts';
import { createItem, defineSubplatform, publishItem, withdrawItem } from '../services/index.ts';
import { parseQuery, readPinyin } from './analysis.ts';
import { type SearchDoc, SearchIndex } from './engine.ts';
import { regionOf } from './search.service.ts';

const show = (q: string, synonyms: string[][] = []) =>
  parseQuery(q, { groups: synonyms }).map((a) =>
    a.groups.map((g) => g.map((u) => u.char ?? u.syl ?? `${u.prefix}*`).join(' ')).join(' / '),
  );

test('latin input reads as pinyin: full syllables, initials, the unfinished last syllable', () => {
  assert.deepEqual(
    readPinyin('shebao')[0]?.units.map((u) => u.syl),
    ['she', 'bao'],
  );
  assert.deepEqual(show('sbk')[0], 's* b* k*');
  assert.deepEqual(show('gongjij')[0], 'gong ji j*');
  assert.deepEqual(show('社bao')[0], '社 bao', 'Han and pinyin typed together are one group');
  assert.deepEqual(show('gongjijin tiqu')[0], 'gong ji jin ti qu', 'spaces between pinyin words do not break it');
  assert.ok(show('xian').includes('xi an'), 'a second reading is kept');
});

test('synonyms substitute in Han and in pinyin; typos are corrected toward what the index knows', () => {
  assert.ok(show('户籍迁移', [['户口', '户籍']]).includes('户 口 迁 移'));
  assert.ok(show('hujiqianyi', [['户口', '户籍']]).includes('户 口 qian yi'), 'the term is recognised by its reading');
  const known = new Set(['@gong ji', '@ji jin', '@shen fen', '@fen zheng']);
  const alternatives = (q: string) =>
    parseQuery(q, { groups: [] }, (t) => (known.has(t) ? 1 : 0)).map((a) =>
      a.groups.map((g) => g.map((u) => u.syl ?? `${u.prefix}*`).join(' ')).join(' / '),
    );
  assert.ok(alternatives('gongjijn').includes('gong ji jin'), 'a missing letter');
  assert.ok(alternatives('shenfengzheng').includes('shen fen zheng'), 'clean pinyin whose syllables never meet');
  assert.deepEqual(parseQuery('   '), []);
});

const doc = (id: string, title: string, extra: Partial<SearchDoc> = {}): SearchDoc => ({
  id,
  type: 'service',
  title,
  keywords: [],
  body: '',
  url: `/services/${id}`,
  facets: {},
  ...extra,
});

test('the index adds, replaces and removes documents, and ranks what matches the title first', () => {
  const index = new SearchIndex();
  index.put(doc('a', '社会保障卡申领', { keywords: ['社保卡'], facets: { department: '人社局' } }));
  index.put(doc('b', '社会保障卡挂失与补换', { keywords: ['补卡'], facets: { department: '人社局' } }));
  index.put(doc('c', '居民身份证换领', { body: '社会保障卡不是身份证', facets: { department: '公安局' } }));
  assert.equal(index.search('社保卡').hits[0]?.doc.id, 'a', 'the keyword');
  assert.deepEqual(
    index
      .search('社会保障卡')
      .hits.map((h) => h.doc.id)
      .slice(0, 2)
      .sort(),
    ['a', 'b'],
    'titles before a body that mentions it',
  );
  assert.equal(index.search('sbzk').hits[0]?.doc.id, 'a', 'initials of the title');
  assert.equal(index.search('补卡').hits[0]?.doc.id, 'b');
  assert.equal(index.search('shenfenzheng').hits[0]?.doc.id, 'c');

  index.put(doc('c', '港澳通行证签注', { facets: { department: '公安局' } }));
  assert.equal(index.search('shenfenzheng').total, 0, 'a replaced document no longer matches its old text');
  assert.equal(index.search('gangao').hits[0]?.doc.id, 'c');
  index.put(doc('d', '出入境 passport 办理'));
  assert.equal(index.search('pasport').hits[0]?.doc.id, 'd', 'a latin word one edit away');
  index.remove('service', 'd');
  index.remove('service', 'c');
  assert.equal(index.search('gangao').total, 0);
  assert.equal(index.size, 2);
});

test('facets are disjunctive, filters combine, pages do not overlap, highlights are escaped', () => {
  const index = new SearchIndex();
  for (let i = 0; i < 25; i++)
    index.put(
      doc(`s${i}`, `公积金提取 ${i}`, { facets: { department: i % 2 ? '公积金中心' : '住建委', level: '市级' } }),
    );
  index.put(doc('x', '<script>公积金</script>', { facets: { department: '公积金中心' } }));
  const all = index.search('公积金');
  assert.equal(all.total, 26);
  const filtered = index.search('公积金', { filters: { department: ['住建委'] } });
  assert.equal(filtered.total, 13);
  assert.deepEqual(
    filtered.facets.department.map((f) => f.value).sort(),
    ['住建委', '公积金中心'],
    'the other department stays countable while one is chosen',
  );
  assert.equal(index.search('公积金', { filters: { department: ['住建委'], level: ['区级'] } }).total, 0);
  const page1 = index.search('公积金提取', { size: 10 }).hits.map((h) => h.doc.id);
  const page2 = index.search('公积金提取', { size: 10, page: 2 }).hits.map((h) => h.doc.id);
  assert.equal(page1.length, 10);
  assert.equal(page2.length, 10);
  assert.equal(new Set([...page1, ...page2]).size, 20);
  const x = index.search('script 公积金').hits.find((h) => h.doc.id === 'x');
  assert.ok(x);
  assert.ok(!x.highlight.includes('<script>'), x.highlight);
  assert.match(x.highlight, /&#60;script&#62;<mark>公积金<\/mark>/);
});

test('completions need every typed position; popularity and region break ties', () => {
  const index = new SearchIndex();
  index.put(doc('a', '社会保障卡申领', { keywords: ['社保卡'], popularity: 0, region: '120000' }));
  index.put(doc('b', '社会保障卡申领', { keywords: ['社保卡'], popularity: 500, region: '120000' }));
  index.put(doc('c', '社会保障卡申领', { keywords: ['社保卡'], popularity: 0, region: '120101' }));
  index.put(doc('d', '事业单位登记', { keywords: ['事业单位'] }));
  const ids = index.suggest('sbk').map((h) => h.doc.id);
  assert.equal(ids[0], 'b', 'the most used first');
  assert.ok(!ids.includes('d'), 'scattered initials do not complete');
  assert.equal(index.search('社会保障卡', { region: '120101' }).hits[1]?.doc.id, 'c', 'near the searcher next');
  assert.deepEqual(index.suggest('s'), [], 'one letter says too little');
});

test("a logged-in applicant's region comes from what the masked identifier shows", () => {
  assert.equal(regionOf({ kind: 'person', identifierMasked: '120101********1234' }), '120101');
  assert.equal(regionOf({ kind: 'enterprise', identifierMasked: '91120116******3X43' }), '120116');
  assert.equal(regionOf({ kind: 'person', identifierMasked: '******' }), undefined);
  assert.equal(regionOf(undefined), undefined);
});

// ---- the API, on a real database ----

const p = await startTestPlatform();
const deps = systemDeps(p);
const rs = await buildDepartment(p);
const ga = await buildDepartment(p);
const admin = await staffSession(p, ['platform_admin']);
const rsClerk = await staffSession(p, ['caseworker'], rs.id);
const gaClerk = await staffSession(p, ['caseworker'], ga.id);
await defineSubplatform(deps, 'system', {
  code: 'social_security',
  name: '社保服务',
  audience: 'person',
  description: '',
  sort: 0,
});

const guide = (name: string, keywords: string[]) => guideInput({ name, keywords, competentDepartment: '人社局' });

const idNumber = (body17: string) => body17 + residentIdCheckChar(body17);
const registerCode = (
  await createRegister(deps, 'system', {
    ...registerInput(ga.id, { name: '户籍人口基本信息' }),
  } as never)
).code;
const secretId = idNumber('12010119900101123');
await createRecord(deps, 'system', registerCode, {
  resident_id: secretId,
  name: '王晓明',
  gender: '男',
  birth_date: '1990-01-01',
});
await createRegister(deps, 'system', {
  ...registerInput(rs.id, {
    name: '内部人员名册',
    visibility: 'internal',
    attribute: 'departmental',
    baseLibrary: undefined,
    classification: { item: '03', subitem: '001' },
  }),
} as never);

/** Waits until the index reflects a commit (promised within a second; the timeout is generous for slow machines). */
const fresh = (check: () => Promise<boolean>) => waitFor('the index to follow the commit', check);

const get = (app: 'public' | 'internal', url: string, headers?: Record<string, string>) =>
  p[app].inject({ method: 'GET', url, ...(headers ? { headers } : {}) });
const titles = (res: { json: () => { hits: { title: string }[] } }) => res.json().hits.map((h) => h.title);

test(`[${ENGINE}] a published item is found as soon as the index follows its commit, in pinyin and initials; a withdrawn one disappears`, async () => {
  await createItem(deps, 'system', {
    code: '120000-RS-0001',
    subplatform: 'social_security',
    departmentId: rs.id,
    guide: guide('社会保障卡申领', ['社保卡']),
  });
  assert.equal((await get('public', '/api/v1/search?q=sbk')).json().total, 0, 'a draft is not searchable');
  await publishItem(deps, 'system', '120000-RS-0001');
  await fresh(async () => titles(await get('public', '/api/v1/search?q=sbk')).includes('社会保障卡申领'));
  const res = await get('public', `/api/v1/search?q=${encodeURIComponent('社bao卡')}`);
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.hits[0].title, '社会保障卡申领', 'the title is plain text');
  assert.equal(body.hits[0].type, 'service');
  assert.equal(body.hits[0].url, '/services/120000-RS-0001');
  assert.match(body.hits[0].highlight, /<mark>/);
  assert.deepEqual(body.facets.subplatform, [{ value: '社保服务', count: 1 }]);
  const suggestions = (await get('public', '/api/v1/search/suggest?q=shebaok')).json();
  assert.equal(suggestions[0]?.title, '社会保障卡申领');

  await withdrawItem(deps, 'system', '120000-RS-0001');
  await fresh(async () => (await get('public', '/api/v1/search?q=sbk')).json().total === 0);
});

test(`[${ENGINE}] the portal finds the public catalog but never internal registers, records or staff`, async () => {
  await fresh(async () => titles(await get('public', `/api/v1/search?q=${encodeURIComponent('户籍人口')}`)).length > 0);
  const found = await get('public', `/api/v1/search?q=${encodeURIComponent('户籍人口')}`);
  assert.deepEqual(
    found.json().hits.map((h: { type: string }) => h.type),
    ['catalog'],
  );
  assert.equal((await get('public', `/api/v1/search?q=${encodeURIComponent('内部人员名册')}`)).json().total, 0);
  assert.equal((await get('public', `/api/v1/search?q=${encodeURIComponent('王晓明')}`)).json().total, 0);
  assert.equal((await get('public', `/api/v1/search?q=${secretId}`)).json().total, 0);
  assert.equal((await get('public', `/api/v1/search?q=${encodeURIComponent('测试员')}`)).json().total, 0);
});

test(`[${ENGINE}] staff find records only of registers they may read, by name or ID number, never shown in full`, async () => {
  const internal = (q: string, login: { headers: Record<string, string> }) =>
    get('internal', `/api/v1/search?q=${encodeURIComponent(q)}&type=record`, login.headers);
  await fresh(async () => (await internal('王晓明', gaClerk.login)).json().total === 1);
  const byId = await internal(secretId, gaClerk.login);
  assert.equal(byId.json().total, 1, 'found by the exact ID number');
  assert.ok(!byId.body.includes(secretId), 'the ID number is not in the answer');
  assert.match(byId.json().hits[0].snippet, /120101\*{8}/);
  assert.equal((await internal('王晓明', rsClerk.login)).json().total, 0, 'another department does not see it');
  assert.equal((await internal(secretId, rsClerk.login)).json().facets.type.length, 0, 'nor count it in facets');
  assert.equal((await internal('王晓明', admin.login)).json().total, 1, 'the platform admin does');
  const internalRegister = await get(
    'internal',
    `/api/v1/search?q=${encodeURIComponent('内部人员名册')}&type=catalog`,
    rsClerk.login.headers,
  );
  assert.deepEqual(titles(internalRegister), ['内部人员名册'], 'the whole catalog for staff');
  assert.equal((await get('internal', '/api/v1/search?q=abc')).statusCode, 401, 'staff only');
});

test(`[${ENGINE}] an import of hundreds of records becomes searchable through one notification (a range)`, async () => {
  const rows = Array.from({ length: 250 }, (_, i) => {
    const body = `120101199002${String(10 + (i % 18)).padStart(2, '0')}${String(100 + i).padStart(3, '0')}`;
    return `${idNumber(body)},导入居民${String(i).padStart(3, '0')},女,1990-02-${String(10 + (i % 18)).padStart(2, '0')}`;
  });
  const csv = ['resident_id,name,gender,birth_date', ...rows].join('\n');
  const report = await importRecords(deps, 'system', registerCode, Readable.from([csv]), { format: 'csv' });
  assert.equal(report.inserted, 250, JSON.stringify(report).slice(0, 300));
  const q = `/api/v1/search?q=${encodeURIComponent('导入居民249')}&type=record`;
  await fresh(async () => titles(await get('internal', q, gaClerk.login.headers)).includes('导入居民249'));
});

test(`[${ENGINE}] the platform admin sees what portal searches found nothing, without personal data`, async () => {
  const miss = encodeURIComponent('宠物芯片登记');
  for (let i = 0; i < 3; i++) assert.equal((await get('public', `/api/v1/search?q=${miss}`)).json().total, 0);
  await get('public', `/api/v1/search?q=${encodeURIComponent('没有这个事项')}`); // once: below the threshold
  for (let i = 0; i < 3; i++) await get('public', `/api/v1/search?q=12010119900101999X`);
  for (let i = 0; i < 3; i++) await get('internal', `/api/v1/search?q=${miss}x`, rsClerk.login.headers);
  const misses = async () =>
    (await get('internal', '/api/v1/search/misses', admin.login.headers)).json() as { query: string; count: number }[];
  await waitFor('the miss to be written', async () => (await misses()).some((m) => m.query === '宠物芯片登记'));
  const listed = await misses();
  assert.deepEqual(
    listed.find((m) => m.query === '宠物芯片登记'),
    { query: '宠物芯片登记', count: 3 },
  );
  for (const never of ['12010119900101999x', '宠物芯片登记x', '没有这个事项'])
    assert.ok(!listed.some((m) => m.query === never), `${never}: no identifier, no staff search, no one-off`);
  assert.equal((await get('internal', '/api/v1/search/misses', rsClerk.login.headers)).statusCode, 403);
});

test(`[${ENGINE}] bad queries are refused with the field named`, async () => {
  for (const url of [
    '/api/v1/search',
    '/api/v1/search?q=',
    `/api/v1/search?q=${'社'.repeat(101)}`,
    '/api/v1/search?q=a&facet=colour:red',
    '/api/v1/search?q=a&facet=department',
    '/api/v1/search?q=a&page=0',
    '/api/v1/search?q=a&size=500',
    '/api/v1/search?q=a&region=tianjin',
  ]) {
    const res = await get('public', url);
    assert.equal(res.statusCode, 400, url);
    assert.ok(res.json().error.code, url);
  }
  assert.equal((await get('public', '/api/v1/search?q=%20%20')).statusCode, 400, 'blank');
  assert.deepEqual((await get('public', '/api/v1/search/suggest?q=')).json(), []);
});

test(`[${ENGINE}] the platform admin edits synonyms; the change is ledgered and searched at once`, async () => {
  await createItem(deps, 'system', {
    code: '120000-RS-0009',
    subplatform: 'social_security',
    departmentId: rs.id,
    guide: guide('灵活就业人员参保登记', ['灵活就业']),
  });
  await publishItem(deps, 'system', '120000-RS-0009');
  await fresh(
    async () => (await get('public', `/api/v1/search?q=${encodeURIComponent('灵活就业')}`)).json().total === 1,
  );
  const q = `/api/v1/search?q=${encodeURIComponent('自由职业')}`;
  assert.equal((await get('public', q)).json().total, 0);

  const post = (login: { headers: Record<string, string> }, payload: object) =>
    p.internal.inject({ method: 'POST', url: '/api/v1/search/synonyms', headers: login.headers, payload });
  assert.equal((await post(rsClerk.login, { terms: ['自由职业', '灵活就业'] })).statusCode, 403);
  assert.equal((await post(admin.login, { terms: ['自由职业', ' 自由职业 '] })).statusCode, 400, 'two different terms');
  assert.equal((await post(admin.login, { terms: ['自由职业'] })).statusCode, 400);
  const saved = await post(admin.login, { terms: ['自由职业', '灵活就业'] });
  assert.equal(saved.statusCode, 201, saved.body);
  await fresh(async () => titles(await get('public', q)).includes('灵活就业人员参保登记'));
  const entries = await p.db.owner.transaction((tx) =>
    tx.selectFrom('ledger_queue').select('entry_type').where('entry_type', '=', 'search.synonyms_saved').execute(),
  );
  assert.equal(entries.length, 1);

  const removed = await p.internal.inject({
    method: 'DELETE',
    url: `/api/v1/search/synonyms/${saved.json().id}`,
    headers: admin.login.headers,
  });
  assert.equal(removed.statusCode, 204);
  await fresh(async () => (await get('public', q)).json().total === 0);
});
