// Operations: Prometheus metrics at /metrics on the internal listener only, in the text exposition format.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildStaff, ENGINE, loginStaff, startTestPlatform } from './helpers.ts';

const p = await startTestPlatform();

test(`[${ENGINE}] /metrics answers on the internal listener in Prometheus' text format, and nowhere else`, async () => {
  const staff = await buildStaff(p, { roles: ['caseworker'] });
  await loginStaff(p, staff.username);
  await p.internal.inject({ url: '/api/v1/registry/registers/101001-000001/records/1' }); // 401: not logged in
  await p.exchange.inject({ url: '/api/v1/exchange/whoami' }); // refused: unsigned
  const res = await p.internal.inject({ url: '/metrics' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  const lines = res.body.split('\n').filter((l) => l && !l.startsWith('#'));
  for (const line of lines) assert.match(line, /^[a-z_:][a-z0-9_:]*(\{[^}]*\})? -?[0-9.e+-]+|NaN$/, line);
  const has = (re: RegExp) =>
    assert.ok(
      lines.some((l) => re.test(l)),
      String(re),
    );
  has(
    /^zt_http_requests_total\{zone="internal",method="POST",route="\/api\/v1\/auth\/login",status="200",code=""\} 1$/,
  );
  has(
    /^zt_http_requests_total\{zone="internal",.*route="\/api\/v1\/registry\/registers\/:code\/records\/:id",status="401",code="auth\.unauthenticated"\} 1$/,
  );
  has(/^zt_http_requests_total\{zone="exchange",.*status="401",code="signature\.missing"\} 1$/);
  has(/^zt_http_request_duration_seconds_bucket\{.*zone="internal"/);
  has(/^zt_ledger_queue_entries \d+$/);
  has(/^zt_ledger_integration_lag_seconds [0-9.e+-]+$/);
  has(/^zt_ledger_size_entries \d+$/);
  has(/^zt_search_documents\{zone="public"\} \d+$/);
  has(/^zt_search_documents\{zone="internal"\} \d+$/);
  has(/^zt_search_build_seconds\{zone="internal"\} [0-9.e+-]+$/);
  assert.ok(!res.body.includes(staff.username), 'no user names in metrics');

  for (const zone of ['public', 'exchange'] as const) {
    const elsewhere = await p[zone].inject({ url: '/metrics' });
    assert.equal(elsewhere.statusCode, 404, `${zone}: ${elsewhere.body.slice(0, 100)}`);
    assert.ok(!elsewhere.body.includes('zt_http_requests_total'));
  }
});
