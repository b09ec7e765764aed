// Who may do what in org: pure functions over the acting staff member's roles.

export const ROLES = [
  'platform_admin',
  'department_admin',
  'caseworker',
  'data_officer',
  'security_officer',
  'leader',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  platform_admin: '平台管理员',
  department_admin: '部门管理员',
  caseworker: '业务经办人',
  data_officer: '数据专员',
  security_officer: '安全专员',
  leader: '领导',
  auditor: '审计员',
};

export interface RoleGrant {
  readonly role: Role;
  readonly departmentId: number;
}

/** A logged-in staff member, as the auth module resolves it from a session. */
export interface StaffActor {
  readonly kind: 'staff';
  readonly staffId: number;
  readonly username: string;
  readonly departmentId: number;
  readonly roles: readonly RoleGrant[];
}

export function hasRole(actor: StaffActor, role: Role, departmentId?: number): boolean {
  return actor.roles.some((g) => g.role === role && (departmentId === undefined || g.departmentId === departmentId));
}

export const isPlatformAdmin = (actor: StaffActor): boolean => hasRole(actor, 'platform_admin');

/** Regions and departments are the platform's structure: only a platform admin changes them. */
export const canManageStructure = isPlatformAdmin;

/** Staff of a department, their roles and the department's API clients: its department admin, or a platform admin. */
export function canManageDepartment(actor: StaffActor, departmentId: number): boolean {
  return isPlatformAdmin(actor) || hasRole(actor, 'department_admin', departmentId);
}

/** Granting platform_admin is reserved to platform admins; other roles to whoever manages the department. */
export function canGrantRole(actor: StaffActor, role: Role, departmentId: number): boolean {
  if (role === 'platform_admin') return isPlatformAdmin(actor);
  return canManageDepartment(actor, departmentId);
}

/** The departments a staff member acts in: their own and every department they hold a role in ("my departments"). */
export function departmentsOf(actor: StaffActor): number[] {
  return [...new Set([actor.departmentId, ...actor.roles.map((r) => r.departmentId)])];
}

/**
 * Reads every department's data, for oversight (监督): platform admins and auditors. This is the one definition of
 * "sees everything"; a leader sees the departments they lead, not the node.
 */
export function readsEveryDepartment(actor: StaffActor): boolean {
  return isPlatformAdmin(actor) || hasRole(actor, 'auditor');
}

/** Reads one department's data (its applications, records, requests …): staff acting in it, or an overseer. */
export function readsDepartment(actor: StaffActor, departmentId: number): boolean {
  return readsEveryDepartment(actor) || departmentsOf(actor).includes(departmentId);
}
