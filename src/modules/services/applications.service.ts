// Applications (办件), the applicant's side: a citizen or enterprise drafts, saves, uploads, submits (idempotently),
// corrects and withdraws, and follows the timeline. Deadlines count working days on the national calendar (yellow at
// 80%, red when overdue). Every step is a ledger entry whose receipt the applicant can read and verify. The
// department's side (inbox and actions) is casework.service.ts.
import { createHash } from 'node:crypto';
import type { SecretBox } from '../../platform/crypto.ts';
import type { Db, Tx } from '../../platform/db.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { bodyAjv, describeError, errorField } from '../../platform/validation.ts';
import { cstDate, type WorkCalendar } from '../../platform/workdays.ts';
import { type AccountActor, accountIdentity } from '../auth/index.ts';
import type { ValveCache } from '../exchange/index.ts';
import { ledgerQueueInsert, type ZoneLedger } from '../ledger/index.ts';
import * as store from './applications.store.ts';
import { formOf, workflowOf } from './services.service.ts';
import * as items from './services.store.ts';
import type { ApplicationEvent } from './workflow.ts';

export interface ApplicationsDeps {
  readonly db: Db;
  readonly ledger: ZoneLedger;
  readonly clock: () => Date;
  readonly calendar: WorkCalendar;
  readonly secrets: SecretBox;
  readonly uploadLimitBytes: number;
  readonly uploadTypes: readonly string[];
  /** The safety valve, for held materials in other departments' registers. */
  readonly valves: ValveCache;
}

const account = (a: AccountActor) => `account:${a.accountId}`;

// ---- views ----

export type Light = 'green' | 'yellow' | 'red' | 'paused' | 'done';

export function light(row: Pick<store.ApplicationRow, 'status' | 'due_at' | 'warn_at'>, now: Date): Light {
  if (row.status === 'correction') return 'paused';
  if (!['submitted', 'in_progress'].includes(row.status) || !row.due_at) return 'done';
  if (now > row.due_at) return 'red';
  if (row.warn_at && now > row.warn_at) return 'yellow';
  return 'green';
}

export function view(row: store.ApplicationRow, now: Date, extra: Record<string, unknown> = {}) {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    step: row.step,
    departmentId: row.department_id,
    applicant: { kind: row.applicant.kind, name: row.applicant.name, identifierMasked: row.applicant.identifierMasked },
    formData: row.form_data,
    materials: row.materials,
    correction: row.correction,
    result: row.result,
    submittedAt: row.submitted_at?.toISOString() ?? null,
    dueAt: row.due_at?.toISOString() ?? null,
    warnAt: row.warn_at?.toISOString() ?? null,
    light: light(row, now),
    version: row.version,
    ...extra,
  };
}

const eventView = (e: store.EventRow) => ({
  step: e.step,
  action: e.action,
  actor: e.actor.startsWith('staff:') ? 'staff' : e.actor.startsWith('account:') ? 'applicant' : e.actor,
  departmentId: e.department_id,
  note: e.note,
  receiptId: e.receipt_id,
  at: e.at.toISOString(),
});

// ---- the record of each step ----

type StepEvent = {
  action: ApplicationEvent;
  actor: string;
  step: string | null;
  departmentId: number | null;
  note: string | null;
};

/** The ledger entry and the timeline event of a step. */
function entryFor(deps: ApplicationsDeps, row: store.ApplicationRow, e: StepEvent) {
  const entry = deps.ledger.prepare({
    type: `services.application.${e.action}`,
    actor: e.actor,
    subject: `application:${row.number ?? `draft-${row.id}`}`,
    payload: {
      application: row.number,
      step: e.step,
      status: row.status,
      departmentId: e.departmentId,
      note: e.note,
      formDigest: createHash('sha256').update(JSON.stringify(row.form_data)).digest('base64'),
      materials: row.materials.map((m) => ({ name: m.name, sha256: m.sha256 ?? null, register: m.register ?? null })),
    },
    readers: [`account:${row.account_id}`, ...(e.actor.startsWith('staff:') ? [e.actor] : [])],
  });
  const event = {
    application_id: row.id,
    step: e.step,
    action: e.action,
    actor: e.actor,
    department_id: e.departmentId,
    note: e.note,
    receipt_id: entry.receiptId,
  };
  return { entry, event };
}

/** Records a step: its ledger entry and its timeline event in one statement, inside the step's transaction. */
export async function record(deps: ApplicationsDeps, tx: Tx, row: store.ApplicationRow, e: StepEvent): Promise<void> {
  const { entry, event } = entryFor(deps, row, e);
  await store.insertEventWithEntry(tx, event, ledgerQueueInsert([entry.row]));
}

export const stale = () =>
  conflict('application.changed', 'The application changed meanwhile; reload it and try again');

// ---- applicants (public zone) ----

/** An applicant's application and its item, in one query. */
async function loadMineWithItem(tx: Tx, a: AccountActor, id: number) {
  const found = await store.findApplicationWithItem(tx, id);
  if (!found || found.row.account_id !== a.accountId) throw notFound('application');
  return found;
}

async function loadMine(tx: Tx, a: AccountActor, id: number) {
  const row = await store.findApplication(tx, id);
  if (!row || row.account_id !== a.accountId) throw notFound('application');
  return row;
}

/** Starts an application for a published item; the same idempotency key returns the same application. */
export async function createDraft(
  deps: ApplicationsDeps,
  a: AccountActor,
  input: { item: string; idempotencyKey: string },
) {
  // Reads, then one insert: atomic on its own, so no transaction (two round trips fewer).
  return deps.db.read(async (tx) => {
    const item = await items.findItem(tx, input.item);
    if (item?.status !== 'published') {
      const existing = await store.findByKey(tx, a.accountId, input.idempotencyKey);
      if (existing) return view(existing, deps.clock());
      throw notFound('service_item');
    }
    if (item.guide.audience !== a.kind) {
      throw new AppError('application.audience', 400, `This item is for ${item.guide.audience} applicants`, {
        field: '/item',
      });
    }
    const who = await accountIdentity(tx, a.accountId);
    if (!who) throw notFound('account');
    // Prefill what the government already knows of the applicant (UI hint `prefill: {field: 'applicant.name'}`).
    const prefill = (formOf(item).ui?.prefill ?? {}) as Record<string, string>;
    const known: Record<string, string> = {
      'applicant.name': who.name,
      'applicant.identifierMasked': who.identifierMasked,
      'applicant.kind': who.kind,
    };
    const formData = Object.fromEntries(
      Object.entries(prefill)
        .filter(([, source]) => known[source] !== undefined)
        .map(([field, source]) => [field, known[source]]),
    );
    const row = await store.insertDraft(tx, {
      item_id: item.id,
      item_version: item.version,
      account_id: a.accountId,
      applicant: who,
      department_id: item.department_id,
      idempotency_key: input.idempotencyKey,
      form_data: formData,
    });
    // The key was used before (a retry, or a concurrent twin): answer with that application.
    const created = row ?? (await store.findByKey(tx, a.accountId, input.idempotencyKey));
    if (!created) throw new Error('draft vanished');
    return view(created, deps.clock());
  });
}

/** Autosave: the form as typed so far and the uploads chosen for the materials (draft or correction only). */
export async function saveDraft(
  deps: ApplicationsDeps,
  a: AccountActor,
  id: number,
  input: { formData: Record<string, unknown>; uploads?: Record<string, string>; expectedVersion: number },
) {
  // One read, then one update guarded by the version: no transaction needed.
  return deps.db.read(async (tx) => {
    const { row, item } = await loadMineWithItem(tx, a, id);
    if (row.status !== 'draft' && row.status !== 'correction') {
      throw conflict('application.not_editable', 'Only a draft or an application under correction can be changed');
    }
    const uploads = input.uploads ?? {};
    const names = new Set(item.guide.materials.map((m) => m.name));
    for (const name of Object.keys(uploads)) {
      if (!names.has(name)) throw invalid(`/uploads/${name}`, `The item asks for no material called ${name}`);
    }
    const known = new Set((await store.findUploads(tx, Object.values(uploads))).map((u) => u.sha256));
    for (const [name, hash] of Object.entries(uploads)) {
      if (!known.has(hash)) throw invalid(`/uploads/${name}`, 'Upload the file first', 'application.upload_missing');
    }
    const materials: store.MaterialEntry[] = item.guide.materials.map((m) => ({
      name: m.name,
      source: m.source,
      trust: m.source === 'upload' ? m.trust : 'A',
      ...(m.register ? { register: m.register } : {}),
      ...(uploads[m.name] ? { sha256: uploads[m.name] } : {}),
    }));
    const updated = await store.updateApplication(tx, id, input.expectedVersion, {
      form_data: input.formData,
      materials,
    });
    if (!updated) throw stale();
    return view(updated, deps.clock());
  });
}

/** Stores an uploaded file by its SHA-256 (the same file twice is stored once); refuses big or unknown types. */
export async function upload(deps: ApplicationsDeps, contentType: string, bytes: Buffer) {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!deps.uploadTypes.includes(type)) {
    throw new AppError('upload.type', 415, `Upload one of: ${deps.uploadTypes.join(', ')}`);
  }
  if (bytes.length === 0) throw new AppError('upload.empty', 400, 'The file is empty');
  if (bytes.length > deps.uploadLimitBytes) {
    throw new AppError('upload.too_large', 413, `A file may be at most ${deps.uploadLimitBytes} bytes`);
  }
  if (!sniff(type, bytes)) throw new AppError('upload.type', 415, `The file is not really ${type}`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await deps.db.transaction((tx) => store.insertUpload(tx, { sha256, content_type: type, size: bytes.length, bytes }));
  return { sha256, size: bytes.length, contentType: type };
}

/** Magic numbers: a file claiming to be a PDF or an image must start like one. */
function sniff(type: string, b: Buffer): boolean {
  if (type === 'application/pdf') return b.subarray(0, 5).toString('latin1') === '%PDF-';
  if (type === 'image/png')
    return b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  if (type === 'image/jpeg') return b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
  return true;
}

function checkForm(schema: Record<string, unknown>, data: Record<string, unknown>): void {
  const validate = bodyAjv.compile(schema);
  if (!validate(data)) {
    const first = validate.errors?.[0];
    const field = `/formData${first ? errorField(first) : ''}`.replace(/\/$/, '');
    throw new AppError('application.form_invalid', 400, `${field}: ${first ? describeError(first) : 'is invalid'}`, {
      field,
      issues: (validate.errors ?? []).map((e) => ({ field: `/formData${errorField(e)}`, message: describeError(e) })),
    });
  }
}

function missingUploads(row: store.ApplicationRow, item: items.ItemRow): string[] {
  const required = item.guide.materials.filter((m) => m.required && m.source === 'upload').map((m) => m.name);
  return required.filter((name) => !row.materials.find((m) => m.name === name)?.sha256);
}

/** Submits a draft: form valid, uploads present; gives the number and the deadlines. Submitting twice is harmless. */
export async function submit(deps: ApplicationsDeps, a: AccountActor, id: number) {
  const now = deps.clock();
  // One read, then one statement that updates (version-guarded), ledgers and records the event: atomic on its own.
  return deps.db.read(async (tx) => {
    const { row, item } = await loadMineWithItem(tx, a, id);
    if (row.status !== 'draft') {
      if (row.number) return view(row, now); // double submission: the first one stands
      throw conflict('application.not_draft', `This application is ${row.status}`);
    }
    if (item.status !== 'published') throw notFound('service_item');
    checkForm(formOf(item).schema, row.form_data);
    const missing = missingUploads(row, item);
    if (missing.length > 0) {
      throw new AppError('application.materials_missing', 400, `Still missing: ${missing.join('、')}`, {
        field: '/uploads',
        missing,
      });
    }
    // Region + date + the application's own id (unique): no counter to queue on.
    const number = `${item.region_code}${cstDate(now).replaceAll('-', '')}${String(row.id % 100_000_000).padStart(8, '0')}`;
    const materials = row.materials.length
      ? row.materials
      : item.guide.materials.map((m) => ({
          name: m.name,
          source: m.source,
          trust: m.trust,
          ...(m.register ? { register: m.register } : {}),
        }));
    const change = {
      status: 'submitted' as const,
      step: workflowOf(item).steps[0]?.key ?? null,
      number,
      materials,
      submitted_at: now,
      ...deadlines(deps.calendar, now, item.guide.promisedDays),
    };
    const { entry, event } = entryFor(
      deps,
      { ...row, ...change },
      {
        action: 'submitted',
        actor: account(a),
        step: null,
        departmentId: null,
        note: null,
      },
    );
    const updated = await store.submitWithRecord(tx, id, row.version, change, event, (only) =>
      ledgerQueueInsert([entry.row], only),
    );
    if (!updated) throw stale();
    return view(updated, now);
  });
}

function deadlines(calendar: WorkCalendar, from: Date, days: number) {
  const endOfToday = calendar.deadlineAfter(new Date(from.getTime() - 86_400_000), 0);
  return {
    due_at: days === 0 ? endOfToday : calendar.deadlineAfter(from, days),
    warn_at: days === 0 ? endOfToday : calendar.deadlineAfter(from, Math.max(0, Math.floor(days * 0.8))),
  };
}

/** After a correction request: the corrected application goes back to the step that asked, its clock restarted. */
export async function resubmit(deps: ApplicationsDeps, a: AccountActor, id: number) {
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const row = await loadMine(tx, a, id);
    if (row.status !== 'correction')
      throw conflict('application.not_in_correction', `This application is ${row.status}`);
    const item = await items.findItemById(tx, row.item_id);
    if (!item) throw notFound('service_item');
    checkForm(formOf(item).schema, row.form_data);
    const missing = missingUploads(row, item);
    if (missing.length > 0) {
      throw new AppError('application.materials_missing', 400, `Still missing: ${missing.join('、')}`, {
        field: '/uploads',
        missing,
      });
    }
    // The clock stood still while the applicant corrected: push the deadlines by the working days it was paused.
    const paused = row.paused_at ? deps.calendar.workdaysBetween(row.paused_at, now) : 0;
    const shift = (d: Date | null) => (d ? deps.calendar.deadlineAfter(new Date(d.getTime() - 1), paused) : null);
    const first = workflowOf(item).steps[0]?.key;
    const updated = await store.updateApplication(tx, id, row.version, {
      status: row.step === first ? 'submitted' : 'in_progress',
      correction: null,
      paused_at: null,
      due_at: shift(row.due_at),
      warn_at: shift(row.warn_at),
    });
    if (!updated) throw stale();
    await record(deps, tx, updated, {
      action: 'resubmitted',
      actor: account(a),
      step: row.step,
      departmentId: null,
      note: null,
    });
    return view(updated, now);
  });
}

export async function withdraw(deps: ApplicationsDeps, a: AccountActor, id: number) {
  return deps.db.transaction(async (tx) => {
    const row = await loadMine(tx, a, id);
    if (!['draft', 'submitted', 'in_progress', 'correction'].includes(row.status)) {
      throw conflict('application.decided', `This application is already ${row.status}`);
    }
    const updated = await store.updateApplication(tx, id, row.version, { status: 'withdrawn', paused_at: null });
    if (!updated) throw stale();
    if (row.number) {
      await record(deps, tx, updated, {
        action: 'withdrawn',
        actor: account(a),
        step: row.step,
        departmentId: null,
        note: null,
      });
    }
    return view(updated, deps.clock());
  });
}

export async function listMine(deps: ApplicationsDeps, a: AccountActor) {
  const now = deps.clock();
  return deps.db.transaction(async (tx) =>
    (await store.findMine(tx, a.accountId)).map((r) =>
      view(r, now, { item: { code: r.item_code, name: r.item_name } }),
    ),
  );
}

export async function timeline(tx: Tx, row: store.ApplicationRow, now: Date) {
  const item = await items.findItemById(tx, row.item_id);
  return view(row, now, {
    item: item ? { code: item.code, name: item.guide.name, steps: workflowOf(item).steps } : null,
    events: (await store.findEvents(tx, row.id)).map(eventView),
    tasks: (await store.findTasks(tx, row.id)).map((t) => ({
      step: t.step,
      departmentId: t.department_id,
      status: t.status,
      note: t.note,
    })),
  });
}

/**
 * The electronic licence of a concluded application, as a document the holder downloads: what was issued, to
 * whom, by whom and when, with the ledger receipt of the conclusion that proves it.
 */
export async function licenceDocument(deps: ApplicationsDeps, a: AccountActor, id: number) {
  return deps.db.transaction(async (tx) => {
    const { row, item } = await loadMineWithItem(tx, a, id);
    const result = row.result as { licenseNo?: string; licenseType?: string; concludedOn?: string } | null;
    if (row.status !== 'concluded' || !result?.licenseNo) throw notFound('licence');
    const concluded = (await store.findEvents(tx, row.id)).find((e) => e.action === 'concluded');
    return {
      licenseNo: result.licenseNo,
      licenseType: result.licenseType ?? '',
      holder: { name: row.applicant.name, identifierMasked: row.applicant.identifierMasked },
      issuer: item.department_name,
      issuedOn: result.concludedOn ?? '',
      application: row.number ?? '',
      service: item.guide.name,
      receiptId: concluded?.receipt_id ?? '',
    };
  });
}

/** One of my applications with its timeline (every step and its receipt); another's is "not found". */
export async function getMine(deps: ApplicationsDeps, a: AccountActor, id: number) {
  return deps.db.transaction(async (tx) => timeline(tx, await loadMine(tx, a, id), deps.clock()));
}
