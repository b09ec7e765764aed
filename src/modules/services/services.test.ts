// The service catalog: items are drafted, published and withdrawn by their department's admins, versioned and
// ledgered; the public sees published items only; bad guides are refused with the field named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildDepartment,
  ENGINE,
  guideInput,
  queuedEntries,
  staffSession,
  startTestPlatform,
  systemDeps,
} from '../../../test/helpers.ts';
import { loadStaffActor, type StaffActor } from '../org/index.ts';
import { defineSubplatform } from './index.ts';
import type { Guide } from './services.schemas.ts';

const p = await startTestPlatform();
const dept = await buildDepartment(p);
const admin = await staffSession(p, ['department_admin'], dept.id);
await defineSubplatform(systemDeps(p), 'system', {
  code: 'social_security',
  name: '社保服务',
  audience: 'person',
  description: '社会保险',
  sort: 0,
});

const guide = (overrides: Partial<Guide> = {}): Guide =>
  guideInput({
    materials: [{ name: '居民身份证', source: 'register', register: '101001-000001', trust: 'A', required: true }],
    keywords: ['社保卡'],
    ...overrides,
  });

const post = (url: string, payload?: unknown, headers = admin.login.headers) =>
  p.internal.inject({ method: 'POST', url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

test(`[${ENGINE}] an item is drafted, published (then public), changed as a new version and withdrawn`, async () => {
  const created = await post('/api/v1/services/manage/items', {
    code: '120000-RS-0001',
    subplatform: 'social_security',
    departmentId: dept.id,
    guide: guide(),
  });
  assert.equal(created.statusCode, 201, created.body);
  assert.equal(created.json().status, 'draft');
  const hidden = await p.public.inject({ method: 'GET', url: '/api/v1/services/items/120000-RS-0001' });
  assert.equal(hidden.statusCode, 404, 'a draft is not public');

  assert.equal((await post('/api/v1/services/manage/items/120000-RS-0001/publish')).statusCode, 200);
  const subs = await p.public.inject({ method: 'GET', url: '/api/v1/services/subplatforms' });
  assert.equal(subs.json().find((s: { code: string }) => s.code === 'social_security').items, 1);
  const listed = await p.public.inject({ method: 'GET', url: '/api/v1/services/items?subplatform=social_security' });
  assert.equal(listed.json().length, 1);
  assert.equal(listed.json()[0].guide.promisedDays, 10);
  const found = await p.public.inject({
    method: 'GET',
    url: `/api/v1/services/items?q=${encodeURIComponent('社保卡')}`,
  });
  assert.equal(found.json().length, 1, 'found by a keyword');
  const none = await p.public.inject({
    method: 'GET',
    url: `/api/v1/services/items?q=${encodeURIComponent('公积金 %')}`,
  });
  assert.equal(none.json().length, 0, 'every word must match; % is taken literally');

  const changed = await p.internal.inject({
    method: 'PUT',
    url: '/api/v1/services/manage/items/120000-RS-0001',
    headers: admin.login.headers,
    payload: { expectedVersion: 2, guide: guide({ promisedDays: 5 }) },
  });
  assert.equal(changed.statusCode, 200, changed.body);
  assert.equal(changed.json().version, 3);
  const stale = await p.internal.inject({
    method: 'PUT',
    url: '/api/v1/services/manage/items/120000-RS-0001',
    headers: admin.login.headers,
    payload: { expectedVersion: 2, guide: guide({ promisedDays: 7 }) },
  });
  assert.equal(stale.statusCode, 409);

  assert.equal((await post('/api/v1/services/manage/items/120000-RS-0001/withdraw')).statusCode, 200);
  const gone = await p.public.inject({ method: 'GET', url: '/api/v1/services/items/120000-RS-0001' });
  assert.equal(gone.statusCode, 404);
  const ledger = await p.db.owner.transaction((tx) =>
    tx.selectFrom('ledger_queue').select('entry_type').where('subject', '=', 'service-item:120000-RS-0001').execute(),
  );
  assert.deepEqual(
    ledger.map((e) => e.entry_type),
    ['services.item.created', 'services.item.published', 'services.item.updated', 'services.item.withdrawn'],
  );
});

test(`[${ENGINE}] bad guides and other departments are refused, and nothing is written`, async () => {
  const cases: Array<[string, unknown, number, string]> = [
    ['promised beyond statutory', { guide: guide({ promisedDays: 30 }) }, 400, '/guide/promisedDays'],
    ['a charged item without its standard', { guide: guide({ fee: { free: false } }) }, 400, '/guide/fee/standard'],
    [
      'a held material without its register',
      { guide: guide({ materials: [{ name: '户口簿', source: 'register', trust: 'A', required: true }] }) },
      400,
      '/guide/materials/0/register',
    ],
    ['an unknown sub-platform', { subplatform: 'nowhere' }, 400, '/subplatform'],
    ['a bad code', { code: 'x' }, 400, '/code'],
  ];
  for (const [label, override, status, field] of cases) {
    const res = await post('/api/v1/services/manage/items', {
      code: '120000-RS-0099',
      subplatform: 'social_security',
      departmentId: dept.id,
      guide: guide(),
      ...(override as object),
    });
    assert.equal(res.statusCode, status, `${label}: ${res.body}`);
    assert.equal(res.json().error.details?.field, field, label);
  }
  const other = await staffSession(p, ['department_admin']);
  const foreign = await post(
    '/api/v1/services/manage/items',
    { code: '120000-RS-0098', subplatform: 'social_security', departmentId: dept.id, guide: guide() },
    other.login.headers,
  );
  assert.equal(foreign.statusCode, 403);
  const count = await p.db.owner.transaction((tx) =>
    tx.selectFrom('service_items').select('code').where('code', 'in', ['120000-RS-0099', '120000-RS-0098']).execute(),
  );
  assert.equal(count.length, 0);
});

test(`[${ENGINE}] a sub-platform is defined by the platform admin or the system, ledgered only when it changes`, async () => {
  const deps = systemDeps(p);
  const row = { code: 'housing', name: '住房服务', audience: 'person' as const, description: '公积金与住房', sort: 5 };
  const before = await queuedEntries(p);
  assert.equal(await defineSubplatform(deps, 'system', row), 'created');
  assert.equal(await defineSubplatform(deps, 'system', row), 'unchanged'); // the demo seeds on every start
  assert.equal(await queuedEntries(p), before + 1);
  const actorOf = async (id: number) => (await p.db.owner.transaction((tx) => loadStaffActor(tx, id))) as StaffActor;
  const platformAdmin = await actorOf((await staffSession(p, ['platform_admin'], dept.id)).member.id);
  const departmentAdmin = await actorOf(admin.member.id);
  const mid = await queuedEntries(p);
  assert.equal(await defineSubplatform(deps, platformAdmin, { ...row, name: '住房保障服务' }), 'changed');
  assert.equal(await queuedEntries(p), mid + 1);
  const entry = await p.db.owner.transaction((tx) =>
    tx.selectFrom('ledger_queue').select(['entry_type', 'actor']).orderBy('id', 'desc').executeTakeFirstOrThrow(),
  );
  assert.deepEqual(entry, { entry_type: 'services.subplatform.changed', actor: `staff:${platformAdmin.staffId}` });
  await assert.rejects(
    defineSubplatform(deps, departmentAdmin, { ...row, name: '别的名字' }),
    (e: Error & { code?: string }) => e.code === 'auth.forbidden',
  );
  assert.equal(await queuedEntries(p), mid + 1, 'a refused definition writes nothing');
});
