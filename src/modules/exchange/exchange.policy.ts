// Who may do what with share requests, grants, the valve and the access log: pure functions.
import { departmentsOf, hasRole, isPlatformAdmin, readsEveryDepartment, type StaffActor } from '../org/index.ts';

const officer = (actor: StaffActor, departmentId: number) =>
  hasRole(actor, 'data_officer', departmentId) || hasRole(actor, 'department_admin', departmentId);

/** A consuming department's data officers and admins ask for data on its behalf. */
export const canRequestFor = (actor: StaffActor, consumerDepartmentId: number) =>
  officer(actor, consumerDepartmentId) || isPlatformAdmin(actor);

/** The provider answers for its data (谁提供、谁负责): its data officers and admins decide requests. */
export const canDecide = (actor: StaffActor, providerDepartmentId: number) => officer(actor, providerDepartmentId);

/** The provider may revoke what it granted; the platform admin may too, in an incident. */
export const canRevoke = (actor: StaffActor, providerDepartmentId: number) =>
  officer(actor, providerDepartmentId) || isPlatformAdmin(actor);

/** The safety valve's policy is the platform's: only its admins change it. */
export const canEditPolicy = (actor: StaffActor) => isPlatformAdmin(actor);

/**
 * Sees every request, grant, subscription and access-log row: the overseers (platform admins, auditors), and
 * security officers, who monitor every data access. Everyone else sees their departments' (`departmentsOf`).
 */
export const seesAll = (actor: StaffActor) => readsEveryDepartment(actor) || hasRole(actor, 'security_officer');

export { departmentsOf };
