// registry SQL of the data quality score of a register. Every function takes the transaction.
import { type ColumnType, type Generated, sql } from 'kysely';
import type { Tx } from '../../platform/db.ts';

type Json = ColumnType<unknown, Record<string, unknown>, Record<string, unknown>>;

interface RegisterQualityTable {
  register_id: number;
  score: number;
  details: Json;
  computed_at: Generated<Date>;
}

declare module '../../platform/db.ts' {
  interface Database {
    register_quality: RegisterQualityTable;
  }
}

/** Records changed: the quality score must be recomputed before it is shown again. */
export async function markQualityDirty(tx: Tx, registerId: number): Promise<void> {
  await tx
    .updateTable('registers')
    .set({ quality_dirty: true })
    .where('id', '=', registerId)
    .where('quality_dirty', '=', false)
    .execute();
}

export function findQuality(tx: Tx, registerId: number) {
  return tx.selectFrom('register_quality').selectAll().where('register_id', '=', registerId).executeTakeFirst();
}

export async function saveQuality(
  tx: Tx,
  registerId: number,
  score: number,
  details: Record<string, unknown>,
  at: Date,
): Promise<void> {
  await tx
    .insertInto('register_quality')
    .values({ register_id: registerId, score, details, computed_at: at })
    .onConflict((oc) => oc.column('register_id').doUpdateSet({ score, details, computed_at: at }))
    .execute();
  await tx.updateTable('registers').set({ quality_dirty: false }).where('id', '=', registerId).execute();
}

/** How many live records have each field filled, in one pass. */
export async function fieldFillCounts(
  tx: Tx,
  registerId: number,
  fields: readonly string[],
): Promise<{ total: number; filled: Record<string, number> }> {
  const counts = sql.join(fields.map((f, i) => sql`count(*) filter (where data ? ${f}) as ${sql.id(`f${i}`)}`));
  const result = await sql<Record<string, number>>`
    select count(*) as total${fields.length ? sql`, ${counts}` : sql``} from records where register_id = ${registerId} and not deleted`.execute(
    tx,
  );
  const row = result.rows[0] ?? {};
  return {
    total: Number(row.total ?? 0),
    filled: Object.fromEntries(fields.map((f, i) => [f, Number(row[`f${i}`] ?? 0)])),
  };
}

export async function countRecordsWithOpenObjections(tx: Tx, registerId: number): Promise<number> {
  const r = await sql<{
    n: number;
  }>`select count(distinct record_id) as n from objections where register_id = ${registerId} and status = 'open'`.execute(
    tx,
  );
  return Number(r.rows[0]?.n ?? 0);
}
