// Applications end to end through the HTTP API: a citizen drafts, uploads and submits; the held material is fetched
// at acceptance; a correction stops the clock; two departments approve in parallel; the conclusion issues an
// electronic licence; every step has a receipt the citizen can read. And the misuse that must fail cleanly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  accountSession,
  buildDepartment,
  ENGINE,
  guideInput,
  type Login,
  registerInput,
  staffSession,
  startTestPlatform,
  systemDeps,
} from '../../../test/helpers.ts';
import { residentIdCheckChar } from '../privacy/index.ts';
import { createRecord, createRegister } from '../registry/index.ts';
import { createItem, defineSubplatform, publishItem } from './index.ts';

const p = await startTestPlatform({ env: { ZT_UPLOAD_LIMIT: '20000' } });
const sys = systemDeps(p);
const rs = await buildDepartment(p);
const ga = await buildDepartment(p);
const rsClerk = await staffSession(p, ['caseworker'], rs.id);
const rsLeader = await staffSession(p, ['leader'], rs.id);
const gaLeader = await staffSession(p, ['leader'], ga.id);
const stranger = await staffSession(p, ['caseworker']);

const rid = (first17: string) => first17 + residentIdCheckChar(first17);
const citizenId = rid('12010119850505123');

// The registers the item relies on: 户籍 (held material) and 电子证照 (the result).
const population = await createRegister(
  { db: sys.db, ledger: sys.ledger, clock: sys.clock },
  'system',
  registerInput(ga.id) as never,
);
await createRecord({ db: sys.db, ledger: sys.ledger, clock: sys.clock }, 'system', population.code, {
  resident_id: citizenId,
  name: '赵敏',
  gender: '女',
});
await createRegister({ db: sys.db, ledger: sys.ledger, clock: sys.clock }, 'system', {
  ...(registerInput(rs.id) as object),
  name: '电子证照目录',
  baseLibrary: 'e_license',
  classification: { item: '09', subitem: '001' },
  sharing: { type: 'unconditional', method: 'api' },
  fields: [
    {
      code: 'license_no',
      name: '证照编号',
      type: 'string',
      unique: true,
      required: true,
      grade: 'general',
      piiType: 'none',
    },
    { code: 'license_type', name: '证照类型', type: 'string', required: true, grade: 'general', piiType: 'none' },
    { code: 'holder_id', name: '持证主体代码', type: 'string', required: true, grade: 'important', piiType: 'none' },
    { code: 'holder_name', name: '持证主体名称', type: 'string', required: true, grade: 'important', piiType: 'name' },
    { code: 'issuer', name: '签发机构', type: 'string', required: true, grade: 'general', piiType: 'none' },
    { code: 'issued_on', name: '签发日期', type: 'date', required: true, grade: 'general', piiType: 'none' },
  ],
} as never);

await defineSubplatform(sys, 'system', {
  code: 'social_security',
  name: '社保服务',
  audience: 'person',
  description: '',
  sort: 0,
});
const ITEM = '120000-RS-0001';
await createItem(sys, 'system', {
  code: ITEM,
  subplatform: 'social_security',
  departmentId: rs.id,
  guide: guideInput({
    materials: [
      { name: '居民身份证', source: 'register', register: population.code, trust: 'A', required: true },
      { name: '近期免冠照片', source: 'upload', trust: 'C', required: true },
    ],
    process: ['受理', '审查', '决定', '办结'],
  }),

  workflow: {
    steps: [
      { key: 'accept', name: '受理', role: 'caseworker', canCorrect: true },
      { key: 'review', name: '审查', role: 'caseworker', canCorrect: true },
      { key: 'decide', name: '决定', role: 'leader', parallel: [ga.id] },
      { key: 'conclude', name: '办结', role: 'caseworker' },
    ],
    licenseType: '社会保障卡',
  },
});
await publishItem(sys, 'system', ITEM);

// 人社 holds a grant on 公安's 户籍 register: the held identity is checked through the safety valve.
const rsData = await staffSession(p, ['data_officer'], rs.id);
const gaData = await staffSession(p, ['data_officer'], ga.id);
const share = await p.internal.inject({
  method: 'POST',
  url: '/api/v1/exchange/requests',
  headers: rsData.login.headers,
  payload: {
    registerCode: population.code,
    fields: ['resident_id', 'name'],
    purpose: '社会保障卡申领核验身份',
    legalBasis: '《社会保险法》',
    validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
  },
});
const approvedShare = await p.internal.inject({
  method: 'POST',
  url: `/api/v1/exchange/requests/${share.json().id}/approve`,
  headers: gaData.login.headers,
  payload: {},
});
if (approvedShare.statusCode !== 200) throw new Error(approvedShare.body);

async function citizen(residentId: string, name: string): Promise<Login> {
  const res = await p.public.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { kind: 'person', name, residentId, password: 'citizen-pass-1' },
  });
  assert.equal(res.statusCode, 201, res.body);
  return accountSession(res);
}
const zhao = await citizen(citizenId, '赵敏');
const other = await citizen(rid('12010119700101456'), '钱多');

const pub = (login: Login, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  p.public.inject({
    method,
    url: `/api/v1${url}`,
    headers: login.headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const work = (login: Login, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  p.internal.inject({
    method,
    url: `/api/v1${url}`,
    headers: login.headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);
const uploadFile = (login: Login, type: string, body: Buffer) =>
  p.public.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    headers: { ...login.headers, 'content-type': type },
    payload: body,
  });

/** A fresh submitted application of 赵敏's: its id, number and version. */
async function submitOne(key: string) {
  const draft = await pub(zhao, 'POST', '/applications', { item: ITEM, idempotencyKey: key });
  const photo = (await uploadFile(zhao, 'image/png', PNG)).json().sha256;
  await pub(zhao, 'PUT', `/applications/${draft.json().id}/draft`, {
    expectedVersion: draft.json().version,
    formData: { phone: '13812345678' },
    uploads: { 近期免冠照片: photo },
  });
  const sub = await pub(zhao, 'POST', `/applications/${draft.json().id}/submit`);
  assert.equal(sub.statusCode, 200, sub.body);
  return { id: draft.json().id as number, number: sub.json().number as string, version: sub.json().version as number };
}

let appId = 0;
let number = '';

test(`[${ENGINE}] uploads are limited by size and by type, checked by their first bytes`, async () => {
  assert.equal((await uploadFile(zhao, 'image/png', PNG)).statusCode, 201);
  const big = await uploadFile(zhao, 'image/png', Buffer.concat([PNG, Buffer.alloc(30_000)]));
  assert.equal(big.statusCode, 413, big.body);
  assert.equal((await uploadFile(zhao, 'application/x-msdownload', Buffer.from('MZ...'))).statusCode, 415);
  const lying = await uploadFile(zhao, 'application/pdf', Buffer.from('MZ this is not a pdf'));
  assert.equal(lying.statusCode, 415);
  assert.equal(lying.json().error.code, 'upload.type');
});

test(`[${ENGINE}] a citizen drafts (idempotently), fails the schema and the materials, then submits once`, async () => {
  const first = await pub(zhao, 'POST', '/applications', { item: ITEM, idempotencyKey: 'zhao-sbk-0001' });
  assert.equal(first.statusCode, 200, first.body);
  assert.deepEqual(first.json().formData, {}, 'this item prefills nothing');
  const again = await pub(zhao, 'POST', '/applications', { item: ITEM, idempotencyKey: 'zhao-sbk-0001' });
  assert.equal(again.json().id, first.json().id, 'the same key is the same draft');
  appId = first.json().id;

  const bad = await pub(zhao, 'PUT', `/applications/${appId}/draft`, {
    expectedVersion: 1,
    formData: { phone: '12345' },
  });
  assert.equal(bad.statusCode, 200, 'a draft may hold anything while it is typed');
  const invalid = await pub(zhao, 'POST', `/applications/${appId}/submit`);
  assert.equal(invalid.statusCode, 400);
  assert.equal(invalid.json().error.code, 'application.form_invalid');
  assert.equal(invalid.json().error.details.field, '/formData/phone');

  await pub(zhao, 'PUT', `/applications/${appId}/draft`, { expectedVersion: 2, formData: { phone: '13812345678' } });
  const noPhoto = await pub(zhao, 'POST', `/applications/${appId}/submit`);
  assert.equal(noPhoto.statusCode, 400);
  assert.deepEqual(noPhoto.json().error.details.missing, ['近期免冠照片']);

  const photo = (await uploadFile(zhao, 'image/png', PNG)).json().sha256;
  const saved = await pub(zhao, 'PUT', `/applications/${appId}/draft`, {
    expectedVersion: 3,
    formData: { phone: '13812345678' },
    uploads: { 近期免冠照片: photo },
  });
  assert.equal(saved.statusCode, 200, saved.body);
  const submitted = await pub(zhao, 'POST', `/applications/${appId}/submit`);
  assert.equal(submitted.statusCode, 200, submitted.body);
  number = submitted.json().number;
  assert.match(number, /^120000\d{8}\d{8}$/, 'region + date + sequence');
  assert.equal(submitted.json().light, 'green');
  const twice = await pub(zhao, 'POST', `/applications/${appId}/submit`);
  assert.equal(twice.json().number, number, 'a double submission returns the first');
});

test(`[${ENGINE}] misuse: another citizen, another department, the wrong role, a step out of order`, async () => {
  const before = await stateOf(number);
  assert.equal((await pub(other, 'GET', `/applications/${appId}`)).statusCode, 404);
  assert.equal((await pub(other, 'POST', `/applications/${appId}/withdraw`)).statusCode, 404);
  const foreign = await work(stranger.login, 'POST', `/casework/applications/${number}/act`, {
    action: 'accept',
    expectedVersion: 5,
  });
  assert.equal(foreign.statusCode, 404);
  const leader = await work(rsLeader.login, 'POST', `/casework/applications/${number}/act`, {
    action: 'accept',
    expectedVersion: 5,
  });
  assert.equal(leader.statusCode, 403, 'accepting is a caseworker’s step');
  const early = await work(rsClerk.login, 'POST', `/casework/applications/${number}/act`, {
    action: 'conclude',
    expectedVersion: 5,
  });
  assert.equal(early.statusCode, 409);
  assert.equal(early.json().error.code, 'application.wrong_step');
  const staleVersion = await work(rsClerk.login, 'POST', `/casework/applications/${number}/act`, {
    action: 'accept',
    expectedVersion: 1,
  });
  assert.equal(staleVersion.statusCode, 409);
  assert.deepEqual(await stateOf(number), before, 'no misuse changed the application or queued an entry');
});

test(`[${ENGINE}] accept fetches the held material; a correction asks for everything at once and stops the clock`, async () => {
  const inbox = await work(rsClerk.login, 'GET', '/casework/inbox');
  assert.ok(inbox.json().some((a: { number: string }) => a.number === number));
  const accepted = await work(rsClerk.login, 'POST', `/casework/applications/${number}/act`, {
    action: 'accept',
    expectedVersion: 5,
  });
  assert.equal(accepted.statusCode, 200, accepted.body);
  const held = accepted.json().materials.find((m: { name: string }) => m.name === '居民身份证');
  assert.ok(held.fetched.recordId, 'fetched from the register, not uploaded');
  const logged = await p.db.owner.transaction((tx) =>
    tx.selectFrom('access_log').selectAll().where('operation', '=', 'fetch').execute(),
  );
  assert.equal(logged.length, 1, 'the check went through the exchange and was logged');
  assert.equal(logged[0]?.decision, 'allow');
  assert.equal(logged[0]?.department_id, rs.id);
  const dueBefore = new Date(accepted.json().dueAt).getTime();

  const noList = await work(rsClerk.login, 'POST', `/casework/applications/${number}/act`, {
    action: 'correct',
    expectedVersion: 6,
  });
  assert.equal(noList.statusCode, 400);
  const correct = await work(rsClerk.login, 'POST', `/casework/applications/${number}/act`, {
    action: 'correct',
    expectedVersion: 6,
    missing: ['照片背景须为白色', '请补充联系地址'],
    note: '一次性告知',
  });
  assert.equal(correct.statusCode, 200, correct.body);
  assert.equal(correct.json().status, 'correction');
  assert.equal(correct.json().light, 'paused');
  const mine = await pub(zhao, 'GET', `/applications/${appId}`);
  assert.deepEqual(mine.json().correction.missing, ['照片背景须为白色', '请补充联系地址']);

  const photo = (await uploadFile(zhao, 'image/png', Buffer.concat([PNG, Buffer.from('white')]))).json().sha256;
  await pub(zhao, 'PUT', `/applications/${appId}/draft`, {
    expectedVersion: mine.json().version,
    formData: { phone: '13812345678', address: '天津市和平区南京路1号' },
    uploads: { 近期免冠照片: photo },
  });
  const back = await pub(zhao, 'POST', `/applications/${appId}/resubmit`);
  assert.equal(back.statusCode, 200, back.body);
  assert.equal(back.json().status, 'in_progress');
  assert.equal(back.json().step, 'review');
  assert.ok(new Date(back.json().dueAt).getTime() >= dueBefore, 'the deadline never moves earlier');
});

test(`[${ENGINE}] two departments approve in parallel; the conclusion issues a licence; every step has a receipt`, async () => {
  const cur = async () => (await work(rsClerk.login, 'GET', `/casework/applications/${number}`)).json();
  let a = await cur();
  const reviewed = await work(rsClerk.login, 'POST', `/casework/applications/${number}/act`, {
    action: 'approve',
    expectedVersion: a.version,
  });
  assert.equal(reviewed.statusCode, 200, reviewed.body);
  assert.equal(reviewed.json().step, 'decide');
  const gaInbox = await work(gaLeader.login, 'GET', '/casework/inbox');
  assert.ok(gaInbox.json().some((x: { number: string; parallel: boolean }) => x.number === number && x.parallel));

  a = await cur();
  const rsDecides = await work(rsLeader.login, 'POST', `/casework/applications/${number}/act`, {
    action: 'approve',
    expectedVersion: a.version,
  });
  assert.equal(rsDecides.statusCode, 200, rsDecides.body);
  assert.equal(rsDecides.json().step, 'decide', 'still waiting for the other department');
  const twice = await work(rsLeader.login, 'POST', `/casework/applications/${number}/act`, {
    action: 'approve',
    expectedVersion: rsDecides.json().version,
  });
  assert.equal(twice.statusCode, 409, 'one department decides once');
  assert.equal(twice.json().error.code, 'application.task_decided');
  const gaDecides = await work(gaLeader.login, 'POST', `/casework/applications/${number}/act`, {
    action: 'approve',
    expectedVersion: rsDecides.json().version,
  });
  assert.equal(gaDecides.statusCode, 200, gaDecides.body);
  assert.equal(gaDecides.json().step, 'conclude');

  const done = await work(rsClerk.login, 'POST', `/casework/applications/${number}/act`, {
    action: 'conclude',
    expectedVersion: gaDecides.json().version,
  });
  assert.equal(done.statusCode, 200, done.body);
  assert.equal(done.json().status, 'concluded');
  assert.equal(done.json().result.rateable, true);
  const licenseNo = done.json().result.licenseNo;
  const licence = await p.db.owner.transaction((tx) =>
    tx
      .selectFrom('records')
      .select('data')
      .where('data', '@>', JSON.stringify({ license_no: licenseNo }) as never)
      .executeTakeFirst(),
  );
  assert.equal((licence?.data as { holder_name?: string } | undefined)?.holder_name, '赵敏');

  const licence2 = await pub(zhao, 'GET', `/applications/${appId}/licence`);
  assert.equal(licence2.statusCode, 200, licence2.body);
  assert.match(String(licence2.headers['content-disposition']), /attachment/);
  assert.equal(licence2.json().licenseNo, licenseNo);
  assert.ok(licence2.json().receiptId);
  assert.equal((await pub(other, 'GET', `/applications/${appId}/licence`)).statusCode, 404);

  const view = (await pub(zhao, 'GET', `/applications/${appId}`)).json();
  assert.deepEqual(
    view.events.map((e: { action: string }) => e.action),
    [
      'submitted',
      'accepted',
      'correction_requested',
      'resubmitted',
      'approved',
      'approved_in_parallel',
      'approved',
      'concluded',
    ],
  );
  await p.integrator.drain();
  for (const e of view.events as Array<{ receiptId: string }>) {
    const receipt = await p.public.inject({
      method: 'GET',
      url: `/api/v1/ledger/receipts/${e.receiptId}`,
      headers: { cookie: zhao.cookie },
    });
    assert.equal(receipt.statusCode, 200, receipt.body);
  }
  const theirs = await p.public.inject({
    method: 'GET',
    url: `/api/v1/ledger/receipts/${view.events[0].receiptId}`,
    headers: { cookie: other.cookie },
  });
  assert.notEqual(theirs.statusCode, 200, "another citizen cannot read this applicant's receipts");
});

test(`[${ENGINE}] without a grant the held material is not fetched, and the refusal is logged`, async () => {
  const grants = await p.internal.inject({
    method: 'GET',
    url: '/api/v1/exchange/grants?side=incoming',
    headers: gaData.login.headers,
  });
  const grant = grants
    .json()
    .find((g: { registerCode: string; status: string }) => g.registerCode === population.code && g.status === 'active');
  const revoked = await p.internal.inject({
    method: 'POST',
    url: `/api/v1/exchange/grants/${grant.id}/revoke`,
    headers: gaData.login.headers,
    payload: { reason: '测试撤销' },
  });
  assert.equal(revoked.statusCode, 200, revoked.body);
  const sub = await submitOne('zhao-sbk-0002');
  const accepted = await work(rsClerk.login, 'POST', `/casework/applications/${sub.number}/act`, {
    action: 'accept',
    expectedVersion: sub.version,
  });
  assert.equal(accepted.statusCode, 200, accepted.body);
  const held = accepted.json().materials.find((m: { name: string }) => m.name === '居民身份证');
  assert.deepEqual(held.fetched, { missing: true });
  const denied = await p.db.owner.transaction((tx) =>
    tx.selectFrom('access_log').selectAll().where('operation', '=', 'fetch').where('decision', '=', 'deny').execute(),
  );
  assert.equal(denied.length, 1);
});

/** The application's row and its queued ledger entries, read as the owner: what a refused action must not change. */
async function stateOf(num: string) {
  return p.db.owner.transaction(async (tx) => ({
    row: await tx
      .selectFrom('applications')
      .select(['status', 'step', 'version', 'department_id'])
      .where('number', '=', num)
      .executeTakeFirstOrThrow(),
    queued: Number(
      (
        await tx
          .selectFrom('ledger_queue')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst()
      )?.n,
    ),
  }));
}

test(`[${ENGINE}] transfer moves the case to another department, which then holds it; refusals change nothing`, async () => {
  const app = await submitOne('zhao-transfer-1');
  const act = (login: Login, payload: Record<string, unknown>) =>
    work(login, 'POST', `/casework/applications/${app.number}/act`, { action: 'transfer', ...payload });
  const before = await stateOf(app.number);
  for (const [login, payload, status] of [
    [rsClerk.login, { expectedVersion: app.version }, 400], // no target
    [rsClerk.login, { expectedVersion: app.version, toDepartmentId: 999_999 }, 400], // no such department
    [rsClerk.login, { expectedVersion: app.version - 1, toDepartmentId: ga.id }, 409], // stale
    [gaLeader.login, { expectedVersion: app.version, toDepartmentId: ga.id }, 404], // not theirs
  ] as const) {
    const res = await act(login, payload);
    assert.equal(res.statusCode, status, res.body);
  }
  assert.deepEqual(await stateOf(app.number), before, 'the refused transfers changed nothing, queued nothing');
  const moved = await act(rsClerk.login, { expectedVersion: app.version, toDepartmentId: ga.id, note: '属公安受理' });
  assert.equal(moved.statusCode, 200, moved.body);
  const after = await stateOf(app.number);
  assert.equal(after.row.department_id, ga.id);
  assert.equal(after.row.version, before.row.version + 1);
  assert.equal(after.queued, before.queued + 1, 'one ledger entry');
  assert.equal(
    (await work(rsClerk.login, 'GET', `/casework/applications/${app.number}`)).statusCode,
    404,
    'rs lets go',
  );
  const gaClerk = await staffSession(p, ['caseworker'], ga.id);
  const inbox = (await work(gaClerk.login, 'GET', '/casework/inbox')).json() as Array<{ number: string }>;
  assert.ok(
    inbox.some((x) => x.number === app.number),
    'it waits in the new department’s inbox',
  );
  const events = (await pub(zhao, 'GET', `/applications/${app.id}`)).json().events as Array<{
    action: string;
    note: string;
  }>;
  assert.equal(events.at(-1)?.action, 'transferred');
});

test(`[${ENGINE}] reject needs a reason, ends the case for good and tells the applicant why`, async () => {
  const app = await submitOne('zhao-reject-1');
  const act = (payload: Record<string, unknown>) =>
    work(rsClerk.login, 'POST', `/casework/applications/${app.number}/act`, { action: 'reject', ...payload });
  const before = await stateOf(app.number);
  const noReason = await act({ expectedVersion: app.version });
  assert.equal(noReason.statusCode, 400);
  assert.equal(noReason.json().error.code, 'application.reason_required');
  assert.equal((await act({ expectedVersion: app.version, note: '   ' })).statusCode, 400, 'blank is no reason');
  assert.deepEqual(await stateOf(app.number), before, 'nothing changed');
  const rejected = await act({ expectedVersion: app.version, note: '不符合受理条件：非本市参保人员' });
  assert.equal(rejected.statusCode, 200, rejected.body);
  assert.equal(rejected.json().status, 'rejected');
  const mine = (await pub(zhao, 'GET', `/applications/${app.id}`)).json();
  assert.equal(mine.status, 'rejected');
  assert.equal(mine.result.reason, '不符合受理条件：非本市参保人员');
  const after = await stateOf(app.number);
  assert.equal(after.queued, before.queued + 1);
  for (const action of ['accept', 'approve', 'conclude', 'reject'] as const) {
    const again = await work(rsClerk.login, 'POST', `/casework/applications/${app.number}/act`, {
      action,
      expectedVersion: after.row.version,
      note: 'x',
    });
    assert.equal(again.statusCode, 409, `${action} after rejection`);
    assert.equal(again.json().error.code, 'application.wrong_status');
  }
  assert.equal((await pub(zhao, 'POST', `/applications/${app.id}/withdraw`)).statusCode, 409, 'decided: no withdrawal');
  assert.deepEqual(await stateOf(app.number), after, 'the refused actions changed nothing');
});

test(`[${ENGINE}] the applicant withdraws a case in progress; staff can no longer act on it`, async () => {
  const app = await submitOne('zhao-withdraw-1');
  const accepted = await work(rsClerk.login, 'POST', `/casework/applications/${app.number}/act`, {
    action: 'accept',
    expectedVersion: app.version,
  });
  assert.equal(accepted.statusCode, 200, accepted.body);
  const before = await stateOf(app.number);
  assert.equal((await pub(other, 'POST', `/applications/${app.id}/withdraw`)).statusCode, 404, 'not theirs');
  assert.deepEqual(await stateOf(app.number), before);
  const withdrawn = await pub(zhao, 'POST', `/applications/${app.id}/withdraw`);
  assert.equal(withdrawn.statusCode, 200, withdrawn.body);
  assert.equal(withdrawn.json().status, 'withdrawn');
  const after = await stateOf(app.number);
  assert.equal(after.queued, before.queued + 1, 'the withdrawal is a ledger entry');
  const inbox = (await work(rsClerk.login, 'GET', '/casework/inbox')).json() as Array<{ number: string }>;
  assert.ok(!inbox.some((x) => x.number === app.number), 'gone from the inbox');
  const late = await work(rsClerk.login, 'POST', `/casework/applications/${app.number}/act`, {
    action: 'approve',
    expectedVersion: after.row.version,
  });
  assert.equal(late.statusCode, 409);
  assert.equal(late.json().error.code, 'application.wrong_status');
  assert.equal((await pub(zhao, 'POST', `/applications/${app.id}/withdraw`)).statusCode, 409, 'once');
  assert.deepEqual(await stateOf(app.number), after);
});
