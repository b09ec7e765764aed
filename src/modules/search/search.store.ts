// search SQL: the synonym table (the indexes themselves live in memory).
import { type Generated, sql } from 'kysely';
import type { Tx } from '../../platform/db.ts';

interface SearchSynonymsTable {
  id: Generated<number>;
  terms: string[];
  updated_by: string;
  updated_at: Generated<Date>;
}

interface SearchMissesTable {
  day: string;
  zone: 'public' | 'internal';
  query: string;
  count: number;
}

declare module '../../platform/db.ts' {
  interface Database {
    search_synonyms: SearchSynonymsTable;
    search_misses: SearchMissesTable;
  }
}

export function findSynonyms(tx: Tx) {
  return tx.selectFrom('search_synonyms').select(['id', 'terms']).orderBy('id').execute();
}

export function insertSynonyms(tx: Tx, terms: readonly string[], by: string) {
  return tx
    .insertInto('search_synonyms')
    .values({ terms: [...terms], updated_by: by })
    .returning(['id', 'terms'])
    .executeTakeFirst();
}

export function updateSynonyms(tx: Tx, id: number, terms: readonly string[], by: string, at: Date) {
  return tx
    .updateTable('search_synonyms')
    .set({ terms: [...terms], updated_by: by, updated_at: at })
    .where('id', '=', id)
    .returning(['id', 'terms'])
    .executeTakeFirst();
}

export function deleteSynonyms(tx: Tx, id: number) {
  return tx.deleteFrom('search_synonyms').where('id', '=', id).returning(['terms']).executeTakeFirst();
}

/** Adds to the day's counts of queries that found nothing, and forgets days older than 90. */
export async function addMisses(tx: Tx, day: string, zone: 'public' | 'internal', counts: ReadonlyMap<string, number>) {
  await tx.deleteFrom('search_misses').where('day', '<', sql<string>`${day}::date - 90`).execute();
  if (counts.size === 0) return;
  await tx
    .insertInto('search_misses')
    .values([...counts].map(([query, count]) => ({ day, zone, query, count })))
    .onConflict((oc) =>
      oc.columns(['day', 'zone', 'query']).doUpdateSet({ count: sql<number>`search_misses.count + excluded.count` }),
    )
    .execute();
}

/** The commonest queries without results since a day, asked at least `minimum` times. */
export function findMisses(tx: Tx, zone: 'public' | 'internal', since: string, minimum: number) {
  return tx
    .selectFrom('search_misses')
    .select(['query', (eb) => eb.fn.sum<number>('count').as('count')])
    .where('zone', '=', zone)
    .where('day', '>=', since)
    .groupBy('query')
    .having((eb) => eb.fn.sum('count'), '>=', minimum)
    .orderBy('count', 'desc')
    .orderBy('query')
    .limit(50)
    .execute();
}
