// Forward-only numbered SQL migrations (migrations/NNNN_<module>_<change>.sql), applied under an advisory
// lock so that several instances starting at once apply each migration exactly once.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseHandle } from './db.ts';
import { LOCKS } from './locks.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
const LOCK_KEY = LOCKS.migrate;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql'));
  const migrations = files.map((file) => {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match?.[1] || !match[2]) throw new Error(`migration file name ${file} is not NNNN_<module>_<change>.sql`);
    return { version: Number(match[1]), name: match[2], sql: readFileSync(path.join(dir, file), 'utf8') };
  });
  migrations.sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations must be numbered 1..n without gaps; found ${m.version}`);
  });
  return migrations;
}

/** Applies the pending migrations; returns the names applied. */
export async function migrate(db: DatabaseHandle, migrations = readMigrations()): Promise<string[]> {
  const session = await db.rawSession();
  const applied: string[] = [];
  try {
    await session.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    await session.exec(`create table if not exists schema_migrations (
      version integer primary key, name text not null, applied_at timestamptz not null default now())`);
    const done = new Set(
      (await session.query<{ version: number }>('select version from schema_migrations')).map((r) => r.version),
    );
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await session.exec('begin');
      try {
        await session.exec(m.sql);
        await session.query('insert into schema_migrations (version, name) values ($1, $2)', [m.version, m.name]);
        await session.exec('commit');
      } catch (e) {
        await session.exec('rollback');
        throw new Error(`migration ${m.version}_${m.name} failed: ${(e as Error).message}`, { cause: e });
      }
      applied.push(`${String(m.version).padStart(4, '0')}_${m.name}`);
    }
  } finally {
    await session.query('select pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    await session.release();
  }
  return applied;
}
