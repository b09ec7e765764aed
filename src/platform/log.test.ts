import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { buildStaff, startTestPlatform, TEST_PASSWORD } from '../../test/helpers.ts';
import { SharedCounters } from './counters.ts';
import { createHttpApp } from './http.ts';
import { createLogger, redactUrl } from './log.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, log: createLogger('debug', stream) };
}

test('secrets in log objects are redacted', () => {
  const { lines, log } = capture();
  log.info({ password: 'hunter2-secret', user: { privateKey: 'PEM-SECRET' }, databaseUrl: 'postgres://a:b@c/d' }, 'x');
  const text = lines.join('');
  assert.ok(!text.includes('hunter2-secret'));
  assert.ok(!text.includes('PEM-SECRET'));
  assert.ok(!text.includes('a:b@'));
  assert.equal(redactUrl('postgres://zt:s3cret@db:5432/zt'), 'postgres://zt:***@db:5432/zt');
});

test('request logs carry the request id and never the password or session cookie', async () => {
  const { lines, log } = capture();
  const p = await startTestPlatform();
  const member = await buildStaff(p);
  const app = await createHttpApp({
    zone: 'internal',
    log,
    bodyLimitBytes: 4096,
    trustProxy: false,
    version: 't',
    ready: async () => {},
  });
  const { authInternalRoutes, staffSessionHook } = await import('../modules/auth/index.ts');
  const deps = {
    db: p.db.forZone('internal'),
    ledger: p.ctx.ledger.forZone('internal'),
    secrets: p.ctx.secrets,
    clock: () => new Date(),
    cookieSecure: false,
    defaultAlg: 'ed25519' as const,
    loginRatePerMinute: 100,
    counters: new SharedCounters(p.db.forZone('internal')),
  };
  await app.register(
    async (api) => {
      staffSessionHook(api, deps);
      await api.register(authInternalRoutes, { deps });
    },
    { prefix: '/api/v1' },
  );
  const ok = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: member.username, password: TEST_PASSWORD },
  });
  const token = String(ok.headers['set-cookie']).split(';')[0]?.split('=')[1] ?? '';
  await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: `zt_staff=${token}` } });
  await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: member.username, password: 'wrong-password-xyz' },
  });
  await app.close();
  const text = lines.join('');
  assert.ok(text.includes(ok.headers['x-request-id'] as string), 'request id logged');
  assert.ok(!text.includes(TEST_PASSWORD));
  assert.ok(!text.includes('wrong-password-xyz'));
  assert.ok(token.length > 20 && !text.includes(token), 'session token not logged');
});
