// Subscriptions ("collect once, use everywhere"): a consumer's system subscribes to the changes of a register it
// holds a grant on. The registry's outbox (record_changes) is fanned out into per-subscription deliveries, each
// shaped by the valve exactly as a read would be (granted fields, masked per decision), numbered without gaps;
// the deliverer posts them in order as signed webhooks with an idempotency key, retrying with backoff
// (at-least-once); the consumer can replay from any sequence number it holds.
import { isIP } from 'node:net';
import type { SignatureAlg } from '../../platform/crypto.ts';
import type { Db, Tx } from '../../platform/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { ClientActor } from '../auth/index.ts';
import { signRequest } from '../auth/index.ts';
import type { StaffActor } from '../org/index.ts';
import { maskValue } from '../privacy/index.ts';
import { type RegisterFacts, recordAtVersion, registerFacts } from '../registry/index.ts';
import type { AccessDeps } from './access.service.ts';
import { departmentsOf, seesAll } from './exchange.policy.ts';
import type { Change, CreateSubscription, Subscription } from './exchange.schemas.ts';
import * as store from './exchange.store.ts';
import * as subs from './subscriptions.store.ts';
import { grantFacts, pickGrant } from './valve.service.ts';
import type { GrantFacts, Valve } from './valve.ts';
import { isPrivateAddress, postWebhook } from './webhook.ts';

export interface NodeSigner {
  readonly keyId: string;
  readonly alg: SignatureAlg;
  readonly privateKey: string;
  /** SPKI PEM (Ed25519) or uncompressed point hex (SM2), for verifiers. */
  readonly publicKey: string;
}

export interface SubscriptionDeps extends AccessDeps {
  readonly webhookAllowHttp: boolean;
  readonly webhookAllowPrivate: boolean;
}

export function subscriptionView(row: subs.SubscriptionListRow): Subscription {
  return {
    id: row.id,
    register: row.register_code,
    grant: row.grant_id,
    keyId: row.key_id,
    consumerDepartmentId: row.consumer_department_id,
    url: row.url,
    status: row.status,
    lastSeq: row.last_seq,
    deliveredSeq: row.delivered_seq,
    failures: row.failures,
    nextAttemptAt: row.next_attempt_at.toISOString(),
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
  };
}

function checkUrl(raw: string, allowHttp: boolean, allowPrivate: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('validation.failed', 400, 'The webhook URL is not a URL', { field: '/url' });
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    throw new AppError('exchange.webhook_insecure', 400, 'Webhooks are delivered over https only', { field: '/url' });
  }
  if (url.username || url.password) {
    throw new AppError('validation.failed', 400, 'Put no credentials in the webhook URL', { field: '/url' });
  }
  // Names are checked on every delivery (they may change); addresses and localhost can be refused at once.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (
    !allowPrivate &&
    (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && isPrivateAddress(host)))
  ) {
    throw new AppError('exchange.webhook_private', 400, 'Webhooks go to public addresses only', { field: '/url' });
  }
  return url.toString();
}

async function loadOwn(tx: Tx, client: ClientActor, id: number) {
  const [row] = await subs.findSubscriptions(tx, { id, clientId: client.clientId, limit: 1 });
  if (!row) throw notFound('subscription');
  return row;
}

/** Subscribes the calling client to a register's changes under one of its department's grants. */
export async function createSubscription(
  deps: SubscriptionDeps,
  client: ClientActor,
  input: CreateSubscription,
): Promise<Subscription> {
  const url = checkUrl(input.url, deps.webhookAllowHttp, deps.webhookAllowPrivate);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const reg = await registerFacts(tx, input.register);
    if (!reg) throw notFound('register');
    const rows = await store.findGrantsFor(tx, client.departmentId, reg.id);
    const grantRow = input.grant ? rows.find((g) => g.id === input.grant) : pickGrant(rows, '', now);
    const valve = await deps.valves.current(tx);
    const grant = grantRow && grantFacts(grantRow, reg.code, now);
    if (!grantRow || !grant || shape(valve, client, reg, grant, now).length === 0) {
      throw new AppError('exchange.no_grant', 403, 'Your department holds no grant in force on this register', {
        register: reg.code,
        ...(grantRow ? { grantId: grantRow.id } : {}),
        policies: ['no-active-grant'],
      });
    }
    const row = await subs.insertSubscription(tx, {
      grant_id: grantRow.id,
      client_id: client.clientId,
      register_id: reg.id,
      url,
    });
    await deps.ledger.append(tx, {
      type: 'exchange.subscription.created',
      actor: `client:${client.keyId}`,
      subject: `subscription:${row.id}`,
      payload: { subscriptionId: row.id, register: reg.code, grantId: grantRow.id, url },
      readers: [`client:${client.keyId}`],
    });
    return subscriptionView({
      ...row,
      register_code: reg.code,
      key_id: client.keyId,
      consumer_department_id: client.departmentId,
      provider_department_id: reg.departmentId,
    });
  });
}

export async function listOwnSubscriptions(deps: SubscriptionDeps, client: ClientActor): Promise<Subscription[]> {
  return deps.db.transaction(async (tx) =>
    (await subs.findSubscriptions(tx, { clientId: client.clientId, limit: 500 })).map(subscriptionView),
  );
}

export async function cancelOwnSubscription(deps: SubscriptionDeps, client: ClientActor, id: number) {
  return deps.db.transaction(async (tx) => {
    const row = await loadOwn(tx, client, id);
    const cancelled = await subs.cancelSubscription(tx, id, deps.clock());
    await deps.ledger.append(tx, {
      type: 'exchange.subscription.cancelled',
      actor: `client:${client.keyId}`,
      subject: `subscription:${id}`,
      payload: { subscriptionId: id, register: row.register_code },
      readers: [`client:${client.keyId}`],
    });
    return subscriptionView({ ...row, ...(cancelled ?? {}) });
  });
}

/** Replays a subscription's changes after a sequence number (the deliveries kept for the retention period). */
export async function replayChanges(
  deps: SubscriptionDeps,
  client: ClientActor,
  id: number,
  after: number,
  limit: number,
): Promise<{ changes: Change[]; lastSeq: number }> {
  return deps.db.transaction(async (tx) => {
    const row = await loadOwn(tx, client, id);
    const rows = await subs.findDeliveries(tx, id, after, limit);
    return { changes: rows.map((r) => r.payload as Change), lastSeq: row.last_seq };
  });
}

// ---- fan-out and delivery (the exchange worker) ----

/** The fields a subscriber may see and how: the same valve decisions as a read under the grant's purpose. */
function shape(
  valve: Valve,
  client: { keyId: string; departmentId: number },
  reg: RegisterFacts,
  grant: GrantFacts,
  now: Date,
) {
  const plan: Array<{ code: string; mask: ((v: unknown) => unknown) | null }> = [];
  for (const field of reg.fields) {
    if (!grant.fields.includes(field.code)) continue;
    const question = {
      client,
      register: { code: reg.code, providerDepartmentId: reg.departmentId, sharing: reg.sharing.type },
      field: { code: field.code, grade: field.grade, pii: field.piiType },
      purpose: grant.purpose,
      now,
      grant,
    };
    if (!valve.decide({ ...question, action: 'readMasked' }).allow) continue;
    const pii = field.piiType;
    const clear = valve.decide({ ...question, action: 'readClear' }).allow;
    plan.push({
      code: field.code,
      mask: clear ? null : pii === 'none' ? () => '******' : (v: unknown) => maskValue(pii, v),
    });
  }
  return plan;
}

/**
 * Takes a batch of the registry's outbox and turns it into deliveries for every active subscription of the
 * registers concerned. One dispatcher at a time (a transaction advisory lock) keeps sequence numbers in order.
 */
export async function dispatchChanges(deps: AccessDeps, batch = 1_000): Promise<number> {
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    if (!(await subs.tryDispatchLock(tx))) return 0;
    const changes = await subs.oldestChanges(tx, batch);
    if (changes.length === 0) return 0;
    const active = await subs.activeSubscriptionsTo(tx, [...new Set(changes.map((c) => c.register_id))]);
    if (active.length > 0) {
      const valve = await deps.valves.current(tx);
      const regs = new Map<number, RegisterFacts>();
      for (const id of new Set(active.map((s) => s.register_id))) {
        const reg = await registerFacts(tx, id);
        if (reg) regs.set(id, reg);
      }
      for (const sub of active) {
        const reg = regs.get(sub.register_id);
        const grantRow = await store.findGrant(tx, sub.grant_id);
        if (!reg || !grantRow || sub.client_status !== 'active') continue;
        const grant = grantFacts(grantRow, reg.code, now);
        const plan = shape(valve, { keyId: sub.key_id, departmentId: sub.department_id }, reg, grant, now);
        if (plan.length === 0) continue; // the grant ended: nothing more leaves under it
        let seq = sub.last_seq;
        const rows: subs.NewDelivery[] = [];
        for (const c of changes) {
          if (c.register_id !== sub.register_id) continue;
          const rec = await recordAtVersion(tx, reg.id, c.record_id, c.version);
          const op: Change['op'] = c.deleted ? 'deleted' : c.version === 1 ? 'created' : 'updated';
          let data: Record<string, unknown> | null = null;
          if (rec && !c.deleted) {
            data = {};
            for (const p of plan) {
              const v = rec.data[p.code];
              if (v !== undefined) data[p.code] = p.mask && v !== null ? p.mask(v) : v;
            }
          }
          seq += 1;
          const payload: Change = {
            subscription: sub.id,
            seq,
            register: reg.code,
            recordId: c.record_id,
            version: c.version,
            op,
            changedAt: c.changed_at.toISOString(),
            data,
          };
          rows.push({
            subscription_id: sub.id,
            seq,
            record_id: c.record_id,
            record_version: c.version,
            op,
            payload: JSON.stringify(payload),
          });
        }
        await subs.queueDeliveries(tx, sub.id, rows);
      }
    }
    await subs.forgetChanges(
      tx,
      changes.map((c) => c.id),
    );
    return changes.length;
  });
}

const LEASE_MS = 60_000;
const MAX_BACKOFF_MS = 5 * 60_000;

export interface DeliverOptions {
  readonly db: Db;
  readonly clock: () => Date;
  readonly signer: NodeSigner;
  /** Per-request timeout for a webhook call. */
  readonly timeoutMs?: number;
  /** Deliver to private and loopback addresses too (an isolated network, tests); off by default (SSRF). */
  readonly allowPrivate?: boolean;
}

/** Posts due deliveries in order, one subscription at a time; a failure backs that subscription off exponentially. */
export async function deliverDue(o: DeliverOptions, maxSubscriptions = 20): Promise<number> {
  const now = o.clock();
  const due = await o.db.transaction((tx) =>
    subs.claimDue(tx, now, new Date(now.getTime() + LEASE_MS), maxSubscriptions),
  );
  let delivered = 0;
  for (const sub of due) delivered += await deliverOne(o, sub);
  return delivered;
}

async function deliverOne(o: DeliverOptions, sub: subs.SubscriptionRow): Promise<number> {
  const pending = await o.db.transaction((tx) => subs.findDeliveries(tx, sub.id, sub.delivered_seq, 100));
  let delivered = 0;
  let failure: string | undefined;
  for (const d of pending) {
    const body = Buffer.from(JSON.stringify(d.payload), 'utf8');
    const headers = signRequest({
      method: 'POST',
      url: sub.url,
      body,
      keyId: o.signer.keyId,
      alg: o.signer.alg,
      privateKey: o.signer.privateKey,
    });
    try {
      const status = await postWebhook(
        sub.url,
        {
          ...headers,
          'content-type': 'application/json',
          'idempotency-key': `${sub.id}:${d.seq}`,
          'zt-subscription': String(sub.id),
          'zt-seq': String(d.seq),
        },
        body,
        { timeoutMs: o.timeoutMs ?? 10_000, allowPrivate: o.allowPrivate ?? false },
      );
      if (status < 200 || status > 299) {
        failure = `HTTP ${status}`;
        break;
      }
    } catch (e) {
      failure = (e as Error).message.slice(0, 300);
      break;
    }
    delivered++;
    await o.db.transaction((tx) => subs.markDelivered(tx, sub.id, d.seq, o.clock()));
  }
  const failures = failure ? sub.failures + 1 : 0;
  const backoff = failure
    ? Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures - 1, 16)) * (0.75 + Math.random() / 2)
    : 0;
  await o.db.transaction((tx) =>
    subs.scheduleNext(tx, sub.id, {
      failures,
      at: new Date(o.clock().getTime() + backoff),
      ...(failure ? { error: failure } : {}),
    }),
  );
  return delivered;
}

/** Deletes delivered changes older than the retention period (replay reaches back that far). */
export async function pruneDeliveries(deps: { db: Db; clock: () => Date }, retentionDays: number): Promise<number> {
  const before = new Date(deps.clock().getTime() - retentionDays * 86_400_000);
  return deps.db.transaction((tx) => subs.pruneDelivered(tx, before));
}

/** Subscriptions of a staff member's departments' clients or to their registers (all of them for overseers). */
export async function listSubscriptionsFor(deps: { readonly db: Db }, actor: StaffActor): Promise<Subscription[]> {
  return deps.db.transaction(async (tx) =>
    (
      await subs.findSubscriptions(tx, {
        ...(seesAll(actor) ? {} : { departments: departmentsOf(actor) }),
        limit: 500,
      })
    ).map(subscriptionView),
  );
}
