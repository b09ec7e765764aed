import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildDepartment,
  buildStaff,
  countRows,
  ENGINE,
  staffSession,
  startTestDb,
  startTestPlatform,
} from '../../../test/helpers.ts';
import { ensureRegions } from './index.ts';

const p = await startTestPlatform({ env: { ZT_BODY_LIMIT: '4096' } });
const admin = await staffSession(p, ['platform_admin']);

test(`[${ENGINE}] a platform admin creates and changes departments; others may not`, async () => {
  const res = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/org/departments',
    headers: admin.login.headers,
    payload: { code: 'TJ-TEST1', name: '天津市测试局', shortName: '市测试局', regionCode: '120000' },
  });
  assert.equal(res.statusCode, 201, res.body);
  const dept = res.json();
  const patched = await p.internal.inject({
    method: 'PATCH',
    url: `/api/v1/org/departments/${dept.id}`,
    headers: admin.login.headers,
    payload: { name: '天津市测试管理局' },
  });
  assert.equal(patched.json().name, '天津市测试管理局');

  const clerk = await staffSession(p, ['caseworker']);
  const denied = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/org/departments',
    headers: clerk.login.headers,
    payload: { code: 'TJ-TEST2', name: '天津市测试二局', regionCode: '120000' },
  });
  assert.equal(denied.statusCode, 403);
  assert.equal(denied.json().error.code, 'auth.forbidden');
  const dup = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/org/departments',
    headers: admin.login.headers,
    payload: { code: 'TJ-TEST1', name: '重复', regionCode: '120000' },
  });
  assert.equal(dup.statusCode, 409);
  assert.equal(dup.json().error.details.field, '/code');
  const badRegion = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/org/departments',
    headers: admin.login.headers,
    payload: { code: 'TJ-TEST3', name: '无地区', regionCode: '999999' },
  });
  assert.equal(badRegion.statusCode, 400);
  assert.equal(badRegion.json().error.details.field, '/regionCode');
});

test(`[${ENGINE}] bad input is a clear 4xx naming the field, and changes nothing`, async () => {
  const before = await countRows(p, 'departments');
  const post = (payload: string, contentType = 'application/json') =>
    p.internal.inject({
      method: 'POST',
      url: '/api/v1/org/departments',
      headers: { ...admin.login.headers, 'content-type': contentType },
      payload,
    });
  const malformed = await post('{"code": "X1", "name": ');
  assert.equal(malformed.statusCode, 400);
  assert.equal(malformed.json().error.code, 'request.malformed_json');
  const wrongType = await post(JSON.stringify({ code: 'TJ-W1', name: 123, regionCode: '120000' }));
  assert.equal(wrongType.statusCode, 400);
  assert.equal(wrongType.json().error.details.field, '/name');
  const unknown = await post(JSON.stringify({ code: 'TJ-W2', name: '某局', regionCode: '120000', secretFlag: true }));
  assert.equal(unknown.statusCode, 400);
  assert.equal(unknown.json().error.details.field, '/secretFlag');
  assert.match(unknown.json().error.message, /unknown field/);
  const missing = await post(JSON.stringify({ code: 'TJ-W3', regionCode: '120000' }));
  assert.equal(missing.json().error.details.field, '/name');
  const badPattern = await post(JSON.stringify({ code: 'has space', name: 'x', regionCode: '120000' }));
  assert.equal(badPattern.json().error.details.field, '/code');
  const huge = await post(JSON.stringify({ code: 'TJ-W4', name: 'x'.repeat(10_000), regionCode: '120000' }));
  assert.equal(huge.statusCode, 413);
  assert.equal(huge.json().error.code, 'request.too_large');
  const form = await post('code=TJ-W5', 'application/x-www-form-urlencoded');
  assert.equal(form.statusCode, 415);
  const badId = await p.internal.inject({
    method: 'GET',
    url: '/api/v1/org/departments/abc',
    headers: admin.login.headers,
  });
  assert.equal(badId.statusCode, 400);
  assert.equal(badId.json().error.details.field, '/id');
  for (const res of [malformed, wrongType, unknown, huge, form]) assert.ok(res.json().requestId);
  assert.equal(await countRows(p, 'departments'), before);
});

test(`[${ENGINE}] a department admin manages staff and roles of their own department only`, async () => {
  const dept = await buildDepartment(p);
  const otherDept = await buildDepartment(p);
  const deptAdmin = await staffSession(p, ['department_admin'], dept.id);
  const create = (departmentId: number, roles: string[]) =>
    p.internal.inject({
      method: 'POST',
      url: '/api/v1/org/staff',
      headers: deptAdmin.login.headers,
      payload: { username: `clerk${departmentId}x${roles.length}`, displayName: '新同事', departmentId, roles },
    });
  const created = await create(dept.id, ['caseworker']);
  assert.equal(created.statusCode, 201, created.body);
  assert.deepEqual(created.json().roles, [{ role: 'caseworker', departmentId: dept.id }]);

  const before = await countRows(p, 'staff');
  assert.equal((await create(otherDept.id, ['caseworker'])).statusCode, 403);
  assert.equal((await create(dept.id, ['platform_admin'])).statusCode, 403, 'cannot grant platform_admin');
  assert.equal(await countRows(p, 'staff'), before);

  const id = created.json().id;
  const grant = await p.internal.inject({
    method: 'POST',
    url: `/api/v1/org/staff/${id}/roles`,
    headers: deptAdmin.login.headers,
    payload: { role: 'data_officer', departmentId: dept.id },
  });
  assert.equal(grant.statusCode, 200);
  assert.equal(grant.json().roles.length, 2);
  const revoke = await p.internal.inject({
    method: 'DELETE',
    url: `/api/v1/org/staff/${id}/roles`,
    headers: deptAdmin.login.headers,
    payload: { role: 'caseworker', departmentId: dept.id },
  });
  assert.deepEqual(revoke.json().roles, [{ role: 'data_officer', departmentId: dept.id }]);

  const stranger = await buildStaff(p, { departmentId: otherDept.id });
  const move = await p.internal.inject({
    method: 'PATCH',
    url: `/api/v1/org/staff/${stranger.id}`,
    headers: deptAdmin.login.headers,
    payload: { active: false },
  });
  assert.equal(move.statusCode, 404, 'staff of another department: not found or no access');

  const deactivate = await p.internal.inject({
    method: 'PATCH',
    url: `/api/v1/org/staff/${id}`,
    headers: deptAdmin.login.headers,
    payload: { active: false },
  });
  assert.equal(deactivate.json().active, false);
  const dupe = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/org/staff',
    headers: deptAdmin.login.headers,
    payload: { username: created.json().username, displayName: '重名', departmentId: dept.id },
  });
  assert.equal(dupe.statusCode, 409);
});

test(`[${ENGINE}] org routes need a login on the internal zone; the public zone lists regions and departments`, async () => {
  const anon = await p.internal.inject({ method: 'GET', url: '/api/v1/org/staff' });
  assert.equal(anon.statusCode, 401);
  const regions = await p.public.inject({ method: 'GET', url: '/api/v1/org/regions?parent=120000' });
  assert.equal(regions.statusCode, 200);
  assert.ok(regions.json().some((r: { code: string }) => r.code === '120101'));
  const depts = await p.public.inject({ method: 'GET', url: '/api/v1/org/departments?region=120000' });
  assert.ok(depts.json().length > 0);
  const staffOnPublic = await p.public.inject({ method: 'GET', url: '/api/v1/org/staff' });
  assert.equal(staffOnPublic.statusCode, 404);
});

test(`[${ENGINE}] a region needs an existing parent of a higher level`, async () => {
  const mk = (payload: object) =>
    p.internal.inject({ method: 'POST', url: '/api/v1/org/regions', headers: admin.login.headers, payload });
  assert.equal((await mk({ code: '120199', name: '测试区', level: 'county', parentCode: '120000' })).statusCode, 201);
  const under = await mk({ code: '120198', name: '错层区', level: 'province', parentCode: '120000' });
  assert.equal(under.statusCode, 400);
  assert.equal(under.json().error.details.field, '/level');
  const orphan = await mk({ code: '120197', name: '孤儿区', level: 'county' });
  assert.equal(orphan.json().error.details.field, '/parentCode');
});

test(`[${ENGINE}] a node without regions gets the GB/T 2260 divisions once`, async () => {
  const empty = await startTestDb();
  const db = empty.owner;
  const loaded = await ensureRegions({ db });
  assert.ok(loaded > 3000, `loaded ${loaded}`);
  assert.equal(await ensureRegions({ db }), 0, 'the second time nothing');
  const hebei = await db.transaction((tx) =>
    tx.selectFrom('regions').selectAll().where('code', '=', '130000').executeTakeFirst(),
  );
  assert.equal(hebei?.name, '河北省');
});
