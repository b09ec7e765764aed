// The demo government (shared/domain/DEMO.md): 天津市 with 和平区 and 滨海新区, its departments, staff of every
// role, citizen and enterprise accounts, and one exchange client. Seeding is idempotent.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createClient, createStaffUser, registerAccount } from '../modules/auth/index.ts';
import { ValveCache } from '../modules/exchange/index.ts';
import {
  createDepartment,
  findDepartmentByCode,
  findStaffByUsername,
  loadDivisions,
  type Role,
  upsertRegions,
} from '../modules/org/index.ts';
import { creditCodeCheckChar, residentIdCheckChar } from '../modules/privacy/index.ts';
import { createRecord, createRegister, listCatalog } from '../modules/registry/index.ts';
import { AppError } from '../platform/errors.ts';
import { Generation } from '../platform/generation.ts';
import { calendarOf, type PlatformContext } from '../zones/zones.ts';
import { seedApplications } from './applications.ts';
import { seedOpenData } from './opendata.ts';
import { seedOpenFiles } from './opendata-files.ts';
import { DEMO_REGISTERS } from './registers.ts';
import { seedServices } from './services.ts';
import { type DemoGrant, seedSharing } from './sharing.ts';

export const DEMO_PASSWORD = 'zhengtong-demo';
const CITY = '120000';
const DISTRICTS = { HP: { code: '120101', name: '和平区' }, BH: { code: '120116', name: '滨海新区' } } as const;

const CITY_DEPARTMENTS: ReadonlyArray<{ code: string; name: string; shortName: string }> = [
  { code: 'ZWFW', name: '天津市政务服务办公室', shortName: '市政务服务办' },
  { code: 'GA', name: '天津市公安局', shortName: '市公安局' },
  { code: 'RS', name: '天津市人力资源和社会保障局', shortName: '市人社局' },
  { code: 'YB', name: '天津市医疗保障局', shortName: '市医保局' },
  { code: 'SCJG', name: '天津市市场监督管理委员会', shortName: '市市场监管委' },
  { code: 'GJJ', name: '天津市住房公积金管理中心', shortName: '市公积金中心' },
  { code: 'GHZY', name: '天津市规划和自然资源局', shortName: '市规划资源局' },
  { code: 'MZ', name: '天津市民政局', shortName: '市民政局' },
  { code: 'WJ', name: '天津市卫生健康委员会', shortName: '市卫健委' },
  { code: 'JW', name: '天津市教育委员会', shortName: '市教委' },
];
// Districts have branches of the first five city departments.
const DISTRICT_BRANCHES: ReadonlyArray<{ code: string; suffix: string; short: string }> = [
  { code: 'ZWFW', suffix: '政务服务办公室', short: '政务服务办' },
  { code: 'GA', suffix: '公安分局', short: '公安分局' },
  { code: 'RS', suffix: '人力资源和社会保障局', short: '人社局' },
  { code: 'YB', suffix: '医疗保障局', short: '医保局' },
  { code: 'SCJG', suffix: '市场监督管理局', short: '市场监管局' },
];

const STAFF: ReadonlyArray<{ username: string; name: string; department: string; roles: Role[] }> = [
  { username: 'admin', name: '周平台', department: 'TJ-ZWFW', roles: ['platform_admin'] },
  { username: 'leader', name: '郑局长', department: 'TJ-ZWFW', roles: ['leader'] },
  { username: 'auditor', name: '孙审计', department: 'TJ-ZWFW', roles: ['auditor'] },
  { username: 'security', name: '吴安全', department: 'TJ-ZWFW', roles: ['security_officer'] },
  { username: 'ga.admin', name: '王管理', department: 'TJ-GA', roles: ['department_admin'] },
  { username: 'ga.clerk', name: '李经办', department: 'TJ-GA', roles: ['caseworker'] },
  { username: 'rs.admin', name: '赵管理', department: 'TJ-RS', roles: ['department_admin'] },
  { username: 'rs.clerk', name: '钱经办', department: 'TJ-RS', roles: ['caseworker'] },
  { username: 'rs.data', name: '陈数据', department: 'TJ-RS', roles: ['data_officer'] },
  { username: 'rs.leader', name: '韩科长', department: 'TJ-RS', roles: ['leader'] },
  { username: 'ga.leader', name: '杨科长', department: 'TJ-GA', roles: ['leader'] },
  { username: 'scjg.data', name: '冯数据', department: 'TJ-SCJG', roles: ['data_officer'] },
  { username: 'hp.clerk', name: '刘窗口', department: 'HP-ZWFW', roles: ['caseworker'] },
  { username: 'bh.clerk', name: '何窗口', department: 'BH-ZWFW', roles: ['caseworker'] },
  { username: 'bh.leader', name: '许区长', department: 'BH-ZWFW', roles: ['leader', 'department_admin'] },
];

const residentId = (first17: string) => first17 + residentIdCheckChar(first17);
const creditCode = (first17: string) => first17 + creditCodeCheckChar(first17);

const PEOPLE = [
  { name: '张伟', gender: '男', residentId: residentId('12010119900307123'), address: '天津市和平区南京路88号' },
  { name: '李娜', gender: '女', residentId: residentId('12011619851123002'), address: '天津市滨海新区第三大街16号' },
  { name: '王秀英', gender: '女', residentId: residentId('12010119520315004'), address: '天津市和平区卫津路21号' },
];
const ENTERPRISES = [{ name: '天津滨海示范科技有限公司', creditCode: creditCode('91120116MA05T8QW3') }];

export interface DemoCredentials {
  readonly note: string;
  readonly staff: ReadonlyArray<{ username: string; password: string; roles: string[]; department: string }>;
  readonly citizens: ReadonlyArray<{ kind: string; name: string; identifier: string; password: string }>;
  readonly exchangeClient?:
    | {
        keyId: string;
        alg: string;
        department: string;
        privateKeyPem: string;
        /** What the client may read: try `GET /api/v1/exchange/registers/{register}/records?purpose=…`. */
        grants?: readonly DemoGrant[];
      }
    | undefined;
}

export function demoCredentialsFile(dataDir: string): string {
  return path.join(dataDir, 'demo-credentials.json');
}

function readExisting(file: string): DemoCredentials | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials;
  } catch {
    return undefined;
  }
}

/** Loads the demo government; returns the logins and writes them to $ZT_DATA_DIR/demo-credentials.json. */
export async function seedDemo(ctx: PlatformContext): Promise<DemoCredentials> {
  const db = ctx.database.owner;
  const ledger = ctx.ledger.forZone('system');
  const deps = { db, ledger, secrets: ctx.secrets, clock: ctx.clock };

  // The node loads the divisions down to counties at its first start; the demo adds the townships of two districts.
  const hasRegions = await db.transaction(
    async (tx) =>
      !!(await tx.selectFrom('regions').select('code').where('parent_code', '=', DISTRICTS.BH.code).executeTakeFirst()),
  );
  if (!hasRegions) {
    const rows = loadDivisions([DISTRICTS.HP.code, DISTRICTS.BH.code]);
    await db.transaction((tx) => upsertRegions(tx, rows));
  }

  const departments = [
    ...CITY_DEPARTMENTS.map((d) => ({
      code: `TJ-${d.code}`,
      name: d.name,
      shortName: d.shortName,
      regionCode: CITY,
      parent: undefined,
    })),
    ...Object.entries(DISTRICTS).flatMap(([prefix, district]) =>
      DISTRICT_BRANCHES.map((b) => ({
        code: `${prefix}-${b.code}`,
        name: `天津市${district.name}${b.suffix}`,
        shortName: `${district.name}${b.short}`,
        regionCode: district.code,
        parent: `TJ-${b.code}`,
      })),
    ),
  ];
  const ids = new Map<string, number>();
  for (const d of departments) {
    const existing = await db.transaction((tx) => findDepartmentByCode(tx, d.code));
    if (existing) {
      ids.set(d.code, existing.id);
      continue;
    }
    const parentId = d.parent ? ids.get(d.parent) : undefined;
    const created = await createDepartment({ db, ledger, clock: ctx.clock }, 'system', {
      code: d.code,
      name: d.name,
      shortName: d.shortName,
      regionCode: d.regionCode,
      ...(parentId ? { parentId } : {}),
    });
    ids.set(d.code, created.id);
  }
  const idOf = (code: string) => {
    const id = ids.get(code);
    if (id === undefined) throw new Error(`demo department ${code} missing`);
    return id;
  };

  for (const s of STAFF) {
    if (await db.transaction((tx) => findStaffByUsername(tx, s.username))) continue;
    await createStaffUser(deps, 'system', {
      username: s.username,
      displayName: s.name,
      departmentId: idOf(s.department),
      roles: s.roles,
      password: DEMO_PASSWORD,
    });
  }

  for (const p of PEOPLE)
    await registerIfNew(deps, { kind: 'person', name: p.name, residentId: p.residentId, password: DEMO_PASSWORD });
  for (const e of ENTERPRISES)
    await registerIfNew(deps, { kind: 'enterprise', name: e.name, creditCode: e.creditCode, password: DEMO_PASSWORD });

  await seedRegisters({ db, ledger, clock: ctx.clock }, idOf);
  await seedDemoPeopleRecords({ db, ledger, clock: ctx.clock });
  const datasetExists = async (name: string) =>
    db.transaction(async (tx) =>
      Boolean(await tx.selectFrom('opendata_datasets').select('id').where('name', '=', name).executeTakeFirst()),
    );
  await seedOpenData({ db, ledger, clock: ctx.clock }, idOf, datasetExists);
  await seedOpenFiles({ db, ledger, clock: ctx.clock }, idOf, datasetExists);
  await seedServices(
    { db, ledger, clock: ctx.clock },
    idOf,
    (code) => CITY_DEPARTMENTS.find((d) => `TJ-${d.code}` === code)?.name ?? code,
  );
  // The demo's grants first: applications check held materials in other departments' registers through them.
  const grants = await seedSharing(
    {
      db: ctx.database.forZone('internal'),
      ledger: ctx.ledger.forZone('system'),
      clock: ctx.clock,
      calendar: calendarOf(ctx.config),
      shareRequestDays: ctx.config.shareRequestDays,
      exchangeRatePerMinute: ctx.config.exchangeRatePerMinute,
      exchangeDailyLimit: ctx.config.exchangeDailyLimit,
    },
    db,
  );
  const codeOf = new Map([...ids.entries()].map(([code, id]) => [id, code]));
  await seedApplications(
    {
      db,
      ledger,
      clock: ctx.clock,
      calendar: calendarOf(ctx.config),
      secrets: ctx.secrets,
      uploadLimitBytes: ctx.config.uploadLimitBytes,
      uploadTypes: ctx.config.uploadTypes,
      valves: new ValveCache(new Generation()),
    },
    deps,
    db,
    (id) => codeOf.get(id),
  );

  const file = demoCredentialsFile(ctx.config.dataDir);
  const previous = readExisting(file)?.exchangeClient;
  let exchangeClient = previous;
  const stillRegistered =
    previous &&
    (await db.transaction(async (tx) =>
      tx
        .selectFrom('api_clients')
        .select('id')
        .where('key_id', '=', previous.keyId)
        .where('status', '=', 'active')
        .executeTakeFirst(),
    ));
  if (!stillRegistered) {
    const alg = ctx.config.cryptoProfile === 'sm3-sm2' ? ('sm2-sm3' as const) : ('ed25519' as const);
    const created = await createClient({ ...deps, defaultAlg: alg }, 'system', {
      departmentId: idOf('TJ-RS'),
      name: '市人社局社保业务系统 (demo)',
      alg,
    });
    exchangeClient = { keyId: created.client.keyId, alg, department: 'TJ-RS', privateKeyPem: created.privateKey ?? '' };
  }

  if (exchangeClient) exchangeClient = { ...exchangeClient, grants };

  const credentials: DemoCredentials = {
    note: 'Demo logins for a local trial. Never run a production node with ZT_DEMO=true.',
    staff: STAFF.map((s) => ({
      username: s.username,
      password: DEMO_PASSWORD,
      roles: s.roles,
      department: s.department,
    })),
    citizens: [
      ...PEOPLE.map((p) => ({ kind: 'person', name: p.name, identifier: p.residentId, password: DEMO_PASSWORD })),
      ...ENTERPRISES.map((e) => ({
        kind: 'enterprise',
        name: e.name,
        identifier: e.creditCode,
        password: DEMO_PASSWORD,
      })),
    ],
    exchangeClient,
  };
  mkdirSync(ctx.config.dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return credentials;
}

/** The demo's citizens are registered residents and insured: their held data exists ("collect once"). */
async function seedDemoPeopleRecords(deps: Parameters<typeof createRecord>[0]): Promise<void> {
  const catalog = await listCatalog(deps, {}, { publicOnly: false });
  const code = (name: string) => catalog.find((r) => (r.metadata as { name: string }).name === name)?.code;
  const population = code('户籍人口基本信息');
  const insurance = code('社会保险参保信息');
  for (const p of PEOPLE) {
    const birth = `${p.residentId.slice(6, 10)}-${p.residentId.slice(10, 12)}-${p.residentId.slice(12, 14)}`;
    const rows: Array<[string | undefined, Record<string, unknown>]> = [
      [
        population,
        {
          resident_id: p.residentId,
          name: p.name,
          gender: p.gender,
          birth_date: birth,
          district_code: p.residentId.slice(0, 6),
          address: p.address,
        },
      ],
      [
        insurance,
        {
          resident_id: p.residentId,
          name: p.name,
          insurance_type: '企业职工基本养老保险',
          status: '参保缴费',
          start_date: '2012-07-01',
        },
      ],
    ];
    for (const [register, data] of rows) {
      if (!register) continue;
      try {
        await createRecord(deps, 'system', register, data);
      } catch (e) {
        if (!(e instanceof AppError && e.code === 'record.duplicate')) throw e;
      }
    }
  }
}

async function registerIfNew(
  deps: Parameters<typeof registerAccount>[0],
  input: Parameters<typeof registerAccount>[1],
) {
  try {
    await registerAccount(deps, input);
  } catch (e) {
    if (!(e instanceof AppError && e.code === 'account.exists')) throw e;
  }
}

/** The demo catalog: each register once (matched by department and name), with its synthetic records. */
async function seedRegisters(
  deps: Parameters<typeof createRegister>[0],
  idOf: (code: string) => number,
): Promise<void> {
  const existing = await listCatalog(deps, {}, { publicOnly: false });
  for (const r of DEMO_REGISTERS) {
    const departmentId = idOf(r.department);
    if (existing.some((e) => e.departmentId === departmentId && (e.metadata as { name: string }).name === r.name))
      continue;
    const register = await createRegister(deps, 'system', {
      departmentId,
      name: r.name,
      attribute: r.attribute,
      ...(r.baseLibrary ? { baseLibrary: r.baseLibrary } : {}),
      classification: { item: r.item, subitem: '001' },
      abstract: r.abstract,
      format: 'database',
      secrecy: 'non_classified',
      sharing:
        r.sharing === 'unconditional'
          ? { type: 'unconditional', method: 'api' }
          : r.sharing === 'conditional'
            ? {
                type: 'conditional',
                conditions: '用于依申请办理的政务服务事项，限授权字段',
                method: 'api',
                basis: '《国务院关于印发政务信息资源共享管理暂行办法的通知》（国发〔2016〕51号）',
              }
            : { type: 'none', basis: '内部管理信息，不予共享' },
      open: { type: r.open },
      updateCycle: r.updateCycle,
      publishedOn: '2026-01-01',
      visibility: r.visibility,
      fields: r.fields,
    });
    for (const data of r.records) await createRecord(deps, 'system', register.code, data);
  }
}
