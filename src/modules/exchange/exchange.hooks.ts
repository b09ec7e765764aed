// Exchange-zone hooks: every response is signed by the node (RFC 9421 over @status and its headers, bound to the
// request by its digest), and every refused call is recorded — an access-log row and a ledger entry — before the
// caller sees the refusal.
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import type { App } from '../../platform/http.ts';
import { contentDigest, parseSignatureHeaders, signResponse } from '../auth/index.ts';
import type { AccessDeps } from './access.service.ts';
import { recordCountedRefusals, recordDenial } from './access-log.service.ts';
import type { RefusalThrottle } from './limits.ts';
import type { NodeSigner } from './subscriptions.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Answered 429 by the refusal throttle before anything else: counted, not recorded one by one. */
    throttled?: boolean;
    /** When the call arrived (performance.now()). */
    startedAt?: number;
    /** SHA-256 over the request's signature headers, which cover its method, target and body digest. */
    requestDigest?: string;
  }
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : v);

function operationOf(path: string): string {
  const m = /^\/api\/v1\/exchange\/(?:registers\/[^/]+\/)?([a-z-]+)/.exec(path);
  return m?.[1] ?? 'other';
}

export function exchangeZoneHooks(
  app: App,
  deps: Pick<AccessDeps, 'db' | 'ledger' | 'clock'>,
  node: NodeSigner,
  throttle: RefusalThrottle,
): void {
  app.addHook('onRequest', async (req, reply) => {
    req.startedAt = performance.now();
    const input = header(req.headers['signature-input']);
    const sig = header(req.headers.signature);
    const material = input && sig ? `${input}\n${sig}` : `${req.method} ${req.url}`;
    req.requestDigest = `sha-256=:${createHash('sha256').update(material).digest('base64')}:`;
    // An address whose unverified calls were refused too often this minute is answered at once.
    const wait = req.url.startsWith('/api/') ? throttle.blocked(req.ip, deps.clock().getTime()) : 0;
    if (wait) {
      req.throttled = true;
      reply.header('retry-after', String(wait));
      return reply.status(429).send({
        error: {
          code: 'exchange.too_many_refusals',
          message: `Too many refused calls from this address; try again in ${wait} s`,
        },
        requestId: req.id,
      });
    }
  });

  // Counted refusals are summarised when their minute ends (and when the zone closes).
  const summarise = async (now: number) => {
    for (const s of throttle.drain(now)) await recordCountedRefusals(deps, s, deps.clock());
  };
  const timer = setInterval(
    () => void summarise(deps.clock().getTime()).catch((e) => app.log.error(e, 'refusal summary')),
    10_000,
  );
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await summarise(Number.POSITIVE_INFINITY);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.url.startsWith('/api/')) return payload;
    const body =
      typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.isBuffer(payload) ? payload : undefined;
    if (!body) return payload;
    const digest = contentDigest(body);
    // Refusals are recorded before the caller sees them — except those of unverified callers past their budget.
    const refused = reply.statusCode >= 400 && !req.throttled;
    if (refused && (req.client !== undefined || (await throttle.recordable(req.ip, deps.clock().getTime())))) {
      let error: { code?: string; message?: string; details?: Record<string, unknown> } = {};
      try {
        error = (JSON.parse(body.toString('utf8')) as { error?: typeof error }).error ?? {};
      } catch {}
      let claimedKeyId: string | undefined;
      try {
        claimedKeyId = parseSignatureHeaders(
          header(req.headers['signature-input']),
          header(req.headers.signature),
        ).keyId;
      } catch {}
      const receipt = await recordDenial(deps, {
        client: req.client,
        claimedKeyId,
        operation: operationOf(req.url),
        method: req.method,
        path: req.url.split('?')[0] ?? req.url,
        status: reply.statusCode,
        code: error.code ?? `http.${reply.statusCode}`,
        message: error.message ?? '',
        details: error.details,
        requestDigest: req.requestDigest ?? null,
        responseDigest: digest,
        ip: req.ip,
        startedAt: req.startedAt ?? performance.now(),
        nonce: req.pendingNonce,
      });
      reply.header('zt-receipt', receipt);
      const retryAfter = error.details?.retryAfter;
      if (reply.statusCode === 429 && typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
    }
    reply.header('content-digest', digest);
    reply.header('zt-request-digest', req.requestDigest ?? '');
    const covered = ['content-type', 'content-digest', 'zt-request-digest'];
    if (reply.hasHeader('zt-receipt')) covered.push('zt-receipt');
    const value = (name: string) => {
      const v = reply.getHeader(name);
      return v === undefined ? undefined : Array.isArray(v) ? v.join(', ') : String(v);
    };
    const signed = signResponse({
      parts: { status: reply.statusCode, header: value },
      components: covered.filter((c) => value(c) !== undefined),
      keyId: node.keyId,
      alg: node.alg,
      privateKey: node.privateKey,
    });
    reply.header('signature-input', signed['signature-input']);
    reply.header('signature', signed.signature);
    return payload;
  });
}

/** The node's signer for responses and webhooks, from the node's log key (Ed25519 or SM2 by the crypto profile). */
export function nodeSignerFrom(key: {
  readonly profile: 'sha256-ed25519' | 'sm3-sm2';
  readonly privateKey: string;
  readonly publicKey: Uint8Array;
}): NodeSigner {
  const ed = key.profile === 'sha256-ed25519';
  const publicKey = ed
    ? createPublicKey(createPrivateKey(key.privateKey)).export({ type: 'spki', format: 'pem' }).toString()
    : Buffer.from(key.publicKey).toString('hex');
  return {
    keyId: `zt-node-${createHash('sha256').update(key.publicKey).digest('hex').slice(0, 16)}`,
    alg: ed ? 'ed25519' : 'sm2-sm3',
    privateKey: key.privateKey,
    publicKey,
  };
}
