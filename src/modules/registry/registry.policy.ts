// Who may do what with registers and records: pure functions.
import { hasRole, isPlatformAdmin, readsDepartment, type StaffActor } from '../org/index.ts';

/** The provider department's data officers and admins describe its registers (谁提供、谁负责). */
export function canManageRegister(actor: StaffActor, providerDepartmentId: number): boolean {
  return (
    isPlatformAdmin(actor) ||
    hasRole(actor, 'data_officer', providerDepartmentId) ||
    hasRole(actor, 'department_admin', providerDepartmentId)
  );
}

/** The provider's data officers keep the records; other departments reach them through the exchange. */
export function canWriteRecords(actor: StaffActor, providerDepartmentId: number): boolean {
  return isPlatformAdmin(actor) || hasRole(actor, 'data_officer', providerDepartmentId);
}

/** Staff of the provider department, auditors and platform admins read records on the internal zone. */
export const canReadRecords = (actor: StaffActor, providerDepartmentId: number): boolean =>
  readsDepartment(actor, providerDepartmentId);
