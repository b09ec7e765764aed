// Conditional opening end to end: apply (commitments and agreement), review by the publishing department only,
// a key issued by the applicant, and every call checked — unapproved, expired, revoked, over-quota and other-dataset
// keys refused with clear errors, every refusal and every use logged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  accountSession,
  buildDepartment,
  countRows,
  ENGINE,
  type Login,
  queuedEntries,
  registerInput,
  staffSession,
  startTestPlatform,
  systemDeps,
} from '../../../test/helpers.ts';
import { residentIdCheckChar } from '../privacy/index.ts';
import { createRecord, createRegister } from '../registry/index.ts';
import { escalateOverdueApplications } from './access.service.ts';

const p = await startTestPlatform();
const sys = systemDeps(p);
const dept = await buildDepartment(p);
const elsewhere = await buildDepartment(p);
const officer = await staffSession(p, ['data_officer'], dept.id);
const stranger = await staffSession(p, ['data_officer'], elsewhere.id);

async function conditionalDataset(name: string, item: string, rows: number) {
  const reg = await createRegister(sys, 'system', {
    ...registerInput(dept.id),
    name: `企业能耗${name}`,
    attribute: 'departmental',
    baseLibrary: undefined,
    classification: { item: '06', subitem: item },
    open: { type: 'conditional', conditions: '用于节能研究' },
    fields: [
      { code: 'month', name: '月份', type: 'string', required: true, grade: 'general', piiType: 'none' },
      { code: 'kwh', name: '用电量', type: 'decimal', grade: 'general', piiType: 'none' },
    ],
  } as never);
  for (let i = 1; i <= rows; i++)
    await createRecord(sys, 'system', reg.code, { month: `2026-${String(i).padStart(2, '0')}`, kwh: i * 10 });
  const res = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/opendata/datasets',
    headers: officer.login.headers,
    payload: { register: reg.code, name, theme: 'economy', licenseId: 'gov-open-agreement' },
  });
  assert.equal(res.statusCode, 201, res.body);
  const pkg = (await p.public.inject({ url: `/api/3/action/package_show?id=${name}` })).json().result;
  return { resource: pkg.resources[0].id as string };
}
const energy = await conditionalDataset('energy-use', '011', 8);
const water = await conditionalDataset('water-use', '012', 3);

const first17 = '12010119880808123';
const reg = await p.public.inject({
  method: 'POST',
  url: '/api/v1/auth/register',
  payload: {
    kind: 'person',
    name: '周研究',
    residentId: first17 + residentIdCheckChar(first17),
    password: 'research-pass-1',
  },
});
const applicant: Login = accountSession(reg);

const asApplicant = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
  p.public.inject({
    method,
    url,
    headers: applicant.headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const asStaff = (who: typeof officer, url: string, payload?: unknown) =>
  p.internal.inject({
    method: payload === undefined ? 'GET' : 'POST',
    url,
    headers: who.login.headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const search = (resource: string, key?: string, limit = 100) =>
  p.public.inject({
    url: `/api/3/action/datastore_search?resource_id=${resource}&limit=${limit}`,
    headers: key ? { authorization: key } : {},
  });
const application = {
  dataset: 'energy-use',
  purpose: '研究本市企业节能成效',
  scenario: '高校课题组分析月度用电趋势，不对外提供原始数据',
  commitments: true,
  agreement: true,
};

let appId = 0;
let key = '';

test(`[${ENGINE}] applying needs the commitments and the agreement; one pending application per dataset`, async () => {
  const before = await countRows(p, 'opendata_applications' as never);
  const entries = await queuedEntries(p);
  for (const [payload, code] of [
    [{ ...application, commitments: false }, 'opendata.commitments'],
    [{ ...application, agreement: false }, 'opendata.agreement'],
    [{ ...application, dataset: 'no-such' }, 'dataset.not_found'],
  ] as const) {
    const res = await asApplicant('POST', '/api/v1/opendata/applications', payload);
    assert.equal(res.json().error.code, code);
  }
  assert.equal(await countRows(p, 'opendata_applications' as never), before);
  assert.equal(await queuedEntries(p), entries);
  const filed = await asApplicant('POST', '/api/v1/opendata/applications', application);
  assert.equal(filed.statusCode, 201, filed.body);
  appId = filed.json().id;
  assert.ok(Date.parse(filed.json().dueAt) > Date.now());
  const again = await asApplicant('POST', '/api/v1/opendata/applications', application);
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().error.code, 'opendata.application_pending');
  const anonymous = await p.public.inject({
    method: 'POST',
    url: '/api/v1/opendata/applications',
    payload: application,
  });
  assert.equal(anonymous.statusCode, 401);
});

test(`[${ENGINE}] only the publishing department reviews; no key before approval`, async () => {
  assert.deepEqual((await asStaff(stranger, '/api/v1/opendata/applications')).json(), []);
  const theirs = await asStaff(stranger, `/api/v1/opendata/applications/${appId}/decide`, { approve: true });
  assert.equal(theirs.statusCode, 404);
  const early = await asApplicant('POST', `/api/v1/opendata/applications/${appId}/key`);
  assert.equal(early.json().error.code, 'opendata.not_approved');
  // Left undecided past its review deadline, it escalates to the platform admins, once, with a ledger entry.
  const escalation = { db: p.db.owner, ledger: p.ctx.ledger.forZone('internal'), clock: p.ctx.clock };
  assert.equal(await escalateOverdueApplications(escalation), 0, 'not before its deadline');
  await p.db.owner.transaction((tx) =>
    tx
      .updateTable('opendata_applications')
      .set({ due_at: new Date(Date.now() - 60_000) })
      .where('id', '=', appId)
      .execute(),
  );
  const entries = await queuedEntries(p);
  assert.equal(await escalateOverdueApplications(escalation), 1);
  assert.equal(await escalateOverdueApplications(escalation), 0, 'once');
  assert.equal(await queuedEntries(p), entries + 1);
  const pending = (await asStaff(officer, '/api/v1/opendata/applications?status=pending')).json();
  assert.deepEqual(
    pending.map((a: { id: number }) => a.id),
    [appId],
  );
  assert.ok(pending[0].escalatedAt);
  const noReason = await asStaff(officer, `/api/v1/opendata/applications/${appId}/decide`, { approve: false });
  assert.equal(noReason.json().error.code, 'opendata.reason_required');
  const ok = await asStaff(officer, `/api/v1/opendata/applications/${appId}/decide`, {
    approve: true,
    callsPerDay: 3,
    rowsPerDay: 10,
    validDays: 30,
  });
  assert.equal(ok.statusCode, 200, ok.body);
  const twice = await asStaff(officer, `/api/v1/opendata/applications/${appId}/decide`, { approve: true });
  assert.equal(twice.json().error.code, 'opendata.decided');
});

test(`[${ENGINE}] the applicant's key reads the dataset within the day's quota; each call is counted and logged`, async () => {
  const issued = await asApplicant('POST', `/api/v1/opendata/applications/${appId}/key`);
  assert.equal(issued.statusCode, 201);
  key = issued.json().key;
  assert.match(key, /^ztod_/);
  const mine = (await asApplicant('GET', '/api/v1/opendata/applications')).json()[0];
  assert.equal(mine.keyPrefix, key.slice(0, 9));
  assert.equal(mine.status, 'approved');

  const noKey = await search(energy.resource);
  assert.equal(noKey.statusCode, 403);
  assert.equal(noKey.json().error.__type, 'Authorization Error');
  const one = await search(energy.resource, key, 6);
  assert.equal(one.statusCode, 200, one.body);
  assert.equal(one.json().result.records.length, 6);
  // 10 rows a day: the second call gets the 4 left, and then the day's rows are used up.
  const two = await search(energy.resource, key, 6);
  assert.equal(two.json().result.records.length, 4);
  const three = await search(energy.resource, key, 6);
  assert.equal(three.statusCode, 429);
  assert.equal(three.json().error.__type, 'Rate Limit Error');
  assert.ok(Number(three.headers['retry-after']) > 0);
  const usage = (await asApplicant('GET', '/api/v1/opendata/applications')).json()[0];
  assert.equal(usage.callsToday, 2);
  assert.equal(usage.rowsToday, 10);
  const log = (await asApplicant('GET', `/api/v1/opendata/applications/${appId}/log`)).json();
  assert.deepEqual(
    log.map((l: { decision: string; reason: string | null }) => `${l.decision}:${l.reason ?? ''}`),
    ['deny:opendata.over_quota', 'allow:', 'allow:'],
  );
});

test(`[${ENGINE}] another dataset's, an unknown, an expired and a revoked key are refused and logged`, async () => {
  const logged = await countRows(p, 'opendata_access_log' as never);
  const other = await search(water.resource, key);
  assert.equal(other.statusCode, 403);
  assert.match(other.json().error.message, /another dataset/);
  assert.equal((await search(energy.resource, 'ztod_not-a-key')).statusCode, 403);
  const csv = await p.public.inject({
    url: '/api/v1/opendata/datasets/water-use/versions/1/data.csv',
    headers: { authorization: key },
  });
  assert.equal(csv.json().error.code, 'opendata.key_other_dataset');

  await p.db.owner.transaction((tx) =>
    tx
      .updateTable('opendata_applications')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', appId)
      .execute(),
  );
  const expired = await p.public.inject({
    url: '/api/v1/opendata/datasets/energy-use/versions/1/data.csv',
    headers: { authorization: key },
  });
  assert.equal(expired.json().error.code, 'opendata.key_expired');
  await p.db.owner.transaction((tx) =>
    tx
      .updateTable('opendata_applications')
      .set({ expires_at: new Date(Date.now() + 86_400_000) })
      .where('id', '=', appId)
      .execute(),
  );

  assert.equal(
    (await asStaff(stranger, `/api/v1/opendata/applications/${appId}/revoke`, { reason: '越权' })).statusCode,
    404,
  );
  const revoked = await asStaff(officer, `/api/v1/opendata/applications/${appId}/revoke`, {
    reason: '超出申请用途使用',
  });
  assert.equal(revoked.statusCode, 204);
  const after = await p.public.inject({
    url: '/api/v1/opendata/datasets/energy-use/versions/1/data.csv',
    headers: { authorization: key },
  });
  assert.equal(after.statusCode, 401);
  assert.equal(after.json().error.code, 'opendata.key_revoked');
  assert.equal(await countRows(p, 'opendata_access_log' as never), logged + 5, 'every refusal is logged');
});
