// Applications at scale (run with DATABASE_URL for PostgreSQL): how many applications a second the platform takes
// (draft → save → submit, each step its own transaction, the submission ledgered), and how fast a department's
// inbox answers when the table holds 1,000,000 applications.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import { registerAccount } from '../src/modules/auth/index.ts';
import { ValveCache } from '../src/modules/exchange/index.ts';
import { Integrator, openLedger } from '../src/modules/ledger/index.ts';
import { createDepartment, upsertRegions } from '../src/modules/org/index.ts';
import { residentIdCheckChar } from '../src/modules/privacy/index.ts';
import {
  type ApplicationsDeps,
  createDraft,
  createItem,
  defineSubplatform,
  inbox,
  publishItem,
  saveDraft,
  submit,
} from '../src/modules/services/index.ts';
import { createSecretBox } from '../src/platform/crypto.ts';
import { Generation } from '../src/platform/generation.ts';
import { createLogger } from '../src/platform/log.ts';
import { createWorkCalendar } from '../src/platform/workdays.ts';
import { openBenchDatabase } from './support.ts';

const TOTAL = Number(process.env.BENCH_APPLICATIONS ?? 1_000_000);
const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const pct = (s: number[], p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
);
const { database, drop } = await openBenchDatabase(20);
const secrets = createSecretBox(randomBytes(32));
const node = await openLedger(database.owner, {
  origin: 'bench.zhengtong.local/ledger',
  profile: 'sha256-ed25519',
  secrets,
});
const system = { db: database.owner, ledger: node.forZone('system'), secrets, clock: () => new Date() };
await database.owner.transaction((tx) =>
  upsertRegions(tx, [
    { code: '100000', name: '中华人民共和国', level: 'national', parent_code: null },
    { code: '120000', name: '天津市', level: 'province', parent_code: '100000' },
  ]),
);
const departments = [];
for (let i = 0; i < 20; i++) {
  departments.push(
    await createDepartment(system, 'system', { code: `B-${i}`, name: `部门${i}`, regionCode: '120000' }),
  );
}
const dept = departments[0];
if (!dept) throw new Error('no department');
await defineSubplatform(system, 'system', {
  code: 'social_security',
  name: '社保服务',
  audience: 'person',
  description: '',
  sort: 0,
});
const item = await createItem(system, 'system', {
  code: '120000-RS-0001',
  subplatform: 'social_security',
  departmentId: dept.id,
  guide: {
    name: '社会保障卡申领',
    type: 'public_service',
    competentDepartment: '人社局',
    basis: '《社会保险法》',
    audience: 'person',
    conditions: '参保人员',
    materials: [],
    process: ['受理', '审查', '决定', '办结'],
    fee: { free: true },
    statutoryDays: 20,
    promisedDays: 10,
    onlineDepth: 'fully_online',
    place: '政务服务中心',
    phone: '022-12345',
    supervisionPhone: '022-88908890',
    keywords: [],
  },
});
await publishItem(system, 'system', item.code);

// Applicants: real accounts (registration hashes a password with scrypt, so a few hundred are enough to cycle).
const accounts: Array<Awaited<ReturnType<typeof registerAccount>>['actor']> = [];
for (let i = 0; i < 200; i++) {
  const first17 = `120101${1960 + (i % 40)}0101${String(i).padStart(3, '0')}`;
  const session = await registerAccount(system, {
    kind: 'person',
    name: `申请人${i}`,
    residentId: first17 + residentIdCheckChar(first17),
    password: 'bench-password-1',
  });
  accounts.push(session.actor);
}

const deps: ApplicationsDeps = {
  db: database.forZone('public'),
  ledger: node.forZone('public'),
  clock: () => new Date(),
  calendar: createWorkCalendar(),
  secrets,
  uploadLimitBytes: 5 * 1024 * 1024,
  uploadTypes: ['application/pdf', 'image/png', 'image/jpeg'],
  valves: new ValveCache(new Generation()),
};
const integrator = new Integrator({ database, node, log: createLogger('silent') });
integrator.start();

console.log(
  `\n-- submissions: draft → autosave → submit, ${SUBMISSIONS} applications, ${CONCURRENCY} at a time (${database.engine}) --`,
);
{
  let next = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < SUBMISSIONS) {
        const i = next++;
        const who = accounts[i % accounts.length];
        if (!who) break;
        const start = performance.now();
        const draft = await createDraft(deps, who, {
          item: item.code,
          idempotencyKey: `bench-${i}-${randomBytes(4).toString('hex')}`,
        });
        await saveDraft(deps, who, draft.id, { expectedVersion: draft.version, formData: { phone: '13812345678' } });
        await submit(deps, who, draft.id);
        latencies.push(performance.now() - start);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `${(SUBMISSIONS / seconds).toFixed(0)} applications/s   p50 ${pct(latencies, 50).toFixed(1)} ms   p99 ${pct(latencies, 99).toFixed(1)} ms   (target ≥ 500/s)`,
  );
}

console.log(`\n-- the inbox with ${TOTAL.toLocaleString('en')} applications --`);
{
  const t0 = performance.now();
  const accountIds = accounts.map((a) => a.accountId);
  await sql`select setseed(0.42)`.execute(database.kysely);
  for (let done = 0; done < TOTAL; done += 100_000) {
    const n = Math.min(100_000, TOTAL - done);
    await sql`
      insert into applications (number, item_id, item_version, account_id, applicant, department_id, status, step,
                                form_data, materials, idempotency_key, submitted_at, due_at, warn_at)
      select lpad((${done} + g)::text, 22, '0'), (select id from service_items limit 1), 2,
             (${accountIds}::bigint[])[1 + g % ${accountIds.length}],
             '{"kind":"person","name":"申请人","identifierMasked":"120101********0000","identifierSealed":""}'::jsonb,
             (${departments.map((d) => d.id)}::bigint[])[1 + (g / 3) % 20],
             (array['concluded','concluded','concluded','concluded','concluded','concluded','in_progress','in_progress','submitted','correction'])[1 + floor(random() * 10)::int],
             (array['accept','review','decide','conclude'])[1 + floor(random() * 4)::int],
             '{}'::jsonb, '[]'::jsonb, 'bulk-' || (${done} + g),
             now() - (g % 90) * interval '1 day', now() + ((g % 30) - 10) * interval '1 day', now() + ((g % 30) - 12) * interval '1 day'
      from generate_series(1, ${n}) as g`.execute(database.kysely);
  }
  await sql`analyze applications`.execute(database.kysely);
  console.log(`loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const caseworker = {
    kind: 'staff' as const,
    staffId: 1,
    username: 'bench',
    departmentId: dept.id,
    roles: [{ role: 'caseworker' as const, departmentId: departments[3]?.id ?? dept.id }],
  };
  const internal: ApplicationsDeps = { ...deps, db: database.forZone('internal') };
  const mix = await sql<{ status: string; n: number }>`
    select status, count(*)::int as n from applications where department_id = ${caseworker.roles[0]?.departmentId}
    group by status order by status`.execute(database.kysely);
  console.log(`the department's applications: ${mix.rows.map((r) => `${r.status} ${r.n}`).join(', ')}`);
  for (let i = 0; i < 50; i++) await inbox(internal, caseworker, {}); // warm
  const latencies: number[] = [];
  let rows = 0;
  for (let i = 0; i < 1000; i++) {
    const start = performance.now();
    const page = await inbox(internal, caseworker, i % 2 ? { step: 'review' } : {});
    latencies.push(performance.now() - start);
    rows = page.length;
  }
  latencies.sort((a, b) => a - b);
  console.log(
    `inbox (one department, soonest due first, 100 rows; ${rows} on the last page): p50 ${pct(latencies, 50).toFixed(2)} ms   p99 ${pct(latencies, 99).toFixed(2)} ms   (target p99 ≤ 50 ms)`,
  );
}

await integrator.stop();
await database.close();
await drop();
