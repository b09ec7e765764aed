// Conditional opening (有条件开放) end to end: an applicant applies, the publishing department decides within its
// working days, the applicant issues a key for the approved grant, and every call with the key is checked (dataset,
// expiry, revocation, the day's quota counted in the database), counted and logged. Each step is a ledger entry.
import { randomToken, sha256 } from '../../platform/crypto.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { cstDate, type WorkCalendar } from '../../platform/workdays.ts';
import type { AccountActor } from '../auth/index.ts';
import type { StaffActor } from '../org/index.ts';
import * as access from './access.store.ts';
import { canPublish, type OpendataDeps } from './opendata.service.ts';
import * as store from './opendata.store.ts';

export interface AccessDeps extends OpendataDeps {
  readonly calendar: WorkCalendar;
  /** Working days the publishing department has to decide an application (then it is overdue). */
  readonly opendataReviewDays: number;
}

const account = (a: AccountActor) => `account:${a.accountId}`;
const staff = (s: StaffActor) => `staff:${s.staffId}`;

export interface Apply {
  readonly dataset: string;
  readonly purpose: string;
  readonly scenario: string;
  readonly commitments: boolean;
  readonly agreement: boolean;
}

/** A person or enterprise applies for a conditional dataset, accepting the commitments and the use agreement. */
export async function apply(deps: AccessDeps, actor: AccountActor, input: Apply) {
  if (!input.commitments)
    throw invalid('/commitments', 'Accept the data-security commitments (安全承诺书)', 'opendata.commitments');
  if (!input.agreement) throw invalid('/agreement', 'Accept the use agreement (开放利用协议)', 'opendata.agreement');
  return deps.db.transaction(async (tx) => {
    const dataset = await store.findDataset(tx, input.dataset);
    if (dataset?.state !== 'active') throw notFound('dataset');
    if (dataset.access !== 'conditional') {
      throw conflict('opendata.not_conditional', 'This dataset is open to everyone; no application is needed');
    }
    if (await access.findPending(tx, actor.accountId, dataset.id)) {
      throw conflict('opendata.application_pending', 'You already applied for this dataset; wait for the decision');
    }
    const now = deps.clock();
    const row = await access.insertApplication(tx, {
      dataset_id: dataset.id,
      account_id: actor.accountId,
      purpose: input.purpose.trim(),
      scenario: input.scenario.trim(),
      commitments: true,
      agreement: true,
      due_at: deps.calendar.deadlineAfter(now, deps.opendataReviewDays),
      created_at: now,
    });
    await deps.ledger.append(tx, {
      type: 'opendata.application.filed',
      actor: account(actor),
      subject: `dataset-application:${row.id}`,
      payload: { dataset: dataset.name, purpose: row.purpose, dueAt: row.due_at.toISOString() },
      readers: [account(actor)],
    });
    return row;
  });
}

export function myApplications(deps: AccessDeps, actor: AccountActor) {
  return deps.db.read((tx) => access.findApplications(tx, { accountId: actor.accountId }, cstDate(deps.clock())));
}

/** The applications for the datasets a staff member's departments publish. */
export function applicationsToReview(deps: AccessDeps, actor: StaffActor, status?: string) {
  return deps.db.read(async (tx) => {
    const rows = await access.findApplications(tx, status ? { status } : {}, cstDate(deps.clock()));
    return rows.filter((r) => canPublish(actor, r.department_id));
  });
}

/**
 * Escalates, once each, the applications still undecided past their review deadline to the platform's
 * administrators (who review every department's), with a ledger entry; the count escalated.
 */
export async function escalateOverdueApplications(deps: Pick<AccessDeps, 'db' | 'ledger' | 'clock'>): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const rows = await access.escalateOverdue(tx, deps.clock());
    for (const row of rows) {
      await deps.ledger.append(tx, {
        type: 'opendata.application.escalated',
        actor: 'system',
        subject: `dataset-application:${row.id}`,
        payload: { applicationId: row.id, dueAt: row.due_at.toISOString() },
        readers: [],
      });
    }
    return rows.length;
  });
}

export interface Decision {
  readonly approve: boolean;
  readonly note?: string | undefined;
  readonly callsPerDay?: number | undefined;
  readonly rowsPerDay?: number | undefined;
  readonly validDays?: number | undefined;
}

/** The publishing department approves (with a quota and an expiry) or rejects (with its reason). */
export async function decide(deps: AccessDeps, actor: StaffActor, id: number, d: Decision) {
  if (!d.approve && !d.note?.trim())
    throw invalid('/note', 'Say why the application is rejected', 'opendata.reason_required');
  return deps.db.transaction(async (tx) => {
    const app = await access.findApplication(tx, id);
    const dataset = app && (await store.findDatasetById(tx, app.dataset_id));
    if (!app || !dataset || !canPublish(actor, dataset.department_id)) throw notFound('dataset_application');
    const now = deps.clock();
    const decided = await access.decide(tx, id, {
      status: d.approve ? 'approved' : 'rejected',
      decided_by: actor.staffId,
      decided_at: now,
      decision_note: d.note?.trim() || null,
      calls_per_day: d.approve ? (d.callsPerDay ?? 1000) : null,
      rows_per_day: d.approve ? (d.rowsPerDay ?? 100_000) : null,
      expires_at: d.approve ? new Date(now.getTime() + (d.validDays ?? 365) * 86_400_000) : null,
    });
    if (!decided) throw conflict('opendata.decided', 'This application was already decided');
    await deps.ledger.append(tx, {
      type: d.approve ? 'opendata.application.approved' : 'opendata.application.rejected',
      actor: staff(actor),
      subject: `dataset-application:${id}`,
      payload: {
        dataset: dataset.name,
        note: decided.decision_note,
        callsPerDay: decided.calls_per_day,
        rowsPerDay: decided.rows_per_day,
        expiresAt: decided.expires_at?.toISOString() ?? null,
      },
      readers: [staff(actor), `account:${app.account_id}`],
    });
    return decided;
  });
}

/** The applicant issues the key of an approved application: shown once, only its hash kept; an older key stops. */
export async function issueKey(deps: AccessDeps, actor: AccountActor, id: number): Promise<{ key: string }> {
  return deps.db.transaction(async (tx) => {
    const app = await access.findApplication(tx, id);
    if (!app || app.account_id !== actor.accountId) throw notFound('dataset_application');
    if (app.status !== 'approved') throw conflict('opendata.not_approved', 'The application is not approved');
    const now = deps.clock();
    if (app.expires_at && app.expires_at <= now) throw conflict('opendata.key_expired', 'The approval has expired');
    const key = `ztod_${randomToken(24)}`;
    await access.insertKey(tx, {
      application_id: id,
      key_hash: sha256(key),
      key_prefix: key.slice(0, 9),
      created_at: now,
    });
    await deps.ledger.append(tx, {
      type: 'opendata.key.issued',
      actor: account(actor),
      subject: `dataset-application:${id}`,
      payload: { keyPrefix: key.slice(0, 9) },
      readers: [account(actor)],
    });
    return { key };
  });
}

/** The publishing department revokes an application's key; its calls are refused at once. */
export async function revoke(deps: AccessDeps, actor: StaffActor, id: number, reason: string) {
  return deps.db.transaction(async (tx) => {
    const app = await access.findApplication(tx, id);
    const dataset = app && (await store.findDatasetById(tx, app.dataset_id));
    if (!app || !dataset || !canPublish(actor, dataset.department_id)) throw notFound('dataset_application');
    const revoked = await access.revokeKeys(tx, id, staff(actor), deps.clock());
    if (revoked === 0) throw conflict('opendata.no_key', 'This application has no key in use');
    await deps.ledger.append(tx, {
      type: 'opendata.key.revoked',
      actor: staff(actor),
      subject: `dataset-application:${id}`,
      payload: { dataset: dataset.name, reason },
      readers: [staff(actor), `account:${app.account_id}`],
    });
  });
}

export interface KeyUse {
  readonly applicationId: number;
  /** Rows this call may still read today. */
  readonly rowsLeft: number;
  readonly day: string;
}

/**
 * Checks a key for a call on a dataset and counts the call; a refusal is logged (committed on its own) and thrown.
 * The key arrives as CKAN sends it: the whole `Authorization` header.
 */
export async function checkKey(
  deps: AccessDeps,
  header: string | undefined,
  datasetId: number,
  action: string,
  ip: string,
): Promise<KeyUse> {
  const now = deps.clock();
  const day = cstDate(now);
  const raw = header?.replace(/^(Bearer|ApiKey)\s+/i, '').trim();
  const deny = async (applicationId: number | null, e: AppError): Promise<never> => {
    await deps.db.transaction((tx) =>
      access.logAccess(tx, {
        application_id: applicationId,
        dataset_id: datasetId,
        action,
        decision: 'deny',
        reason: e.code,
        rows: null,
        ip,
        at: now,
      }),
    );
    throw e;
  };
  if (!raw) {
    return deny(
      null,
      new AppError(
        'opendata.conditional',
        403,
        'This dataset is opened on conditions (有条件开放): apply for it on the portal and call with the API key you get',
      ),
    );
  }
  const key = await deps.db.read((tx) => access.findKey(tx, sha256(raw)));
  if (!key) return deny(null, new AppError('opendata.key_unknown', 401, 'Unknown API key'));
  if (key.key_status !== 'active')
    return deny(key.application_id, new AppError('opendata.key_revoked', 401, 'This API key was revoked'));
  if (!key.expires_at || key.expires_at <= now) {
    return deny(
      key.application_id,
      new AppError('opendata.key_expired', 401, 'The approval behind this key has expired'),
    );
  }
  if (key.dataset_id !== datasetId) {
    return deny(key.application_id, new AppError('opendata.key_other_dataset', 403, 'This key is for another dataset'));
  }
  const limits = { calls: key.calls_per_day ?? 0, rows: key.rows_per_day ?? 0 };
  const used = await deps.db.transaction((tx) => access.claimCall(tx, key.application_id, day, limits));
  if (used === undefined) {
    const midnight = Date.parse(`${day}T00:00:00+08:00`) + 86_400_000;
    return deny(
      key.application_id,
      new AppError('opendata.over_quota', 429, "The key's quota for today is used up; it resets at midnight (CST)", {
        retryAfterSeconds: Math.max(1, Math.ceil((midnight - now.getTime()) / 1000)),
      }),
    );
  }
  return { applicationId: key.application_id, rowsLeft: Math.max(0, limits.rows - used), day };
}

/** After a permitted call: its rows counted against the day and the call logged. */
export async function countUse(
  deps: AccessDeps,
  use: KeyUse,
  datasetId: number,
  action: string,
  rows: number,
  ip: string,
) {
  await deps.db.transaction(async (tx) => {
    await access.addRows(tx, use.applicationId, use.day, rows);
    await access.logAccess(tx, {
      application_id: use.applicationId,
      dataset_id: datasetId,
      action,
      decision: 'allow',
      reason: null,
      rows,
      ip,
      at: deps.clock(),
    });
  });
}

export function accessLogOf(deps: AccessDeps, actor: AccountActor, id: number) {
  return deps.db.read(async (tx) => {
    const app = await access.findApplication(tx, id);
    if (!app || app.account_id !== actor.accountId) throw notFound('dataset_application');
    return access.findAccessLog(tx, id, 200);
  });
}
