import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  accountSession,
  buildStaff,
  countRows,
  ENGINE,
  loginStaff,
  startTestPlatform,
  TEST_PASSWORD,
} from '../../../test/helpers.ts';
import { residentIdCheckChar } from '../privacy/index.ts';
import { MAX_FAILED_LOGINS } from './index.ts';

const p = await startTestPlatform();
const validId = (first17: string) => first17 + residentIdCheckChar(first17);

test(`[${ENGINE}] staff log in, see their session, and log out`, async () => {
  const member = await buildStaff(p, { roles: ['caseworker'] });
  const login = await loginStaff(p, member.username);
  const me = await p.internal.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: login.cookie } });
  assert.equal(me.statusCode, 200);
  assert.equal(me.json().username, member.username);
  assert.deepEqual(me.json().roles, [{ role: 'caseworker', departmentId: member.departmentId }]);
  assert.equal(me.json().csrfToken, login.csrf);

  const cookieHeader = (
    await p.internal.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: member.username, password: TEST_PASSWORD },
    })
  ).headers['set-cookie'];
  assert.match(String(cookieHeader), /HttpOnly/);
  assert.match(String(cookieHeader), /SameSite=Strict/);

  const out = await p.internal.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: login.headers });
  assert.equal(out.statusCode, 200);
  assert.deepEqual(out.json(), { endSessionUrl: null }); // a password session has no provider to log out of
  const after = await p.internal.inject({
    method: 'GET',
    url: '/api/v1/auth/session',
    headers: { cookie: login.cookie },
  });
  assert.equal(after.statusCode, 401);
  assert.equal(after.json().error.code, 'auth.unauthenticated');
});

test(`[${ENGINE}] wrong passwords lock the account after ${MAX_FAILED_LOGINS} tries, even for the right password`, async () => {
  const member = await buildStaff(p);
  const sessionsBefore = await countRows(p, 'staff_sessions');
  const attempt = (password: string) =>
    p.internal.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: member.username, password } });
  for (let i = 1; i < MAX_FAILED_LOGINS; i++) {
    const res = await attempt('wrong-password');
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'auth.invalid_credentials');
    assert.ok(res.json().requestId);
  }
  const last = await attempt('wrong-password');
  assert.equal(last.statusCode, 429);
  assert.equal(last.json().error.code, 'auth.locked');
  assert.ok(Number(last.headers['retry-after']) > 0);
  const right = await attempt(TEST_PASSWORD);
  assert.equal(right.statusCode, 429, 'locked even with the right password');
  assert.equal(await countRows(p, 'staff_sessions'), sessionsBefore, 'no session was created');
});

test(`[${ENGINE}] an unknown user gets the same answer as a wrong password`, async () => {
  const res = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'nobody', password: 'whatever1' },
  });
  assert.equal(res.statusCode, 401);
  assert.equal(res.json().error.code, 'auth.invalid_credentials');
});

test(`[${ENGINE}] state-changing requests need the CSRF token and a same-origin Origin`, async () => {
  const { username } = await buildStaff(p);
  const login = await loginStaff(p, username);
  const payload = { currentPassword: TEST_PASSWORD, newPassword: 'another-pass-1' };
  const noToken = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/auth/password',
    headers: { cookie: login.cookie },
    payload,
  });
  assert.equal(noToken.statusCode, 403);
  assert.equal(noToken.json().error.code, 'auth.csrf');
  const crossOrigin = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/auth/password',
    headers: { ...login.headers, origin: 'http://evil.example', host: 'localhost:8081' },
    payload,
  });
  assert.equal(crossOrigin.statusCode, 403);
  assert.equal(crossOrigin.json().error.code, 'auth.cross_origin');
  // The password did not change.
  await loginStaff(p, username, TEST_PASSWORD);
});

test(`[${ENGINE}] changing the password checks the current one and ends other sessions`, async () => {
  const { username } = await buildStaff(p);
  const a = await loginStaff(p, username);
  const b = await loginStaff(p, username);
  const wrong = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/auth/password',
    headers: a.headers,
    payload: { currentPassword: 'not-my-password', newPassword: 'another-pass-1' },
  });
  assert.equal(wrong.statusCode, 401);
  const short = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/auth/password',
    headers: a.headers,
    payload: { currentPassword: TEST_PASSWORD, newPassword: 'short' },
  });
  assert.equal(short.statusCode, 400);
  assert.equal(short.json().error.details.field, '/newPassword');
  const ok = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/auth/password',
    headers: a.headers,
    payload: { currentPassword: TEST_PASSWORD, newPassword: 'another-pass-1' },
  });
  assert.equal(ok.statusCode, 204);
  assert.equal(
    (await p.internal.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: a.cookie } })).statusCode,
    200,
  );
  assert.equal(
    (await p.internal.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: b.cookie } })).statusCode,
    401,
  );
  await loginStaff(p, username, 'another-pass-1');
});

test(`[${ENGINE}] a department admin resets the password of their own staff only`, async () => {
  const admin = await buildStaff(p, { roles: ['department_admin'] });
  const mine = await buildStaff(p, { departmentId: admin.departmentId });
  const other = await buildStaff(p);
  const login = await loginStaff(p, admin.username);
  const reset = (id: number) =>
    p.internal.inject({
      method: 'POST',
      url: `/api/v1/auth/staff/${id}/password`,
      headers: login.headers,
      payload: { password: 'reset-pass-123' },
    });
  assert.equal((await reset(mine.id)).statusCode, 204);
  await loginStaff(p, mine.username, 'reset-pass-123');
  const denied = await reset(other.id);
  assert.equal(denied.statusCode, 404, 'not found or no access');
  await loginStaff(p, other.username, TEST_PASSWORD);
});

test(`[${ENGINE}] a citizen registers with a valid resident ID, logs in with it, and the ID is stored masked and sealed`, async () => {
  const residentId = validId('12010119900307555');
  const res = await p.public.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { kind: 'person', name: '张三', residentId, password: 'my-password-1' },
  });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json().identifierMasked, `120101********${residentId.slice(14)}`);
  const session = accountSession(res);
  const me = await p.public.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: session.cookie } });
  assert.equal(me.json().displayName, '张三');

  const stored = await p.db.owner.transaction((tx) =>
    tx
      .selectFrom('accounts')
      .selectAll()
      .where('identifier_masked', '=', res.json().identifierMasked)
      .executeTakeFirstOrThrow(),
  );
  assert.ok(!stored.identifier_enc.toString('latin1').includes(residentId), 'the ID number is encrypted at rest');
  assert.equal(p.ctx.secrets.open(stored.identifier_enc), residentId);

  const login = await p.public.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { identifier: residentId.toLowerCase(), password: 'my-password-1' },
  });
  assert.equal(login.statusCode, 200);
  const again = await p.public.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { kind: 'person', name: '张三', residentId, password: 'my-password-2' },
  });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().error.code, 'account.exists');
});

test(`[${ENGINE}] registration refuses bad check characters, wrong types and unknown fields, and stores nothing`, async () => {
  const before = await countRows(p, 'accounts');
  const good = validId('12010119851123002');
  const badCheck = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
  const cases: Array<[unknown, string, string]> = [
    [
      { kind: 'person', name: '李四', residentId: badCheck, password: 'pass-word-1' },
      'validation.resident_id',
      '/residentId',
    ],
    [
      { kind: 'enterprise', name: '某公司', creditCode: '91120116MA05T8QW30', password: 'pass-word-1' },
      'validation.credit_code',
      '/creditCode',
    ],
    [
      { kind: 'person', name: '李四', residentId: 120101198511230020, password: 'pass-word-1' },
      'validation.failed',
      '',
    ],
    [{ kind: 'person', name: '李四', residentId: good, password: 'pass-word-1', admin: true }, 'validation.failed', ''],
    [{ kind: 'person', name: '李四', residentId: good, password: 'short' }, 'validation.failed', ''],
  ];
  for (const [payload, code, field] of cases) {
    const res = await p.public.inject({ method: 'POST', url: '/api/v1/auth/register', payload: payload as object });
    assert.equal(res.statusCode, 400, JSON.stringify(payload));
    assert.equal(res.json().error.code, code);
    if (field) assert.equal(res.json().error.details.field, field);
    assert.ok(res.json().error.message.length > 0);
  }
  assert.equal(await countRows(p, 'accounts'), before);
});

test(`[${ENGINE}] an enterprise registers with its unified social credit code`, async () => {
  const res = await p.public.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: {
      kind: 'enterprise',
      name: '天津测试有限公司',
      creditCode: '91350100M000100Y43',
      password: 'company-pass-1',
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json().kind, 'enterprise');
  assert.equal(res.json().identifierMasked, '91350100******0Y43');
});

test(`[${ENGINE}] citizen sessions do not work on the internal zone and staff sessions not on the public zone`, async () => {
  const res = await p.public.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { kind: 'person', name: '王五', residentId: validId('12011619700101123'), password: 'pass-word-99' },
  });
  const citizen = accountSession(res);
  const onInternal = await p.internal.inject({
    method: 'GET',
    url: '/api/v1/auth/session',
    headers: { cookie: citizen.cookie.replace('zt_account', 'zt_staff') },
  });
  assert.equal(onInternal.statusCode, 401);
  const { username } = await buildStaff(p);
  const staff = await loginStaff(p, username);
  const onPublic = await p.public.inject({
    method: 'GET',
    url: '/api/v1/auth/session',
    headers: { cookie: staff.cookie.replace('zt_staff', 'zt_account') },
  });
  assert.equal(onPublic.statusCode, 401);
});

/** The ledger entries (queued or integrated) about a principal, oldest first, read as the owner. */
async function securityEvents(subject: string) {
  return p.db.owner.transaction(async (tx) => {
    const cols = ['entry_type', 'payload', 'readers'] as const;
    const queued = await tx
      .selectFrom('ledger_queue')
      .select(cols)
      .where('subject', '=', subject)
      .orderBy('id')
      .execute();
    const integrated = await tx
      .selectFrom('ledger_entries')
      .select(cols)
      .where('subject', '=', subject)
      .orderBy('idx')
      .execute();
    return [...integrated, ...queued].map((r) => ({
      type: r.entry_type,
      payload: JSON.parse(r.payload),
      readers: r.readers,
    }));
  });
}

test(`[${ENGINE}] sign-ins, failed sign-ins, lockouts, sign-outs, password and role changes are ledger entries without secrets`, async () => {
  const member = await buildStaff(p, { roles: ['caseworker'] });
  const self = `staff:${member.id}`;
  const attempt = (password: string) =>
    p.internal.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: member.username, password } });
  assert.equal((await attempt('wrong-password-1')).statusCode, 401);
  const login = await loginStaff(p, member.username);
  const changed = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/auth/password',
    headers: login.headers,
    payload: { currentPassword: TEST_PASSWORD, newPassword: 'another-horse-42' },
  });
  assert.equal(changed.statusCode, 204, changed.body);
  const out = await p.internal.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: login.headers });
  assert.equal(out.statusCode, 200);
  for (let i = 0; i < MAX_FAILED_LOGINS; i++) await attempt(`wrong-password-${i}`);
  assert.equal((await attempt('another-horse-42')).statusCode, 429);

  const events = await securityEvents(self);
  const types = events.map((e) => e.type);
  assert.deepEqual(
    types.filter((t) => t.startsWith('auth.')),
    [
      'auth.login.failed',
      'auth.login.succeeded',
      'auth.password.changed',
      'auth.logout',
      ...Array(MAX_FAILED_LOGINS).fill('auth.login.failed'),
      'auth.login.locked',
      'auth.login.failed',
    ],
  );
  assert.deepEqual(
    events.filter((e) => e.type === 'auth.login.failed').map((e) => e.payload.reason),
    ['wrong_password', ...Array(MAX_FAILED_LOGINS).fill('wrong_password'), 'locked'],
  );
  for (const e of events) {
    const text = JSON.stringify(e.payload);
    assert.ok(!/horse|wrong-password/.test(text), `no password in ${e.type}: ${text}`);
    assert.deepEqual(e.readers, [self], 'the staff member can read their own security events');
  }

  // An unknown login is recorded with a digest of what was typed, never the text itself.
  const typed = 'my-password-typed-as-username';
  await p.internal.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: typed, password: 'x' } });
  const unknown = (await securityEvents('staff:unknown')).at(-1);
  assert.equal(unknown?.payload.reason, 'unknown_login');
  assert.ok(!JSON.stringify(unknown).includes(typed));
  assert.match(String(unknown?.payload.loginDigest), /^[0-9a-f]{16}$/);

  // Role changes were already evidence; they stay so.
  const admin = await buildStaff(p, { roles: ['platform_admin'] });
  const adminLogin = await loginStaff(p, admin.username);
  const granted = await p.internal.inject({
    method: 'POST',
    url: `/api/v1/org/staff/${member.id}/roles`,
    headers: adminLogin.headers,
    payload: { role: 'leader', departmentId: member.departmentId },
  });
  assert.equal(granted.statusCode, 200, granted.body);
  assert.equal((await securityEvents(self)).at(-1)?.type, 'org.role.granted');
});
