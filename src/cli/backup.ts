// `zhengtong backup FILE` and `zhengtong restore FILE [--force]`: a copy of the embedded database (PGlite) and back,
// then a full ledger verify of what was restored. PostgreSQL deployments back up with their own tools (pg_dump,
// base backups with WAL archiving). The master key is not in the copy: keep it apart, as the keys of a safe are.
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { auditLog } from '../modules/ledger/index.ts';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { dumpPglite, loadPgliteDump, pgliteLocation } from '../platform/db.ts';
import { openContext } from './context.ts';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const step = (text: string) => process.stderr.write(`${text}\n`);

function embeddedOnly(command: string) {
  const config = loadConfig();
  if (config.databaseUrl) {
    throw new ConfigError(
      `${command} copies the embedded database; this node runs on PostgreSQL — use pg_dump -Fc (or base backups with ` +
        'WAL archiving) and pg_restore, then `zhengtong ledger verify`',
    );
  }
  return config;
}

export async function backup(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new ConfigError('usage: zhengtong backup FILE');
  const config = embeddedOnly('backup');
  if (!existsSync(pgliteLocation(config.dataDir))) throw new ConfigError(`no database in ${config.dataDir}`);
  const t0 = performance.now();
  step(`backing up ${pgliteLocation(config.dataDir)} (stop the server first: one process at a time may open it)…`);
  const dump = await dumpPglite(config.dataDir);
  writeFileSync(file, dump, { mode: 0o600 });
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`backup written: ${file}, ${mb(dump.length)} in ${seconds} s`);
  console.log('the master key is not in it: keep $ZT_DATA_DIR/master.key (or ZT_MASTER_KEY) safe, apart from it');
}

export async function restore(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { force: { type: 'boolean' } },
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new ConfigError('usage: zhengtong restore FILE [--force]');
  const config = embeddedOnly('restore');
  if (!existsSync(file)) throw new ConfigError(`no such file: ${file}`);
  const target = pgliteLocation(config.dataDir);
  if (existsSync(target)) {
    if (!values.force) {
      throw new ConfigError(`${target} holds a database; restore over it with --force (it is kept aside, not deleted)`);
    }
    const aside = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(target, aside);
    step(`the database there was moved to ${aside}`);
  }
  const t0 = performance.now();
  step(`restoring ${mb(statSync(file).size)} from ${file}…`);
  try {
    await loadPgliteDump(config.dataDir, readFileSync(file));
  } catch (e) {
    rmSync(target, { recursive: true, force: true }); // no half-restored database
    throw new ConfigError(`${file} is not a Zhengtong backup (${(e as Error).message})`);
  }
  step(`restored in ${((performance.now() - t0) / 1000).toFixed(1)} s; verifying the ledger…`);
  const ctx = await openContext({ quiet: true });
  try {
    const report = await auditLog(ctx.database.owner, ctx.ledger, (done) => {
      if (process.stderr.isTTY) process.stderr.write(`\rverified ${done} entries…`);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (!report.ok) {
      console.log(`restored, but the ledger FAILED at index ${report.firstBadIndex}: ${report.problem}`);
      process.exitCode = 1;
      return;
    }
    console.log(`restored; ledger OK: ${report.size} entries and ${report.checkpoints} signed checkpoints verified`);
  } finally {
    await ctx.database.close();
  }
}

export const run = backup;
