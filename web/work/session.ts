import { createContext, useContext } from 'react';

export interface StaffSession {
  kind: 'staff';
  staffId: number;
  username: string;
  displayName: string;
  departmentId: number;
  roles: Array<{ role: string; departmentId: number }>;
  csrfToken: string;
  expiresAt: string;
}

export const SessionContext = createContext<StaffSession | undefined>(undefined);

export function useStaff(): StaffSession {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useStaff outside a logged-in workbench');
  return s;
}

export const isPlatformAdmin = (s: StaffSession) => s.roles.some((r) => r.role === 'platform_admin');
export const managedDepartments = (s: StaffSession) =>
  s.roles.filter((r) => r.role === 'department_admin').map((r) => r.departmentId);
export const canManage = (s: StaffSession, departmentId: number) =>
  isPlatformAdmin(s) || managedDepartments(s).includes(departmentId);
