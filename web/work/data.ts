import { useList } from '../shared/load.tsx';
import { canManage, type StaffSession } from './session.ts';

export interface Department {
  id: number;
  code: string;
  name: string;
  shortName: string | null;
  regionCode: string;
  parentId: number | null;
  active: boolean;
}

export function useDepartments() {
  return useList<Department>('/org/departments?includeInactive=true');
}

export function departmentName(depts: Department[] | undefined, id: number): string {
  if (depts === undefined) return '';
  const d = depts.find((x) => x.id === id);
  return d ? (d.shortName ?? d.name) : `#${id}`;
}

/** The departments the signed-in staff member manages, as select options (for "new …" dialogs). */
export function manageableOptions(departments: Department[] | undefined, session: StaffSession) {
  return (departments ?? [])
    .filter((d) => canManage(session, d.id))
    .map((d) => ({ value: d.id, label: d.shortName ?? d.name }));
}
