import { useCallback, useEffect, useState } from 'react';
import { api } from '../shared/api.ts';

export interface Department {
  id: number;
  code: string;
  name: string;
  shortName: string | null;
  regionCode: string;
  parentId: number | null;
  active: boolean;
}

/** GETs a list from the API, with a reload function for after changes. */
export function useList<T>(path: string) {
  const [rows, setRows] = useState<T[] | undefined>();
  const [error, setError] = useState<string>();
  const reload = useCallback(() => {
    api<T[]>('GET', path)
      .then((r) => {
        setRows(r);
        setError(undefined);
      })
      .catch((e: Error) => setError(e.message));
  }, [path]);
  useEffect(reload, [reload]);
  return { rows, error, reload };
}

export function useDepartments() {
  return useList<Department>('/org/departments?includeInactive=true');
}

export function departmentName(depts: Department[] | undefined, id: number): string {
  if (depts === undefined) return '';
  const d = depts.find((x) => x.id === id);
  return d ? (d.shortName ?? d.name) : `#${id}`;
}
