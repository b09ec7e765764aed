// registry SQL of objections (数据异议) to records. Every function takes the transaction.
import { type Generated, type Selectable, sql } from 'kysely';
import type { Tx } from '../../platform/db.ts';

interface ObjectionsTable {
  id: Generated<number>;
  register_id: number;
  record_id: number;
  raised_by: number;
  raised_by_department: number;
  reason: string;
  status: Generated<'open' | 'answered' | 'corrected'>;
  due_at: Date;
  answer: string | null;
  answered_by: number | null;
  answered_at: Date | null;
  created_at: Generated<Date>;
}

declare module '../../platform/db.ts' {
  interface Database {
    objections: ObjectionsTable;
  }
}

export type ObjectionRow = Selectable<ObjectionsTable>;

export function insertObjection(
  tx: Tx,
  row: {
    register_id: number;
    record_id: number;
    raised_by: number;
    raised_by_department: number;
    reason: string;
    due_at: Date;
  },
) {
  return tx.insertInto('objections').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findObjection(tx: Tx, id: number) {
  return tx.selectFrom('objections').selectAll().where('id', '=', id).executeTakeFirst();
}

export function answerObjection(
  tx: Tx,
  id: number,
  row: { status: 'answered' | 'corrected'; answer: string; answered_by: number },
) {
  return tx
    .updateTable('objections')
    .set({ ...row, answered_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .returningAll()
    .executeTakeFirst();
}

export function findObjections(
  tx: Tx,
  filter: { registerIds?: readonly number[]; raisedByDepartment?: number; status?: string; overdueAt?: Date },
) {
  let q = tx
    .selectFrom('objections as o')
    .innerJoin('registers as r', 'r.id', 'o.register_id')
    .selectAll('o')
    .select(['r.code as register_code', 'r.department_id as provider_department_id'])
    .orderBy('o.due_at')
    .limit(500);
  if (filter.registerIds || filter.raisedByDepartment !== undefined) {
    q = q.where((eb) =>
      eb.or([
        ...(filter.registerIds?.length ? [eb('o.register_id', 'in', filter.registerIds)] : []),
        ...(filter.raisedByDepartment !== undefined
          ? [eb('o.raised_by_department', '=', filter.raisedByDepartment)]
          : []),
        eb.val(false),
      ]),
    );
  }
  if (filter.status) q = q.where('o.status', '=', filter.status as 'open');
  if (filter.overdueAt) q = q.where('o.status', '=', 'open').where('o.due_at', '<', filter.overdueAt);
  return q.execute();
}

export function findRegisterIdsOfDepartments(tx: Tx, departmentIds: readonly number[]) {
  if (departmentIds.length === 0) return Promise.resolve([] as Array<{ id: number }>);
  return tx.selectFrom('registers').select('id').where('department_id', 'in', departmentIds).execute();
}
