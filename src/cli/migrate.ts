import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/db.ts';
import { redactUrl } from '../platform/log.ts';
import { migrate } from '../platform/migrate.ts';

export async function run(args: string[]): Promise<void> {
  parseArgs({ args, options: {}, strict: true });
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    const applied = await migrate(db);
    const where = config.databaseUrl ? redactUrl(config.databaseUrl) : `PGlite in ${config.dataDir}`;
    console.log(applied.length ? `applied ${applied.join(', ')} on ${where}` : `up to date on ${where}`);
  } finally {
    await db.close();
  }
}
