// exchange SQL: share requests, grants, valve policy versions, the access log and usage counters (subscriptions and
// their deliveries are in subscriptions.store.ts).
import { type ColumnType, type Generated, type RawBuilder, type Selectable, sql } from 'kysely';
import type { Tx } from '../../platform/db.ts';
import { recordNoncesSql, touchClientsSql } from '../auth/index.ts';
import { ledgerQueueInsert, type PreparedEntry } from '../ledger/index.ts';

type JsonArray = ColumnType<string[], string, string>;
type Json = ColumnType<unknown, string, string>;

interface ShareRequestsTable {
  id: Generated<number>;
  register_id: number;
  consumer_department_id: number;
  requested_by: number;
  fields: JsonArray;
  purpose: string;
  legal_basis: string;
  valid_until: Date;
  status: Generated<RequestStatus>;
  due_at: Date | null;
  escalated_at: Date | null;
  decided_by: number | null;
  decided_at: Date | null;
  decision_reason: string | null;
  created_at: Generated<Date>;
}
export type RequestStatus = 'pending' | 'approved' | 'rejected' | 'refused' | 'withdrawn';

interface GrantsTable {
  id: Generated<number>;
  request_id: number;
  register_id: number;
  consumer_department_id: number;
  kind: 'unconditional' | 'conditional';
  fields: JsonArray;
  clear_fields: JsonArray;
  purpose: string;
  valid_from: Date;
  valid_until: Date;
  rate_per_minute: number;
  daily_limit: number;
  status: Generated<'active' | 'revoked'>;
  version: Generated<number>;
  revoked_at: Date | null;
  revoked_by: number | null;
  revoke_reason: string | null;
  created_at: Generated<Date>;
}

interface ValvePoliciesTable {
  version: number;
  policy: string;
  comment: string | null;
  created_by: string;
  created_at: Generated<Date>;
}

interface AccessLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  client_id: number | null;
  key_id: string | null;
  department_id: number | null;
  operation: string;
  register_code: string | null;
  grant_id: number | null;
  purpose: string | null;
  decision: 'allow' | 'deny';
  reason: string | null;
  status: number;
  fields: Json | null;
  rows: number | null;
  request_digest: string | null;
  response_digest: string | null;
  ip: string | null;
  duration_ms: number | null;
}

interface GrantUsageTable {
  grant_id: number;
  day: string;
  shard: number;
  count: number;
}

declare module '../../platform/db.ts' {
  interface Database {
    share_requests: ShareRequestsTable;
    grants: GrantsTable;
    valve_policies: ValvePoliciesTable;
    access_log: AccessLogTable;
    grant_usage: GrantUsageTable;
  }
}

export type ShareRequestRow = Selectable<ShareRequestsTable>;
export type GrantRow = Selectable<GrantsTable>;
export type AccessLogRow = Selectable<AccessLogTable>;

const json = (value: unknown) => JSON.stringify(value);

// ---- share requests ----

/** "Consumed by one of these departments, or provided by one of those" (never everything by accident). */
function eitherSide(
  // biome-ignore lint/suspicious/noExplicitAny: the expression builder of either listing query
  eb: any,
  consumerColumn: string,
  consumers: readonly number[] | undefined,
  providers: readonly number[] | undefined,
) {
  return [
    ...(consumers?.length ? [eb(consumerColumn, 'in', consumers)] : []),
    ...(providers?.length ? [eb('r.department_id', 'in', providers)] : []),
    eb.val(false),
  ];
}

export function insertRequest(
  tx: Tx,
  row: {
    register_id: number;
    consumer_department_id: number;
    requested_by: number;
    fields: readonly string[];
    purpose: string;
    legal_basis: string;
    valid_until: Date;
    status: RequestStatus;
    due_at: Date | null;
    decision_reason: string | null;
    decided_at: Date | null;
  },
) {
  return tx
    .insertInto('share_requests')
    .values({ ...row, fields: json(row.fields) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findRequest(tx: Tx, id: number) {
  return tx.selectFrom('share_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Moves a pending request to its decision; undefined when it was no longer pending. */
export function decideRequest(
  tx: Tx,
  id: number,
  row: { status: RequestStatus; decided_by: number | null; decision_reason: string | null },
) {
  return tx
    .updateTable('share_requests')
    .set({ ...row, decided_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
}

export interface RequestListRow extends ShareRequestRow {
  register_code: string;
  register_name: string;
  provider_department_id: number;
}

/** What a listing of requests or grants shows of the register (joined as `r`). */
const REGISTER_COLUMNS = [
  'r.code as register_code',
  sql<string>`r.metadata->>'name'`.as('register_name'),
  'r.department_id as provider_department_id',
] as const;

export function findRequests(
  tx: Tx,
  filter: {
    consumerDepartments?: readonly number[];
    providerDepartments?: readonly number[];
    status?: RequestStatus;
    overdueAt?: Date;
    limit: number;
  },
): Promise<RequestListRow[]> {
  let q = tx
    .selectFrom('share_requests as s')
    .innerJoin('registers as r', 'r.id', 's.register_id')
    .selectAll('s')
    .select(REGISTER_COLUMNS)
    .orderBy('s.id', 'desc')
    .limit(filter.limit);
  if (filter.consumerDepartments || filter.providerDepartments) {
    q = q.where((eb) =>
      eb.or(eitherSide(eb, 's.consumer_department_id', filter.consumerDepartments, filter.providerDepartments)),
    );
  }
  if (filter.status) q = q.where('s.status', '=', filter.status);
  if (filter.overdueAt) q = q.where('s.status', '=', 'pending').where('s.due_at', '<', filter.overdueAt);
  return q.execute() as Promise<RequestListRow[]>;
}

/** Pending requests past their due time not yet escalated; marks them escalated. */
export function escalateOverdue(tx: Tx, now: Date) {
  return tx
    .updateTable('share_requests')
    .set({ escalated_at: now })
    .where('status', '=', 'pending')
    .where('due_at', '<', now)
    .where('escalated_at', 'is', null)
    .returningAll()
    .execute();
}

// ---- grants ----

export function insertGrant(
  tx: Tx,
  row: {
    request_id: number;
    register_id: number;
    consumer_department_id: number;
    kind: 'unconditional' | 'conditional';
    fields: readonly string[];
    clear_fields: readonly string[];
    purpose: string;
    valid_from: Date;
    valid_until: Date;
    rate_per_minute: number;
    daily_limit: number;
  },
) {
  return tx
    .insertInto('grants')
    .values({ ...row, fields: json(row.fields), clear_fields: json(row.clear_fields) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findGrant(tx: Tx, id: number) {
  return tx.selectFrom('grants').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A department's grants on a register, the active ones first, newest first. */
export function findGrantsFor(tx: Tx, departmentId: number, registerId: number) {
  return tx
    .selectFrom('grants')
    .selectAll()
    .where('consumer_department_id', '=', departmentId)
    .where('register_id', '=', registerId)
    .orderBy(sql`status = 'active'`, 'desc')
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
}

export interface GrantListRow extends GrantRow {
  register_code: string;
  register_name: string;
  provider_department_id: number;
}

export function findGrants(
  tx: Tx,
  filter: { consumerDepartments?: readonly number[]; providerDepartments?: readonly number[]; limit: number },
): Promise<GrantListRow[]> {
  let q = tx
    .selectFrom('grants as g')
    .innerJoin('registers as r', 'r.id', 'g.register_id')
    .selectAll('g')
    .select(REGISTER_COLUMNS)
    .orderBy('g.id', 'desc')
    .limit(filter.limit);
  if (filter.consumerDepartments || filter.providerDepartments) {
    q = q.where((eb) =>
      eb.or(eitherSide(eb, 'g.consumer_department_id', filter.consumerDepartments, filter.providerDepartments)),
    );
  }
  return q.execute() as Promise<GrantListRow[]>;
}

export function findGrantIdsOfRequests(tx: Tx, requestIds: readonly number[]) {
  if (requestIds.length === 0) return Promise.resolve([] as Array<{ id: number; request_id: number }>);
  return tx.selectFrom('grants').select(['id', 'request_id']).where('request_id', 'in', requestIds).execute();
}

export function revokeGrant(tx: Tx, id: number, row: { revoked_by: number; revoke_reason: string }) {
  return tx
    .updateTable('grants')
    .set({ ...row, status: 'revoked', revoked_at: sql<Date>`now()`, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .returningAll()
    .executeTakeFirst();
}

// ---- usage (daily volume) ----

export const USAGE_SHARDS = 8;

/**
 * A data call's one read: the cache generation, the grant's usage today and the call's own read (an SQL expression),
 * in one statement.
 */
export function admitSql(grantId: number, day: string, read: RawBuilder<unknown>) {
  return sql<{ generation: number; x: unknown }>`
    select (select n from cache_generation) as generation,
           json_build_object(
             'used', (select coalesce(sum(count), 0)::int from grant_usage where grant_id = ${grantId} and day = ${day}::date),
             'data', ${read}) as x`;
}

// ---- valve policies ----

export function findCurrentPolicy(tx: Tx) {
  return tx.selectFrom('valve_policies').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
}

export async function currentPolicyVersion(tx: Tx): Promise<number> {
  const r = await sql<{ v: number | null }>`select max(version) as v from valve_policies`.execute(tx);
  return Number(r.rows[0]?.v ?? 0);
}

export function findPolicyVersions(tx: Tx) {
  return tx
    .selectFrom('valve_policies')
    .select(['version', 'comment', 'created_by', 'created_at'])
    .orderBy('version', 'desc')
    .execute();
}

/** Adds the next version; undefined when another version was saved since `expectedVersion`. */
export async function insertPolicy(
  tx: Tx,
  expectedVersion: number,
  row: { policy: string; comment: string | null; created_by: string },
) {
  return tx
    .insertInto('valve_policies')
    .values({ ...row, version: expectedVersion + 1 })
    .onConflict((oc) => oc.column('version').doNothing())
    .returningAll()
    .executeTakeFirst();
}

// ---- access log ----

export interface AccessLogInput {
  client_id: number | null;
  key_id: string | null;
  department_id: number | null;
  operation: string;
  register_code: string | null;
  grant_id: number | null;
  purpose: string | null;
  decision: 'allow' | 'deny';
  reason: string | null;
  status: number;
  fields: unknown;
  rows: number | null;
  request_digest: string | null;
  response_digest: string | null;
  ip: string | null;
  duration_ms: number | null;
}

export async function insertAccessLog(tx: Tx, row: AccessLogInput): Promise<void> {
  await tx
    .insertInto('access_log')
    .values({ ...row, fields: row.fields === null ? null : json(row.fields) })
    .execute();
}

export function findAccessLog(
  tx: Tx,
  filter: {
    departments?: readonly number[];
    registerCodes?: readonly string[];
    decision?: 'allow' | 'deny';
    clientId?: number;
    registerCode?: string;
    before?: number;
    limit: number;
  },
) {
  let q = tx.selectFrom('access_log').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.departments || filter.registerCodes) {
    const { departments, registerCodes } = filter;
    q = q.where((eb) =>
      eb.or([
        ...(departments?.length ? [eb('department_id', 'in', departments)] : []),
        ...(registerCodes?.length ? [eb('register_code', 'in', registerCodes)] : []),
        eb.val(false),
      ]),
    );
  }
  if (filter.decision) q = q.where('decision', '=', filter.decision);
  if (filter.clientId !== undefined) q = q.where('client_id', '=', filter.clientId);
  if (filter.registerCode) q = q.where('register_code', '=', filter.registerCode);
  if (filter.before !== undefined) q = q.where('id', '<', filter.before);
  return q.execute();
}

// ---- answered calls, written together ----

export interface AnswerRows {
  /** The request's nonce: recorded here, and a replay's rows are not written. */
  readonly nonce: { readonly keyId: string; readonly nonce: string };
  readonly usage: { readonly grantId: number; readonly day: string };
  readonly log: AccessLogInput;
  readonly ledger: PreparedEntry;
}

/**
 * One statement for a batch of answered calls (the answer writer's group commit): records the nonces, and for each
 * call whose nonce was fresh its usage count, its access-log row and its ledger entry. Answers the fresh calls' `ord`.
 */
export function answersSql(rows: readonly AnswerRows[], now: Date) {
  const nonces = JSON.stringify(rows.map((r, ord) => ({ ord, key_id: r.nonce.keyId, nonce: r.nonce.nonce })));
  const usage = rows.map((r, ord) => ({
    ord,
    grant_id: r.usage.grantId,
    day: r.usage.day,
    shard: Math.floor(Math.random() * USAGE_SHARDS),
  }));
  const logs = rows.map((r, ord) => ({ ord, ...r.log, fields: r.log.fields ?? null }));
  return sql<{ ord: number }>`
    with fresh as (
      ${recordNoncesSql(nonces)}
    ), ok as (
      -- one call per nonce: the first of a batch that carries the same nonce twice
      select min(x.ord) as ord from jsonb_to_recordset(${nonces}::jsonb) as x(ord int, key_id text, nonce text)
      join fresh f on f.key_id = x.key_id and f.nonce = x.nonce group by x.key_id, x.nonce
    ), touched as (
      ${touchClientsSql(
        rows.map((r) => r.nonce.keyId),
        now,
      )}
    ), usage as (
      insert into grant_usage (grant_id, day, shard, count)
      select u.grant_id, u.day::date, u.shard, count(*)
      from jsonb_to_recordset(${JSON.stringify(usage)}::jsonb) as u(ord int, grant_id bigint, day text, shard int)
      where u.ord in (select ord from ok)
      group by u.grant_id, u.day, u.shard
      -- in key order, so that two batches in flight lock the same counters in the same order (no deadlock)
      order by u.grant_id, u.day, u.shard
      on conflict (grant_id, day, shard) do update set count = grant_usage.count + excluded.count
    ), logged as (
      insert into access_log (client_id, key_id, department_id, operation, register_code, grant_id, purpose, decision,
                              reason, status, fields, rows, request_digest, response_digest, ip, duration_ms)
      select a.client_id, a.key_id, a.department_id, a.operation, a.register_code, a.grant_id, a.purpose, a.decision,
             a.reason, a.status, a.fields, a.rows, a.request_digest, a.response_digest, a.ip, a.duration_ms
      from jsonb_to_recordset(${JSON.stringify(logs)}::jsonb) as a(ord int, client_id bigint, key_id text,
           department_id bigint, operation text, register_code text, grant_id bigint, purpose text, decision text,
           reason text, status int, fields jsonb, rows int, request_digest text, response_digest text, ip text,
           duration_ms real)
      where a.ord in (select ord from ok)
    ), queued as (
      ${ledgerQueueInsert(
        rows.map((r) => r.ledger.row),
        sql`(select ord from ok)`,
      )}
    )
    select ord from ok`;
}
