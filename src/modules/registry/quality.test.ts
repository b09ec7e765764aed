import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDepartment, ENGINE, registerInput, staffSession, startTestPlatform } from '../../../test/helpers.ts';
import { residentIdCheckChar } from '../privacy/index.ts';

const p = await startTestPlatform();
const dept = await buildDepartment(p);
const officer = await staffSession(p, ['data_officer'], dept.id);
const h = officer.login.headers;
const id = (i: number) => {
  const first17 = `12010119850101${String(i).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
};

test(`[${ENGINE}] quality scores completeness, validity against the current rules, and open objections`, async () => {
  const reg = (
    await p.internal.inject({
      method: 'POST',
      url: '/api/v1/registry/registers',
      headers: h,
      payload: registerInput(dept.id),
    })
  ).json();
  const base = `/api/v1/registry/registers/${reg.code}`;
  for (let i = 1; i <= 4; i++) {
    const data = { resident_id: id(i), name: `居民${i}`, ...(i <= 2 ? { gender: '男', household_size: 2 } : {}) };
    assert.equal(
      (await p.internal.inject({ method: 'POST', url: `${base}/records`, headers: h, payload: { data } })).statusCode,
      201,
    );
  }
  const q1 = (await p.internal.inject({ method: 'GET', url: `${base}/quality`, headers: h })).json();
  assert.equal(q1.records, 4);
  assert.equal(q1.validity, 1);
  // 5 fields: resident_id, name full; gender and household_size half; birth_date empty → (1+1+0.5+0+0.5)/5
  assert.equal(q1.completeness, 0.6);
  assert.equal(q1.score, Math.round(100 * (0.4 * 0.6 + 0.4 * 1 + 0.2 * 1)));
  const again = (await p.internal.inject({ method: 'GET', url: `${base}/quality`, headers: h })).json();
  assert.equal(again.computedAt, q1.computedAt, 'unchanged records: the stored score is served');

  // The provider tightens a rule: gender becomes required; two old records no longer pass.
  const fields = registerInput(dept.id).fields.map((f) => (f.code === 'gender' ? { ...f, required: true } : f));
  const patched = await p.internal.inject({
    method: 'PATCH',
    url: base,
    headers: h,
    payload: { expectedVersion: 1, fields },
  });
  assert.equal(patched.statusCode, 200, patched.body);
  const anyRecord = (await p.internal.inject({ method: 'GET', url: `${base}/records`, headers: h })).json().records[0];
  const objection = await p.internal.inject({
    method: 'POST',
    url: `${base}/records/${anyRecord.id}/objections`,
    headers: h,
    payload: { reason: '性别缺失' },
  });
  assert.equal(objection.statusCode, 201);
  const q2 = (await p.internal.inject({ method: 'GET', url: `${base}/quality`, headers: h })).json();
  assert.equal(q2.validity, 0.5);
  assert.equal(q2.objectionFree, 0.75);
  assert.ok(q2.score < q1.score);
  assert.equal(q2.invalidExamples.length, 2);
  assert.equal(q2.invalidExamples[0].field, '/data/gender');
});
