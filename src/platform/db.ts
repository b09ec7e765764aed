// The database: PGlite in a data directory by default, PostgreSQL when DATABASE_URL is set. Both go through
// Kysely, both parse values the same way, and every unit of work runs in a transaction under a zone's role.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type CompiledQuery, Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Zone } from './config.ts';

/**
 * The tables. Each module adds its own by declaration merging in its store file
 * (`declare module '../../platform/db.ts' { interface Database { … } }`), so the platform knows no business tables.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation in each module's store.
export interface Database {}

/** What store functions take: a transaction, or (for `read`) the zone's connection for one statement. */
export type Tx = Kysely<Database>;
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
  /**
   * Runs fn under this role without an explicit transaction where the engine allows it, so a single-statement read
   * costs one round trip. Only for reads that need no consistency across statements.
   */
  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs one statement that may write, without an explicit transaction where the engine allows it: it commits by
   * itself, in one round trip (a request's nonce, a sweep of expired ones). Never for two statements that belong
   * together — that is `transaction`.
   */
  statement<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs one statement as a named prepared statement on PostgreSQL (parsed and planned once per connection, not on
   * every call), for hot paths; on PGlite it runs as `read` would. The name derives from the SQL text.
   */
  prepared<R>(query: Compilable<R>): Promise<R[]>;
}

/** A query that compiles to SQL: a Kysely query builder or a `sql` template. */
export interface Compilable<R> {
  compile(db: Kysely<Database>): CompiledQuery<R>;
}

/** A session with raw SQL for migrations and test set-up (multi-statement scripts, session advisory locks). */
export interface RawSession {
  exec(script: string): Promise<void>;
  query<R>(text: string, params?: readonly unknown[]): Promise<R[]>;
  release(): Promise<void>;
}

export interface DatabaseHandle {
  readonly engine: 'pglite' | 'postgres';
  /** The owner's connection: migrations, the ledger integrator, CLI and test set-up. */
  readonly kysely: Kysely<Database>;
  readonly owner: Db;
  forZone(zone: Zone): Db;
  rawSession(): Promise<RawSession>;
  /**
   * Calls `onMessage` with the payload of every NOTIFY on `channel`, from any instance (PostgreSQL: a dedicated
   * connection that reconnects, calling `onReconnect` so the listener can catch up on what it missed; PGlite: in
   * process). Resolves to a function that stops listening.
   */
  listen(channel: string, onMessage: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  ping(): Promise<void>;
  /** Connections of each pool (PostgreSQL; PGlite has one connection and no pools). */
  poolStats(): Array<{ role: DbRole; total: number; idle: number; waiting: number }>;
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

/** bytea arrives as `\\x…` hex text; both engines hand back a Buffer (PGlite's default is a bare Uint8Array). */
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

/** Where the embedded database of a data directory lives. */
export const pgliteLocation = (dataDir: string) => path.join(dataDir, 'pgdata');

/** A copy of an embedded database as a gzipped tarball (PGlite's own dump of its data directory). */
export async function dumpPglite(dataDir: string): Promise<Buffer> {
  const pglite = await PGlite.create(pgliteLocation(dataDir), { parsers: PARSERS });
  try {
    return Buffer.from(await (await pglite.dumpDataDir('gzip')).arrayBuffer());
  } finally {
    await pglite.close();
  }
}

/** Writes a dump into an empty data directory as its embedded database; fails if the tarball is not one. */
export async function loadPgliteDump(dataDir: string, dump: Buffer): Promise<void> {
  mkdirSync(pgliteLocation(dataDir), { recursive: true });
  const pglite = await PGlite.create(pgliteLocation(dataDir), {
    parsers: PARSERS,
    loadDataDir: new Blob([new Uint8Array(dump)], { type: 'application/x-gzip' }),
  });
  try {
    await pglite.query('select 1');
  } finally {
    await pglite.close();
  }
}

// PGlite's own start parameters (its defaults), to which a configured buffer pool size is added.
const PGLITE_START = [
  '--single',
  '-F',
  '-O',
  '-j',
  ...[
    'search_path=public',
    'exit_on_error=false',
    'log_checkpoints=false',
    'max_worker_processes=0',
    'max_parallel_workers=0',
    'max_parallel_workers_per_gather=0',
    'io_method=sync',
    'max_parallel_maintenance_workers=0',
  ].flatMap((s) => ['-c', s]),
];

/**
 * PGlite in `dataDir` (in memory when undefined). `sharedBuffers` sizes its buffer pool, which lives in this
 * process's memory: in memory the table files are already in the process, so a small pool avoids holding pages twice.
 */
export async function openPglite(
  dataDir: string | undefined,
  options: { sharedBuffers?: string | undefined } = {},
): Promise<DatabaseHandle> {
  let location: string | undefined;
  if (dataDir) {
    location = path.join(dataDir, 'pgdata');
    mkdirSync(location, { recursive: true });
  }
  const pglite = await PGlite.create(location, {
    parsers: PARSERS,
    ...(options.sharedBuffers && { startParams: [...PGLITE_START, '-c', `shared_buffers=${options.sharedBuffers}`] }),
  });
  const kysely = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  // One connection for everything: the zone's role is set at the start of each transaction and ends with it.
  const scoped = (role: DbRole): Db => {
    const transaction = <T>(fn: (tx: Tx) => Promise<T>) =>
      kysely.transaction().execute(async (tx) => {
        if (role !== 'owner') await sql`set local role ${sql.id(role)}`.execute(tx);
        return fn(tx);
      });
    return {
      role,
      transaction,
      read: transaction,
      statement: transaction,
      prepared: <R>(query: Compilable<R>) =>
        transaction(async (tx) => (await tx.executeQuery(query.compile(tx))).rows as R[]),
    };
  };
  const raw: RawSession = {
    exec: async (script) => {
      await pglite.exec(script);
    },
    query: async <R>(text: string, params: readonly unknown[] = []) =>
      (await pglite.query<R>(text, params as unknown[])).rows,
    release: async () => {},
  };
  const zones = new Map<Zone, Db>();
  return {
    engine: 'pglite',
    poolStats: () => [],
    kysely,
    owner: scoped('owner'),
    forZone(zone) {
      let db = zones.get(zone);
      if (!db) {
        db = scoped(ZONE_ROLES[zone]);
        zones.set(zone, db);
      }
      return db;
    },
    rawSession: async () => raw,
    listen: async (channel, onMessage) => {
      const unlisten = await pglite.listen(channel, onMessage);
      return async () => {
        if (!pglite.closed) await unlisten();
      };
    },
    ping: async () => {
      await sql`select 1`.execute(kysely);
    },
    close: async () => {
      await kysely.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

const CONTROL = /^\s*(begin|commit|rollback|savepoint|release|start transaction|set |reset )/i;
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `zt_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    if (statementNames.size < 20_000) statementNames.set(text, name);
  }
  return name;
}

/**
 * The pool as Kysely sees it, with every statement named by its text: PostgreSQL parses and plans a statement once
 * per connection instead of on every call (measured: the exchange's lookup went from 1,861 to ~3,000 calls/s). The
 * same text always gets the same name; transaction control stays unnamed. Schema changes happen only in migrations,
 * before a pool serves, so no prepared plan outlives the tables it was made for.
 */
function namedStatements(pool: pg.Pool): pg.Pool {
  const wrap = (client: pg.PoolClient): pg.PoolClient =>
    new Proxy(client, {
      get(target, prop, receiver) {
        if (prop === 'query') {
          return (text: unknown, values?: unknown[]) =>
            typeof text === 'string' && !CONTROL.test(text)
              ? target.query({ name: statementName(text), text, values: values ?? [] })
              : target.query(text as string, values);
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'connect') return async () => wrap(await target.connect());
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * PostgreSQL: one pool per zone, created when the zone is first used. Its connections start with the zone's role
 * (`-c role=…` at connection start; even RESET ROLE returns to it), so no statement of a zone can run as another role,
 * and a single-statement read needs no transaction: one round trip.
 */
export async function openPostgres(url: string, poolSize = 10): Promise<DatabaseHandle> {
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      PARSERS[oid] ?? (format ? pg.types.getTypeParser(oid, format) : pg.types.getTypeParser(oid)),
  };
  const kyselyFor = (role: DbRole) => {
    const pool = new pg.Pool({
      connectionString: url,
      max: poolSize,
      types,
      ...(role === 'owner' ? {} : { options: `-c role=${role}` }),
    });
    // A pooled client that errors while idle must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    return { pool, kysely: new Kysely<Database>({ dialect: new PostgresDialect({ pool: namedStatements(pool) }) }) };
  };
  const prepared = new Map<string, string>();
  const scoped = (role: DbRole, kysely: Kysely<Database>, pool: pg.Pool): Db => ({
    role,
    transaction: (fn) => kysely.transaction().execute(fn),
    read: (fn) => fn(kysely),
    statement: (fn) => fn(kysely),
    prepared: async <R>(query: Compilable<R>) => {
      const compiled = query.compile(kysely);
      let name = prepared.get(compiled.sql);
      if (!name) {
        name = `zt_${createHash('sha256').update(compiled.sql).digest('hex').slice(0, 24)}`;
        if (prepared.size < 1000) prepared.set(compiled.sql, name);
      }
      const result = await pool.query({ name, text: compiled.sql, values: compiled.parameters as unknown[] });
      return result.rows as R[];
    },
  });
  const owner = kyselyFor('owner');
  const zones = new Map<Zone, { db: Db; kysely: Kysely<Database>; pool: pg.Pool }>();
  const statsOf = (role: DbRole, pool: pg.Pool) => ({
    role,
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
  });
  return {
    engine: 'postgres',
    poolStats: () => [statsOf('owner', owner.pool), ...[...zones.values()].map((z) => statsOf(z.db.role, z.pool))],
    kysely: owner.kysely,
    owner: scoped('owner', owner.kysely, owner.pool),
    forZone(zone) {
      let entry = zones.get(zone);
      if (!entry) {
        const { kysely, pool } = kyselyFor(ZONE_ROLES[zone]);
        entry = { kysely, pool, db: scoped(ZONE_ROLES[zone], kysely, pool) };
        zones.set(zone, entry);
      }
      return entry.db;
    },
    rawSession: async () => {
      const client = await owner.pool.connect();
      return {
        exec: async (script) => {
          await client.query(script);
        },
        query: async <R>(text: string, params: readonly unknown[] = []) =>
          (await client.query(text, params as unknown[])).rows as R[],
        release: async () => client.release(),
      };
    },
    listen: (channel, onMessage, onReconnect) => listenPostgres(url, channel, onMessage, onReconnect),
    ping: async () => {
      await sql`select 1`.execute(owner.kysely);
    },
    close: async () => {
      await Promise.all([owner.kysely, ...[...zones.values()].map((z) => z.kysely)].map((k) => k.destroy()));
    },
  };
}

/** LISTEN on a connection of its own; when it drops, reconnect (backing off to 5 s) and tell the listener. */
async function listenPostgres(
  url: string,
  channel: string,
  onMessage: (payload: string) => void,
  onReconnect?: () => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let delay = 100;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => {
      if (n.channel === channel) onMessage(n.payload ?? '');
    });
    c.on('error', () => {
      void c.end().catch(() => {});
      if (client === c) reconnect();
    });
    await c.connect();
    await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    client = c;
    delay = 100;
  };
  const reconnect = () => {
    client = undefined;
    if (stopped) return;
    setTimeout(() => {
      if (stopped) return;
      connect().then(
        () => onReconnect?.(),
        () => {
          delay = Math.min(5000, delay * 2);
          reconnect();
        },
      );
    }, delay).unref();
  };
  await connect();
  return async () => {
    stopped = true;
    const c = client;
    client = undefined;
    await c?.end().catch(() => {});
  };
}

/** Opens PostgreSQL when a URL is given, else PGlite in dataDir (in memory when dataDir is undefined). */
export function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  pgliteSharedBuffers?: string | undefined;
}) {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl)
    : openPglite(options.dataDir, { sharedBuffers: options.pgliteSharedBuffers });
}

/** The SQLSTATE of a database error (the same on PGlite and PostgreSQL), if it is one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
export const isUniqueViolation = (error: unknown): boolean => sqlState(error) === '23505';
export const isPermissionDenied = (error: unknown): boolean => sqlState(error) === '42501';
