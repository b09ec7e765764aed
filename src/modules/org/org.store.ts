// org SQL: regions, departments, staff and role grants. Every function takes the transaction.
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Tx } from '../../platform/db.ts';
import type { Role } from './org.policy.ts';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

export type RegionLevel = 'national' | 'province' | 'city' | 'county' | 'township';

interface RegionsTable {
  code: string;
  name: string;
  level: RegionLevel;
  parent_code: string | null;
  created_at: CreatedAt;
}
interface DepartmentsTable {
  id: Generated<number>;
  code: string;
  name: string;
  short_name: string | null;
  region_code: string;
  parent_id: number | null;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}
interface StaffTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  department_id: number;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}
interface StaffRolesTable {
  staff_id: number;
  department_id: number;
  role: Role;
  granted_by: number | null;
  granted_at: CreatedAt;
}

declare module '../../platform/db.ts' {
  interface Database {
    regions: RegionsTable;
    departments: DepartmentsTable;
    staff: StaffTable;
    staff_roles: StaffRolesTable;
  }
}

export type RegionRow = Selectable<RegionsTable>;
export type DepartmentRow = Selectable<DepartmentsTable>;
export type StaffRow = Selectable<StaffTable>;
export type StaffRoleRow = Selectable<StaffRolesTable>;

// ---- regions ----

export function findRegions(tx: Tx, filter: { parent?: string; level?: RegionLevel; q?: string; limit: number }) {
  let query = tx.selectFrom('regions').selectAll().orderBy('code').limit(filter.limit);
  if (filter.parent) query = query.where('parent_code', '=', filter.parent);
  if (filter.level) query = query.where('level', '=', filter.level);
  if (filter.q) query = query.where('name', 'like', `%${filter.q.replace(/[\\%_]/g, '\\$&')}%`);
  return query.execute();
}

export function findRegion(tx: Tx, code: string) {
  return tx.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function anyRegion(tx: Tx): Promise<boolean> {
  return Boolean(await tx.selectFrom('regions').select('code').limit(1).executeTakeFirst());
}

export async function upsertRegions(
  tx: Tx,
  rows: ReadonlyArray<{ code: string; name: string; level: RegionLevel; parent_code: string | null }>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await tx
      .insertInto('regions')
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name') })))
      .execute();
  }
}

export function insertRegion(
  tx: Tx,
  row: { code: string; name: string; level: RegionLevel; parent_code: string | null },
) {
  return tx.insertInto('regions').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateRegionName(tx: Tx, code: string, name: string) {
  return tx.updateTable('regions').set({ name }).where('code', '=', code).returningAll().executeTakeFirst();
}

// ---- departments ----

export function findDepartments(tx: Tx, filter: { regionCode?: string; includeInactive?: boolean }) {
  let query = tx.selectFrom('departments').selectAll().orderBy('region_code').orderBy('id');
  if (filter.regionCode) query = query.where('region_code', '=', filter.regionCode);
  if (!filter.includeInactive) query = query.where('active', '=', true);
  return query.execute();
}

export function findDepartment(tx: Tx, id: number) {
  return tx.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findDepartmentByCode(tx: Tx, code: string) {
  return tx.selectFrom('departments').selectAll().where('code', '=', code).executeTakeFirst();
}

export function insertDepartment(
  tx: Tx,
  row: { code: string; name: string; short_name: string | null; region_code: string; parent_id: number | null },
) {
  return tx.insertInto('departments').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateDepartment(
  tx: Tx,
  id: number,
  patch: Partial<{ name: string; short_name: string | null; parent_id: number | null; active: boolean }>,
  at: Date,
) {
  return tx
    .updateTable('departments')
    .set({ ...patch, updated_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

// ---- staff ----

export function findStaff(tx: Tx, filter: { departmentId?: number; includeInactive?: boolean }) {
  let query = tx.selectFrom('staff').selectAll().orderBy('department_id').orderBy('id');
  if (filter.departmentId !== undefined) query = query.where('department_id', '=', filter.departmentId);
  if (!filter.includeInactive) query = query.where('active', '=', true);
  return query.execute();
}

export function findStaffMember(tx: Tx, id: number) {
  return tx.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findStaffByUsername(tx: Tx, username: string) {
  return tx.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirst();
}

export function insertStaff(tx: Tx, row: { username: string; display_name: string; department_id: number }) {
  return tx.insertInto('staff').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateStaff(
  tx: Tx,
  id: number,
  patch: Partial<{ display_name: string; department_id: number; active: boolean }>,
  at: Date,
) {
  return tx
    .updateTable('staff')
    .set({ ...patch, updated_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

// ---- roles ----

export function findRoles(tx: Tx, staffIds: readonly number[]) {
  if (staffIds.length === 0) return Promise.resolve([] as StaffRoleRow[]);
  return tx.selectFrom('staff_roles').selectAll().where('staff_id', 'in', staffIds).orderBy('granted_at').execute();
}

export function insertRole(
  tx: Tx,
  row: { staff_id: number; department_id: number; role: Role; granted_by: number | null },
) {
  return tx
    .insertInto('staff_roles')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteRole(tx: Tx, row: { staff_id: number; department_id: number; role: Role }) {
  const result = await tx
    .deleteFrom('staff_roles')
    .where('staff_id', '=', row.staff_id)
    .where('department_id', '=', row.department_id)
    .where('role', '=', row.role)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
