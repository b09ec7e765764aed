// The database: PGlite in a data directory by default, PostgreSQL when DATABASE_URL is set. Both go through
// Kysely, both parse values the same way, and every unit of work runs in a transaction under a zone's role.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Zone } from './config.ts';

/**
 * The tables. Each module adds its own by declaration merging in its store file
 * (`declare module '../../platform/db.ts' { interface Database { … } }`), so the platform knows no business tables.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation in each module's store.
export interface Database {}

export type Tx = Transaction<Database>;
export type DbRole = 'zt_public' | 'zt_internal' | 'zt_exchange' | 'owner';

export const ZONE_ROLES: Readonly<Record<Zone, DbRole>> = {
  public: 'zt_public',
  internal: 'zt_internal',
  exchange: 'zt_exchange',
};

/** A database scoped to one role: the only way module code reaches the data. */
export interface Db {
  readonly role: DbRole;
  /** Runs fn in one transaction under this role; the transaction commits when fn resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

/** A session with raw SQL for migrations and test set-up (multi-statement scripts, session advisory locks). */
export interface RawSession {
  exec(script: string): Promise<void>;
  query<R>(text: string, params?: readonly unknown[]): Promise<R[]>;
  release(): Promise<void>;
}

export interface DatabaseHandle {
  readonly engine: 'pglite' | 'postgres';
  readonly kysely: Kysely<Database>;
  readonly owner: Db;
  forZone(zone: Zone): Db;
  rawSession(): Promise<RawSession>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const OID = { int8: 20, numeric: 1700, date: 1082, bytea: 17 } as const;

export class UnsafeIntegerError extends Error {}

/** int8 → number on both engines; past 2^53 we fail loudly rather than lose precision silently. */
export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new UnsafeIntegerError(`int8 value ${text} exceeds the safe integer range`);
  return n;
}
const asText = (text: string): string => text;

/** bytea arrives as `\x…` hex text; both engines hand back a Buffer (PGlite's default is a bare Uint8Array). */
export function parseBytea(text: string): Buffer {
  if (!text.startsWith('\\x')) throw new Error('unexpected bytea format (expected hex output)');
  return Buffer.from(text.slice(2), 'hex');
}

// numeric stays a string (exact decimal) and date stays 'YYYY-MM-DD' (no time-zone shift) on both engines.
const PARSERS: Record<number, (text: string) => unknown> = {
  [OID.int8]: parseInt8,
  [OID.numeric]: asText,
  [OID.date]: asText,
  [OID.bytea]: parseBytea,
};

function scoped(kysely: Kysely<Database>, role: DbRole, engine: DatabaseHandle['engine']): Db {
  if (engine === 'postgres') {
    // One round trip for BEGIN and the role: node-postgres sends a query without parameters over the simple
    // protocol, which takes several statements. Every transaction of the platform saves a round trip.
    const begin = sql.raw(role === 'owner' ? 'begin' : `begin; set local role ${role}`);
    return {
      role,
      transaction: (fn) =>
        kysely.connection().execute(async (conn) => {
          await begin.execute(conn);
          try {
            const result = await fn(conn as unknown as Tx);
            await sql.raw('commit').execute(conn);
            return result;
          } catch (e) {
            await sql.raw('rollback').execute(conn);
            throw e;
          }
        }),
    };
  }
  return {
    role,
    transaction: (fn) =>
      kysely.transaction().execute(async (tx) => {
        // SET LOCAL ends with the transaction, so a pooled connection never keeps a zone's role.
        if (role !== 'owner') await sql`set local role ${sql.id(role)}`.execute(tx);
        return fn(tx);
      }),
  };
}

function handle(
  engine: DatabaseHandle['engine'],
  kysely: Kysely<Database>,
  rawSession: () => Promise<RawSession>,
  close: () => Promise<void>,
): DatabaseHandle {
  const zones = new Map<Zone, Db>();
  return {
    engine,
    kysely,
    owner: scoped(kysely, 'owner', engine),
    forZone(zone) {
      let db = zones.get(zone);
      if (!db) {
        db = scoped(kysely, ZONE_ROLES[zone], engine);
        zones.set(zone, db);
      }
      return db;
    },
    rawSession,
    async ping() {
      await sql`select 1`.execute(kysely);
    },
    close,
  };
}

export async function openPglite(dataDir: string | undefined): Promise<DatabaseHandle> {
  let location: string | undefined;
  if (dataDir) {
    location = path.join(dataDir, 'pgdata');
    mkdirSync(location, { recursive: true });
  }
  const pglite = await PGlite.create(location, { parsers: PARSERS });
  const kysely = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  const raw: RawSession = {
    exec: async (script) => {
      await pglite.exec(script);
    },
    query: async <R>(text: string, params: readonly unknown[] = []) =>
      (await pglite.query<R>(text, params as unknown[])).rows,
    release: async () => {},
  };
  return handle(
    'pglite',
    kysely,
    async () => raw,
    async () => {
      await kysely.destroy();
      if (!pglite.closed) await pglite.close();
    },
  );
}

export async function openPostgres(url: string, poolSize = 10): Promise<DatabaseHandle> {
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      PARSERS[oid] ?? (format ? pg.types.getTypeParser(oid, format) : pg.types.getTypeParser(oid)),
  };
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // A pooled client that errors while idle must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return handle(
    'postgres',
    kysely,
    async () => {
      const client = await pool.connect();
      return {
        exec: async (script) => {
          await client.query(script);
        },
        query: async <R>(text: string, params: readonly unknown[] = []) =>
          (await client.query(text, params as unknown[])).rows as R[],
        release: async () => client.release(),
      };
    },
    () => kysely.destroy(),
  );
}

/** Opens PostgreSQL when a URL is given, else PGlite in dataDir (in memory when dataDir is undefined). */
export function openDatabase(options: { databaseUrl?: string | undefined; dataDir?: string | undefined }) {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}

/** The SQLSTATE of a database error (the same on PGlite and PostgreSQL), if it is one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
export const isUniqueViolation = (error: unknown): boolean => sqlState(error) === '23505';
export const isPermissionDenied = (error: unknown): boolean => sqlState(error) === '42501';
