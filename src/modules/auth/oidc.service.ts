// Who a provider-verified identity is here: a staff member by username (never created by a sign-in), a citizen by
// resident ID or an enterprise by credit code (created at the first sign-in, since the platform did the real-name
// check). Each sign-in and each refusal is a security event in the ledger, as for passwords.
import type { OidcProvider } from '../../platform/config.ts';
import { sha256 } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { findStaffByUsername, loadStaffActor, type StaffActor } from '../org/index.ts';
import {
  type AccountActor,
  type Attempt,
  type AuthDeps,
  checkedIdentifier,
  type NewSession,
  openSession,
  recordSecurityEvent,
  toAccountActor,
} from './auth.service.ts';
import * as store from './auth.store.ts';
import type { VerifiedIdentity } from './oidc.ts';

const text = (claims: Readonly<Record<string, unknown>>, name: string | undefined): string | undefined => {
  const value = name === undefined ? undefined : claims[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/** Commits the refusal as a security event, then throws it. */
async function refuse(
  deps: AuthDeps,
  kind: store.PrincipalKind,
  identity: VerifiedIdentity,
  attempt: Attempt,
  error: AppError,
): Promise<never> {
  await deps.db.transaction((tx) =>
    recordSecurityEvent(deps, tx, kind, undefined, 'auth.login.failed', {
      reason: error.code.replace('auth.oidc.', 'oidc_'),
      issuer: identity.issuer,
      subjectDigest: sha256(identity.subject).subarray(0, 8).toString('hex'),
      ip: attempt.ip,
    }),
  );
  throw error;
}

/** A refusal before anyone was identified (a forged or stale answer, a token that failed its checks) is evidence too. */
export async function recordProtocolRefusal(
  deps: AuthDeps,
  kind: store.PrincipalKind,
  error: AppError,
  attempt: Attempt,
): Promise<void> {
  if (error.code === 'auth.oidc.unavailable') return; // the provider was down: nobody tried anything
  await deps.db.transaction((tx) =>
    recordSecurityEvent(deps, tx, kind, undefined, 'auth.login.failed', {
      reason: error.code.replace('auth.oidc.', 'oidc_'),
      detail: typeof error.details?.check === 'string' ? error.details.check : null,
      ip: attempt.ip,
    }),
  );
}

const evidence = (identity: VerifiedIdentity) => ({
  issuer: identity.issuer,
  subjectDigest: sha256(identity.subject).subarray(0, 8).toString('hex'),
});

/** A staff member signs in by the username the provider vouches for; unknown or inactive ones are refused. */
export async function signInStaff(
  deps: AuthDeps,
  settings: OidcProvider,
  identity: VerifiedIdentity,
  attempt: Attempt,
): Promise<NewSession<StaffActor>> {
  const username = text(identity.claims, settings.claim)?.toLowerCase();
  if (!username) {
    return refuse(deps, 'staff', identity, attempt, noIdentity(settings.claim));
  }
  const session = await deps.db.transaction(async (tx) => {
    const staff = await findStaffByUsername(tx, username);
    const actor = staff?.active ? await loadStaffActor(tx, staff.id) : undefined;
    return actor && openSession(deps, tx, 'staff', actor.staffId, actor, attempt, 'oidc', evidence(identity));
  });
  if (session) return session;
  return refuse(
    deps,
    'staff',
    identity,
    attempt,
    new AppError('auth.oidc.unknown_staff', 403, 'No active staff account has the username the provider gave', {
      username,
    }),
  );
}

function noIdentity(claim: string): AppError {
  return new AppError('auth.oidc.no_identity', 401, `The identity provider did not say who you are (no '${claim}')`);
}

/**
 * A person signs in by the resident ID the provider vouches for, an enterprise by its credit code; the account is made
 * at the first sign-in from the provider's name claim, without a password of ours.
 */
export async function signInAccount(
  deps: AuthDeps,
  settings: OidcProvider,
  identity: VerifiedIdentity,
  attempt: Attempt,
): Promise<NewSession<AccountActor>> {
  const residentId = text(identity.claims, settings.claim);
  const creditCode = text(identity.claims, settings.creditCodeClaim);
  const kind = residentId !== undefined ? 'person' : 'enterprise';
  const checked = checkedIdentifier(kind, residentId ?? creditCode ?? '');
  if (!checked) {
    return refuse(
      deps,
      'account',
      identity,
      attempt,
      residentId === undefined && creditCode === undefined
        ? noIdentity(settings.claim)
        : new AppError(
            'auth.oidc.bad_identity',
            401,
            "The identity provider's ID number fails its check character; it cannot be a real one",
          ),
    );
  }
  const name = text(identity.claims, settings.nameClaim);
  const found = { kind, ...checked } as const;
  return deps.db.transaction(async (tx) => {
    const hash = deps.secrets.lookupHash(found.value);
    let row = await store.findAccountByIdentifier(tx, hash);
    if (!row) {
      if (!name || name.length > 100) {
        throw new AppError(
          'auth.oidc.no_name',
          401,
          `The identity provider gave no usable name ('${settings.nameClaim}')`,
        );
      }
      row =
        (await store.insertAccount(tx, {
          kind: found.kind,
          display_name: name,
          identifier_hash: hash,
          identifier_enc: deps.secrets.seal(found.value),
          identifier_masked: found.masked,
          password_hash: null,
        })) ?? (await store.findAccountByIdentifier(tx, hash)); // registered meanwhile by another request
      if (!row) throw new AppError('auth.oidc.unavailable', 503, 'The account could not be created; try again');
      const self = `account:${row.id}`;
      await deps.ledger.append(tx, {
        type: 'auth.account.registered',
        actor: self,
        subject: self,
        payload: { kind: row.kind, name: row.display_name, identifierMasked: row.identifier_masked, method: 'oidc' },
        readers: [self],
      });
    }
    return openSession(deps, tx, 'account', row.id, toAccountActor(row), attempt, 'oidc', evidence(identity));
  });
}
