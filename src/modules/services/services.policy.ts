// Who may describe and publish service items: the implementing department's admins, and platform admins (who
// keep the catalog of the whole node).
import { hasRole, isPlatformAdmin, type StaffActor } from '../org/index.ts';

export const canManageItems = (actor: StaffActor, departmentId: number) =>
  isPlatformAdmin(actor) || hasRole(actor, 'department_admin', departmentId);
