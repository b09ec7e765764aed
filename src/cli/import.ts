// `zhengtong import REGISTER FILE [--key FIELD] [--skip-invalid] [--map column=field]…`
import { createReadStream, existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type ImportReport, importRecords } from '../modules/registry/index.ts';
import { ConfigError } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { integrateQueued, openContext } from './context.ts';

function printReport(r: ImportReport): void {
  console.log(
    `${r.committed ? 'imported' : 'REJECTED'} ${r.register}: ${r.rows} rows — ${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.invalid} invalid` +
      ` (${r.seconds.toFixed(1)} s, ${Math.round(r.rows / Math.max(r.seconds, 0.001))} rows/s; file sha256 ${r.fileSha256})`,
  );
  for (const e of r.errors.slice(0, 50))
    console.log(`  row ${e.row}, column ${e.column}, value '${e.value}': ${e.reason}`);
  if (r.errors.length > 50 || r.errorsTruncated) console.log(`  … and more: ${r.invalid} invalid rows in all`);
}

export async function run(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      'skip-invalid': { type: 'boolean' },
      map: { type: 'string', multiple: true },
      format: { type: 'string' },
    },
    strict: true,
  });
  const [code, file] = positionals;
  if (!code || !file)
    throw new ConfigError(
      'usage: zhengtong import REGISTER_CODE FILE.csv|FILE.xlsx [--key FIELD] [--skip-invalid] [--map column=field]…',
    );
  if (!existsSync(file)) throw new ConfigError(`no such file: ${file}`);
  const format = (values.format ?? (file.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv')) as 'csv' | 'xlsx';
  if (format !== 'csv' && format !== 'xlsx') throw new ConfigError('--format must be csv or xlsx');
  const mapping = Object.fromEntries(
    (values.map ?? []).map((m) => {
      const at = m.indexOf('=');
      if (at < 1) throw new ConfigError(`--map takes column=field (got '${m}')`);
      return [m.slice(0, at), m.slice(at + 1)];
    }),
  );
  const ctx = await openContext({ quiet: true });
  const t0 = performance.now();
  // Progress by bytes read: a streamed file's row count is not known until its end.
  const size = statSync(file).size;
  let bytes = 0;
  const input = createReadStream(file);
  input.on('data', (chunk) => {
    bytes += chunk.length;
  });
  const bar = (fraction: number) => {
    const width = 24;
    const full = Math.round(fraction * width);
    return `[${'█'.repeat(full)}${'░'.repeat(width - full)}] ${String(Math.round(fraction * 100)).padStart(3)}%`;
  };
  try {
    const report = await importRecords(
      { db: ctx.database.forZone('internal'), ledger: ctx.ledger.forZone('system'), clock: ctx.clock },
      'system',
      code,
      input,
      {
        format,
        ...(values.key ? { keyField: values.key } : {}),
        ...(values['skip-invalid'] ? { skipInvalid: true } : {}),
        ...(values.map ? { mapping } : {}),
        onProgress: (rows) => {
          const seconds = (performance.now() - t0) / 1000;
          const line = `${bar(size ? bytes / size : 1)}  ${rows.toLocaleString('en')} rows · ${Math.round(rows / seconds).toLocaleString('en')} rows/s`;
          process.stderr.write(process.stderr.isTTY ? `\r${line}   ` : `${line}\n`);
        },
      },
    );
    process.stderr.write('\n');
    await integrateQueued(ctx);
    printReport(report);
  } catch (e) {
    process.stderr.write('\n');
    const report = e instanceof AppError ? (e.details?.report as ImportReport | undefined) : undefined;
    if (!report) throw e;
    printReport(report);
    process.exitCode = 1;
  } finally {
    await ctx.database.close();
  }
}
