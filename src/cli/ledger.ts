// `zhengtong ledger verify | checkpoint | prove --index I [--size N]`
import { parseArgs } from 'node:util';
import {
  auditLog,
  currentCheckpoint,
  inclusionProof,
  leafHashAt,
  ledgerStatus,
  ledgerVerify,
} from '../modules/ledger/index.ts';
import { ConfigError } from '../platform/config.ts';
import { openContext } from './context.ts';

const USAGE = 'usage: zhengtong ledger verify | checkpoint | prove --index I [--size N]';

export async function run(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'verify' && sub !== 'checkpoint' && sub !== 'prove') throw new ConfigError(USAGE);
  const { values } = parseArgs({
    args: rest,
    options: { index: { type: 'string' }, size: { type: 'string' } },
    strict: true,
  });
  const ctx = await openContext({ quiet: true });
  const deps = { db: ctx.database.owner, node: ctx.ledger };
  try {
    if (sub === 'checkpoint') {
      process.stdout.write((await currentCheckpoint(deps)).note);
      return;
    }
    if (sub === 'prove') {
      const index = Number(values.index);
      if (!values.index || !Number.isSafeInteger(index) || index < 0)
        throw new ConfigError('--index must be a leaf index (0, 1, …)');
      const checkpoint = await currentCheckpoint(deps);
      const size = values.size === undefined ? checkpoint.size : Number(values.size);
      if (!Number.isSafeInteger(size) || size <= index)
        throw new ConfigError(`--size must be larger than --index (the log has ${checkpoint.size} entries)`);
      const proof = await inclusionProof(deps, index, size);
      const leafHash = await leafHashAt(deps.db, index);
      if (!leafHash) throw new ConfigError(`the log has no entry ${index} yet`);
      const signed = ledgerVerify.parseCheckpoint(ledgerVerify.parseNote(checkpoint.note).text);
      const root = size === signed.size ? signed.rootHash : undefined;
      const verified = root
        ? await ledgerVerify.verifyInclusion(
            ctx.ledger.crypto,
            index,
            size,
            leafHash,
            proof.hashes.map(ledgerVerify.fromBase64),
            root,
          )
        : undefined;
      console.log(
        JSON.stringify(
          {
            ...proof,
            leafHash: leafHash.toString('base64'),
            checkpoint: size === signed.size ? checkpoint.note : undefined,
            verified,
          },
          null,
          2,
        ),
      );
      return;
    }
    const t0 = performance.now();
    const { queued } = await ledgerStatus(deps.db);
    const report = await auditLog(deps.db, ctx.ledger, (done) => {
      if (process.stderr.isTTY) process.stderr.write(`\rverified ${done} entries…`);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    if (report.ok) {
      console.log(
        `ledger OK: ${report.size} entries and ${report.checkpoints} signed checkpoints verified in ${seconds} s (${ctx.ledger.profile}, origin ${ctx.ledger.origin}); ${queued} waiting to be integrated`,
      );
    } else {
      console.log(`ledger FAILED at index ${report.firstBadIndex}: ${report.problem}`);
      process.exitCode = 1;
    }
  } finally {
    await ctx.database.close();
  }
}
