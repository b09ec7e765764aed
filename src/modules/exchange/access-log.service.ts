// The exchange's record of calls: refusals recorded (access-log row + ledger entry, with the nonce they consumed)
// before the caller sees them, and the access log as staff read it — security monitoring and KPIs read the same rows.
import type { Db } from '../../platform/db.ts';
import type { ClientActor } from '../auth/index.ts';
import { recordNoncesSql } from '../auth/index.ts';
import type { StaffActor } from '../org/index.ts';
import { registerCodesOf } from '../registry/index.ts';
import type { AccessDeps } from './access.service.ts';
import { departmentsOf, seesAll } from './exchange.policy.ts';
import type { AccessLogQuery } from './exchange.schemas.ts';
import * as store from './exchange.store.ts';

/** What the zone knows of a refused call: who (as far as known), what, and why. */
export interface Denial {
  readonly client: ClientActor | undefined;
  /** The key id the request claimed, when the signature did not verify. */
  readonly claimedKeyId: string | undefined;
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly requestDigest: string | null;
  readonly responseDigest: string;
  readonly ip: string;
  readonly startedAt: number;
  /** A verified request's nonce the route had not recorded yet: a refusal consumes it too. */
  readonly nonce: { readonly keyId: string; readonly nonce: string } | undefined;
}

/** Records a refused exchange call: an access-log row and a ledger entry, in their own transaction. */
export async function recordDenial(deps: Pick<AccessDeps, 'db' | 'ledger'>, d: Denial): Promise<string> {
  const details = d.details ?? {};
  const register = typeof details.register === 'string' ? details.register : registerFromPath(d.path);
  const grantId = typeof details.grantId === 'number' ? details.grantId : null;
  const policies = Array.isArray(details.policies) ? (details.policies as string[]) : [];
  const keyId = d.client?.keyId ?? d.claimedKeyId ?? null;
  return deps.db.transaction(async (tx) => {
    if (d.nonce)
      await recordNoncesSql(JSON.stringify([{ ord: 0, key_id: d.nonce.keyId, nonce: d.nonce.nonce }])).execute(tx);
    await store.insertAccessLog(tx, {
      client_id: d.client?.clientId ?? null,
      key_id: keyId,
      department_id: d.client?.departmentId ?? null,
      operation: d.operation,
      register_code: register,
      grant_id: grantId,
      purpose: null,
      decision: 'deny',
      reason: policies.length ? `${d.code}: ${policies.join(', ')}` : d.code,
      status: d.status,
      fields: typeof details.field === 'string' ? { field: details.field } : null,
      rows: null,
      request_digest: d.requestDigest,
      response_digest: d.responseDigest,
      ip: d.ip,
      duration_ms: performance.now() - d.startedAt,
    });
    const { receiptId } = await deps.ledger.append(tx, {
      type: 'exchange.denied',
      actor: d.client ? `client:${d.client.keyId}` : keyId ? `unverified-key:${keyId}` : 'anonymous',
      subject: register ? `register:${register}` : `exchange:${d.operation}`,
      payload: {
        operation: d.operation,
        method: d.method,
        path: d.path,
        status: d.status,
        code: d.code,
        message: d.message,
        policies,
        grantId,
        field: typeof details.field === 'string' ? details.field : null,
        requestDigest: d.requestDigest,
        responseDigest: d.responseDigest,
        ip: d.ip,
      },
      readers: d.client ? [`client:${d.client.keyId}`] : [],
    });
    return receiptId;
  });
}

/**
 * One record for the refusals of an unverified caller that were only counted (RefusalThrottle): an access-log row
 * whose `rows` is the count, and a ledger entry — the evidence says how many, from where, and when.
 */
export async function recordCountedRefusals(
  deps: Pick<AccessDeps, 'db' | 'ledger'>,
  s: { readonly ip: string; readonly since: number; readonly suppressed: number },
  until: Date,
): Promise<void> {
  const since = new Date(s.since).toISOString();
  await deps.db.transaction(async (tx) => {
    await store.insertAccessLog(tx, {
      client_id: null,
      key_id: null,
      department_id: null,
      operation: 'other',
      register_code: null,
      grant_id: null,
      purpose: null,
      decision: 'deny',
      reason: `exchange.refusals_counted: ${s.suppressed} refusals since ${since}, answered 429 without one-by-one records`,
      status: 429,
      fields: null,
      rows: s.suppressed,
      request_digest: null,
      response_digest: null,
      ip: s.ip,
      duration_ms: null,
    });
    await deps.ledger.append(tx, {
      type: 'exchange.refusals_counted',
      actor: 'anonymous',
      subject: `address:${s.ip}`,
      payload: { ip: s.ip, since, until: until.toISOString(), refusals: s.suppressed },
      readers: [],
    });
  });
}

function registerFromPath(path: string): string | null {
  const m = /\/registers\/([0-9-]+)\//.exec(path);
  return m?.[1] ?? null;
}

/**
 * The access log, newest first, paged with `before`: everything for overseers (platform admins, auditors, security
 * officers); for others, the calls of their departments and the calls on registers their departments provide.
 */
export async function listAccessLog(deps: { readonly db: Db }, actor: StaffActor, q: AccessLogQuery) {
  return deps.db.transaction(async (tx) => {
    let scope = {};
    if (!seesAll(actor)) {
      const mine = departmentsOf(actor);
      const provided = await registerCodesOf(tx, mine);
      scope = { departments: mine, registerCodes: provided };
    }
    const rows = await store.findAccessLog(tx, {
      ...scope,
      ...(q.decision ? { decision: q.decision } : {}),
      ...(q.client ? { clientId: q.client } : {}),
      ...(q.register ? { registerCode: q.register } : {}),
      ...(q.before ? { before: q.before } : {}),
      limit: q.limit ?? 100,
    });
    return rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      clientId: r.client_id,
      keyId: r.key_id,
      departmentId: r.department_id,
      operation: r.operation,
      registerCode: r.register_code,
      grantId: r.grant_id,
      purpose: r.purpose,
      decision: r.decision,
      reason: r.reason,
      status: r.status,
      fields: r.fields,
      rows: r.rows,
      requestDigest: r.request_digest,
      responseDigest: r.response_digest,
      ip: r.ip,
      durationMs: r.duration_ms,
    }));
  });
}
