// Shared by the benchmarks: a throw-away database — a fresh PostgreSQL database beside DATABASE_URL (dropped by
// `drop`), or PGlite in memory — migrated and ready.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openLedger } from '../src/modules/ledger/index.ts';
import { upsertRegions } from '../src/modules/org/index.ts';
import { createSecretBox } from '../src/platform/crypto.ts';
import { type DatabaseHandle, openPglite, openPostgres } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrate.ts';

export async function openBenchDatabase(
  poolSize: number,
): Promise<{ database: DatabaseHandle; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = await openPglite(undefined, { sharedBuffers: process.env.ZT_PGLITE_SHARED_BUFFERS });
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

/**
 * A throw-away database with what every module benchmark needs first: a ledger, Tianjin as a region, and the system
 * actor's dependencies to create departments with.
 */
export async function openBenchPlatform(poolSize: number) {
  const { database, drop } = await openBenchDatabase(poolSize);
  const secrets = createSecretBox(randomBytes(32));
  const ledger = await openLedger(database.owner, {
    origin: 'bench.zhengtong.local/ledger',
    profile: 'sha256-ed25519',
    secrets,
  });
  await database.owner.transaction((tx) =>
    upsertRegions(tx, [
      { code: '100000', name: '中华人民共和国', level: 'national', parent_code: null },
      { code: '120000', name: '天津市', level: 'province', parent_code: '100000' },
    ]),
  );
  const system = { db: database.owner, ledger: ledger.forZone('system'), clock: () => new Date() };
  return { database, drop, secrets, ledger, system };
}
