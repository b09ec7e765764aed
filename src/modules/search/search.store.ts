// search SQL: the synonym table (the indexes themselves live in memory).
import type { Generated } from 'kysely';
import type { Tx } from '../../platform/db.ts';

interface SearchSynonymsTable {
  id: Generated<number>;
  terms: string[];
  updated_by: string;
  updated_at: Generated<Date>;
}

declare module '../../platform/db.ts' {
  interface Database {
    search_synonyms: SearchSynonymsTable;
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

export function updateSynonyms(tx: Tx, id: number, terms: readonly string[], by: string) {
  return tx
    .updateTable('search_synonyms')
    .set({ terms: [...terms], updated_by: by, updated_at: new Date() })
    .where('id', '=', id)
    .returning(['id', 'terms'])
    .executeTakeFirst();
}

export function deleteSynonyms(tx: Tx, id: number) {
  return tx.deleteFrom('search_synonyms').where('id', '=', id).returning(['terms']).executeTakeFirst();
}
