// Share requests and grants (国发〔2016〕51号): share by default. A request for 无条件共享 data is granted at once;
// 有条件共享 waits for the provider's data officer, who answers within the configured working days (overdue
// requests escalate to the platform admin); 不予共享 is refused with the register's recorded basis. Grants expire
// and can be revoked. Every step is a ledger entry.
import type { Db, Tx } from '../../platform/db.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.ts';
import type { WorkCalendar } from '../../platform/workdays.ts';
import type { ZoneLedger } from '../ledger/index.ts';
import type { StaffActor } from '../org/index.ts';
import { type RegisterFacts, registerFacts } from '../registry/index.ts';
import { canDecide, canRequestFor, canRevoke, departmentsOf, seesAll } from './exchange.policy.ts';
import type { ApproveShareRequest, CreateShareRequest, Grant, ListQuery, ShareRequest } from './exchange.schemas.ts';
import * as store from './exchange.store.ts';

export interface ExchangeDeps {
  readonly db: Db;
  readonly ledger: ZoneLedger;
  readonly clock: () => Date;
  readonly calendar: WorkCalendar;
  readonly shareRequestDays: number;
  readonly exchangeRatePerMinute: number;
  readonly exchangeDailyLimit: number;
}

const MAX_VALIDITY_MS = 5 * 366 * 86_400_000;
const staffId = (a: StaffActor) => `staff:${a.staffId}`;

function requestView(row: store.RequestListRow, now: Date, grantId: number | null = null): ShareRequest {
  return {
    id: row.id,
    registerCode: row.register_code,
    registerName: row.register_name,
    providerDepartmentId: row.provider_department_id,
    consumerDepartmentId: row.consumer_department_id,
    requestedBy: row.requested_by,
    fields: row.fields,
    purpose: row.purpose,
    legalBasis: row.legal_basis,
    validUntil: row.valid_until.toISOString(),
    status: row.status,
    dueAt: row.due_at?.toISOString() ?? null,
    overdue: row.status === 'pending' && row.due_at !== null && row.due_at < now,
    escalatedAt: row.escalated_at?.toISOString() ?? null,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionReason: row.decision_reason,
    createdAt: row.created_at.toISOString(),
    grantId,
  };
}

export function grantView(row: store.GrantListRow, now: Date): Grant {
  return {
    id: row.id,
    requestId: row.request_id,
    registerCode: row.register_code,
    registerName: row.register_name,
    providerDepartmentId: row.provider_department_id,
    consumerDepartmentId: row.consumer_department_id,
    kind: row.kind,
    fields: row.fields,
    clearFields: row.clear_fields,
    purpose: row.purpose,
    validFrom: row.valid_from.toISOString(),
    validUntil: row.valid_until.toISOString(),
    ratePerMinute: row.rate_per_minute,
    dailyLimit: row.daily_limit,
    status: row.status === 'active' && row.valid_until <= now ? 'expired' : row.status,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokeReason: row.revoke_reason,
  };
}

const withRegister = <T>(row: T, reg: RegisterFacts) => ({
  ...row,
  register_code: reg.code,
  register_name: reg.name,
  provider_department_id: reg.departmentId,
});

function checkFields(reg: RegisterFacts, fields: readonly string[], at: string): void {
  for (const code of fields) {
    const field = reg.fields.find((f) => f.code === code);
    if (!field) throw invalid(at, `The register has no field '${code}'`, 'exchange.unknown_field');
    if (field.grade === 'core') {
      throw new AppError(
        'exchange.core_field',
        400,
        `'${code}' is core data (核心数据): it never leaves its provider`,
        {
          field: at,
        },
      );
    }
  }
}

async function issueGrant(
  deps: ExchangeDeps,
  tx: Tx,
  actor: StaffActor | 'system',
  req: store.ShareRequestRow,
  reg: RegisterFacts,
  terms: {
    kind: 'unconditional' | 'conditional';
    fields: readonly string[];
    clearFields: readonly string[];
    validUntil: Date;
    ratePerMinute: number;
    dailyLimit: number;
  },
) {
  const grant = await store.insertGrant(tx, {
    request_id: req.id,
    register_id: reg.id,
    consumer_department_id: req.consumer_department_id,
    kind: terms.kind,
    fields: terms.fields,
    clear_fields: terms.clearFields,
    purpose: req.purpose,
    valid_from: deps.clock(),
    valid_until: terms.validUntil,
    rate_per_minute: terms.ratePerMinute,
    daily_limit: terms.dailyLimit,
  });
  await deps.ledger.append(tx, {
    type: 'exchange.grant.issued',
    actor: actor === 'system' ? 'system' : staffId(actor),
    subject: `grant:${grant.id}`,
    payload: {
      grantId: grant.id,
      requestId: req.id,
      register: reg.code,
      consumerDepartmentId: req.consumer_department_id,
      kind: terms.kind,
      fields: terms.fields,
      clearFields: terms.clearFields,
      purpose: req.purpose,
      validUntil: terms.validUntil.toISOString(),
    },
    readers: actor === 'system' ? [] : [staffId(actor)],
  });
  return grant;
}

/**
 * A consuming department asks for fields of a register. Unconditional data is granted at once; conditional data
 * waits for the provider; data that is not shared is refused with the recorded basis.
 */
export async function createShareRequest(
  deps: ExchangeDeps,
  actor: StaffActor,
  input: CreateShareRequest,
): Promise<ShareRequest> {
  const consumer = input.departmentId ?? actor.departmentId;
  if (!canRequestFor(actor, consumer)) throw forbidden('Only the data officers of a department ask for data for it');
  const now = deps.clock();
  const validUntil = new Date(input.validUntil);
  if (validUntil <= now || validUntil.getTime() - now.getTime() > MAX_VALIDITY_MS) {
    throw invalid('/validUntil', 'The validity must end in the future and within five years', 'exchange.validity');
  }
  return deps.db.transaction(async (tx) => {
    const reg = await registerFacts(tx, input.registerCode);
    if (!reg) throw notFound('register');
    if (reg.departmentId === consumer) {
      throw new AppError('exchange.own_register', 400, 'A department reads its own registers directly', {
        field: '/registerCode',
      });
    }
    checkFields(reg, input.fields, '/fields');
    const sharing = reg.sharing.type;
    const row = await store.insertRequest(tx, {
      register_id: reg.id,
      consumer_department_id: consumer,
      requested_by: actor.staffId,
      fields: input.fields,
      purpose: input.purpose.trim(),
      legal_basis: input.legalBasis.trim(),
      valid_until: validUntil,
      status: sharing === 'unconditional' ? 'approved' : sharing === 'none' ? 'refused' : 'pending',
      due_at: sharing === 'conditional' ? deps.calendar.deadlineAfter(now, deps.shareRequestDays) : null,
      decision_reason:
        sharing === 'none'
          ? `不予共享: ${reg.sharing.basis ?? ''}`.trim()
          : sharing === 'unconditional'
            ? '无条件共享'
            : null,
      decided_at: sharing === 'conditional' ? null : now,
    });
    await deps.ledger.append(tx, {
      type: `exchange.request.${row.status === 'pending' ? 'created' : row.status}`,
      actor: staffId(actor),
      subject: `share-request:${row.id}`,
      payload: {
        requestId: row.id,
        register: reg.code,
        consumerDepartmentId: consumer,
        fields: input.fields,
        purpose: row.purpose,
        legalBasis: row.legal_basis,
        validUntil: validUntil.toISOString(),
        sharing,
        dueAt: row.due_at?.toISOString() ?? null,
      },
      readers: [staffId(actor)],
    });
    let grantId: number | null = null;
    if (sharing === 'unconditional') {
      const grant = await issueGrant(deps, tx, 'system', row, reg, {
        kind: 'unconditional',
        fields: input.fields,
        clearFields: [],
        validUntil,
        ratePerMinute: deps.exchangeRatePerMinute,
        dailyLimit: deps.exchangeDailyLimit,
      });
      grantId = grant.id;
    }
    return requestView(withRegister(row, reg), now, grantId);
  });
}

async function loadPending(tx: Tx, id: number, actor: StaffActor, may: (providerDepartmentId: number) => boolean) {
  const row = await store.findRequest(tx, id);
  if (!row) throw notFound('share_request');
  const reg = await registerFacts(tx, row.register_id);
  if (!reg) throw notFound('share_request');
  const visible = may(reg.departmentId) || seesAll(actor) || departmentsOf(actor).includes(row.consumer_department_id);
  if (!visible) throw notFound('share_request');
  if (!may(reg.departmentId)) throw forbidden('Only the provider’s data officers decide this request');
  if (row.status !== 'pending') {
    throw conflict('exchange.request_decided', `This request is already ${row.status}`, { status: row.status });
  }
  return { row, reg };
}

/** The provider approves, possibly narrowing the fields, the period and the limits; masking stays unless lifted. */
export async function approveShareRequest(
  deps: ExchangeDeps,
  actor: StaffActor,
  id: number,
  input: ApproveShareRequest,
): Promise<ShareRequest> {
  return deps.db.transaction(async (tx) => {
    const { row, reg } = await loadPending(tx, id, actor, (d) => canDecide(actor, d));
    const fields = input.fields ?? row.fields;
    const outside = fields.filter((f) => !row.fields.includes(f));
    if (outside.length > 0) {
      throw invalid('/fields', `Approve only fields that were asked for (not ${outside.join(', ')})`);
    }
    checkFields(reg, fields, '/fields');
    const clearFields = input.clearFields ?? [];
    const notGranted = clearFields.filter((f) => !fields.includes(f));
    if (notGranted.length > 0) {
      throw invalid(
        '/clearFields',
        `Clear-text fields must be among the granted fields (not ${notGranted.join(', ')})`,
      );
    }
    const validUntil = input.validUntil ? new Date(input.validUntil) : row.valid_until;
    if (validUntil > row.valid_until || validUntil <= deps.clock()) {
      throw invalid('/validUntil', 'The validity may be shortened, not extended, and must end in the future');
    }
    const decided = await store.decideRequest(tx, id, {
      status: 'approved',
      decided_by: actor.staffId,
      decision_reason: input.reason?.trim() || null,
    });
    if (!decided) throw conflict('exchange.request_decided', 'This request was decided meanwhile');
    await deps.ledger.append(tx, {
      type: 'exchange.request.approved',
      actor: staffId(actor),
      subject: `share-request:${id}`,
      payload: { requestId: id, register: reg.code, fields, clearFields, validUntil: validUntil.toISOString() },
      readers: [staffId(actor)],
    });
    const grant = await issueGrant(deps, tx, actor, decided, reg, {
      kind: 'conditional',
      fields,
      clearFields,
      validUntil,
      ratePerMinute: input.ratePerMinute ?? deps.exchangeRatePerMinute,
      dailyLimit: input.dailyLimit ?? deps.exchangeDailyLimit,
    });
    return requestView(withRegister(decided, reg), deps.clock(), grant.id);
  });
}

/** The provider rejects, with a reason the consumer sees. */
export async function rejectShareRequest(
  deps: ExchangeDeps,
  actor: StaffActor,
  id: number,
  reason: string,
): Promise<ShareRequest> {
  return deps.db.transaction(async (tx) => {
    const { reg } = await loadPending(tx, id, actor, (d) => canDecide(actor, d));
    const decided = await store.decideRequest(tx, id, {
      status: 'rejected',
      decided_by: actor.staffId,
      decision_reason: reason.trim(),
    });
    if (!decided) throw conflict('exchange.request_decided', 'This request was decided meanwhile');
    await deps.ledger.append(tx, {
      type: 'exchange.request.rejected',
      actor: staffId(actor),
      subject: `share-request:${id}`,
      payload: { requestId: id, register: reg.code, reason: reason.trim() },
      readers: [staffId(actor)],
    });
    return requestView(withRegister(decided, reg), deps.clock());
  });
}

/** The consumer withdraws a request still waiting for an answer. */
export async function withdrawShareRequest(deps: ExchangeDeps, actor: StaffActor, id: number): Promise<ShareRequest> {
  return deps.db.transaction(async (tx) => {
    const row = await store.findRequest(tx, id);
    if (!row || !canRequestFor(actor, row.consumer_department_id)) throw notFound('share_request');
    if (row.status !== 'pending') {
      throw conflict('exchange.request_decided', `This request is already ${row.status}`, { status: row.status });
    }
    const reg = await registerFacts(tx, row.register_id);
    if (!reg) throw notFound('share_request');
    const decided = await store.decideRequest(tx, id, {
      status: 'withdrawn',
      decided_by: actor.staffId,
      decision_reason: null,
    });
    if (!decided) throw conflict('exchange.request_decided', 'This request was decided meanwhile');
    await deps.ledger.append(tx, {
      type: 'exchange.request.withdrawn',
      actor: staffId(actor),
      subject: `share-request:${id}`,
      payload: { requestId: id, register: reg.code },
      readers: [staffId(actor)],
    });
    return requestView(withRegister(decided, reg), deps.clock());
  });
}

function sideFilter(actor: StaffActor, side: ListQuery['side']) {
  if (seesAll(actor) && (side ?? 'all') === 'all') return {};
  const mine = departmentsOf(actor);
  if (side === 'incoming') return { providerDepartments: mine };
  if (side === 'outgoing') return { consumerDepartments: mine };
  return { providerDepartments: mine, consumerDepartments: mine };
}

export async function listShareRequests(deps: ExchangeDeps, actor: StaffActor, q: ListQuery): Promise<ShareRequest[]> {
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const rows = await store.findRequests(tx, {
      ...sideFilter(actor, q.side),
      ...(q.status ? { status: q.status } : {}),
      ...(q.overdue ? { overdueAt: now } : {}),
      limit: 500,
    });
    const grants = await store.findGrantIdsOfRequests(
      tx,
      rows.map((r) => r.id),
    );
    const byRequest = new Map(grants.map((g) => [g.request_id, g.id]));
    return rows.map((r) => requestView(r, now, byRequest.get(r.id) ?? null));
  });
}

export async function listGrants(deps: ExchangeDeps, actor: StaffActor, q: ListQuery): Promise<Grant[]> {
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const rows = await store.findGrants(tx, { ...sideFilter(actor, q.side), limit: 500 });
    return rows.map((r) => grantView(r, now));
  });
}

/** The provider (or the platform admin, in an incident) revokes a grant: from now on every call under it is denied. */
export async function revokeGrant(deps: ExchangeDeps, actor: StaffActor, id: number, reason: string): Promise<Grant> {
  return deps.db.transaction(async (tx) => {
    const row = await store.findGrant(tx, id);
    if (!row) throw notFound('grant');
    const reg = await registerFacts(tx, row.register_id);
    if (!reg) throw notFound('grant');
    if (!canRevoke(actor, reg.departmentId)) {
      if (seesAll(actor) || departmentsOf(actor).includes(row.consumer_department_id)) {
        throw forbidden('Only the provider revokes a grant');
      }
      throw notFound('grant');
    }
    const revoked = await store.revokeGrant(tx, id, { revoked_by: actor.staffId, revoke_reason: reason.trim() });
    if (!revoked) throw conflict('exchange.grant_revoked', 'This grant is already revoked');
    await deps.ledger.append(tx, {
      type: 'exchange.grant.revoked',
      actor: staffId(actor),
      subject: `grant:${id}`,
      payload: { grantId: id, register: reg.code, reason: reason.trim() },
      readers: [staffId(actor)],
    });
    return grantView(withRegister(revoked, reg), deps.clock());
  });
}

/** Marks overdue conditional requests as escalated to the platform admin, once each, with a ledger entry. */
export async function escalateOverdueRequests(deps: Pick<ExchangeDeps, 'db' | 'ledger' | 'clock'>): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const rows = await store.escalateOverdue(tx, deps.clock());
    for (const row of rows) {
      await deps.ledger.append(tx, {
        type: 'exchange.request.escalated',
        actor: 'system',
        subject: `share-request:${row.id}`,
        payload: { requestId: row.id, dueAt: row.due_at?.toISOString() ?? null },
        readers: [],
      });
    }
    return rows.length;
  });
}

/** The grants a calling client's department holds (exchange zone). */
export async function listClientGrants(
  deps: Pick<ExchangeDeps, 'db' | 'clock'>,
  client: { readonly departmentId: number },
): Promise<Grant[]> {
  const now = deps.clock();
  return deps.db.transaction(async (tx) =>
    (await store.findGrants(tx, { consumerDepartments: [client.departmentId], limit: 500 })).map((g) =>
      grantView(g, now),
    ),
  );
}
