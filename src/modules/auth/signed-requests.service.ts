// The exchange's hot path of authentication: an RFC 9421 signature checked against cached client keys, and the nonce
// (replay guard) recorded in the one statement that also reads the cache generation. Kept apart from the login and
// account use cases of auth.service.ts: it runs on every exchange call and is measured by bench/exchange*.bench.ts.
import type { RawBuilder } from 'kysely';
import { verifyBytes } from '../../platform/crypto.ts';
import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { type Generation, GenerationMap } from '../../platform/generation.ts';
import type { AuthDeps, ClientActor } from './auth.service.ts';
import * as store from './auth.store.ts';
import {
  checkContentDigest,
  checkSignaturePolicy,
  MAX_SIGNATURE_AGE_SECONDS,
  parseSignatureHeaders,
  type RequestParts,
  signatureBase,
} from './signatures.ts';

/** The exchange zone's cache of API clients by key id (null: no such key), exact by the cache generation. */
export type ClientCache = GenerationMap<string, store.ApiClientRow | null>;

export function createClientCache(generation: Generation): ClientCache {
  return new GenerationMap(generation);
}

export interface CheckedSignature {
  readonly client: ClientActor;
  readonly nonce: string;
}

/**
 * Everything of an RFC 9421 check except the nonce: covered components, freshness, Content-Digest, and the signature
 * by the client's registered key (from the cache when it holds the key). Pair it with `consumeNonce`.
 */
export async function checkSignature(
  deps: AuthDeps & { readonly clients: ClientCache },
  parts: RequestParts,
): Promise<CheckedSignature> {
  const parsed = parseSignatureHeaders(parts.header('signature-input'), parts.header('signature'));
  const now = deps.clock();
  checkSignaturePolicy(parsed, parts.body !== undefined, Math.floor(now.getTime() / 1000));
  if (parts.body !== undefined) checkContentDigest(parts.header('content-digest'), parts.body);
  const client = await deps.clients.get(
    parsed.keyId,
    async () => (await deps.db.read((q) => store.findClientByKeyId(q, parsed.keyId))) ?? null,
  );
  if (client?.status !== 'active') throw new AppError('signature.unknown_key', 401, 'Unknown or revoked key id');
  if (client.alg !== parsed.alg) throw new AppError('signature.wrong_alg', 401, `This key signs with ${client.alg}`);
  const base = signatureBase(parsed.components, parsed.serializedParams, parts);
  if (!verifyBytes(client.alg, client.public_key, Buffer.from(base, 'utf8'), parsed.signature)) {
    throw new AppError('signature.invalid', 401, 'The signature does not verify');
  }
  return {
    nonce: parsed.nonce,
    client: {
      kind: 'client',
      clientId: client.id,
      keyId: client.key_id,
      clientName: client.name,
      departmentId: client.department_id,
      alg: client.alg,
    },
  };
}

/**
 * Records a request's nonce and notes the client's use, in one statement that also reads the cache generation and,
 * if given, the caller's own expression (so a hot path spends no extra round trip). `fresh` is false for a replay.
 */
export async function consumeNonce<T = null>(
  deps: { readonly db: Db; readonly clock: () => Date },
  keyId: string,
  nonce: string,
  extra?: RawBuilder<T>,
): Promise<{ fresh: boolean; generation: number; extra: T }> {
  const now = deps.clock();
  await sweepNonces(deps);
  const r = await deps.db.statement((q) => store.consumeNonceSql<T>(keyId, nonce, now, extra).execute(q));
  const row = r.rows[0];
  if (!row) throw new Error('consumeNonce returned no row');
  return { fresh: row.fresh, generation: Number(row.generation), extra: row.extra };
}

let lastNonceSweep = 0;

/** Forgets nonces past the signature window, at most every few seconds (for callers that record nonces in batches). */
export async function sweepNonces(deps: { readonly db: Db; readonly clock: () => Date }): Promise<void> {
  const now = deps.clock();
  if (now.getTime() - lastNonceSweep <= 5_000) return;
  lastNonceSweep = now.getTime();
  const cutoff = new Date(now.getTime() - 2 * MAX_SIGNATURE_AGE_SECONDS * 1000);
  await deps.db.statement((q) => store.forgetNoncesBefore(q, cutoff));
}
