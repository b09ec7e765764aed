// Webhooks go to public addresses only (SSRF): private, loopback, link-local, NAT64 and mapped addresses are refused
// at subscription time when written as addresses, and on every delivery after the name is resolved.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { buildClient, ENGINE, startTestPlatform } from '../../../test/helpers.ts';
import { signRequest } from '../auth/index.ts';
import { isPrivateAddress, postWebhook } from './webhook.ts';

test('addresses that are not on the public internet are recognised', () => {
  for (const ip of [
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:10.0.0.1',
    '[::1]',
    '64:ff9b::a00:1',
    'not-an-ip',
  ])
    assert.equal(isPrivateAddress(ip), true, ip);
  for (const ip of ['8.8.8.8', '1.1.1.1', '203.119.25.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])
    assert.equal(isPrivateAddress(ip), false, ip);
});

const receiver = createServer((_req, res) => res.end('ok'));
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
after(() => receiver.close());
const port = (receiver.address() as AddressInfo).port;

test('a delivery to a loopback receiver is refused unless private addresses are allowed — by address or by name', async () => {
  const body = Buffer.from('{}');
  const opts = { timeoutMs: 2000, allowPrivate: false };
  await assert.rejects(postWebhook(`http://127.0.0.1:${port}/hook`, {}, body, opts), /not a public address/);
  await assert.rejects(postWebhook(`http://localhost:${port}/hook`, {}, body, opts), /non-public address/);
  assert.equal(await postWebhook(`http://localhost:${port}/hook`, {}, body, { ...opts, allowPrivate: true }), 200);
});

test(`[${ENGINE}] a subscription to a private address or localhost is refused with a clear error`, async () => {
  const p = await startTestPlatform();
  const client = await buildClient(p);
  const subscribe = (url: string) => {
    const payload = JSON.stringify({ register: '101001-000001', url });
    const headers = signRequest({
      method: 'POST',
      url: 'http://localhost:8082/api/v1/exchange/subscriptions',
      body: Buffer.from(payload),
      keyId: client.keyId,
      alg: 'ed25519',
      privateKey: client.keys.privateKey,
    });
    return p.exchange.inject({
      method: 'POST',
      url: '/api/v1/exchange/subscriptions',
      headers: { host: 'localhost:8082', 'content-type': 'application/json', ...headers },
      payload,
    });
  };
  for (const url of [
    'https://10.0.0.1/hook',
    'https://localhost/hook',
    'https://[::1]/hook',
    'https://169.254.169.254/',
  ]) {
    const res = await subscribe(url);
    assert.equal(res.statusCode, 400, url);
    assert.equal(res.json().error.code, 'exchange.webhook_private', url);
  }
  const publicName = await subscribe('https://example.org/hook');
  assert.notEqual(publicName.json().error?.code, 'exchange.webhook_private', 'a public name passes this check');
});
