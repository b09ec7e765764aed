// `zhengtong export REGISTER FILE.csv|FILE.xlsx|FILE.json`
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { type ExportFormat, exportRecords } from '../modules/registry/index.ts';
import { ConfigError } from '../platform/config.ts';
import { integrateQueued, openContext } from './context.ts';

export async function run(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {}, strict: true });
  const [code, file] = positionals;
  const format = file?.toLowerCase().split('.').pop() as ExportFormat | undefined;
  if (!code || !file || !format || !['csv', 'xlsx', 'json'].includes(format)) {
    throw new ConfigError('usage: zhengtong export REGISTER_CODE FILE.csv|FILE.xlsx|FILE.json');
  }
  const ctx = await openContext({ quiet: true });
  try {
    const t0 = performance.now();
    const stream = await exportRecords(
      { db: ctx.database.forZone('internal'), ledger: ctx.ledger.forZone('system'), clock: ctx.clock },
      'system',
      code,
      format,
    );
    await pipeline(stream, createWriteStream(file));
    await integrateQueued(ctx);
    console.log(`exported ${code} to ${file} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await ctx.database.close();
  }
}
