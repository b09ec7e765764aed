// Test helpers: a real database per test file (PGlite in-process, or a fresh PostgreSQL database when
// ZT_TEST_DATABASE_URL is set), the three zone apps on it, and factories for departments, staff and clients.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import pg from 'pg';
import { createClient, createStaffUser } from '../src/modules/auth/index.ts';
import { ExchangeWorker } from '../src/modules/exchange/index.ts';
import { Integrator, openLedger } from '../src/modules/ledger/index.ts';
import { createDepartment, type Role, type StaffMember } from '../src/modules/org/index.ts';
import type { Guide } from '../src/modules/services/index.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createSecretBox, generateKeyPair, type KeyPair } from '../src/platform/crypto.ts';
import { type DatabaseHandle, openPglite, openPostgres } from '../src/platform/db.ts';
import type { App } from '../src/platform/http.ts';
import { createLogger } from '../src/platform/log.ts';
import { migrate } from '../src/platform/migrate.ts';
import {
  buildExchangeZone,
  buildInternalZone,
  buildPublicZone,
  exchangeWorkerDeps,
  nodeSigner,
  type PlatformContext,
} from '../src/zones/zones.ts';

export const PG_URL = process.env.ZT_TEST_DATABASE_URL;
export const ENGINE = PG_URL ? 'postgres' : 'pglite';

const uid = () => randomBytes(4).toString('hex');

async function createPgDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `zt_test_${process.pid}_${uid()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

// Roles are cluster-wide; serialise the first migration of concurrently created test databases on one lock.
async function withClusterLock<T>(adminUrl: string, fn: () => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query('select pg_advisory_lock(4242)');
    return await fn();
  } finally {
    await c.query('select pg_advisory_unlock(4242)').catch(() => {});
    await c.end();
  }
}

/** For tests that run the CLI as a child process: a fresh empty PostgreSQL database (dropped afterwards), or
 * undefined on the PGlite pass. */
export async function freshDatabaseUrl(): Promise<string | undefined> {
  if (!PG_URL) return undefined;
  const created = await createPgDatabase(PG_URL);
  after(() => created.drop());
  return created.url;
}

/** A migrated database of the engine under test, closed (and dropped) after the file's tests. */
export async function startTestDb(): Promise<DatabaseHandle> {
  if (PG_URL) {
    const created = await createPgDatabase(PG_URL);
    const db = await openPostgres(created.url, 5);
    await withClusterLock(PG_URL, () => migrate(db));
    after(async () => {
      await db.close();
      await created.drop();
    });
    return db;
  }
  const db = await openPglite(undefined);
  await migrate(db);
  after(() => db.close());
  return db;
}

export interface TestPlatform {
  readonly ctx: PlatformContext;
  /** The ledger's integrator, not running on a timer: call `drain()` to integrate what is queued. */
  readonly integrator: Integrator;
  /** The exchange worker, not running on a timer: call `step()` to dispatch and deliver. */
  readonly worker: ExchangeWorker;
  readonly public: App;
  readonly internal: App;
  readonly exchange: App;
  /** The owner's view of the database, for assertions that bypass the zone roles. */
  readonly db: DatabaseHandle;
}

/** For tests that start real listeners (`startZones`): any free port, on loopback. */
export const LISTEN_ANY_PORT = {
  ZT_PUBLIC_PORT: '0',
  ZT_INTERNAL_PORT: '0',
  ZT_EXCHANGE_PORT: '0',
  ZT_HOST: '127.0.0.1',
} as const;

/** The three zone apps on a fresh database, ready for `app.inject`. */
export async function startTestPlatform(
  options: { web?: boolean; env?: Record<string, string> } = {},
): Promise<TestPlatform> {
  const database = await startTestDb();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'zt-test-'));
  // Tests log in and send refused exchange calls far more often than anyone would; the throttle tests set their own.
  const config = loadConfig(
    {
      ZT_DATA_DIR: dataDir,
      ZT_LOG_LEVEL: 'silent',
      ZT_LOGIN_RATE: '10000',
      ZT_EXCHANGE_REFUSALS: '100000',
      ...options.env,
    },
    dataDir,
  );
  const secrets = createSecretBox(randomBytes(32));
  const log = createLogger(process.env.ZT_TEST_LOG ?? 'silent');
  const clock = () => new Date();
  const ledger = await openLedger(database.owner, {
    origin: config.ledgerOrigin,
    profile: config.cryptoProfile,
    secrets,
    clock,
  });
  const ctx: PlatformContext = {
    config,
    database,
    log,
    secrets,
    clock,
    version: 'test',
    web: options.web ?? false,
    ledger,
  };
  const integrator = new Integrator({ database, node: ledger, log });
  const apps = {
    public: await buildPublicZone(ctx),
    internal: await buildInternalZone(ctx),
    exchange: await buildExchangeZone(ctx),
  };
  after(async () => {
    await Promise.all(Object.values(apps).map((a) => a.close()));
  });
  after(() => integrator.stop());
  const worker = new ExchangeWorker({
    database,
    exchange: exchangeWorkerDeps(ctx),
    internalLedger: ledger.forZone('internal'),
    signer: await nodeSigner(ctx),
    log,
    webhookTimeoutMs: 2_000,
  });
  after(() => worker.stop());
  return { ctx, db: database, integrator, worker, ...apps };
}

// ---- factories ----

/** Service dependencies acting as the system (as the CLI and the demo seed do). */
export function systemDeps(p: TestPlatform) {
  return { db: p.db.owner, ledger: p.ctx.ledger.forZone('system'), secrets: p.ctx.secrets, clock: p.ctx.clock };
}

export async function buildDepartment(p: TestPlatform, overrides: { regionCode?: string } = {}) {
  const db = p.db.owner;
  const ledger = p.ctx.ledger.forZone('system');
  const regionCode = overrides.regionCode ?? '120000';
  await db.transaction(async (tx) => {
    await tx
      .insertInto('regions')
      .values([
        { code: '100000', name: '中华人民共和国', level: 'national', parent_code: null },
        { code: '120000', name: '天津市', level: 'province', parent_code: '100000' },
        { code: '120101', name: '和平区', level: 'county', parent_code: '120000' },
      ])
      .onConflict((oc) => oc.doNothing())
      .execute();
  });
  const code = `D-${uid()}`;
  return createDepartment({ db, ledger, clock: p.ctx.clock }, 'system', { code, name: `测试部门${code}`, regionCode });
}

export const TEST_PASSWORD = 'correct-horse-9';

export async function buildStaff(
  p: TestPlatform,
  options: { departmentId?: number; roles?: Role[] } = {},
): Promise<StaffMember & { password: string }> {
  const departmentId = options.departmentId ?? (await buildDepartment(p)).id;
  const member = await createStaffUser(systemDeps(p), 'system', {
    username: `u${uid()}`,
    displayName: '测试员',
    departmentId,
    roles: options.roles ?? [],
    password: TEST_PASSWORD,
  });
  return { ...member, password: TEST_PASSWORD };
}

export interface Login {
  readonly cookie: string;
  readonly csrf: string;
  /** Headers for a state-changing request in this session. */
  readonly headers: Record<string, string>;
}

function sessionFrom(res: { headers: Record<string, unknown>; json: () => unknown }, name: string): Login {
  const setCookie = res.headers['set-cookie'];
  const raw = (Array.isArray(setCookie) ? setCookie : [setCookie]).find((c) => String(c).startsWith(`${name}=`));
  if (!raw) throw new Error(`no ${name} cookie in ${JSON.stringify(res.json())}`);
  const cookie = String(raw).split(';')[0] ?? '';
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}

export async function loginStaff(p: TestPlatform, username: string, password = TEST_PASSWORD): Promise<Login> {
  const res = await p.internal.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  return sessionFrom(res, 'zt_staff');
}

/** A staff member with the given roles in a new department, logged in. */
export async function staffSession(p: TestPlatform, roles: Role[], departmentId?: number) {
  const member = await buildStaff(p, { roles, ...(departmentId ? { departmentId } : {}) });
  return { member, login: await loginStaff(p, member.username) };
}

export function accountSession(res: { headers: Record<string, unknown>; json: () => unknown }): Login {
  return sessionFrom(res, 'zt_account');
}

export async function buildClient(
  p: TestPlatform,
  alg: 'ed25519' | 'sm2-sm3' = 'ed25519',
  departmentId?: number,
): Promise<{ keyId: string; keys: KeyPair; id: number; departmentId: number }> {
  const dept = departmentId ? { id: departmentId } : await buildDepartment(p);
  const keys = generateKeyPair(alg);
  const created = await createClient({ ...systemDeps(p), defaultAlg: alg }, 'system', {
    departmentId: dept.id,
    name: 'test client',
    alg,
    publicKey: keys.publicKey,
  });
  return { keyId: created.client.keyId, keys, id: created.client.id, departmentId: dept.id };
}

/** Row count of a table, read as the owner. */
export async function countRows(
  p: TestPlatform,
  table:
    | 'staff'
    | 'departments'
    | 'accounts'
    | 'account_sessions'
    | 'staff_sessions'
    | 'request_nonces'
    | 'api_clients'
    | 'staff_roles'
    | 'regions',
): Promise<number> {
  return p.db.owner.transaction(async (tx) => {
    const row = await tx
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  });
}

/** Catalog metadata for a 户籍人口-like register; override what a test is about. */
export function registerInput(departmentId: number, overrides: Record<string, unknown> = {}) {
  return {
    departmentId,
    name: '户籍人口基本信息',
    attribute: 'basic',
    baseLibrary: 'population',
    classification: { item: '01', subitem: '001' },
    abstract: '本市户籍人口的基本信息',
    format: 'database',
    secrecy: 'non_classified',
    sharing: { type: 'conditional', conditions: '用于政务服务事项办理', method: 'api', basis: '《居民身份证法》' },
    open: { type: 'closed' },
    updateCycle: 'realtime',
    publishedOn: '2026-01-01',
    visibility: 'public',
    fields: [
      {
        code: 'resident_id',
        name: '公民身份号码',
        type: 'string',
        required: true,
        unique: true,
        grade: 'important',
        piiType: 'resident_id',
      },
      { code: 'name', name: '姓名', type: 'string', required: true, grade: 'important', piiType: 'name' },
      { code: 'gender', name: '性别', type: 'enum', enumValues: ['男', '女'], grade: 'general', piiType: 'none' },
      { code: 'birth_date', name: '出生日期', type: 'date', grade: 'general', piiType: 'birth_date' },
      { code: 'household_size', name: '户内人数', type: 'integer', min: 1, max: 50, grade: 'general', piiType: 'none' },
    ],
    ...overrides,
  };
}

/** A ledger entry by its receipt id, queued or integrated, read as the owner. */
export async function ledgerEntry(p: TestPlatform, receiptId: string) {
  return p.db.owner.transaction(async (tx) => {
    const cols = ['entry_type', 'actor', 'subject', 'payload'] as const;
    const row =
      (await tx.selectFrom('ledger_queue').select(cols).where('receipt_id', '=', receiptId).executeTakeFirst()) ??
      (await tx.selectFrom('ledger_entries').select(cols).where('receipt_id', '=', receiptId).executeTakeFirst());
    if (!row) return undefined;
    return { type: row.entry_type, actor: row.actor, subject: row.subject, payload: JSON.parse(row.payload) };
  });
}

/** A service item's guide with every required field; override what a test is about. */
export function guideInput(overrides: Partial<Guide> = {}): Guide {
  return {
    name: '社会保障卡申领',
    type: 'public_service',
    competentDepartment: '天津市人力资源和社会保障局',
    basis: '《中华人民共和国社会保险法》',
    audience: 'person',
    conditions: '本市参保人员',
    materials: [],
    process: ['网上申请', '受理', '审查', '决定', '办结'],
    fee: { free: true },
    statutoryDays: 20,
    promisedDays: 10,
    onlineDepth: 'fully_online',
    place: '市政务服务中心',
    phone: '022-12345',
    supervisionPhone: '022-88908890',
    keywords: [],
    ...overrides,
  };
}

/**
 * Waits until `check` holds, polling, with a generous timeout (a slow CI machine is not a failure; a condition that
 * never holds is). Answers how long it took, for tests that report it; speed itself is measured in bench/.
 */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Entries waiting in the ledger queue (read as the owner): a refused request must not add one. */
export async function queuedEntries(p: TestPlatform): Promise<number> {
  return p.db.owner.transaction(async (tx) =>
    Number(
      (
        await tx
          .selectFrom('ledger_queue')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst()
      )?.n,
    ),
  );
}
