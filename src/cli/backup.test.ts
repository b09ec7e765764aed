// Backup, wipe, restore and verify the embedded database, as an operator does it from the command line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ENGINE, freshDatabaseUrl } from '../../test/helpers.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/zhengtong.js');
const dataDir = mkdtempSync(path.join(tmpdir(), 'zt-backup-'));
const databaseUrl = await freshDatabaseUrl();
const env = { ...process.env, ZT_DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', ZT_LOG_LEVEL: 'warn' };
const zt = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const file = path.join(dataDir, '..', `${path.basename(dataDir)}.tgz`);

test(`[${ENGINE}] backup, wipe, restore: the data and the ledger come back and verify`, { skip: !!databaseUrl }, () => {
  assert.equal(zt('seed', '--demo').code, 0); // a government's worth of data and ledger entries
  const before = zt('ledger', 'verify');
  assert.equal(before.code, 0, before.out + before.err);
  const entries = /ledger OK: (\d+) entries/.exec(before.out)?.[1];
  assert.ok(entries && Number(entries) > 0);

  const made = zt('backup', file);
  assert.equal(made.code, 0, made.err);
  assert.match(made.out, /backup written: .* MB in [\d.]+ s/);
  assert.match(made.out, /master key is not in it/);

  const refused = zt('restore', file);
  assert.equal(refused.code, 2, 'a database is there: --force is needed');
  assert.match(refused.err, /--force/);

  rmSync(path.join(dataDir, 'pgdata'), { recursive: true, force: true }); // the disk is lost
  const restored = zt('restore', file);
  assert.equal(restored.code, 0, restored.out + restored.err);
  assert.match(restored.out, new RegExp(`restored; ledger OK: ${entries} entries`));
  const after = zt('ledger', 'verify');
  assert.match(after.out, new RegExp(`ledger OK: ${entries} entries`));
  const again = zt('seed', '--demo'); // the demo is there: seeding again changes nothing and succeeds
  assert.equal(again.code, 0, again.err);

  // Restoring over a database keeps the old one aside; a file that is no backup is refused clearly.
  const forced = zt('restore', file, '--force');
  assert.equal(forced.code, 0, forced.err);
  assert.ok(readdirSync(dataDir).some((f) => f.startsWith('pgdata.before-restore-')));
  const junk = path.join(dataDir, 'junk.tgz');
  writeFileSync(junk, 'not a backup');
  rmSync(path.join(dataDir, 'pgdata'), { recursive: true, force: true });
  const bad = zt('restore', junk);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /not a Zhengtong backup/);
  assert.ok(!existsSync(path.join(dataDir, 'pgdata')), 'a failed restore leaves no half database behind');
  assert.equal(zt('restore', path.join(dataDir, 'missing.tgz')).code, 2);
  assert.ok(existsSync(file));
});

test(`[${ENGINE}] on PostgreSQL, backup points to pg_dump`, { skip: !databaseUrl }, () => {
  const r = zt('backup', file);
  assert.equal(r.code, 2);
  assert.match(r.err, /pg_dump/);
});
