// org use cases: the structure of the government (regions, departments) and its staff with their roles.
import type { NodeIdentity } from '../../platform/config.ts';
import type { Db, Tx } from '../../platform/db.ts';
import { isUniqueViolation } from '../../platform/db.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.ts';
import type { ZoneLedger } from '../ledger/index.ts';
import { canGrantRole, canManageDepartment, canManageStructure, type Role, type StaffActor } from './org.policy.ts';
import type {
  CreateDepartment,
  CreateRegion,
  CreateStaff,
  Department,
  NodeInfo,
  Region,
  RegionQuery,
  StaffMember,
  UpdateDepartment,
  UpdateStaff,
} from './org.schemas.ts';
import * as store from './org.store.ts';
import { loadDivisions } from './regions-dataset.ts';

export interface OrgDeps {
  readonly db: Db;
  readonly ledger: ZoneLedger;
  readonly clock: () => Date;
}

export interface NodeDeps {
  readonly db: Db;
  /** The configured government this node serves (config `node`). */
  readonly node: NodeIdentity;
}

const actorId = (actor: StaffActor | 'system') => (actor === 'system' ? 'system' : `staff:${actor.staffId}`);
const readersOf = (actor: StaffActor | 'system', ...others: string[]) => [
  ...(actor === 'system' ? [] : [actorId(actor)]),
  ...others,
];

const LEVEL_ORDER = ['national', 'province', 'city', 'county', 'township'] as const;

const toRegion = (r: store.RegionRow): Region => ({
  code: r.code,
  name: r.name,
  level: r.level,
  parentCode: r.parent_code,
});
const toDepartment = (d: store.DepartmentRow): Department => ({
  id: d.id,
  code: d.code,
  name: d.name,
  shortName: d.short_name,
  regionCode: d.region_code,
  parentId: d.parent_id,
  active: d.active,
});

async function withRoles(tx: Tx, rows: readonly store.StaffRow[]): Promise<StaffMember[]> {
  const roles = await store.findRoles(
    tx,
    rows.map((r) => r.id),
  );
  return rows.map((s) => ({
    id: s.id,
    username: s.username,
    displayName: s.display_name,
    departmentId: s.department_id,
    active: s.active,
    roles: roles.filter((g) => g.staff_id === s.id).map((g) => ({ role: g.role, departmentId: g.department_id })),
  }));
}

// ---- regions ----

/** GB/T 2260: xx0000 a province-level region, xxxx00 a city, anything else a county. */
const levelOfCode = (code: string) => (code.endsWith('0000') ? 'province' : code.endsWith('00') ? 'city' : 'county');

/** Who this node is: the configured name and region (public: the portal shows it on every page). */
export async function describeNode(deps: NodeDeps): Promise<NodeInfo> {
  const row = await deps.db.read((tx) => store.findRegion(tx, deps.node.regionCode));
  return {
    name: deps.node.name,
    nameEn: deps.node.nameEn,
    regionCode: deps.node.regionCode,
    level: row?.level ?? levelOfCode(deps.node.regionCode),
    region: row ? toRegion(row) : null,
  };
}

/** Lists regions (public facts: anyone may read them). */
export async function listRegions(deps: OrgDeps, query: RegionQuery): Promise<Region[]> {
  const rows = await deps.db.transaction((tx) =>
    store.findRegions(tx, {
      ...(query.parent ? { parent: query.parent } : {}),
      ...(query.level ? { level: query.level as store.RegionLevel } : {}),
      ...(query.q ? { q: query.q } : {}),
      limit: query.limit ?? 500,
    }),
  );
  return rows.map(toRegion);
}

export async function createRegion(deps: OrgDeps, actor: StaffActor, input: CreateRegion): Promise<Region> {
  if (!canManageStructure(actor)) throw forbidden('Only a platform admin changes regions');
  return deps.db.transaction(async (tx) => {
    if (await store.findRegion(tx, input.code)) throw conflict('region.exists', `Region ${input.code} already exists`);
    const level = input.level as store.RegionLevel;
    if (level !== 'national' && !input.parentCode)
      throw invalid('/parentCode', 'A region below national level needs a parent');
    if (input.parentCode) {
      const parent = await store.findRegion(tx, input.parentCode);
      if (!parent) throw invalid('/parentCode', `Parent region ${input.parentCode} does not exist`);
      if (LEVEL_ORDER.indexOf(parent.level) >= LEVEL_ORDER.indexOf(level)) {
        throw invalid('/level', `A ${level} cannot sit under a ${parent.level}`);
      }
    }
    const region = toRegion(
      await store.insertRegion(tx, {
        code: input.code,
        name: input.name,
        level,
        parent_code: input.parentCode ?? null,
      }),
    );
    await deps.ledger.append(tx, {
      type: 'org.region.created',
      actor: actorId(actor),
      subject: `region:${region.code}`,
      payload: region,
      readers: readersOf(actor),
    });
    return region;
  });
}

export async function renameRegion(deps: OrgDeps, actor: StaffActor, code: string, name: string): Promise<Region> {
  if (!canManageStructure(actor)) throw forbidden('Only a platform admin changes regions');
  return deps.db.transaction(async (tx) => {
    const row = await store.updateRegionName(tx, code, name);
    if (!row) throw notFound('region');
    const region = toRegion(row);
    await deps.ledger.append(tx, {
      type: 'org.region.renamed',
      actor: actorId(actor),
      subject: `region:${code}`,
      payload: region,
      readers: readersOf(actor),
    });
    return region;
  });
}

// ---- departments ----

/** Lists departments (public facts). */
export async function listDepartments(
  deps: OrgDeps,
  query: { region?: string | undefined; includeInactive?: boolean | undefined },
): Promise<Department[]> {
  const rows = await deps.db.transaction((tx) =>
    store.findDepartments(tx, {
      ...(query.region ? { regionCode: query.region } : {}),
      includeInactive: query.includeInactive ?? false,
    }),
  );
  return rows.map(toDepartment);
}

export async function getDepartment(deps: OrgDeps, id: number): Promise<Department> {
  const row = await deps.db.transaction((tx) => store.findDepartment(tx, id));
  if (!row) throw notFound('department');
  return toDepartment(row);
}

export async function createDepartment(
  deps: OrgDeps,
  actor: StaffActor | 'system',
  input: CreateDepartment,
): Promise<Department> {
  if (actor !== 'system' && !canManageStructure(actor)) throw forbidden('Only a platform admin creates departments');
  return deps.db.transaction(async (tx) => {
    if (!(await store.findRegion(tx, input.regionCode))) {
      throw invalid('/regionCode', `Region ${input.regionCode} does not exist`);
    }
    if (input.parentId !== undefined && !(await store.findDepartment(tx, input.parentId))) {
      throw invalid('/parentId', `Parent department ${input.parentId} does not exist`);
    }
    if (await store.findDepartmentByCode(tx, input.code)) {
      throw conflict('department.code_taken', `Department code ${input.code} is taken`, { field: '/code' });
    }
    const department = toDepartment(
      await store.insertDepartment(tx, {
        code: input.code,
        name: input.name,
        short_name: input.shortName ?? null,
        region_code: input.regionCode,
        parent_id: input.parentId ?? null,
      }),
    );
    await deps.ledger.append(tx, {
      type: 'org.department.created',
      actor: actorId(actor),
      subject: `department:${department.id}`,
      payload: department,
      readers: readersOf(actor),
    });
    return department;
  });
}

export async function updateDepartment(
  deps: OrgDeps,
  actor: StaffActor,
  id: number,
  patch: UpdateDepartment,
): Promise<Department> {
  if (!canManageStructure(actor)) throw forbidden('Only a platform admin changes departments');
  return deps.db.transaction(async (tx) => {
    if (!(await store.findDepartment(tx, id))) throw notFound('department');
    if (patch.parentId === id) throw invalid('/parentId', 'A department cannot be its own parent');
    if (typeof patch.parentId === 'number' && !(await store.findDepartment(tx, patch.parentId))) {
      throw invalid('/parentId', `Parent department ${patch.parentId} does not exist`);
    }
    const row = await store.updateDepartment(
      tx,
      id,
      {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.shortName !== undefined ? { short_name: patch.shortName } : {}),
        ...(patch.parentId !== undefined ? { parent_id: patch.parentId } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
      },
      deps.clock(),
    );
    if (!row) throw notFound('department');
    const department = toDepartment(row);
    await deps.ledger.append(tx, {
      type: 'org.department.updated',
      actor: actorId(actor),
      subject: `department:${id}`,
      payload: { changes: patch, department },
      readers: readersOf(actor),
    });
    return department;
  });
}

// ---- staff ----

/** The staff directory: any staff member may read it (names, departments, roles). */
export async function listStaff(
  deps: OrgDeps,
  query: { department?: number | undefined; includeInactive?: boolean | undefined },
): Promise<StaffMember[]> {
  return deps.db.transaction(async (tx) =>
    withRoles(
      tx,
      await store.findStaff(tx, {
        ...(query.department !== undefined ? { departmentId: query.department } : {}),
        includeInactive: query.includeInactive ?? false,
      }),
    ),
  );
}

export async function getStaffMember(deps: OrgDeps, id: number): Promise<StaffMember> {
  return deps.db.transaction(async (tx) => {
    const row = await store.findStaffMember(tx, id);
    if (!row) throw notFound('staff');
    const [member] = await withRoles(tx, [row]);
    if (!member) throw notFound('staff');
    return member;
  });
}

/**
 * Creates a staff member with roles in their department. `inSameTx` lets a module above (auth) add what it owns,
 * such as the initial password, in the same transaction.
 */
export async function createStaff(
  deps: OrgDeps,
  actor: StaffActor | 'system',
  input: CreateStaff,
  inSameTx?: (tx: Tx, staff: StaffMember) => Promise<void>,
): Promise<StaffMember> {
  const roles = input.roles ?? [];
  if (actor !== 'system') {
    if (!canManageDepartment(actor, input.departmentId)) throw forbidden('You do not manage that department');
    for (const role of roles) {
      if (!canGrantRole(actor, role as Role, input.departmentId)) throw forbidden(`You may not grant ${role}`);
    }
  }
  return deps.db.transaction(async (tx) => {
    if (!(await store.findDepartment(tx, input.departmentId))) {
      throw invalid('/departmentId', `Department ${input.departmentId} does not exist`);
    }
    let row: store.StaffRow;
    try {
      row = await store.insertStaff(tx, {
        username: input.username,
        display_name: input.displayName,
        department_id: input.departmentId,
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw conflict('staff.username_taken', `Username ${input.username} is taken`, { field: '/username' });
      throw e;
    }
    for (const role of roles) {
      await store.insertRole(tx, {
        staff_id: row.id,
        department_id: input.departmentId,
        role: role as Role,
        granted_by: actor === 'system' ? null : actor.staffId,
      });
    }
    const [member] = await withRoles(tx, [row]);
    if (!member) throw new AppError('internal', 500, 'staff vanished');
    if (inSameTx) await inSameTx(tx, member);
    await deps.ledger.append(tx, {
      type: 'org.staff.created',
      actor: actorId(actor),
      subject: `staff:${member.id}`,
      payload: member,
      readers: readersOf(actor, `staff:${member.id}`),
    });
    return member;
  });
}

export async function updateStaff(
  deps: OrgDeps,
  actor: StaffActor,
  id: number,
  patch: UpdateStaff,
): Promise<StaffMember> {
  return deps.db.transaction(async (tx) => {
    const current = await store.findStaffMember(tx, id);
    if (!current || !canManageDepartment(actor, current.department_id)) throw notFound('staff');
    if (patch.departmentId !== undefined) {
      if (!canManageDepartment(actor, patch.departmentId)) throw forbidden('You do not manage the target department');
      if (!(await store.findDepartment(tx, patch.departmentId))) {
        throw invalid('/departmentId', `Department ${patch.departmentId} does not exist`);
      }
    }
    if (patch.active === false && id === actor.staffId) throw invalid('/active', 'You cannot deactivate yourself');
    const row = await store.updateStaff(
      tx,
      id,
      {
        ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
        ...(patch.departmentId !== undefined ? { department_id: patch.departmentId } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
      },
      deps.clock(),
    );
    if (!row) throw notFound('staff');
    const [member] = await withRoles(tx, [row]);
    if (!member) throw notFound('staff');
    await deps.ledger.append(tx, {
      type: 'org.staff.updated',
      actor: actorId(actor),
      subject: `staff:${id}`,
      payload: { changes: patch, staff: member },
      readers: readersOf(actor, `staff:${id}`),
    });
    return member;
  });
}

export async function grantRole(
  deps: OrgDeps,
  actor: StaffActor,
  staffId: number,
  grant: { role: Role; departmentId: number },
): Promise<StaffMember> {
  if (!canGrantRole(actor, grant.role, grant.departmentId)) throw forbidden(`You may not grant ${grant.role} there`);
  await deps.db.transaction(async (tx) => {
    if (!(await store.findStaffMember(tx, staffId))) throw notFound('staff');
    if (!(await store.findDepartment(tx, grant.departmentId))) {
      throw invalid('/departmentId', `Department ${grant.departmentId} does not exist`);
    }
    await store.insertRole(tx, {
      staff_id: staffId,
      department_id: grant.departmentId,
      role: grant.role,
      granted_by: actor.staffId,
    });
    await deps.ledger.append(tx, {
      type: 'org.role.granted',
      actor: actorId(actor),
      subject: `staff:${staffId}`,
      payload: grant,
      readers: readersOf(actor, `staff:${staffId}`),
    });
  });
  return getStaffMember(deps, staffId);
}

export async function revokeRole(
  deps: OrgDeps,
  actor: StaffActor,
  staffId: number,
  grant: { role: Role; departmentId: number },
): Promise<StaffMember> {
  if (!canGrantRole(actor, grant.role, grant.departmentId)) throw forbidden(`You may not revoke ${grant.role} there`);
  if (staffId === actor.staffId && grant.role === 'platform_admin') {
    throw invalid('/role', 'A platform admin cannot revoke their own platform_admin role');
  }
  await deps.db.transaction(async (tx) => {
    const removed = await store.deleteRole(tx, {
      staff_id: staffId,
      department_id: grant.departmentId,
      role: grant.role,
    });
    if (!removed) throw notFound('role_grant');
    await deps.ledger.append(tx, {
      type: 'org.role.revoked',
      actor: actorId(actor),
      subject: `staff:${staffId}`,
      payload: grant,
      readers: readersOf(actor, `staff:${staffId}`),
    });
  });
  return getStaffMember(deps, staffId);
}

/** Loads the roles and department of an active staff member inside a caller's transaction (used by auth). */
export async function loadStaffActor(tx: Tx, staffId: number): Promise<StaffActor | undefined> {
  const row = await store.findStaffMember(tx, staffId);
  if (!row?.active) return undefined;
  const roles = await store.findRoles(tx, [row.id]);
  return {
    kind: 'staff',
    staffId: row.id,
    username: row.username,
    departmentId: row.department_id,
    roles: roles.map((g) => ({ role: g.role, departmentId: g.department_id })),
  };
}

/**
 * Every node needs the administrative divisions (GB/T 2260) before it can have departments: a node whose regions
 * table is empty gets the national dataset (provinces, cities, counties) once. Answers how many were loaded.
 */
export async function ensureRegions(deps: { db: Db }): Promise<number> {
  return deps.db.transaction(async (tx) => {
    if (await store.anyRegion(tx)) return 0;
    const rows = loadDivisions();
    await store.upsertRegions(tx, rows);
    return rows.length;
  });
}
