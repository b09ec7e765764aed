// Objections to records (数据异议): the provider is responsible for its data (谁提供、谁负责). Any staff member may flag
// a record with a reason; the provider's data officer corrects it or answers by the deadline, counted in working
// days; overdue objections are visible to the platform admin.
import type { Db } from '../../platform/db.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { WorkCalendar } from '../../platform/workdays.ts';
import type { ZoneLedger } from '../ledger/index.ts';
import { departmentsOf, readsEveryDepartment, type StaffActor } from '../org/index.ts';
import * as objectionsStore from './objections.store.ts';
import * as qualityStore from './quality.store.ts';
import { canWriteRecords } from './registry.policy.ts';
import * as store from './registry.store.ts';

export interface ObjectionDeps {
  readonly db: Db;
  readonly ledger: ZoneLedger;
  readonly calendar: WorkCalendar;
  readonly clock: () => Date;
  /** Working days the provider has to answer (configurable; default 5). */
  readonly objectionDays: number;
}

export interface Objection {
  id: number;
  register: string;
  recordId: number;
  reason: string;
  status: string;
  raisedByDepartment: number;
  dueAt: string;
  overdue: boolean;
  answer: string | null;
  answeredAt: string | null;
}

const view = (row: objectionsStore.ObjectionRow & { register_code: string }, now: Date): Objection => ({
  id: row.id,
  register: row.register_code,
  recordId: row.record_id,
  reason: row.reason,
  status: row.status,
  raisedByDepartment: row.raised_by_department,
  dueAt: row.due_at.toISOString(),
  overdue: row.status === 'open' && row.due_at < now,
  answer: row.answer,
  answeredAt: row.answered_at?.toISOString() ?? null,
});

/** Flags a record. Reveals nothing about the record beyond whether the register and record exist. */
export async function raiseObjection(
  deps: ObjectionDeps,
  actor: StaffActor,
  code: string,
  recordId: number,
  reason: string,
): Promise<Objection> {
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const register = await store.findRegisterByCode(tx, code);
    if (!register || !(await store.findRecord(tx, register.id, recordId))) throw notFound('record');
    await qualityStore.markQualityDirty(tx, register.id);
    const row = await objectionsStore.insertObjection(tx, {
      register_id: register.id,
      record_id: recordId,
      raised_by: actor.staffId,
      raised_by_department: actor.departmentId,
      reason,
      due_at: deps.calendar.deadlineAfter(now, deps.objectionDays),
    });
    await deps.ledger.append(tx, {
      type: 'registry.objection.raised',
      actor: `staff:${actor.staffId}`,
      subject: `record:${code}:${recordId}`,
      payload: { objection: row.id, reason, dueAt: row.due_at.toISOString() },
      readers: [`staff:${actor.staffId}`],
    });
    return view({ ...row, register_code: code }, now);
  });
}

/** The provider's data officer closes an objection: the record was corrected, or the data stands, with an answer. */
export async function answerObjection(
  deps: ObjectionDeps,
  actor: StaffActor,
  id: number,
  input: { resolution: 'answered' | 'corrected'; answer: string },
): Promise<Objection> {
  return deps.db.transaction(async (tx) => {
    const objection = await objectionsStore.findObjection(tx, id);
    const register = objection && (await store.findRegisterById(tx, objection.register_id));
    if (!objection || !register || !canWriteRecords(actor, register.department_id)) throw notFound('objection');
    const row = await objectionsStore.answerObjection(tx, id, {
      status: input.resolution,
      answer: input.answer,
      answered_by: actor.staffId,
    });
    if (!row) throw conflict('objection.closed', 'This objection was already answered');
    await qualityStore.markQualityDirty(tx, row.register_id);
    await deps.ledger.append(tx, {
      type: 'registry.objection.answered',
      actor: `staff:${actor.staffId}`,
      subject: `record:${register.code}:${row.record_id}`,
      payload: {
        objection: id,
        resolution: input.resolution,
        answer: input.answer,
        onTime: row.answered_at !== null && row.answered_at <= row.due_at,
      },
      readers: [`staff:${actor.staffId}`, `staff:${row.raised_by}`],
    });
    return view({ ...row, register_code: register.code }, deps.clock());
  });
}

/**
 * Objections the actor may see: those about registers of their departments and those their department raised;
 * a platform admin or auditor sees all. `overdue` lists open objections past their deadline.
 */
export async function listObjections(
  deps: ObjectionDeps,
  actor: StaffActor,
  q: { status?: string | undefined; overdue?: boolean | undefined },
): Promise<Objection[]> {
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const all = readsEveryDepartment(actor);
    const departments = departmentsOf(actor);
    const registerIds = all
      ? undefined
      : (await objectionsStore.findRegisterIdsOfDepartments(tx, departments)).map((r) => r.id);
    const rows = await objectionsStore.findObjections(tx, {
      ...(all ? {} : { registerIds: registerIds ?? [], raisedByDepartment: actor.departmentId }),
      ...(q.status ? { status: q.status } : {}),
      ...(q.overdue ? { overdueAt: now } : {}),
    });
    return rows.map((r) => view(r, now));
  });
}
