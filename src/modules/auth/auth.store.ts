// auth SQL: credentials, sessions, accounts, API clients and request nonces. Every function takes the transaction.
import { type ColumnType, type Generated, type RawBuilder, type Selectable, sql } from 'kysely';
import type { SignatureAlg } from '../../platform/crypto.ts';
import type { Tx } from '../../platform/db.ts';

type CreatedAt = ColumnType<Date, Date | undefined, never>;

interface StaffCredentialsTable {
  staff_id: number;
  password_hash: string;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  password_changed_at: Generated<Date>;
}
/** How a session was opened: our password check, or an OpenID Connect provider's answer. */
export type SignInMethod = 'password' | 'oidc';
interface SessionColumns {
  token_hash: Buffer;
  method: Generated<SignInMethod>;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Date;
  last_seen_at: Generated<Date>;
}
interface StaffSessionsTable extends SessionColumns {
  staff_id: number;
}
interface AccountSessionsTable extends SessionColumns {
  account_id: number;
}
export type AccountKind = 'person' | 'enterprise';
interface AccountsTable {
  id: Generated<number>;
  kind: AccountKind;
  display_name: string;
  identifier_hash: Buffer;
  identifier_enc: Buffer;
  identifier_masked: string;
  /** Null for an account made by a unified identity platform's sign-in. */
  password_hash: string | null;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  password_changed_at: Generated<Date>;
  created_at: CreatedAt;
}
interface ApiClientsTable {
  id: Generated<number>;
  key_id: string;
  department_id: number;
  name: string;
  alg: SignatureAlg;
  public_key: string;
  status: Generated<'active' | 'revoked'>;
  created_by: number | null;
  created_at: CreatedAt;
  revoked_at: Date | null;
  last_used_at: Date | null;
}
interface RequestNoncesTable {
  key_id: string;
  nonce: string;
  seen_at: Generated<Date>;
}

declare module '../../platform/db.ts' {
  interface Database {
    staff_credentials: StaffCredentialsTable;
    staff_sessions: StaffSessionsTable;
    accounts: AccountsTable;
    account_sessions: AccountSessionsTable;
    api_clients: ApiClientsTable;
    request_nonces: RequestNoncesTable;
  }
}

export type AccountRow = Selectable<AccountsTable>;
export type ApiClientRow = Selectable<ApiClientsTable>;

/** The two kinds of people who log in, each with its own tables (and zone role). */
export type PrincipalKind = 'staff' | 'account';

const TABLES = {
  staff: { credentials: 'staff_credentials', key: 'staff_id', sessions: 'staff_sessions', sessionKey: 'staff_id' },
  account: { credentials: 'accounts', key: 'id', sessions: 'account_sessions', sessionKey: 'account_id' },
} as const;

export interface Credentials {
  readonly principalId: number;
  readonly passwordHash: string | null;
  readonly lockedUntil: Date | null;
}

export async function findCredentials(
  tx: Tx,
  kind: PrincipalKind,
  principalId: number,
): Promise<Credentials | undefined> {
  const t = TABLES[kind];
  const result = await sql<{ id: number; password_hash: string | null; locked_until: Date | null }>`
    select ${sql.ref(t.key)} as id, password_hash, locked_until from ${sql.table(t.credentials)}
    where ${sql.ref(t.key)} = ${principalId}`.execute(tx);
  const row = result.rows[0];
  return row && { principalId: row.id, passwordHash: row.password_hash, lockedUntil: row.locked_until };
}

/** Counts a failed login; at maxFailures locks until lockUntil and restarts the count. Returns the lock, if any. */
export async function recordFailedLogin(
  tx: Tx,
  kind: PrincipalKind,
  principalId: number,
  maxFailures: number,
  lockUntil: Date,
): Promise<Date | null> {
  const t = TABLES[kind];
  const result = await sql<{ locked_until: Date | null }>`
    update ${sql.table(t.credentials)} set
      locked_until = case when failed_logins + 1 >= ${maxFailures} then ${lockUntil} else locked_until end,
      failed_logins = case when failed_logins + 1 >= ${maxFailures} then 0 else failed_logins + 1 end
    where ${sql.ref(t.key)} = ${principalId}
    returning locked_until`.execute(tx);
  return result.rows[0]?.locked_until ?? null;
}

export async function clearFailedLogins(tx: Tx, kind: PrincipalKind, principalId: number): Promise<void> {
  const t = TABLES[kind];
  await sql`update ${sql.table(t.credentials)} set failed_logins = 0, locked_until = null
    where ${sql.ref(t.key)} = ${principalId}`.execute(tx);
}

export async function setPasswordHash(
  tx: Tx,
  kind: PrincipalKind,
  principalId: number,
  hash: string,
  at: Date,
): Promise<void> {
  if (kind === 'staff') {
    await tx
      .insertInto('staff_credentials')
      .values({ staff_id: principalId, password_hash: hash })
      .onConflict((oc) =>
        oc
          .column('staff_id')
          .doUpdateSet({ password_hash: hash, password_changed_at: at, failed_logins: 0, locked_until: null }),
      )
      .execute();
    return;
  }
  await tx
    .updateTable('accounts')
    .set({ password_hash: hash, password_changed_at: at, failed_logins: 0, locked_until: null })
    .where('id', '=', principalId)
    .execute();
}

// ---- sessions ----

export interface SessionRow {
  readonly principalId: number;
  readonly method: SignInMethod;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

export async function insertSession(
  tx: Tx,
  kind: PrincipalKind,
  row: { tokenHash: Buffer; principalId: number; csrfToken: string; expiresAt: Date; method: SignInMethod },
): Promise<void> {
  const t = TABLES[kind];
  await sql`insert into ${sql.table(t.sessions)} (token_hash, ${sql.ref(t.sessionKey)}, csrf_token, expires_at, method)
    values (${row.tokenHash}, ${row.principalId}, ${row.csrfToken}, ${row.expiresAt}, ${row.method})`.execute(tx);
}

/** The live session for a token hash, touching last_seen_at. */
export async function touchSession(
  tx: Tx,
  kind: PrincipalKind,
  tokenHash: Buffer,
  now: Date,
): Promise<SessionRow | undefined> {
  const t = TABLES[kind];
  const result = await sql<{ principal_id: number; csrf_token: string; expires_at: Date; method: SignInMethod }>`
    update ${sql.table(t.sessions)} set last_seen_at = ${now}
    where token_hash = ${tokenHash} and expires_at > ${now}
    returning ${sql.ref(t.sessionKey)} as principal_id, csrf_token, expires_at, method`.execute(tx);
  const row = result.rows[0];
  return (
    row && { principalId: row.principal_id, csrfToken: row.csrf_token, expiresAt: row.expires_at, method: row.method }
  );
}

/** Deletes one session; answers how it was opened, or undefined when there was none. */
export async function deleteSession(tx: Tx, kind: PrincipalKind, tokenHash: Buffer): Promise<SignInMethod | undefined> {
  const result = await sql<{ method: SignInMethod }>`
    delete from ${sql.table(TABLES[kind].sessions)} where token_hash = ${tokenHash} returning method`.execute(tx);
  return result.rows[0]?.method;
}

/** Ends every session of a principal except, optionally, the one given (after a password change). */
export async function deleteOtherSessions(
  tx: Tx,
  kind: PrincipalKind,
  principalId: number,
  keep?: Buffer,
): Promise<void> {
  const t = TABLES[kind];
  await sql`delete from ${sql.table(t.sessions)} where ${sql.ref(t.sessionKey)} = ${principalId}
    and (${keep ?? null}::bytea is null or token_hash <> ${keep ?? null})`.execute(tx);
}

export async function deleteExpiredSessions(tx: Tx, kind: PrincipalKind, now: Date): Promise<void> {
  await sql`delete from ${sql.table(TABLES[kind].sessions)} where expires_at <= ${now}`.execute(tx);
}

// ---- accounts ----

export function findAccountByIdentifier(tx: Tx, identifierHash: Buffer) {
  return tx.selectFrom('accounts').selectAll().where('identifier_hash', '=', identifierHash).executeTakeFirst();
}

export function findAccount(tx: Tx, id: number) {
  return tx.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertAccount(
  tx: Tx,
  row: {
    kind: AccountKind;
    display_name: string;
    identifier_hash: Buffer;
    identifier_enc: Buffer;
    identifier_masked: string;
    password_hash: string | null;
  },
) {
  return tx
    .insertInto('accounts')
    .values(row)
    .onConflict((oc) => oc.column('identifier_hash').doNothing())
    .returningAll()
    .executeTakeFirst();
}

// ---- API clients ----

export function insertClient(
  tx: Tx,
  row: {
    key_id: string;
    department_id: number;
    name: string;
    alg: SignatureAlg;
    public_key: string;
    created_by: number | null;
  },
) {
  return tx.insertInto('api_clients').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findClients(tx: Tx, filter: { departmentIds?: readonly number[] }) {
  let query = tx.selectFrom('api_clients').selectAll().orderBy('id');
  if (filter.departmentIds) {
    if (filter.departmentIds.length === 0) return Promise.resolve([] as ApiClientRow[]);
    query = query.where('department_id', 'in', filter.departmentIds);
  }
  return query.execute();
}

export function findClient(tx: Tx, id: number) {
  return tx.selectFrom('api_clients').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findClientByKeyId(tx: Tx, keyId: string) {
  return tx.selectFrom('api_clients').selectAll().where('key_id', '=', keyId).executeTakeFirst();
}

export function revokeClient(tx: Tx, id: number, now: Date) {
  return tx
    .updateTable('api_clients')
    .set({ status: 'revoked', revoked_at: now })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .returningAll()
    .executeTakeFirst();
}

/**
 * Records a request's nonce and notes the client's use (to the minute), reading the cache generation and the
 * caller's own expression in the same statement; `fresh` is false for a replay.
 */
export function consumeNonceSql<T>(keyId: string, nonce: string, now: Date, extra?: RawBuilder<T>) {
  return sql<{ fresh: boolean; generation: number; extra: T }>`
    with n as (
      insert into request_nonces (key_id, nonce) values (${keyId}, ${nonce}) on conflict do nothing returning 1
    ), used as (
      update api_clients set last_used_at = ${now}
      where key_id = ${keyId} and (last_used_at is null or last_used_at < ${new Date(now.getTime() - 60_000)})
      returning 1
    )
    select exists (select 1 from n) as fresh, (select n from cache_generation) as generation,
           ${extra ?? sql`null`} as extra`;
}

export async function forgetNoncesBefore(tx: Tx, cutoff: Date): Promise<void> {
  await tx.deleteFrom('request_nonces').where('seen_at', '<', cutoff).execute();
}

/**
 * For a caller's batch statement: records nonces given as a JSON array of {ord, key_id, nonce}; returns (as a CTE
 * body) the `ord` of each that was new — the others are replays. Also notes the clients' use, to the minute.
 */
export function recordNoncesSql(json: string) {
  return sql`insert into request_nonces (key_id, nonce)
    select x.key_id, x.nonce from jsonb_to_recordset(${json}::jsonb) as x(ord int, key_id text, nonce text)
    on conflict do nothing returning key_id, nonce`;
}

export function touchClientsSql(keyIds: readonly string[], now: Date) {
  return sql`update api_clients set last_used_at = ${now}
    where key_id = any(${[...new Set(keyIds)]}::text[])
      and (last_used_at is null or last_used_at < ${new Date(now.getTime() - 60_000)})`;
}

/** What other modules may know of an account: its kind, name, masked identifier and the identifier still sealed. */
export async function accountIdentity(tx: Tx, accountId: number) {
  const row = await tx
    .selectFrom('accounts')
    .select(['kind', 'display_name', 'identifier_masked', 'identifier_enc'])
    .where('id', '=', accountId)
    .executeTakeFirst();
  return row
    ? {
        kind: row.kind,
        name: row.display_name,
        identifierMasked: row.identifier_masked,
        identifierSealed: Buffer.from(row.identifier_enc).toString('base64'),
      }
    : undefined;
}
