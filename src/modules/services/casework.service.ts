// Applications (办件), the department's side: the inbox by department and step with deadline lights, and the
// actions of the item's declarative workflow — accept (checking held materials), approve, reject, correct (ask for
// everything missing at once; the clock stops), transfer, parallel approval by several departments, conclude (an
// electronic licence issued into the 电子证照 register).
import type { Tx } from '../../platform/db.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.ts';
import { cstDate } from '../../platform/workdays.ts';
import { checkHeldRecord } from '../exchange/index.ts';
import { departmentsOf, findDepartment, hasRole, readsDepartment, type StaffActor } from '../org/index.ts';
import { createRecordIn, registerFacts, registerOfBaseLibrary } from '../registry/index.ts';
import { type ApplicationsDeps, light, record, stale, timeline, view } from './applications.service.ts';
import * as store from './applications.store.ts';
import type { Workflow } from './services.schemas.ts';
import { workflowOf } from './services.service.ts';
import * as items from './services.store.ts';
import { ACTIONS, type Action, transition } from './workflow.ts';

export { ACTIONS, type Action };

const staff = (s: StaffActor) => `staff:${s.staffId}`;

/** A department's inbox: waiting at its steps or for its parallel approval, soonest due first, with lights. */
export async function inbox(
  deps: ApplicationsDeps,
  s: StaffActor,
  q: { step?: string | undefined; limit?: number | undefined },
) {
  const now = deps.clock();
  return deps.db.read(async (tx) =>
    (
      await store.findInbox(tx, {
        departmentIds: departmentsOf(s),
        ...(q.step ? { step: q.step } : {}),
        limit: q.limit ?? 100,
      })
    ).map((r) => ({
      id: r.id,
      number: r.number,
      item: { code: r.item_code, name: r.item_name },
      status: r.status,
      step: r.step,
      // The step's name in the item's own workflow (steps are keyed per item, so the key alone says little).
      stepName: workflowOf(r).steps.find((x) => x.key === r.step)?.name ?? r.step,
      departmentId: r.department_id,
      applicant: { name: r.applicant.name, identifierMasked: r.applicant.identifierMasked },
      submittedAt: new Date(r.submitted_at).toISOString(),
      dueAt: new Date(r.due_at).toISOString(),
      light: light({ status: r.status, due_at: new Date(r.due_at), warn_at: new Date(r.warn_at) }, now),
      parallel: r.parallel,
    })),
  );
}

async function loadForStaff(tx: Tx, s: StaffActor, number: string) {
  const row = await store.findByNumber(tx, number);
  if (!row) throw notFound('application');
  const tasks = await store.findTasks(tx, row.id);
  // The holding department's staff, a parallel task's department's, and the overseers; nobody else learns it exists.
  const involved = [row.department_id, ...tasks.map((t) => t.department_id)].some((d) => readsDepartment(s, d));
  if (!involved) throw notFound('application');
  return { row, tasks };
}

export async function getForStaff(deps: ApplicationsDeps, s: StaffActor, number: string) {
  return deps.db.transaction(async (tx) => timeline(tx, (await loadForStaff(tx, s, number)).row, deps.clock()));
}

/**
 * Checks the materials the government holds in their registers ("collect once"): the department's own registers
 * directly, another department's through the safety valve under a grant it holds. References, not copies.
 */
async function fetchHeld(
  deps: ApplicationsDeps,
  tx: Tx,
  row: store.ApplicationRow,
  actor: string,
): Promise<store.MaterialEntry[]> {
  const identifier = deps.secrets.open(Buffer.from(row.applicant.identifierSealed, 'base64'));
  const keyType = row.applicant.kind === 'person' ? 'resident_id' : 'credit_code';
  const out: store.MaterialEntry[] = [];
  for (const m of row.materials) {
    if (m.source === 'upload' || !m.register || m.fetched) {
      out.push(m);
      continue;
    }
    const reg = await registerFacts(tx, m.register);
    const key = reg?.fields.find((f) => f.piiType === keyType) ?? reg?.fields.find((f) => f.code === 'holder_id');
    const held = key
      ? await checkHeldRecord(deps, tx, {
          departmentId: row.department_id,
          actor,
          register: m.register,
          field: key.code,
          value: identifier,
          subject: `application:${row.number}`,
        })
      : ({ missing: true, reason: 'the register has no key for this applicant' } as const);
    out.push({
      ...m,
      fetched: 'recordId' in held ? { recordId: held.recordId, version: held.version } : { missing: true },
    });
  }
  return out;
}

/**
 * A caseworker's action at the current step. Who may act: the step's role in the department that holds the
 * application, or (parallel steps) in a department with an open task. Actions out of order are refused with 409.
 */
export async function act(
  deps: ApplicationsDeps,
  s: StaffActor,
  number: string,
  input: {
    action: Action;
    note?: string | undefined;
    missing?: string[] | undefined;
    toDepartmentId?: number | undefined;
    expectedVersion: number;
  },
) {
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const { row, tasks } = await loadForStaff(tx, s, number);
    if (row.version !== input.expectedVersion) throw stale();
    const item = await items.findItemById(tx, row.item_id);
    if (!item) throw notFound('service_item');
    const flow = workflowOf(item);
    // Status and step first (409), whoever asks; then the step's role (403); then the action at this step (409).
    const due = transition(flow, row, input.action, true);
    if (!due.ok && due.code !== 'application.wrong_step') {
      throw due.code === 'application.no_step'
        ? conflict(due.code, 'The application waits at no step')
        : conflict(due.code, `This application is ${row.status}; no action is due`);
    }
    const index = flow.steps.findIndex((x) => x.key === row.step);
    const step = flow.steps[index];
    if (!step) throw conflict('application.no_step', 'The application waits at no step');
    const stepTasks = tasks.filter((t) => t.step === step.key);
    // Which department the actor acts for: the holder, or a parallel task's department.
    const actingFor = [
      row.department_id,
      ...stepTasks.filter((t) => t.status === 'open').map((t) => t.department_id),
    ].find((d) => hasRole(s, step.role, d));
    if (actingFor === undefined) throw forbidden(`Only a ${step.role} of the department holding this step acts on it`);
    const move = transition(flow, row, input.action, actingFor === row.department_id);
    if (!move.ok) throw conflict(move.code, `'${input.action}' is not possible at ${step.name}`, { step: step.key });
    const note = input.note?.trim() || null;
    const base = { actor: staff(s), step: step.key, departmentId: actingFor, note };
    const next = flow.steps[index + 1];
    const advance = async (from: store.ApplicationRow, extra: Parameters<typeof store.updateApplication>[3] = {}) => {
      const updated = await store.updateApplication(tx, from.id, from.version, {
        status: move.status,
        step: move.step,
        ...extra,
      });
      if (!updated) throw stale();
      if (next?.parallel?.length)
        await store.openTasks(tx, updated.id, next.key, [updated.department_id, ...next.parallel]);
      return updated;
    };
    let updated: store.ApplicationRow;
    switch (input.action) {
      case 'accept': {
        updated = await advance(row, { materials: await fetchHeld(deps, tx, row, staff(s)) });
        await record(deps, tx, updated, { ...base, action: 'accepted' });
        break;
      }
      case 'approve': {
        if (step.parallel?.length) {
          const decided = await store.decideTask(
            tx,
            { application_id: row.id, step: step.key, department_id: actingFor },
            { status: 'approved', decided_by: s.staffId, note },
          );
          if (!decided) throw conflict('application.task_decided', 'Your department already decided this step');
          const open = (await store.findTasks(tx, row.id, step.key)).filter((t) => t.status === 'open');
          if (open.length > 0) {
            const touched = await store.updateApplication(tx, row.id, row.version, {});
            if (!touched) throw stale();
            updated = touched;
            await record(deps, tx, updated, { ...base, action: 'approved_in_parallel' });
            break;
          }
        }
        updated = await advance(row);
        await record(deps, tx, updated, { ...base, action: 'approved' });
        break;
      }
      case 'reject': {
        if (!note) throw invalid('/note', 'Say why', 'application.reason_required');
        if (step.parallel?.length) {
          await store.decideTask(
            tx,
            { application_id: row.id, step: step.key, department_id: actingFor },
            { status: 'rejected', decided_by: s.staffId, note },
          );
        }
        const r = await store.updateApplication(tx, row.id, row.version, {
          status: move.status,
          result: { decision: 'rejected', reason: note },
        });
        if (!r) throw stale();
        updated = r;
        await record(deps, tx, updated, { ...base, action: 'rejected' });
        break;
      }
      case 'correct': {
        const missing = (input.missing ?? []).map((m) => m.trim()).filter(Boolean);
        if (missing.length === 0) {
          throw invalid(
            '/missing',
            'List everything that is missing, all at once (一次性告知)',
            'application.missing_required',
          );
        }
        const r = await store.updateApplication(tx, row.id, row.version, {
          status: move.status,
          correction: { missing, note: note ?? '' },
          paused_at: now,
        });
        if (!r) throw stale();
        updated = r;
        await record(deps, tx, updated, {
          ...base,
          action: 'correction_requested',
          note: [missing.join('；'), note].filter(Boolean).join(' — '),
        });
        break;
      }
      case 'transfer': {
        const to = input.toDepartmentId ? await findDepartment(tx, input.toDepartmentId) : undefined;
        if (!to?.active) throw invalid('/toDepartmentId', 'Transfer to an active department');
        const r = await store.updateApplication(tx, row.id, row.version, { department_id: to.id });
        if (!r) throw stale();
        updated = r;
        await record(deps, tx, updated, {
          ...base,
          action: 'transferred',
          note: `→ ${to.name}${note ? ` — ${note}` : ''}`,
        });
        break;
      }
      case 'conclude': {
        const result = await issueResult(deps, tx, row, item, flow, now);
        const r = await store.updateApplication(tx, row.id, row.version, {
          status: move.status,
          step: move.step,
          result,
        });
        if (!r) throw stale();
        updated = r;
        await record(deps, tx, updated, { ...base, action: 'concluded' });
        break;
      }
    }
    return view(updated, now);
  });
}

/** The result on conclusion: an electronic licence in the 电子证照 register when the item issues one. */
async function issueResult(
  deps: ApplicationsDeps,
  tx: Tx,
  row: store.ApplicationRow,
  item: items.ItemRow,
  flow: Workflow,
  now: Date,
): Promise<Record<string, unknown>> {
  const base = { decision: 'approved', concludedOn: cstDate(now), rateable: true };
  if (!flow.licenseType) return base;
  const register = await registerOfBaseLibrary(tx, 'e_license');
  if (!register)
    throw new AppError('application.no_license_register', 409, 'No 电子证照 register to issue the licence into');
  const licenseNo = `DZZZ-${row.number}`;
  const department = await findDepartment(tx, row.department_id);
  await createRecordIn(deps, tx, 'system', register, {
    license_no: licenseNo,
    license_type: flow.licenseType,
    holder_id: deps.secrets.open(Buffer.from(row.applicant.identifierSealed, 'base64')),
    holder_name: row.applicant.name,
    issuer: department?.name ?? item.guide.competentDepartment,
    issued_on: cstDate(now),
  });
  return { ...base, licenseNo, licenseType: flow.licenseType, register };
}
