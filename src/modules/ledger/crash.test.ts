// Crash test: append under load through a real server process, kill it hard (SIGKILL) mid-stream, restart it, and
// check that the log verifies and holds every committed action exactly once.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ENGINE, freshDatabaseUrl, waitFor } from '../../../test/helpers.ts';
import { openDatabase } from '../../platform/db.ts';

const BIN = path.resolve(import.meta.dirname, '../../../bin/zhengtong.js');
const dataDir = mkdtempSync(path.join(tmpdir(), 'zt-crash-'));
const databaseUrl = await freshDatabaseUrl();
const env = {
  ...process.env,
  ZT_DATA_DIR: dataDir,
  DATABASE_URL: databaseUrl ?? '',
  ZT_LOG_LEVEL: 'warn',
  ZT_LOGIN_RATE: '100000',
  ZT_HOST: '127.0.0.1',
  ZT_INTERNAL_PORT: '0',
  ZT_PUBLIC_PORT: '0',
  ZT_EXCHANGE_PORT: '0',
};

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--zone', 'internal'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    child.stdout?.on('data', (chunk) => {
      out += String(chunk);
      const match = /zhengtong internal\s+(http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', () => resolve())));

test(`[${ENGINE}] SIGKILL while appending: after restart the log verifies and holds each committed action once`, async () => {
  const seeded = spawnSync(process.execPath, [BIN, 'seed', '--demo'], { env, encoding: 'utf8' });
  assert.equal(seeded.status, 0, seeded.stderr);

  const { child, url } = await startServer();
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'zhengtong-demo' }),
  });
  const cookie = String(login.headers.get('set-cookie')).split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const acknowledged: string[] = [];
  let n = 0;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const code = `CRASH-${n++}`;
      try {
        const res = await fetch(`${url}/api/v1/org/departments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
          body: JSON.stringify({ code, name: `压力测试部门${code}`, regionCode: '120000' }),
        });
        if (res.status === 201) acknowledged.push(code);
      } catch {
        return; // the server died
      }
    }
  };
  const workers = Array.from({ length: 8 }, worker);
  await new Promise((r) => setTimeout(r, 1500));
  child.kill('SIGKILL');
  await exited(child);
  stop = true;
  await Promise.all(workers);
  assert.ok(acknowledged.length > 20, `load ran (${acknowledged.length} acknowledged)`);

  // Restart: the new integrator picks up whatever was queued when the old process died.
  const again = await startServer();
  const db0 = await openDatabase({ databaseUrl, dataDir });
  try {
    await waitFor('the restarted integrator to empty the queue', async () => {
      const n = await db0.owner.transaction(
        async (tx) =>
          (
            await tx
              .selectFrom('ledger_queue')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirst()
          )?.n,
      );
      return Number(n) === 0;
    });
  } finally {
    await db0.close();
  }
  again.child.kill('SIGTERM');
  await exited(again.child);

  const verify = spawnSync(process.execPath, [BIN, 'ledger', 'verify'], { env, encoding: 'utf8' });
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /ledger OK: \d+ entries .* 0 waiting/);

  const db = await openDatabase({ databaseUrl, dataDir });
  try {
    const { departments, entries } = await db.owner.transaction(async (tx) => ({
      departments: await tx.selectFrom('departments').select(['id', 'code']).where('code', 'like', 'CRASH-%').execute(),
      entries: await tx
        .selectFrom('ledger_entries')
        .select('subject')
        .where('entry_type', '=', 'org.department.created')
        .execute(),
    }));
    const committed = new Set(departments.map((d) => d.code));
    for (const code of acknowledged) assert.ok(committed.has(code), `acknowledged ${code} was committed`);
    const subjects = entries.map((e) => e.subject);
    for (const d of departments) {
      assert.equal(
        subjects.filter((s) => s === `department:${d.id}`).length,
        1,
        `department ${d.code} is in the log exactly once`,
      );
    }
  } finally {
    await db.close();
  }
});
