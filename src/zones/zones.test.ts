import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENGINE, startTestPlatform } from '../../test/helpers.ts';

const p = await startTestPlatform();
const zones = { public: p.public, internal: p.internal, exchange: p.exchange };

test(`[${ENGINE}] every listener answers healthz, readyz and its own OpenAPI 3.1 document`, async () => {
  for (const [zone, app] of Object.entries(zones)) {
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    assert.deepEqual(health.json(), { status: 'ok', zone });
    assert.ok(health.headers['x-request-id']);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    assert.deepEqual(ready.json(), { status: 'ready', zone });
    const doc = await app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(doc.statusCode, 200);
    assert.equal(doc.json().openapi, '3.1.0');
  }
});

test(`[${ENGINE}] internal routes are absent from the public listener and from its OpenAPI document`, async () => {
  const paths = async (app: (typeof zones)['public']) =>
    Object.keys((await app.inject({ method: 'GET', url: '/openapi.json' })).json().paths);
  const publicPaths = await paths(p.public);
  const internalPaths = await paths(p.internal);
  const exchangePaths = await paths(p.exchange);
  assert.ok(publicPaths.includes('/api/v1/auth/register'));
  assert.ok(internalPaths.includes('/api/v1/org/staff'));
  assert.ok(exchangePaths.includes('/api/v1/exchange/whoami'));
  for (const internalOnly of ['/api/v1/org/staff', '/api/v1/clients', '/api/v1/auth/staff/{id}/password']) {
    assert.ok(!publicPaths.includes(internalOnly), internalOnly);
    assert.ok(!exchangePaths.includes(internalOnly), internalOnly);
    const res = await p.public.inject({ method: 'GET', url: internalOnly.replace('{id}', '1') });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'route.not_found');
  }
  assert.ok(!internalPaths.includes('/api/v1/auth/register'));
  assert.ok(!publicPaths.some((path) => path.startsWith('/api/v1/exchange')));
});

test(`[${ENGINE}] errors carry the request id that the response header names`, async () => {
  const res = await p.public.inject({ method: 'GET', url: '/api/v1/nothing-here' });
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().requestId, res.headers['x-request-id']);
});
