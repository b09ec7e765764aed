// A typed client generated from the public OpenAPI document by a tool nobody here wrote (orval, fetch client)
// compiles under our strict compiler settings and talks to a running public listener: what an integrator or
// the portal would do with the document.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { generate } from 'orval';
import { seedDemo } from '../src/demo/demo.ts';
import { ENGINE, startTestPlatform } from './helpers.ts';

const p = await startTestPlatform();
await seedDemo(p.ctx);

test(`[${ENGINE}] a client generated from the public OpenAPI document compiles and works`, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'zt-client-'));
  await p.public.listen({ port: 0, host: '127.0.0.1' });
  const address = p.public.server.address();
  assert.ok(address && typeof address === 'object');
  const base = `http://127.0.0.1:${address.port}`;
  writeFileSync(path.join(dir, 'public.json'), (await p.public.inject({ url: '/openapi.json' })).body);

  await generate({
    input: { target: path.join(dir, 'public.json') },
    output: { target: path.join(dir, 'client.ts'), client: 'fetch', mode: 'single', baseUrl: base },
  });

  // A caller using the generated functions and types the way the portal would.
  writeFileSync(
    path.join(dir, 'use.ts'),
    `import { listServicesItems, getServicesItems, listOrgRegions } from './client.ts';
export async function firstService(): Promise<{ code: string; department: string; regions: number } | null> {
  const list = await listServicesItems();
  if (list.status !== 200) return null;
  const first = list.data[0];
  if (!first) return null;
  const one = await getServicesItems(first.code);
  if (one.status !== 200) return null;
  const regions = await listOrgRegions();
  return { code: one.data.code, department: one.data.department, regions: regions.status === 200 ? regions.data.length : -1 };
}
`,
  );
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        allowImportingTsExtensions: true,
        lib: ['es2022', 'dom'],
        types: [],
        skipLibCheck: true,
      },
      files: ['client.ts', 'use.ts'],
    }),
  );
  const tsc = path.resolve('node_modules/typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
  } catch (e) {
    assert.fail(`the generated client does not compile:\n${(e as { stdout?: string }).stdout ?? e}`);
  }

  const { firstService } = (await import(pathToFileURL(path.join(dir, 'use.ts')).href)) as {
    firstService: () => Promise<{ code: string; department: string; regions: number } | null>;
  };
  const got = await firstService();
  assert.ok(got, 'the generated client reads a published service');
  assert.match(got.code, /\S/);
  assert.ok(got.regions > 0);
});
