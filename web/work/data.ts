import { useList } from '../shared/load.tsx';

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
