// org: regions (GB/T 2260), departments, staff and their roles scoped to a department.

export {
  canGrantRole,
  canManageDepartment,
  canManageStructure,
  departmentsOf,
  hasRole,
  isPlatformAdmin,
  ROLE_LABELS,
  ROLES,
  type Role,
  type RoleGrant,
  readsDepartment,
  readsEveryDepartment,
  type StaffActor,
} from './org.policy.ts';
export { orgInternalRoutes, orgNodeRoutes, orgPublicRoutes, requireStaff } from './org.routes.ts';
export type { CreateStaff, Department, StaffMember } from './org.schemas.ts';
export { Username } from './org.schemas.ts';
export {
  createDepartment,
  createStaff,
  ensureRegions,
  getStaffMember,
  listDepartments,
  listStaff,
  loadStaffActor,
  type OrgDeps,
} from './org.service.ts';
export { findDepartment, findDepartmentByCode, findRegion, findStaffByUsername, upsertRegions } from './org.store.ts';
export { loadDivisions, NATIONAL_CODE } from './regions-dataset.ts';
