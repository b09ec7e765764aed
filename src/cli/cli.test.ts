// The `zhengtong` command as a user runs it: a child process on a fresh data directory (and, on the PostgreSQL
// pass, a fresh database).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ENGINE, freshDatabaseUrl } from '../../test/helpers.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/zhengtong.js');
const dataDir = mkdtempSync(path.join(tmpdir(), 'zt-cli-'));
const databaseUrl = await freshDatabaseUrl();
const env = { ...process.env, ZT_DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', ZT_LOG_LEVEL: 'warn' };

function zt(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('help and usage errors', () => {
  const help = zt('--help');
  assert.equal(help.code, 0);
  for (const cmd of ['serve', 'migrate', 'seed --demo', 'user create', 'client create'])
    assert.ok(help.out.includes(cmd), cmd);
  assert.equal(zt('bogus').code, 2);
  const badZone = zt('serve', '--zone', 'nope');
  assert.equal(badZone.code, 2);
  assert.match(badZone.err, /--zone must be one of public, internal, exchange/);
  const badOption = zt('migrate', '--frobnicate');
  assert.equal(badOption.code, 2);
  const badConfig = spawnSync(process.execPath, [BIN, 'migrate'], {
    env: { ...env, ZT_PUBLIC_PORT: 'x' },
    encoding: 'utf8',
  });
  assert.equal(badConfig.status, 2);
  assert.match(badConfig.stderr, /ZT_PUBLIC_PORT must be a whole number/);
});

test(`[${ENGINE}] migrate, seed, user create, client create`, () => {
  const migrated = zt('migrate');
  assert.equal(migrated.code, 0, migrated.err);
  assert.match(migrated.out, /applied 0001_platform_roles/);
  assert.match(zt('migrate').out, /up to date/);

  const seeded = zt('seed', '--demo');
  assert.equal(seeded.code, 0, seeded.err);
  assert.match(seeded.out, /15 staff/);
  const creds = JSON.parse(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8'));
  assert.ok(creds.exchangeClient.privateKeyPem.includes('PRIVATE KEY'));

  const user = zt(
    'user',
    'create',
    '--username',
    'gongan.new',
    '--name',
    '新警员',
    '--department',
    'TJ-GA',
    '--role',
    'caseworker',
  );
  assert.equal(user.code, 0, user.err);
  assert.match(user.out, /created staff #\d+ gongan\.new in 天津市公安局 with roles \[caseworker\]/);
  assert.match(user.out, /initial password \(shown once\): \S{12,}/);
  const dupe = zt('user', 'create', '--username', 'gongan.new', '--name', '重名', '--department', 'TJ-GA');
  assert.equal(dupe.code, 2);
  assert.match(dupe.err, /taken/);
  assert.equal(zt('user', 'create', '--username', 'x1y', '--name', 'n', '--department', 'NOPE').code, 2);
  assert.equal(
    zt('user', 'create', '--username', 'x1y', '--name', 'n', '--department', 'TJ-GA', '--role', 'king').code,
    2,
  );

  const client = zt('client', 'create', '--department', 'TJ-MZ', '--name', '民政业务系统', '--alg', 'sm2-sm3');
  assert.equal(client.code, 0, client.err);
  assert.equal(JSON.parse(client.out.slice(0, client.out.indexOf('}') + 1)).alg, 'sm2-sm3');
  assert.match(client.out, /Private key \(shown once/);
});

test(`[${ENGINE}] serve --zone exchange runs one listener and stops on SIGTERM`, async () => {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--zone', 'exchange'], {
    env: { ...env, ZT_EXCHANGE_PORT: '0', ZT_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 30_000);
    child.stdout?.on('data', (chunk) => {
      out += String(chunk);
      const match = /zhengtong exchange\s+(http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  assert.ok(!/zhengtong (public|internal)/.test(out), 'only the exchange zone');
  const health = await fetch(`${url}/healthz`);
  assert.deepEqual(await health.json(), { status: 'ok', zone: 'exchange' });
  const unsigned = await fetch(`${url}/api/v1/exchange/whoami`);
  assert.equal(unsigned.status, 401);
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});

test(`[${ENGINE}] ledger checkpoint, prove and verify; verify names a tampered index and exits 1`, async () => {
  const checkpoint = zt('ledger', 'checkpoint');
  assert.equal(checkpoint.code, 0, checkpoint.err);
  assert.match(checkpoint.out, /^zhengtong\.local\/ledger\n\d+\n[A-Za-z0-9+/]+=*\n\n\u2014 zhengtong\.local\/ledger /);
  const proof = zt('ledger', 'prove', '--index', '3');
  assert.equal(proof.code, 0, proof.err);
  assert.equal(JSON.parse(proof.out).verified, true);
  assert.equal(zt('ledger', 'prove', '--index', '99999').code, 2);
  const ok = zt('ledger', 'verify');
  assert.equal(ok.code, 0, ok.out + ok.err);
  assert.match(ok.out, /^ledger OK: \d+ entries and \d+ signed checkpoints verified/);

  const { openDatabase } = await import('../platform/db.ts');
  const { sql } = await import('kysely');
  const db = await openDatabase({ databaseUrl, dataDir });
  await db.owner.transaction((tx) => sql`update ledger_entries set actor = 'staff:999' where idx = 5`.execute(tx));
  await db.close();
  const bad = zt('ledger', 'verify');
  assert.equal(bad.code, 1);
  assert.match(bad.out, /ledger FAILED at index 5: entry 5 was altered/);
});
