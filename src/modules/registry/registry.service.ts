// registry use cases for registers: catalog metadata (政务信息资源目录) with its fields, codes and versions.
import type { Db } from '../../platform/db.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.ts';
import type { ZoneLedger } from '../ledger/index.ts';
import { type Department, findDepartment, type StaffActor } from '../org/index.ts';
import { checkCodeListDefinitions } from './code-lists.ts';
import { fieldDefinitionProblems } from './record-schema.ts';
import { canManageRegister } from './registry.policy.ts';
import {
  type CatalogQuery,
  type CreateRegister,
  type Metadata,
  OPEN_TYPES,
  type Register,
  type UpdateRegister,
} from './registry.schemas.ts';
import * as store from './registry.store.ts';

export interface RegistryDeps {
  readonly db: Db;
  readonly ledger: ZoneLedger;
  readonly clock: () => Date;
  /** The open attribute values in use (a local list; defaults to OPEN_TYPES). */
  readonly openTypes?: readonly string[];
}

export type Actor = StaffActor | 'system';
export const actorId = (actor: Actor) => (actor === 'system' ? 'system' : `staff:${actor.staffId}`);
const readersOf = (actor: Actor) => (actor === 'system' ? [] : [actorId(actor)]);

const CLASS_OF: Record<Metadata['attribute'], string> = { basic: '1', thematic: '2', departmental: '3' };

/** The rules of the catalog that a schema cannot say. */
function catalogProblems(m: Metadata, openTypes: readonly string[] = OPEN_TYPES): AppError | undefined {
  if (!openTypes.includes(m.open.type)) {
    return invalid('/open/type', `The open attribute must be one of: ${openTypes.join(', ')}`, 'registry.open_type');
  }
  if (m.secrecy === 'classified') {
    return new AppError('registry.classified', 400, 'Classified (涉密) resources must never be put on this platform', {
      field: '/secrecy',
    });
  }
  if (m.sharing.type !== 'unconditional' && !m.sharing.basis?.trim()) {
    return new AppError(
      'registry.basis_required',
      400,
      'Conditional sharing and not sharing need a recorded legal or policy basis',
      {
        field: '/sharing/basis',
      },
    );
  }
  if (m.sharing.type === 'conditional' && !m.sharing.conditions?.trim()) {
    return invalid(
      '/sharing/conditions',
      'Conditional sharing must state its conditions',
      'registry.conditions_required',
    );
  }
  if (m.sharing.type !== 'none' && !m.sharing.method) {
    return invalid(
      '/sharing/method',
      'A shared resource states how it is shared (api, file or database)',
      'registry.method_required',
    );
  }
  if (m.attribute === 'basic' && !m.baseLibrary) {
    return invalid(
      '/baseLibrary',
      'A basic resource belongs to one of the five base libraries',
      'registry.base_library_required',
    );
  }
  const problems = fieldDefinitionProblems(m.fields);
  const first = problems[0];
  if (first) return new AppError('registry.bad_fields', 400, first.message, { field: first.field, issues: problems });
  return undefined;
}

function toRegister(
  row: store.RegisterRow,
  department: Pick<Department, 'name' | 'code'> | { name: string; code: string },
): Register {
  return {
    id: row.id,
    code: row.code,
    version: row.version,
    departmentId: row.department_id,
    provider: { name: department.name, code: department.code },
    metadata: row.metadata,
    updatedAt: row.updated_at.toISOString(),
  };
}

async function withProvider(db: Db, rows: readonly store.RegisterRow[]): Promise<Register[]> {
  return db.transaction(async (tx) => {
    const departments = new Map<number, { name: string; code: string }>();
    for (const id of new Set(rows.map((r) => r.department_id))) {
      const d = await findDepartment(tx, id);
      departments.set(id, d ? { name: d.name, code: d.code } : { name: '', code: '' });
    }
    return rows.map((r) => toRegister(r, departments.get(r.department_id) ?? { name: '', code: '' }));
  });
}

/** Registers a data resource: checks the catalog rules, assigns its code (前段码-顺序码), records version 1. */
export async function createRegister(deps: RegistryDeps, actor: Actor, input: CreateRegister): Promise<Register> {
  const { departmentId, ...metadata } = input;
  if (actor !== 'system' && !canManageRegister(actor, departmentId))
    throw forbidden("Only the provider department's data officer registers its resources");
  const problem = catalogProblems(metadata, deps.openTypes);
  if (problem) throw problem;
  return deps.db.transaction(async (tx) => {
    const department = await findDepartment(tx, departmentId);
    if (!department) throw invalid('/departmentId', `Department ${departmentId} does not exist`);
    await checkCodeListDefinitions(tx, metadata.fields);
    const c = metadata.classification;
    const prefix = `${CLASS_OF[metadata.attribute]}${c.item}${c.subitem}${c.detail ?? ''}`;
    const code = `${prefix}-${String(await store.nextSequence(tx, prefix)).padStart(6, '0')}`;
    const row = await store.insertRegister(tx, {
      code,
      department_id: departmentId,
      visibility: metadata.visibility,
      metadata,
    });
    await store.insertRegisterVersion(tx, { register_id: row.id, version: 1, metadata, changed_by: actorId(actor) });
    await deps.ledger.append(tx, {
      type: 'registry.register.created',
      actor: actorId(actor),
      subject: `register:${code}`,
      payload: { code, version: 1, departmentId, metadata },
      readers: readersOf(actor),
    });
    return toRegister(row, department);
  });
}

/** Changes catalog metadata as a new version; `expectedVersion` guards against overwriting someone else's change. */
export async function updateRegister(
  deps: RegistryDeps,
  actor: StaffActor,
  code: string,
  input: UpdateRegister,
): Promise<Register> {
  const { expectedVersion, ...patch } = input;
  return deps.db.transaction(async (tx) => {
    const row = await store.findRegisterByCode(tx, code);
    if (!row || !canManageRegister(actor, row.department_id)) throw notFound('register');
    const current = row.metadata as Metadata;
    const next: Metadata = { ...current, ...patch };
    if (
      next.attribute !== current.attribute ||
      JSON.stringify(next.classification) !== JSON.stringify(current.classification)
    ) {
      throw invalid(
        '/classification',
        'The classification is part of the resource code and cannot change; register a new resource',
        'registry.code_fixed',
      );
    }
    const problem = catalogProblems(next, deps.openTypes);
    if (problem) throw problem;
    await checkCodeListDefinitions(tx, next.fields);
    const updated = await store.updateRegister(
      tx,
      row.id,
      expectedVersion,
      { visibility: next.visibility, metadata: next },
      deps.clock(),
    );
    if (!updated) {
      throw conflict(
        'register.version_conflict',
        `The register changed since version ${expectedVersion}; reload and apply your change again`,
        {
          currentVersion: row.version,
        },
      );
    }
    await store.insertRegisterVersion(tx, {
      register_id: row.id,
      version: updated.version,
      metadata: next,
      changed_by: actorId(actor),
    });
    await deps.ledger.append(tx, {
      type: 'registry.register.updated',
      actor: actorId(actor),
      subject: `register:${code}`,
      payload: { code, version: updated.version, changes: patch },
      readers: readersOf(actor),
    });
    const department = await findDepartment(tx, row.department_id);
    return toRegister(updated, department ?? { name: '', code: '' });
  });
}

/** The catalog. The public zone sees public registers only; metadata, never records. */
export async function listCatalog(
  deps: RegistryDeps,
  query: CatalogQuery,
  scope: { publicOnly: boolean },
): Promise<Register[]> {
  const rows = await deps.db.read((tx) =>
    store.findRegisters(tx, {
      publicOnly: scope.publicOnly,
      ...(query.department !== undefined ? { departmentId: query.department } : {}),
      ...(query.baseLibrary ? { baseLibrary: query.baseLibrary } : {}),
      ...(query.sharingType ? { sharingType: query.sharingType } : {}),
      ...(query.attribute ? { attribute: query.attribute } : {}),
    }),
  );
  return withProvider(deps.db, rows);
}

export async function getCatalogEntry(
  deps: RegistryDeps,
  code: string,
  scope: { publicOnly: boolean },
): Promise<Register> {
  const row = await deps.db.read((tx) => store.findRegisterByCode(tx, code));
  if (!row || (scope.publicOnly && row.visibility !== 'public')) throw notFound('register');
  const [register] = await withProvider(deps.db, [row]);
  if (!register) throw notFound('register');
  return register;
}

export async function listRegisterVersions(deps: RegistryDeps, code: string) {
  return deps.db.transaction(async (tx) => {
    const row = await store.findRegisterByCode(tx, code);
    if (!row) throw notFound('register');
    const versions = await store.findRegisterVersions(tx, row.id);
    return versions.map((v) => ({
      version: v.version,
      metadata: v.metadata,
      changedBy: v.changed_by,
      changedAt: v.changed_at.toISOString(),
    }));
  });
}
