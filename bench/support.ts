// Shared by the benchmarks: a throw-away database — a fresh PostgreSQL database beside DATABASE_URL (dropped by
// `drop`), or PGlite in memory — migrated and ready.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type DatabaseHandle, openPglite, openPostgres } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrate.ts';

export async function openBenchDatabase(
  poolSize: number,
): Promise<{ database: DatabaseHandle; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = await openPglite(undefined);
    await migrate(database);
    return { database, drop: async () => {} };
  }
  const name = `zt_bench_${randomBytes(3).toString('hex')}`;
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openPostgres(u.toString(), poolSize);
  await migrate(database);
  return { database, drop: () => admin(`drop database ${name} with (force)`) };
}
