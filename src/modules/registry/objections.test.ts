import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDepartment, ENGINE, registerInput, staffSession, startTestPlatform } from '../../../test/helpers.ts';
import { createWorkCalendar } from '../../platform/workdays.ts';
import { residentIdCheckChar } from '../privacy/index.ts';
import { raiseObjection } from './objections.service.ts';

const p = await startTestPlatform();
const provider = await buildDepartment(p);
const officer = await staffSession(p, ['data_officer'], provider.id);
const consumer = await staffSession(p, ['caseworker']);
const admin = await staffSession(p, ['platform_admin']);
const id17 = '12010119800101123';

const reg = (
  await p.internal.inject({
    method: 'POST',
    url: '/api/v1/registry/registers',
    headers: officer.login.headers,
    payload: registerInput(provider.id),
  })
).json();
const rec = (
  await p.internal.inject({
    method: 'POST',
    url: `/api/v1/registry/registers/${reg.code}/records`,
    headers: officer.login.headers,
    payload: { data: { resident_id: id17 + residentIdCheckChar(id17), name: '钱一' } },
  })
).json();

const raise = (headers: Record<string, string>, recordId = rec.id, reason = '姓名有误，应为钱壹') =>
  p.internal.inject({
    method: 'POST',
    url: `/api/v1/registry/registers/${reg.code}/records/${recordId}/objections`,
    headers,
    payload: { reason },
  });

test(`[${ENGINE}] a consumer objects to a record; the deadline counts ${p.ctx.config.objectionDays} working days`, async () => {
  const res = await raise(consumer.login.headers);
  assert.equal(res.statusCode, 201, res.body);
  const due = new Date(res.json().dueAt);
  assert.equal(due.toISOString(), createWorkCalendar().deadlineAfter(new Date(), 5).toISOString());
  assert.ok(due.getTime() - Date.now() >= 5 * 86_400_000, 'five working days are at least five days');
  assert.equal(res.json().status, 'open');
  assert.equal((await raise(consumer.login.headers, 999999)).statusCode, 404);
  assert.equal((await raise(consumer.login.headers, rec.id, 'x')).statusCode, 400, 'a reason is required');
});

test(`[${ENGINE}] only the provider's data officer answers, once; each side sees the objection`, async () => {
  const objection = (await raise(consumer.login.headers, rec.id, '出生日期缺失')).json();
  const answer = (headers: Record<string, string>) =>
    p.internal.inject({
      method: 'POST',
      url: `/api/v1/registry/objections/${objection.id}/answer`,
      headers,
      payload: { resolution: 'corrected', answer: '已更正' },
    });
  assert.equal((await answer(consumer.login.headers)).statusCode, 404);
  const ok = await answer(officer.login.headers);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().status, 'corrected');
  assert.equal((await answer(officer.login.headers)).statusCode, 409);
  const mine = (
    await p.internal.inject({ method: 'GET', url: '/api/v1/registry/objections', headers: consumer.login.headers })
  ).json();
  assert.ok(mine.some((o: { id: number }) => o.id === objection.id));
  const theirs = (
    await p.internal.inject({ method: 'GET', url: '/api/v1/registry/objections', headers: officer.login.headers })
  ).json();
  assert.ok(theirs.some((o: { id: number }) => o.id === objection.id));
  const stranger = await staffSession(p, ['caseworker']);
  const none = (
    await p.internal.inject({ method: 'GET', url: '/api/v1/registry/objections', headers: stranger.login.headers })
  ).json();
  assert.ok(!none.some((o: { id: number }) => o.id === objection.id));
});

test(`[${ENGINE}] overdue objections are listed for the platform admin`, async () => {
  const deps = {
    db: p.db.forZone('internal'),
    ledger: p.ctx.ledger.forZone('internal'),
    calendar: createWorkCalendar(),
    clock: () => new Date('2026-01-05T02:00:00Z'),
    objectionDays: 5,
  };
  const consumerActor = {
    kind: 'staff' as const,
    staffId: consumer.member.id,
    username: consumer.member.username,
    departmentId: consumer.member.departmentId,
    roles: [],
  };
  const old = await raiseObjection(deps, consumerActor, reg.code, rec.id, '联系电话错误');
  assert.equal(old.dueAt, '2026-01-12T16:00:00.000Z');
  const overdue = (
    await p.internal.inject({
      method: 'GET',
      url: '/api/v1/registry/objections?overdue=true',
      headers: admin.login.headers,
    })
  ).json();
  const found = overdue.find((o: { id: number }) => o.id === old.id);
  assert.ok(found?.overdue, 'the platform admin sees it as overdue');
  assert.ok(overdue.every((o: { overdue: boolean }) => o.overdue));
});
