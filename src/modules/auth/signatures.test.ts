// RFC 9421 request signatures: unit checks, interoperability with an independent implementation
// (the `http-message-signatures` npm library) in both directions, and the exchange zone end to end.
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign as edSign, verify as edVerify } from 'node:crypto';
import { test } from 'node:test';
import { httpbis } from 'http-message-signatures';
import { buildClient, countRows, ENGINE, startTestPlatform } from '../../../test/helpers.ts';
import { generateKeyPair, signBytes, verifyBytes } from '../../platform/crypto.ts';
import { contentDigest, signRequest } from './signatures.ts';

const p = await startTestPlatform();
const BASE = 'http://localhost:8082';

async function send(
  headers: Record<string, string>,
  options: { method?: 'GET' | 'POST'; path?: string; body?: Buffer } = {},
) {
  const method = options.method ?? (options.body ? 'POST' : 'GET');
  return p.exchange.inject({
    method,
    url: options.path ?? (method === 'POST' ? '/api/v1/exchange/ping' : '/api/v1/exchange/whoami'),
    headers: { host: 'localhost:8082', ...(options.body ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(options.body ? { payload: options.body } : {}),
  });
}

test('SM2 signatures use the standard signer id and verify; a changed byte fails', () => {
  const pair = generateKeyPair('sm2-sm3');
  const data = Buffer.from('政通 exchange');
  const sig = signBytes('sm2-sm3', pair.privateKey, data);
  assert.equal(sig.length, 64);
  assert.ok(verifyBytes('sm2-sm3', pair.publicKey, data, sig));
  assert.ok(!verifyBytes('sm2-sm3', pair.publicKey, Buffer.from('政通 exchangE'), sig));
  assert.ok(!verifyBytes('sm2-sm3', generateKeyPair('sm2-sm3').publicKey, data, sig));
});

test('Content-Digest follows RFC 9530 (sha-256 of the body, base64 byte sequence)', () => {
  // RFC 9530 §2 example body {"hello": "world"}
  assert.equal(
    contentDigest(Buffer.from('{"hello": "world"}\n')),
    'sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:',
  );
});

test(`[${ENGINE}] a request signed by an independent RFC 9421 library is accepted`, async () => {
  const client = await buildClient(p);
  const key = createPrivateKey(client.keys.privateKey);
  const body = Buffer.from(JSON.stringify({ purpose: '社保待遇资格认证' }));
  const request = {
    method: 'POST',
    url: `${BASE}/api/v1/exchange/ping`,
    headers: { 'content-digest': contentDigest(body), 'content-type': 'application/json' } as Record<string, string>,
  };
  const signed = await httpbis.signMessage(
    {
      key: { id: client.keyId, alg: 'ed25519', sign: async (data: Buffer) => edSign(null, data, key) },
      name: 'sig1',
      fields: ['@method', '@target-uri', 'content-digest'],
      params: ['created', 'nonce', 'keyid', 'alg'],
      paramValues: { nonce: 'independent-nonce-0001' },
    },
    request,
  );
  const res = await send(signed.headers as Record<string, string>, { body });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().client.keyId, client.keyId);
  assert.equal(res.json().receivedBytes, body.length);
});

test('our signature verifies with the independent library', async () => {
  const pair = generateKeyPair('ed25519');
  const url = `${BASE}/api/v1/exchange/ping`;
  const body = Buffer.from('{"a":1}');
  const headers = signRequest({
    method: 'POST',
    url,
    body,
    keyId: 'k-independent',
    alg: 'ed25519',
    privateKey: pair.privateKey,
  });
  const ok = await httpbis.verifyMessage(
    {
      keyLookup: async () => ({
        id: 'k-independent',
        algs: ['ed25519'],
        verify: async (data: Buffer, signature: Buffer) =>
          edVerify(null, data, createPublicKey(pair.publicKey), signature),
      }),
      requiredFields: ['@method', '@target-uri', 'content-digest'],
    },
    { method: 'POST', url, headers },
  );
  assert.equal(ok, true);
});

test(`[${ENGINE}] Ed25519 and SM2-SM3 clients call the exchange with our signer`, async () => {
  for (const alg of ['ed25519', 'sm2-sm3'] as const) {
    const client = await buildClient(p, alg);
    const headers = signRequest({
      method: 'GET',
      url: `${BASE}/api/v1/exchange/whoami`,
      keyId: client.keyId,
      alg,
      privateKey: client.keys.privateKey,
    });
    const res = await send(headers);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      keyId: client.keyId,
      clientId: client.id,
      clientName: 'test client',
      departmentId: res.json().departmentId,
      alg,
    });
  }
});

test(`[${ENGINE}] forged, expired, replayed, tampered and unsigned requests are refused and leave no trace`, async () => {
  const client = await buildClient(p);
  const other = generateKeyPair('ed25519');
  const url = `${BASE}/api/v1/exchange/ping`;
  const body = Buffer.from('{"query":"120101199003071235"}');
  const sign = (o: Partial<Parameters<typeof signRequest>[0]> = {}) =>
    signRequest({
      method: 'POST',
      url,
      body,
      keyId: client.keyId,
      alg: 'ed25519',
      privateKey: client.keys.privateKey,
      ...o,
    });
  const noncesBefore = await countRows(p, 'request_nonces');
  const now = Math.floor(Date.now() / 1000);

  const cases: Array<[string, Record<string, string>, Buffer, string]> = [
    ['unsigned', {}, body, 'signature.missing'],
    ['forged with another key', sign({ privateKey: other.privateKey }), body, 'signature.invalid'],
    ['unknown key id', sign({ keyId: 'zt-nobody-000' }), body, 'signature.unknown_key'],
    ['expired', sign({ created: now - 400 }), body, 'signature.expired'],
    ['from the future', sign({ created: now + 400 }), body, 'signature.expired'],
    ['body changed after signing', sign(), Buffer.from('{"query":"120101199003071236"}'), 'signature.digest_mismatch'],
    [
      'wrong alg for the key',
      sign({ alg: 'sm2-sm3', privateKey: generateKeyPair('sm2-sm3').privateKey }),
      body,
      'signature.wrong_alg',
    ],
    ['garbage header', { 'signature-input': 'sig1=(((', signature: 'sig1=:AAAA:' }, body, 'signature.malformed'],
  ];
  for (const [label, headers, payload, code] of cases) {
    const res = await send(headers, { body: payload });
    assert.equal(res.statusCode, 401, `${label}: ${res.body}`);
    assert.equal(res.json().error.code, code, label);
  }
  const noDigest = sign();
  delete noDigest['content-digest'];
  const res = await send(noDigest, { body });
  assert.equal(res.statusCode, 401);
  assert.equal(res.json().error.code, 'signature.digest_missing');

  // A signature that does not cover the digest is refused even if the digest header is right.
  const getStyle = signRequest({
    method: 'POST',
    url,
    keyId: client.keyId,
    alg: 'ed25519',
    privateKey: client.keys.privateKey,
  });
  const uncovered = await send({ ...getStyle, 'content-digest': contentDigest(body) }, { body });
  assert.equal(uncovered.json().error.code, 'signature.insufficient');

  // Signed for another URL.
  const elsewhere = signRequest({
    method: 'GET',
    url: `${BASE}/api/v1/exchange/other`,
    keyId: client.keyId,
    alg: 'ed25519',
    privateKey: client.keys.privateKey,
  });
  assert.equal((await send(elsewhere)).json().error.code, 'signature.invalid');

  assert.equal(await countRows(p, 'request_nonces'), noncesBefore, 'no refused request recorded a nonce');

  const good = sign();
  assert.equal((await send(good, { body })).statusCode, 200);
  const replay = await send(good, { body });
  assert.equal(replay.statusCode, 401);
  assert.equal(replay.json().error.code, 'signature.replayed');
});

test(`[${ENGINE}] a revoked client is refused at once`, async () => {
  const client = await buildClient(p);
  await p.db.owner.transaction((tx) =>
    tx.updateTable('api_clients').set({ status: 'revoked' }).where('id', '=', client.id).execute(),
  );
  const res = await send(
    signRequest({
      method: 'GET',
      url: `${BASE}/api/v1/exchange/whoami`,
      keyId: client.keyId,
      alg: 'ed25519',
      privateKey: client.keys.privateKey,
    }),
  );
  assert.equal(res.statusCode, 401);
  assert.equal(res.json().error.code, 'signature.unknown_key');
});
