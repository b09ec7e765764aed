import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildStaff, ENGINE, startTestPlatform } from '../../../test/helpers.ts';

const p = await startTestPlatform({ env: { ZT_LOGIN_RATE: '3' } });

test(`[${ENGINE}] one address trying passwords across many accounts is throttled (password spraying)`, async () => {
  const accounts = await Promise.all([buildStaff(p), buildStaff(p), buildStaff(p), buildStaff(p)]);
  const statuses: number[] = [];
  for (const a of accounts) {
    const res = await p.internal.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: a.username, password: 'Password1!' },
    });
    statuses.push(res.statusCode);
    if (res.statusCode === 429) {
      assert.equal(res.json().error.code, 'auth.throttled');
      assert.ok(Number(res.headers['retry-after']) > 0);
    }
  }
  assert.deepEqual(statuses, [401, 401, 401, 429]);
  // Another address is not affected.
  const other = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: '10.1.2.3',
    payload: { username: accounts[0]?.username, password: accounts[0]?.password },
  });
  assert.equal(other.statusCode, 200);
});

test(`[${ENGINE}] registration on the public zone is throttled per address too`, async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await p.public.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      remoteAddress: '10.9.9.9',
      payload: { kind: 'person', name: '测试', residentId: '110105194912310021', password: 'pass-word-1' },
    });
    statuses.push(res.statusCode);
  }
  assert.deepEqual(statuses, [400, 400, 400, 429]);
});
