// opendata uploads SQL: files staged to become datasets or versions (their rows as text cells, the dictionary
// inferred). Every function takes the transaction.
import { type ColumnType, type Selectable, sql } from 'kysely';
import type { Tx } from '../../platform/db.ts';

interface UploadsTable {
  id: ColumnType<string, string | undefined, never>;
  department_id: number;
  created_by: string;
  filename: string;
  format: 'csv' | 'xlsx' | 'json';
  header: ColumnType<string[], string[], never>;
  schema: ColumnType<unknown, string, never>;
  row_count: number;
  created_at: Date;
  expires_at: Date;
}
interface UploadRowsTable {
  upload_id: string;
  row_no: number;
  line: number;
  cells: ColumnType<string[], string, never>;
}

declare module '../../platform/db.ts' {
  interface Database {
    opendata_uploads: UploadsTable;
    opendata_upload_rows: UploadRowsTable;
  }
}

export type UploadRow = Selectable<UploadsTable>;

export async function insertUpload(
  tx: Tx,
  upload: Omit<UploadRow, 'id' | 'schema'> & { schema: unknown },
  rows: ReadonlyArray<{ line: number; cells: readonly string[] }>,
): Promise<string> {
  const r = await tx
    .insertInto('opendata_uploads')
    .values({ ...upload, schema: JSON.stringify(upload.schema) })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000);
    await sql`
      insert into opendata_upload_rows (upload_id, row_no, line, cells)
      select ${r.id}::uuid, ${i} + t.ord, (t.elem->>'line')::int, t.elem->'cells'
      from jsonb_array_elements(${JSON.stringify(chunk)}::jsonb) with ordinality as t(elem, ord)`.execute(tx);
  }
  return r.id;
}

/** A staged upload that has not expired. */
export function findUpload(tx: Tx, id: string, now: Date): Promise<UploadRow | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return Promise.resolve(undefined);
  return tx
    .selectFrom('opendata_uploads')
    .selectAll()
    .where('id', '=', id)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function uploadRows(
  tx: Tx,
  id: string,
  limit?: number,
): Promise<Array<{ line: number; cells: string[] }>> {
  let q = tx.selectFrom('opendata_upload_rows').select(['line', 'cells']).where('upload_id', '=', id).orderBy('row_no');
  if (limit !== undefined) q = q.limit(limit);
  return q.execute();
}

export async function deleteUpload(tx: Tx, id: string): Promise<void> {
  await tx.deleteFrom('opendata_uploads').where('id', '=', id).execute();
}

/** Removes the uploads whose day has passed. */
export async function deleteExpiredUploads(tx: Tx, now: Date): Promise<void> {
  await tx.deleteFrom('opendata_uploads').where('expires_at', '<=', now).execute();
}
