import { parseArgs } from 'node:util';
import { demoCredentialsFile, seedDemo } from '../demo/demo.ts';
import { ConfigError } from '../platform/config.ts';
import { integrateQueued, openContext } from './context.ts';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { demo: { type: 'boolean' } }, strict: true });
  if (!values.demo) throw new ConfigError('say what to seed: `zhengtong seed --demo`');
  const ctx = await openContext();
  try {
    const t0 = performance.now();
    const creds = await seedDemo(ctx);
    await integrateQueued(ctx);
    console.log(
      `demo government loaded in ${Math.round(performance.now() - t0)} ms: ${creds.staff.length} staff, ` +
        `${creds.citizens.length} citizen/enterprise accounts; logins in ${demoCredentialsFile(ctx.config.dataDir)}`,
    );
  } finally {
    await ctx.database.close();
  }
}
