// `npm test`: the whole suite on PGlite, then again on PostgreSQL when ZT_TEST_DATABASE_URL is set (CI sets it),
// then the browser tests in Chromium. ZT_REQUIRE_BROWSER=1 (CI) makes a missing Chromium an error, not a skip.
import { spawnSync } from 'node:child_process';
import { existsSync, globSync } from 'node:fs';

const unit = [...globSync('src/**/*.test.ts'), ...globSync('test/**/*.test.ts', { exclude: ['test/e2e/**'] })].sort();
const e2e = globSync('test/e2e/*.test.ts').sort();
const extra = process.argv.slice(2);

function run(label: string, files: string[], env: NodeJS.ProcessEnv): void {
  console.log(`\n=== ${label}: ${files.length} test files ===`);
  const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...extra, ...files], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    console.error(`\n${label} failed`);
    process.exit(result.status ?? 1);
  }
}

const pgUrl = process.env.ZT_TEST_DATABASE_URL;
run('PGlite', unit, { ZT_TEST_DATABASE_URL: '' });
if (pgUrl) run('PostgreSQL', unit, { ZT_TEST_DATABASE_URL: pgUrl });
else console.log('\n(ZT_TEST_DATABASE_URL not set: the PostgreSQL pass is skipped; CI runs it)');

const chromium = process.env.ZT_CHROMIUM ?? '/usr/bin/chromium';
if (existsSync(chromium)) {
  if (!existsSync('dist/web/.vite/manifest.json')) {
    const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  run('Browser (Chromium)', e2e, { ZT_TEST_DATABASE_URL: '', ZT_CHROMIUM: chromium });
} else if (process.env.ZT_REQUIRE_BROWSER === '1') {
  console.error(`Chromium not found at ${chromium}; install it: apt-get install -y chromium fonts-noto-cjk`);
  process.exit(1);
} else {
  console.log(`\n(Chromium not found at ${chromium}: browser tests skipped)`);
}
