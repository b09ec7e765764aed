// The `zhengtong` command: parse the sub-command and hand off to src/cli/<command>.ts.
import { ConfigError } from './platform/config.ts';
import { AppError } from './platform/errors.ts';

const HELP = `zhengtong — digital government platform (政通)

Usage: zhengtong <command> [options]

Commands:
  start                    migrate, seed the demo (unless ZT_DEMO=false) and serve all zones (what npm start runs)
  serve [--zone NAME]      serve all zones, or one of: public, internal, exchange
  migrate                  apply pending database migrations
  seed --demo              load the demo government (天津市); safe to run again
  user create              create a staff member:
                             --username U --name 姓名 --department CODE [--role R]... [--password P]
  client create            register a department's system for the exchange zone:
                             --department CODE --name NAME [--alg ed25519|sm2-sm3] [--public-key FILE]
      import CODE FILE         import a CSV or XLSX file into a register (all-or-nothing):
                                                          [--key FIELD] (upsert) [--skip-invalid] [--map column=field]…
  export CODE FILE         export a register's records to FILE.csv, FILE.xlsx or FILE.json
  backup FILE              copy the embedded database to FILE (PostgreSQL: use pg_dump)
  restore FILE [--force]   restore the embedded database from FILE, then verify the ledger
  ledger verify            audit the whole evidence ledger; names the first bad index (exit 1)
  ledger checkpoint        print the latest signed checkpoint
  ledger prove --index I   print (and check) an inclusion proof for leaf I [--size N]
  help                     show this help

Configuration comes from environment variables (see README): DATABASE_URL, ZT_DATA_DIR, ZT_HOST,
ZT_PUBLIC_PORT, ZT_INTERNAL_PORT, ZT_EXCHANGE_PORT, ZT_CRYPTO_PROFILE, ZT_DEMO, ZT_LOG_LEVEL, …
`;

const commands: Record<string, () => Promise<{ run: (args: string[]) => Promise<void> }>> = {
  start: () => import('./cli/start.ts'),
  serve: () => import('./cli/serve.ts'),
  migrate: () => import('./cli/migrate.ts'),
  seed: () => import('./cli/seed.ts'),
  user: () => import('./cli/user.ts'),
  client: () => import('./cli/client.ts'),
  ledger: () => import('./cli/ledger.ts'),
  import: () => import('./cli/import.ts'),
  export: () => import('./cli/export.ts'),
  backup: () => import('./cli/backup.ts'),
  restore: () => import('./cli/restore.ts'),
};

const [name, ...args] = process.argv.slice(2);
if (!name || name === 'help' || name === '--help' || name === '-h') {
  process.stdout.write(HELP);
  process.exit(0);
}
const load = commands[name];
if (!load) {
  process.stderr.write(`zhengtong: unknown command '${name}'\n\n${HELP}`);
  process.exit(2);
}
try {
  await (await load()).run(args);
} catch (e) {
  if (
    e instanceof ConfigError ||
    e instanceof AppError ||
    (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
  ) {
    process.stderr.write(`zhengtong ${name}: ${(e as Error).message}\n`);
    process.exit(2);
  }
  throw e;
}
