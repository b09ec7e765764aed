// `npm start`: migrate, seed the demo (unless ZT_DEMO=false), serve every zone, and say where to go.
import { parseArgs } from 'node:util';
import { DEMO_PASSWORD, demoCredentialsFile, seedDemo } from '../demo/demo.ts';
import { openContext } from './context.ts';
import { parseZones, serve } from './serve.ts';

export async function run(args: string[]): Promise<void> {
  parseArgs({ args, options: {}, strict: true });
  const t0 = performance.now();
  const ctx = await openContext({ quiet: true });
  const demo = ctx.config.demo ? await seedDemo(ctx) : undefined;
  await serve(ctx, parseZones(undefined), (urls) => {
    const lines = [
      '',
      `  政通 Zhengtong ${ctx.version} is running (ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
      '',
      `  Citizen portal (public)      ${urls.public}`,
      `  Staff workbench (internal)   ${urls.internal}`,
      `  Data exchange API            ${urls.exchange}/api/v1  (RFC 9421 signed requests)`,
      `  OpenAPI                      <zone url>/openapi.json`,
      `  Request logs                 ZT_LOG_LEVEL=info npm start`,
    ];
    if (demo) {
      const person = demo.citizens[0];
      lines.push(
        '',
        `  Demo logins (password for all: ${DEMO_PASSWORD}):`,
        `    workbench  admin (platform admin), ga.admin, ga.clerk, rs.clerk, rs.data, leader, auditor, security, …`,
        `    portal     ${person?.name} ${person?.identifier}, or the enterprise ${demo.citizens.at(-1)?.identifier}`,
        `    exchange   key id ${demo.exchangeClient?.keyId}`,
        `  All of them, with the exchange client's private key: ${demoCredentialsFile(ctx.config.dataDir)}`,
      );
    }
    return `${lines.join('\n')}\n`;
  });
}
