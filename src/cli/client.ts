import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createClient } from '../modules/auth/index.ts';
import { findDepartmentByCode } from '../modules/org/index.ts';
import { ConfigError } from '../platform/config.ts';
import { integrateQueued, openContext } from './context.ts';

export async function run(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'create')
    throw new ConfigError(
      'usage: zhengtong client create --department CODE --name NAME [--alg ed25519|sm2-sm3] [--public-key FILE]',
    );
  const { values } = parseArgs({
    args: rest,
    options: {
      department: { type: 'string' },
      name: { type: 'string' },
      alg: { type: 'string' },
      'public-key': { type: 'string' },
    },
    strict: true,
  });
  if (!values.department || !values.name) throw new ConfigError('--department and --name are required');
  if (values.alg && values.alg !== 'ed25519' && values.alg !== 'sm2-sm3')
    throw new ConfigError('--alg must be ed25519 or sm2-sm3');
  const ctx = await openContext({ quiet: true });
  try {
    const defaultAlg = ctx.config.cryptoProfile === 'sm3-sm2' ? ('sm2-sm3' as const) : ('ed25519' as const);
    const deps = {
      db: ctx.database.forZone('internal'),
      ledger: ctx.ledger.forZone('system'),
      secrets: ctx.secrets,
      clock: ctx.clock,
      defaultAlg,
    };
    const department = await deps.db.transaction((tx) => findDepartmentByCode(tx, values.department ?? ''));
    if (!department) throw new ConfigError(`no department with code ${values.department}`);
    const created = await createClient(deps, 'system', {
      departmentId: department.id,
      name: values.name,
      ...(values.alg ? { alg: values.alg as 'ed25519' | 'sm2-sm3' } : {}),
      ...(values['public-key'] ? { publicKey: readFileSync(values['public-key'], 'utf8') } : {}),
    });
    await integrateQueued(ctx);
    console.log(
      JSON.stringify({ keyId: created.client.keyId, alg: created.client.alg, department: department.code }, null, 2),
    );
    if (created.privateKey) {
      console.log('\nPrivate key (shown once, not stored; keep it in the client system):');
      console.log(created.privateKey);
    }
  } finally {
    await ctx.database.close();
  }
}
