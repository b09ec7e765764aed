import { parseArgs } from 'node:util';
import { ExchangeWorker } from '../modules/exchange/index.ts';
import { Integrator } from '../modules/ledger/index.ts';
import { escalateOverdueApplications, publishUsage } from '../modules/opendata/index.ts';
import { ConfigError, ZONES, type Zone } from '../platform/config.ts';
import { redactUrl } from '../platform/log.ts';
import { exchangeWorkerDeps, nodeSigner, startZones } from '../zones/zones.ts';
import { type CliContext, openContext } from './context.ts';

export function parseZones(value: string | undefined): Zone[] {
  if (value === undefined) return [...ZONES];
  if (!(ZONES as readonly string[]).includes(value)) throw new ConfigError(`--zone must be one of ${ZONES.join(', ')}`);
  return [value as Zone];
}

/** Serves the zones until SIGINT/SIGTERM, then closes listeners and the database. */
export async function serve(
  ctx: CliContext,
  zones: readonly Zone[],
  banner: (urls: Partial<Record<Zone, string>>) => string,
) {
  const running = await startZones(ctx, zones);
  // Every instance runs an integrator; an advisory lock lets exactly one of them write the log at a time.
  const integrator = new Integrator({ database: ctx.database, node: ctx.ledger, log: ctx.log });
  integrator.start();
  // Subscriptions, webhooks and escalation of overdue share requests; safe to run on every instance.
  const worker = new ExchangeWorker({
    database: ctx.database,
    exchange: exchangeWorkerDeps(ctx),
    internalLedger: ctx.ledger.forZone('internal'),
    signer: await nodeSigner(ctx),
    log: ctx.log,
    chores: [
      {
        what: 'open-data applications past their review deadline escalated to the platform admin',
        run: () =>
          escalateOverdueApplications({
            db: ctx.database.forZone('internal'),
            ledger: ctx.ledger.forZone('internal'),
            clock: ctx.clock,
          }),
      },
      {
        what: "the open-data portal's usage statistics released as a new version of their dataset",
        level: 'info' as const,
        run: () =>
          publishUsage(
            { db: ctx.database.forZone('internal'), ledger: ctx.ledger.forZone('internal'), clock: ctx.clock },
            ctx.config.opendataUsageDepartment,
          ),
      },
    ],
  });
  worker.start();
  const where = ctx.config.databaseUrl ? redactUrl(ctx.config.databaseUrl) : `PGlite in ${ctx.config.dataDir}/pgdata`;
  process.stdout.write(`${banner(running.urls)}\nDatabase: ${where}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await running.close();
    await worker.stop();
    await integrator.stop();
    await ctx.database.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { zone: { type: 'string' } }, strict: true });
  const zones = parseZones(values.zone);
  const ctx = await openContext();
  await serve(ctx, zones, (urls) =>
    Object.entries(urls)
      .map(([z, u]) => `zhengtong ${z.padEnd(8)} ${u}`)
      .join('\n'),
  );
}
