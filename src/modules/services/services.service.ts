// services use cases: the catalog of service items (事项) by sub-platform. An item is drafted, published and
// withdrawn; every change is a new version and a ledger entry. The public sees published items only.
import type { Db, Tx } from '../../platform/db.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.ts';
import { bodyAjv } from '../../platform/validation.ts';
import type { ZoneLedger } from '../ledger/index.ts';
import type { StaffActor } from '../org/index.ts';
import { findDepartment, isPlatformAdmin } from '../org/index.ts';
import { countSubmittedSince } from './applications.store.ts';
import { canManageItems } from './services.policy.ts';
import type { CreateItem, Form, Guide, Item, ItemsQuery, Subplatform, Workflow } from './services.schemas.ts';
import * as store from './services.store.ts';

export interface ServicesDeps {
  readonly db: Db;
  readonly ledger: ZoneLedger;
  readonly clock: () => Date;
}

type Actor = StaffActor | 'system';
const actorId = (a: Actor) => (a === 'system' ? 'system' : `staff:${a.staffId}`);
const may = (a: Actor, departmentId: number) => a === 'system' || canManageItems(a, departmentId);

/** A form when an item defines none: how to reach the applicant. */
export const DEFAULT_FORM: Form = {
  schema: {
    type: 'object',
    required: ['phone'],
    additionalProperties: false,
    properties: {
      phone: { type: 'string', title: '联系电话', pattern: '^1[3-9][0-9]{9}$' },
      address: { type: 'string', title: '联系地址', maxLength: 200 },
      note: { type: 'string', title: '补充说明', maxLength: 1000 },
    },
  },
  ui: { order: ['phone', 'address', 'note'] },
};

/** The usual steps: 受理 → 审查 → 决定 → 办结, in the implementing department. */
export const DEFAULT_WORKFLOW: Workflow = {
  steps: [
    { key: 'accept', name: '受理', role: 'caseworker', canCorrect: true },
    { key: 'review', name: '审查', role: 'caseworker', canCorrect: true },
    { key: 'decide', name: '决定', role: 'leader' },
    { key: 'conclude', name: '办结', role: 'caseworker' },
  ],
};

export const formOf = (row: { form: Form | null }): Form => row.form ?? DEFAULT_FORM;
export const workflowOf = (row: { workflow: Workflow | null }): Workflow => row.workflow ?? DEFAULT_WORKFLOW;

function checkFormAndWorkflow(form: Form | undefined, workflow: Workflow | undefined): void {
  if (form) {
    try {
      bodyAjv.compile(form.schema);
    } catch (e) {
      throw invalid('/form/schema', `The form is not a valid JSON Schema: ${(e as Error).message}`, 'services.form');
    }
  }
  if (workflow) {
    const keys = workflow.steps.map((s) => s.key);
    if (new Set(keys).size !== keys.length) throw invalid('/workflow/steps', 'Step keys must be unique');
    if (workflow.steps.at(-1)?.parallel) throw invalid('/workflow/steps', 'The last step (办结) is not parallel');
  }
}

function view(row: store.ItemRow): Item {
  return {
    form: formOf(row),
    workflow: workflowOf(row),
    code: row.code,
    subplatform: row.subplatform,
    departmentId: row.department_id,
    department: row.department_name,
    status: row.status,
    version: row.version,
    guide: row.guide,
    publishedAt: row.published_at?.toISOString() ?? null,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The rules of a guide that a schema cannot say. */
function checkGuide(guide: Guide): void {
  if (guide.promisedDays > guide.statutoryDays) {
    throw invalid('/guide/promisedDays', 'The promised time limit cannot exceed the statutory one', 'services.days');
  }
  guide.materials.forEach((m, i) => {
    if (m.source === 'register' && !m.register) {
      throw invalid(`/guide/materials/${i}/register`, 'A material the government holds names its register');
    }
  });
  if (!guide.fee.free && !guide.fee.standard?.trim()) {
    throw invalid('/guide/fee/standard', 'A charged item states its fee standard and basis');
  }
}

async function record(
  deps: ServicesDeps,
  tx: Tx,
  actor: Actor,
  row: {
    id: number;
    code: string;
    version: number;
    status: string;
    guide: Guide;
    form: Form | null;
    workflow: Workflow | null;
  },
  op: string,
) {
  await store.insertVersion(tx, {
    item_id: row.id,
    version: row.version,
    status: row.status,
    guide: row.guide,
    form: row.form,
    workflow: row.workflow,
    changed_by: actorId(actor),
  });
  await deps.ledger.append(tx, {
    type: `services.item.${op}`,
    actor: actorId(actor),
    subject: `service-item:${row.code}`,
    payload: { code: row.code, version: row.version, status: row.status, name: row.guide.name },
    readers: actor === 'system' ? [] : [actorId(actor)],
  });
}

export async function createItem(deps: ServicesDeps, actor: Actor, input: CreateItem): Promise<Item> {
  checkGuide(input.guide);
  checkFormAndWorkflow(input.form, input.workflow);
  return deps.db.transaction(async (tx) => {
    const dept = await findDepartment(tx, input.departmentId);
    if (!dept) throw invalid('/departmentId', 'No such department');
    if (!may(actor, dept.id)) throw forbidden('Only the implementing department’s admins describe its items');
    if (!(await store.findSubplatform(tx, input.subplatform))) {
      throw invalid('/subplatform', 'No such sub-platform', 'services.subplatform');
    }
    if (await store.findItem(tx, input.code)) {
      throw conflict('services.code_taken', `An item with code ${input.code} exists`, { field: '/code' });
    }
    const row = await store.insertItem(tx, {
      code: input.code,
      subplatform: input.subplatform,
      department_id: dept.id,
      guide: input.guide,
      form: input.form ?? DEFAULT_FORM,
      workflow: input.workflow ?? DEFAULT_WORKFLOW,
    });
    await record(deps, tx, actor, row, 'created');
    return view({ ...row, department_name: dept.name, region_code: dept.region_code });
  });
}

async function change(
  deps: ServicesDeps,
  actor: Actor,
  code: string,
  expectedVersion: number | undefined,
  apply: (row: store.ItemRow) => { guide?: Guide; status?: 'draft' | 'published' | 'withdrawn'; published_at?: Date },
  op: string,
): Promise<Item> {
  return deps.db.transaction(async (tx) => {
    const row = await store.findItem(tx, code);
    if (!row || !may(actor, row.department_id)) throw notFound('service_item');
    const next = apply(row);
    const updated = await store.updateItem(tx, row.id, expectedVersion ?? row.version, next);
    if (!updated) {
      throw conflict('services.version_conflict', 'The item changed meanwhile; reload it and apply your change again', {
        currentVersion: row.version,
      });
    }
    await record(deps, tx, actor, updated, op);
    return view({ ...updated, department_name: row.department_name, region_code: row.region_code });
  });
}

/** A new version of the guide (a published item stays published: the change is public at once). */
export function updateItem(deps: ServicesDeps, actor: Actor, code: string, expectedVersion: number, guide: Guide) {
  checkGuide(guide);
  return change(deps, actor, code, expectedVersion, () => ({ guide }), 'updated');
}

export function publishItem(deps: ServicesDeps, actor: Actor, code: string) {
  return change(
    deps,
    actor,
    code,
    undefined,
    (row) => {
      if (row.status === 'published') throw conflict('services.already_published', 'The item is already published');
      return { status: 'published', published_at: deps.clock() };
    },
    'published',
  );
}

export function withdrawItem(deps: ServicesDeps, actor: Actor, code: string) {
  return change(
    deps,
    actor,
    code,
    undefined,
    (row) => {
      if (row.status !== 'published') throw conflict('services.not_published', 'Only a published item is withdrawn');
      return { status: 'withdrawn' };
    },
    'withdrawn',
  );
}

export async function listSubplatforms(deps: { db: Db }): Promise<Subplatform[]> {
  return deps.db.read((tx) => store.findSubplatformsWithCounts(tx));
}

export async function listItems(deps: { db: Db }, q: ItemsQuery, options: { publishedOnly: boolean }): Promise<Item[]> {
  return deps.db.transaction(async (tx) =>
    (
      await store.findItems(tx, {
        publishedOnly: options.publishedOnly,
        ...(q.subplatform ? { subplatform: q.subplatform } : {}),
        ...(q.audience ? { audience: q.audience } : {}),
        ...(q.department ? { departmentId: q.department } : {}),
        ...(q.q ? { q: q.q.trim() } : {}),
      })
    ).map(view),
  );
}

export async function getItem(deps: { db: Db }, code: string, options: { publishedOnly: boolean }): Promise<Item> {
  return deps.db.transaction(async (tx) => {
    const row = await store.findItem(tx, code);
    if (!row || (options.publishedOnly && row.status !== 'published')) throw notFound('service_item');
    return view(row);
  });
}

/**
 * Adds or changes a sub-platform (platform set-up and the demo): the platform admin's act, or the system's, and a
 * ledger entry when anything changed (defining it again as it is writes nothing).
 */
export async function defineSubplatform(
  deps: ServicesDeps,
  actor: Actor,
  row: { code: string; name: string; audience: 'person' | 'enterprise' | 'both'; description: string; sort: number },
): Promise<'created' | 'changed' | 'unchanged'> {
  if (actor !== 'system' && !isPlatformAdmin(actor)) throw forbidden('Only the platform admin defines sub-platforms');
  if (!/^[a-z][a-z0-9_]{1,39}$/.test(row.code)) throw new AppError('validation.failed', 400, 'Bad sub-platform code');
  return deps.db.transaction(async (tx) => {
    const done = await store.upsertSubplatform(tx, row);
    if (done !== 'unchanged') {
      await deps.ledger.append(tx, {
        type: `services.subplatform.${done}`,
        actor: actorId(actor),
        subject: `subplatform:${row.code}`,
        payload: row,
        readers: actor === 'system' ? [] : [actorId(actor)],
      });
    }
    return done;
  });
}

/** Applications submitted per item code in the last `days` days (for ranking: what people use most). */
export async function itemUses(deps: { db: Db; clock: () => Date }, days = 90): Promise<Map<string, number>> {
  const since = new Date(deps.clock().getTime() - days * 86_400_000);
  const rows = await deps.db.read((tx) => countSubmittedSince(tx, since));
  return new Map(rows.map((r) => [r.code, Number(r.uses)]));
}
