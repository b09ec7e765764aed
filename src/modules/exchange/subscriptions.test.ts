// Subscriptions end to end with a real HTTP receiver on loopback: a subscriber that is down for a while receives
// every change exactly once after deduplication when it comes back, in order, signed by the node, shaped by the
// valve (masked as a read would be); and it can replay from a cursor.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import {
  buildClient,
  buildDepartment,
  ENGINE,
  registerInput,
  staffSession,
  startTestPlatform,
} from '../../../test/helpers.ts';
import { nodeSigner } from '../../zones/zones.ts';
import { signRequest } from '../auth/index.ts';
import { residentIdCheckChar } from '../privacy/index.ts';

const p = await startTestPlatform({ env: { ZT_WEBHOOK_ALLOW_HTTP: 'true', ZT_WEBHOOK_ALLOW_PRIVATE: 'true' } });
const HOST = 'localhost:8082';
const provider = await buildDepartment(p);
const officer = await staffSession(p, ['data_officer'], provider.id);
const consumer = await buildDepartment(p);
const consumerOfficer = await staffSession(p, ['data_officer'], consumer.id);
const client = await buildClient(p, 'ed25519', consumer.id);
const node = await nodeSigner(p.ctx);

const post = (url: string, payload: unknown, headers = officer.login.headers) =>
  p.internal.inject({ method: 'POST', url, headers, payload: payload as object });

const reg = await post('/api/v1/registry/registers', registerInput(provider.id));
assert.equal(reg.statusCode, 201, reg.body);
const code = reg.json().code as string;
const share = await post(
  '/api/v1/exchange/requests',
  {
    registerCode: code,
    fields: ['resident_id', 'name', 'gender'],
    purpose: '户籍变动同步',
    legalBasis: '《户口登记条例》',
    validUntil: new Date(Date.now() + 86_400_000 * 30).toISOString(),
  },
  consumerOfficer.login.headers,
);
await post(`/api/v1/exchange/requests/${share.json().id}/approve`, {});

async function call(method: 'GET' | 'POST', path: string, body?: unknown) {
  const raw = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const headers = signRequest({
    method,
    url: `http://${HOST}${path}`,
    ...(raw ? { body: raw } : {}),
    keyId: client.keyId,
    alg: 'ed25519',
    privateKey: client.keys.privateKey,
  });
  return p.exchange.inject({
    method,
    url: path,
    headers: { host: HOST, ...(raw ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(raw ? { payload: raw } : {}),
  });
}

/** A webhook receiver that can be down (503, or not listening), dedupes by idempotency key and checks signatures. */
class Receiver {
  readonly seen = new Map<
    string,
    { seq: number; op: string; recordId: number; data: Record<string, unknown> | null }
  >();
  posts = 0;
  up = false;
  private server: Server | undefined;
  port = 0;

  async listen(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        this.posts++;
        if (!this.up) {
          res.writeHead(503).end();
          return;
        }
        const body = Buffer.concat(chunks);
        // The node signs webhooks as a client would sign a request: check it with the node's public key.
        const ok = await checkNodeSignature(
          req.method ?? 'POST',
          `http://127.0.0.1:${this.port}${req.url}`,
          req.headers,
          body,
        );
        if (!ok) {
          res.writeHead(401).end();
          return;
        }
        const key = String(req.headers['idempotency-key']);
        const change = JSON.parse(body.toString('utf8'));
        if (!this.seen.has(key)) this.seen.set(key, change);
        res.writeHead(204).end();
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

async function checkNodeSignature(
  method: string,
  url: string,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): Promise<boolean> {
  // Verify with the same RFC 9421 code the exchange uses, against an in-memory key lookup of the node's key.
  const { parseSignatureHeaders, signatureBase, checkContentDigest } = await import('../auth/signatures.ts');
  const { verifyBytes } = await import('../../platform/crypto.ts');
  const h = (n: string) => {
    const v = headers[n];
    return Array.isArray(v) ? v.join(', ') : v;
  };
  try {
    const parsed = parseSignatureHeaders(h('signature-input'), h('signature'));
    checkContentDigest(h('content-digest'), body);
    if (parsed.keyId !== node.keyId) return false;
    const base = signatureBase(parsed.components, parsed.serializedParams, { method, targetUri: url, header: h, body });
    return verifyBytes(node.alg, node.publicKey, Buffer.from(base, 'utf8'), parsed.signature);
  } catch {
    return false;
  }
}

const rid = (first17: string) => first17 + residentIdCheckChar(first17);

/** Lets every subscription try again now (the test does not wait out the backoff). */
const dueNow = () =>
  p.db.owner.transaction((tx) =>
    tx
      .updateTable('subscriptions')
      .set({ next_attempt_at: new Date(0) })
      .execute(),
  );

test(`[${ENGINE}] a subscriber down for a while receives every change exactly once when it comes back`, async () => {
  const receiver = new Receiver();
  await receiver.listen();
  const sub = await call('POST', '/api/v1/exchange/subscriptions', {
    register: code,
    url: `http://127.0.0.1:${receiver.port}/hooks/zhengtong`,
  });
  assert.equal(sub.statusCode, 201, sub.body);
  const subscription = sub.json().id as number;

  // Changes while the subscriber is down: creates, an update and a delete.
  const ids: number[] = [];
  for (let i = 0; i < 12; i++) {
    const res = await post(`/api/v1/registry/registers/${code}/records`, {
      data: { resident_id: rid(`1201011990010${String(100 + i)}1`), name: `测试${i}`, gender: i % 2 ? '女' : '男' },
    });
    assert.equal(res.statusCode, 201, res.body);
    ids.push(res.json().id);
  }
  const upd = await p.internal.inject({
    method: 'PUT',
    url: `/api/v1/registry/registers/${code}/records/${ids[0]}`,
    headers: officer.login.headers,
    payload: { expectedVersion: 1, data: { resident_id: rid('12010119900101001'), name: '改名', gender: '女' } },
  });
  assert.equal(upd.statusCode, 200, upd.body);
  const del = await p.internal.inject({
    method: 'DELETE',
    url: `/api/v1/registry/registers/${code}/records/${ids[1]}`,
    headers: officer.login.headers,
    payload: { expectedVersion: 1, reason: '重复登记' },
  });
  assert.equal(del.statusCode, 200, del.body);

  // Down: 503s, then not even listening.
  await p.worker.step();
  assert.ok(receiver.posts >= 1, 'the deliverer tried');
  assert.equal(receiver.seen.size, 0);
  await dueNow();
  await p.worker.step();
  await receiver.close();
  await dueNow();
  await p.worker.step();
  const failing = await p.db.owner.transaction((tx) =>
    tx.selectFrom('subscriptions').selectAll().where('id', '=', subscription).executeTakeFirstOrThrow(),
  );
  assert.ok(failing.failures >= 3, 'each failure backs off');
  assert.ok(failing.next_attempt_at > new Date(), 'the next attempt is later');
  assert.equal(failing.last_seq, 14);

  // Back up on the same port; a flaky ack (lost response) would resend, which dedup absorbs.
  const back = new Receiver();
  back.up = true;
  await back.listen(receiver.port);
  for (let round = 0; round < 5 && back.seen.size < 14; round++) {
    await dueNow();
    await p.worker.step();
  }
  await back.close();
  assert.equal(back.seen.size, 14, 'every change, once after dedup');
  const changes = [...back.seen.values()].sort((a, b) => a.seq - b.seq);
  assert.deepEqual(
    changes.map((c) => c.seq),
    Array.from({ length: 14 }, (_, i) => i + 1),
    'gap-free and in order',
  );
  assert.equal(changes[12]?.op, 'updated');
  assert.equal(changes[12]?.data?.name, '改*', 'masked as a read under the grant would be');
  assert.equal(changes[13]?.op, 'deleted');
  assert.equal(changes[13]?.data, null);
  assert.equal(changes[0]?.data?.gender, '男');
  assert.match(String(changes[0]?.data?.resident_id), /^120101\*{8}/);

  // Replay from a cursor.
  const replay = await call('GET', `/api/v1/exchange/subscriptions/${subscription}/changes?after=10`);
  assert.equal(replay.statusCode, 200, replay.body);
  assert.deepEqual(
    replay.json().changes.map((c: { seq: number }) => c.seq),
    [11, 12, 13, 14],
  );
  const other = await buildClient(p);
  const theirs = signRequest({
    method: 'GET',
    url: `http://${HOST}/api/v1/exchange/subscriptions/${subscription}/changes`,
    keyId: other.keyId,
    alg: 'ed25519',
    privateKey: other.keys.privateKey,
  });
  const denied = await p.exchange.inject({
    method: 'GET',
    url: `/api/v1/exchange/subscriptions/${subscription}/changes`,
    headers: { host: HOST, ...theirs },
  });
  assert.equal(denied.statusCode, 404, 'another client cannot read this subscription');
});

test(`[${ENGINE}] subscriptions need a grant and an https URL; a revoked grant stops deliveries`, async () => {
  const stranger = await buildClient(p);
  const headers = signRequest({
    method: 'POST',
    url: `http://${HOST}/api/v1/exchange/subscriptions`,
    body: Buffer.from(JSON.stringify({ register: code, url: 'https://example.org/hook' })),
    keyId: stranger.keyId,
    alg: 'ed25519',
    privateKey: stranger.keys.privateKey,
  });
  const noGrant = await p.exchange.inject({
    method: 'POST',
    url: '/api/v1/exchange/subscriptions',
    headers: { host: HOST, 'content-type': 'application/json', ...headers },
    payload: JSON.stringify({ register: code, url: 'https://example.org/hook' }),
  });
  assert.equal(noGrant.statusCode, 403);
  const creds = await call('POST', '/api/v1/exchange/subscriptions', {
    register: code,
    url: 'https://user:secret@example.org/hook',
  });
  assert.equal(creds.statusCode, 400);

  const grants = await call('GET', '/api/v1/exchange/grants');
  const grantId = grants.json()[0].id as number;
  const receiver = new Receiver();
  receiver.up = true;
  await receiver.listen();
  const sub = await call('POST', '/api/v1/exchange/subscriptions', {
    register: code,
    url: `http://127.0.0.1:${receiver.port}/hook`,
  });
  assert.equal(sub.statusCode, 201);
  await p.worker.step(); // drain earlier changes
  const revoke = await post(`/api/v1/exchange/grants/${grantId}/revoke`, { reason: '停止同步' });
  assert.equal(revoke.statusCode, 200, revoke.body);
  const before = receiver.seen.size;
  await post(`/api/v1/registry/registers/${code}/records`, {
    data: { resident_id: rid('12010119950505123'), name: '撤销后', gender: '男' },
  });
  await dueNow();
  await p.worker.step();
  await receiver.close();
  assert.equal(receiver.seen.size, before, 'nothing leaves under a revoked grant');
});
