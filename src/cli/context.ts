// Opens what a command needs: configuration, logger, database (migrated), secrets.
import { readFileSync } from 'node:fs';
import { Integrator, openLedger } from '../modules/ledger/index.ts';
import { ensureRegions } from '../modules/org/index.ts';
import { type Config, loadConfig } from '../platform/config.ts';
import { createSecretBox, loadMasterKey } from '../platform/crypto.ts';
import { type DatabaseHandle, openDatabase } from '../platform/db.ts';
import { createLogger, type Logger } from '../platform/log.ts';
import { migrate } from '../platform/migrate.ts';
import type { PlatformContext } from '../zones/zones.ts';

export const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface CliContext extends PlatformContext {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly log: Logger;
}

/** Loads config, opens the database and applies pending migrations (idempotent, under an advisory lock). */
export async function openContext(options: { quiet?: boolean } = {}): Promise<CliContext> {
  const config = loadConfig();
  // Interactive commands keep the terminal readable unless a log level is asked for explicitly.
  const log = createLogger(options.quiet && !process.env.ZT_LOG_LEVEL ? 'warn' : config.logLevel);
  const database = await openDatabase(config);
  const applied = await migrate(database);
  if (applied.length > 0) log.info({ applied }, 'migrations applied');
  const regions = await ensureRegions({ db: database.owner });
  if (regions > 0) log.info({ regions }, 'administrative divisions (GB/T 2260) loaded');
  const secrets = createSecretBox(loadMasterKey(config.masterKey, config.dataDir));
  // The one clock of the platform: every module takes it from here (tests put their own in its place).
  const clock = () => new Date();
  const ledger = await openLedger(database.owner, {
    origin: config.ledgerOrigin,
    profile: config.cryptoProfile,
    secrets,
    warn: (message) => log.warn(message),
    clock,
  });
  return { config, database, log, secrets, clock, version: VERSION, ledger };
}

/** After a command that recorded actions: integrate them now unless a running server's integrator leads. */
export async function integrateQueued(ctx: CliContext): Promise<void> {
  const n = await new Integrator({ database: ctx.database, node: ctx.ledger, log: ctx.log }).integrateOnceIfFree();
  if (n) ctx.log.info({ integrated: n }, 'ledger entries integrated');
}
