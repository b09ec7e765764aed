import {
  dummyPasswordHash,
  hashPassword,
  randomToken,
  type SecretBox,
  type SignatureAlg,
  sha256,
  verifyPassword,
} from '../../platform/crypto.ts';
import type { Db, Tx } from '../../platform/db.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.ts';
import type { ZoneLedger } from '../ledger/index.ts';
import {
  type CreateStaff,
  canManageDepartment,
  createStaff,
  findStaffByUsername,
  getStaffMember,
  isPlatformAdmin,
  loadStaffActor,
  type StaffActor,
  type StaffMember,
} from '../org/index.ts';
import {
  isValidCreditCode,
  isValidResidentId,
  maskCreditCode,
  maskResidentId,
  normalizeCreditCode,
  normalizeResidentId,
} from '../privacy/index.ts';
import type { AccountLogin, ChangePassword, Register, StaffLogin } from './auth.schemas.ts';
import * as store from './auth.store.ts';

export interface AuthDeps {
  readonly db: Db;
  readonly ledger: ZoneLedger;
  readonly secrets: SecretBox;
  readonly clock: () => Date;
}

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;
export const SESSION_HOURS = { staff: 10, account: 2 } as const;

export interface AccountActor {
  readonly kind: 'person' | 'enterprise';
  readonly accountId: number;
  readonly displayName: string;
  readonly identifierMasked: string;
}

export interface ClientActor {
  readonly kind: 'client';
  readonly clientId: number;
  readonly keyId: string;
  readonly clientName: string;
  readonly departmentId: number;
  readonly alg: SignatureAlg;
}

export interface Session<A> {
  readonly actor: A;
  readonly csrfToken: string;
  readonly expiresAt: Date;
  readonly method: store.SignInMethod;
}

export interface NewSession<A> extends Session<A> {
  /** The cookie value; only its SHA-256 is stored. */
  readonly token: string;
}

const invalidCredentials = () => new AppError('auth.invalid_credentials', 401, 'Wrong login or password');
const locked = (until: Date, now: Date) =>
  new AppError('auth.locked', 429, 'Too many failed logins; try again later', {
    retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)),
  });

/** Where a sign-in attempt came from: the client address, kept with the security events (never the password). */
export interface Attempt {
  readonly ip: string;
}

/**
 * Security events are evidence (ledger entries, readable by the principal and auditors): a failed sign-in, with why
 * (no such login, wrong password, locked), and a lockout. The tried login of an unknown principal is kept only as a
 * short digest, since people type passwords into login fields.
 */
export async function recordSecurityEvent(
  deps: AuthDeps,
  tx: Tx,
  kind: store.PrincipalKind,
  principalId: number | undefined,
  type: 'auth.login.failed' | 'auth.login.locked',
  payload: Record<string, unknown>,
): Promise<void> {
  const self = principalId === undefined ? `${kind}:unknown` : `${kind}:${principalId}`;
  await deps.ledger.append(tx, {
    type,
    actor: self,
    subject: self,
    payload,
    readers: principalId === undefined ? [] : [self],
  });
}

/**
 * Checks a password against a principal's credentials with lockout. Failures (and their ledger entries) are
 * committed on their own so that they survive the error thrown to the caller.
 */
async function checkPassword(
  deps: AuthDeps,
  kind: store.PrincipalKind,
  principalId: number | undefined,
  password: string,
  attempt: Attempt & { readonly login: string },
) {
  const now = deps.clock();
  const creds =
    principalId === undefined
      ? undefined
      : await deps.db.transaction((tx) => store.findCredentials(tx, kind, principalId));
  if (!creds?.passwordHash) {
    // Same time whether or not the login exists; an account made by unified sign-in has no password of ours.
    await verifyPassword(password, await dummyPasswordHash());
    await deps.db.transaction((tx) =>
      recordSecurityEvent(
        deps,
        tx,
        kind,
        creds?.principalId,
        'auth.login.failed',
        creds
          ? { reason: 'no_password', ip: attempt.ip }
          : {
              reason: 'unknown_login',
              loginDigest: sha256(attempt.login).subarray(0, 8).toString('hex'),
              ip: attempt.ip,
            },
      ),
    );
    throw invalidCredentials();
  }
  const passwordHash = creds.passwordHash;
  if (creds.lockedUntil && creds.lockedUntil > now) {
    await deps.db.transaction((tx) =>
      recordSecurityEvent(deps, tx, kind, creds.principalId, 'auth.login.failed', { reason: 'locked', ip: attempt.ip }),
    );
    throw locked(creds.lockedUntil, now);
  }
  if (!(await verifyPassword(password, passwordHash))) {
    const lockUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000);
    const lockedNow = await deps.db.transaction(async (tx) => {
      const until = await store.recordFailedLogin(tx, kind, creds.principalId, MAX_FAILED_LOGINS, lockUntil);
      await recordSecurityEvent(deps, tx, kind, creds.principalId, 'auth.login.failed', {
        reason: 'wrong_password',
        ip: attempt.ip,
      });
      if (until && until > now) {
        await recordSecurityEvent(deps, tx, kind, creds.principalId, 'auth.login.locked', {
          until: until.toISOString(),
          failures: MAX_FAILED_LOGINS,
          ip: attempt.ip,
        });
      }
      return until;
    });
    if (lockedNow && lockedNow > now) throw locked(lockedNow, now);
    throw invalidCredentials();
  }
}

/** Opens a session in the caller's transaction; the sign-in is a ledger entry readable by the principal. */
export async function openSession<A>(
  deps: AuthDeps,
  tx: Tx,
  kind: store.PrincipalKind,
  principalId: number,
  actor: A,
  attempt: Attempt | undefined,
  method: store.SignInMethod = 'password',
  evidence: Record<string, unknown> = {},
): Promise<NewSession<A>> {
  const token = randomToken();
  const csrfToken = randomToken();
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS[kind] * 3_600_000);
  await store.clearFailedLogins(tx, kind, principalId);
  await store.deleteExpiredSessions(tx, kind, now);
  await store.insertSession(tx, kind, { tokenHash: sha256(token), principalId, csrfToken, expiresAt, method });
  const self = `${kind}:${principalId}`;
  await deps.ledger.append(tx, {
    type: 'auth.login.succeeded',
    actor: self,
    subject: self,
    payload: { ip: attempt?.ip ?? null, expiresAt: expiresAt.toISOString(), method, ...evidence },
    readers: [self],
  });
  return { token, csrfToken, expiresAt, actor, method };
}

// ---- staff ----

/** Logs a staff member in; throws 401 for a wrong login or password, 429 while locked out. */
export async function loginStaff(deps: AuthDeps, input: StaffLogin, attempt: Attempt): Promise<NewSession<StaffActor>> {
  const username = input.username.trim().toLowerCase();
  const staff = await deps.db.transaction((tx) => findStaffByUsername(tx, username));
  await checkPassword(deps, 'staff', staff?.active ? staff.id : undefined, input.password, {
    ...attempt,
    login: username,
  });
  return deps.db.transaction(async (tx) => {
    const actor = staff && (await loadStaffActor(tx, staff.id));
    if (!actor) throw invalidCredentials();
    return openSession(deps, tx, 'staff', actor.staffId, actor, attempt);
  });
}

/** The session behind a cookie token, or undefined when it is unknown, expired or its staff member deactivated. */
export async function resolveStaffSession(deps: AuthDeps, token: string): Promise<Session<StaffActor> | undefined> {
  return deps.db.transaction(async (tx) => {
    const session = await store.touchSession(tx, 'staff', sha256(token), deps.clock());
    if (!session) return undefined;
    const actor = await loadStaffActor(tx, session.principalId);
    return actor && { actor, csrfToken: session.csrfToken, expiresAt: session.expiresAt, method: session.method };
  });
}

export async function describeStaff(deps: AuthDeps, actor: StaffActor): Promise<StaffMember> {
  return getStaffMember(deps, actor.staffId);
}

/** Creates a staff member with an initial password, in one transaction (CLI `user create`, demo seed). */
export async function createStaffUser(
  deps: AuthDeps,
  actor: StaffActor | 'system',
  input: CreateStaff & { password: string },
): Promise<StaffMember> {
  const { password, ...staff } = input;
  const hash = await hashPassword(password);
  return createStaff(deps, actor, staff, (tx, member) =>
    store.setPasswordHash(tx, 'staff', member.id, hash, deps.clock()),
  );
}

/** An admin sets (or resets) a staff member's password; their sessions end. */
export async function setStaffPassword(
  deps: AuthDeps,
  actor: StaffActor,
  staffId: number,
  password: string,
): Promise<void> {
  const hash = await hashPassword(password);
  await deps.db.transaction(async (tx) => {
    const target = await loadStaffActor(tx, staffId);
    if (!target || !canManageDepartment(actor, target.departmentId)) throw notFound('staff');
    if (target.roles.some((r) => r.role === 'platform_admin') && !isPlatformAdmin(actor)) {
      throw forbidden("Only a platform admin resets a platform admin's password");
    }
    await store.setPasswordHash(tx, 'staff', staffId, hash, deps.clock());
    await store.deleteOtherSessions(tx, 'staff', staffId);
    await deps.ledger.append(tx, {
      type: 'auth.password.reset',
      actor: `staff:${actor.staffId}`,
      subject: `staff:${staffId}`,
      payload: { sessionsEnded: true },
      readers: [`staff:${actor.staffId}`, `staff:${staffId}`],
    });
  });
}

// ---- shared: logout and password change ----

/** Ends a session; the sign-out is a security event like the sign-in. Answers how the session had been opened. */
export async function logout(
  deps: AuthDeps,
  kind: store.PrincipalKind,
  principalId: number,
  token: string,
): Promise<store.SignInMethod | undefined> {
  return deps.db.transaction(async (tx) => {
    const method = await store.deleteSession(tx, kind, sha256(token));
    if (!method) return undefined;
    const self = `${kind}:${principalId}`;
    await deps.ledger.append(tx, {
      type: 'auth.logout',
      actor: self,
      subject: self,
      payload: { method },
      readers: [self],
    });
    return method;
  });
}

/** Changes one's own password after checking the current one; other sessions end, this one stays. */
export async function changePassword(
  deps: AuthDeps,
  kind: store.PrincipalKind,
  principalId: number,
  token: string,
  input: ChangePassword,
  attempt: Attempt,
): Promise<void> {
  if (input.newPassword === input.currentPassword) {
    throw invalid('/newPassword', 'The new password must differ from the current one');
  }
  await checkPassword(deps, kind, principalId, input.currentPassword, { ...attempt, login: `${kind}:${principalId}` });
  const hash = await hashPassword(input.newPassword);
  await deps.db.transaction(async (tx) => {
    await store.setPasswordHash(tx, kind, principalId, hash, deps.clock());
    await store.deleteOtherSessions(tx, kind, principalId, sha256(token));
    const self = `${kind}:${principalId}`;
    await deps.ledger.append(tx, {
      type: 'auth.password.changed',
      actor: self,
      subject: self,
      payload: { otherSessionsEnded: true },
      readers: [self],
    });
  });
}

// ---- citizens and enterprises ----

/** A real-name identifier that passes its check character — a person's resident ID, an enterprise's credit code. */
export function checkedIdentifier(
  kind: 'person' | 'enterprise',
  raw: string,
): { value: string; masked: string } | undefined {
  if (kind === 'person') {
    const value = normalizeResidentId(raw);
    return isValidResidentId(value) ? { value, masked: maskResidentId(value) } : undefined;
  }
  const value = normalizeCreditCode(raw);
  return isValidCreditCode(value) ? { value, masked: maskCreditCode(value) } : undefined;
}

function normalizeIdentifier(raw: string): { value: string; kind: 'person' | 'enterprise' } | undefined {
  const id = normalizeResidentId(raw);
  if (isValidResidentId(id)) return { value: id, kind: 'person' };
  const code = normalizeCreditCode(raw);
  if (isValidCreditCode(code)) return { value: code, kind: 'enterprise' };
  return undefined;
}

export const toAccountActor = (row: store.AccountRow): AccountActor => ({
  kind: row.kind,
  accountId: row.id,
  displayName: row.display_name,
  identifierMasked: row.identifier_masked,
});

/** Registers a person (real name + resident ID) or an enterprise (name + credit code) and logs them in. */
export async function registerAccount(
  deps: AuthDeps,
  input: Register,
  attempt?: Attempt,
): Promise<NewSession<AccountActor>> {
  const checked = checkedIdentifier(input.kind, input.kind === 'person' ? input.residentId : input.creditCode);
  if (!checked) {
    throw input.kind === 'person'
      ? invalid(
          '/residentId',
          'This is not a valid resident ID number (check the digits and the last character)',
          'validation.resident_id',
        )
      : invalid(
          '/creditCode',
          'This is not a valid unified social credit code (check its characters)',
          'validation.credit_code',
        );
  }
  const { value: identifier, masked } = checked;
  if (input.password.includes(identifier)) throw invalid('/password', 'The password must not contain your ID number');
  const hash = await hashPassword(input.password);
  return deps.db.transaction(async (tx) => {
    const row = await store.insertAccount(tx, {
      kind: input.kind,
      display_name: input.name.trim(),
      identifier_hash: deps.secrets.lookupHash(identifier),
      identifier_enc: deps.secrets.seal(identifier),
      identifier_masked: masked,
      password_hash: hash,
    });
    if (!row) throw conflict('account.exists', 'An account with this ID is already registered; log in instead');
    const self = `account:${row.id}`;
    await deps.ledger.append(tx, {
      type: 'auth.account.registered',
      actor: self,
      subject: self,
      payload: { kind: row.kind, name: row.display_name, identifierMasked: row.identifier_masked },
      readers: [self],
    });
    return openSession(deps, tx, 'account', row.id, toAccountActor(row), attempt);
  });
}

export async function loginAccount(
  deps: AuthDeps,
  input: AccountLogin,
  attempt: Attempt,
): Promise<NewSession<AccountActor>> {
  const identifier = normalizeIdentifier(input.identifier);
  const row = identifier
    ? await deps.db.transaction((tx) => store.findAccountByIdentifier(tx, deps.secrets.lookupHash(identifier.value)))
    : undefined;
  await checkPassword(deps, 'account', row?.id, input.password, { ...attempt, login: input.identifier });
  if (!row) throw invalidCredentials();
  return deps.db.transaction((tx) => openSession(deps, tx, 'account', row.id, toAccountActor(row), attempt));
}

export async function resolveAccountSession(deps: AuthDeps, token: string): Promise<Session<AccountActor> | undefined> {
  return deps.db.transaction(async (tx) => {
    const session = await store.touchSession(tx, 'account', sha256(token), deps.clock());
    if (!session) return undefined;
    const row = await store.findAccount(tx, session.principalId);
    return (
      row && {
        actor: toAccountActor(row),
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt,
        method: session.method,
      }
    );
  });
}
