// Authorize before reading: for every read route of the internal zone, staff of another department — holding every
// role a department can give (admin, caseworker, data officer, leader) — get "not found or no access" for what
// belongs to 市人社局, or a list without it, while 市人社局's own staff get it (so no check passes by being empty).
// Routes that hold no department's data (the org structure, the public catalog metadata, the public log) are listed
// with the reason. A new GET route fails this test until it is classified here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedDemo } from '../src/demo/demo.ts';
import { signRequest } from '../src/modules/auth/index.ts';
import { findDepartmentByCode } from '../src/modules/org/index.ts';
import { createRecord, createRegister } from '../src/modules/registry/index.ts';
import {
  accountSession,
  buildStaff,
  ENGINE,
  type Login,
  loginStaff,
  registerInput,
  startTestPlatform,
  systemDeps,
} from './helpers.ts';

const p = await startTestPlatform({ env: { ZT_WEBHOOK_ALLOW_PRIVATE: 'false' } });
const creds = await seedDemo(p.ctx);
const client = creds.exchangeClient;
assert.ok(client);

const departmentId = async (code: string) => {
  const d = await p.db.owner.transaction((tx) => findDepartmentByCode(tx, code));
  assert.ok(d, code);
  return d.id;
};
const RS = await departmentId('TJ-RS');
const MZ = await departmentId('TJ-MZ');
const ALL_ROLES = ['department_admin', 'caseworker', 'data_officer', 'leader'] as const;
const own = await loginStaff(p, (await buildStaff(p, { departmentId: RS, roles: [...ALL_ROLES] })).username);
const other = await loginStaff(p, (await buildStaff(p, { departmentId: MZ, roles: [...ALL_ROLES] })).username);

const get = (who: Login, url: string) => p.internal.inject({ url, headers: who.headers });
const post = (who: Login, url: string, payload: unknown) =>
  p.internal.inject({ method: 'POST', url, headers: who.headers, payload: payload as object });
const json = async (who: Login, url: string) => {
  const res = await get(who, url);
  assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
  return res.json();
};

// ---- what 市人社局 has ----
const catalog = (await json(own, '/api/v1/catalog/registers')) as Array<{ code: string; departmentId: number }>;
const register = catalog.find((r) => r.departmentId === RS)?.code;
assert.ok(register, 'a register of 市人社局');
const page = (await json(own, `/api/v1/registry/registers/${register}/records?limit=1`)) as {
  records: Array<{ id: number; data: Record<string, unknown> }>;
};
const rec = page.records[0];
assert.ok(rec, 'a record');
const recordName = String(rec.data.name ?? Object.values(rec.data).find((v) => typeof v === 'string'));
const objection = await post(own, `/api/v1/registry/registers/${register}/records/${rec.id}/objections`, {
  reason: '地址与户籍信息不一致',
});
assert.equal(objection.statusCode, 201, objection.body);
const inbox = (await json(own, '/api/v1/casework/inbox')) as Array<{ number: string }>;
const number = inbox[0]?.number;
assert.ok(number, 'an application of 市人社局');
const clients = (await json(own, '/api/v1/clients')) as Array<{ id: number; keyId: string }>;
assert.ok(clients.some((c) => c.keyId === client.keyId));
await p.integrator.drain();
const receipts = (await json(own, '/api/v1/ledger/receipts')) as Array<{ receiptId: string }>;
const receipt = receipts[0]?.receiptId;
assert.ok(receipt, "a receipt of 市人社局's staff member");
await p.integrator.drain();

// The demo client (市人社局) calls the exchange and subscribes, so the access log and subscriptions hold its rows.
const grant = client.grants?.[0];
assert.ok(grant);
const signed = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
  const raw = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const headers = signRequest({
    method,
    url: `http://exchange.test${path}`,
    ...(raw ? { body: raw } : {}),
    keyId: client.keyId,
    alg: client.alg as 'ed25519',
    privateKey: client.privateKeyPem,
  });
  return p.exchange.inject({
    method,
    url: path,
    headers: { host: 'exchange.test', ...(raw ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(raw ? { payload: raw } : {}),
  });
};
const read = await signed(
  'GET',
  `/api/v1/exchange/registers/${grant.register}/records?purpose=${encodeURIComponent(grant.purpose)}&fields=${grant.fields.join(',')}&limit=1`,
);
assert.equal(read.statusCode, 200, read.body);
const sub = await signed('POST', '/api/v1/exchange/subscriptions', {
  register: grant.register,
  url: 'https://hooks.example.org/zt',
});
assert.equal(sub.statusCode, 201, sub.body);
const subscriptionUrl = 'https://hooks.example.org/zt';

// 市人社局 opens a register's open fields as a dataset.
const openRegister = await createRegister(systemDeps(p), 'system', {
  ...registerInput(RS),
  name: '职业培训机构名录',
  attribute: 'departmental',
  baseLibrary: undefined,
  classification: { item: '07', subitem: '009' },
  open: { type: 'open' },
  fields: [{ code: 'org_name', name: '机构名称', type: 'string', required: true, grade: 'general', piiType: 'none' }],
} as never);
await createRecord(systemDeps(p), 'system', openRegister.code, { org_name: '天津市职业技能培训中心' });
const dataset = await post(own, '/api/v1/opendata/datasets', {
  register: openRegister.code,
  name: 'rs-training-orgs',
  theme: 'employment',
  licenseId: 'cc-by-4.0',
});
assert.equal(dataset.statusCode, 201, dataset.body);
// …and a conditional one, which a citizen applies for.
const conditionalRegister = await createRegister(systemDeps(p), 'system', {
  ...registerInput(RS),
  name: '职业培训补贴发放统计',
  attribute: 'departmental',
  baseLibrary: undefined,
  classification: { item: '07', subitem: '010' },
  open: { type: 'conditional', conditions: '用于政策研究' },
  fields: [{ code: 'quarter', name: '季度', type: 'string', required: true, grade: 'general', piiType: 'none' }],
} as never);
await createRecord(systemDeps(p), 'system', conditionalRegister.code, { quarter: '2026Q3' });
const conditionalDataset = await post(own, '/api/v1/opendata/datasets', {
  register: conditionalRegister.code,
  name: 'rs-subsidy-stats',
  theme: 'employment',
  licenseId: 'gov-open-agreement',
});
assert.equal(conditionalDataset.statusCode, 201, conditionalDataset.body);
const researcher = accountSession(
  await p.public.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { kind: 'person', name: '吴研究', residentId: '11010519491231002X', password: 'research-pass-1' },
  }),
);
const applied = await p.public.inject({
  method: 'POST',
  url: '/api/v1/opendata/applications',
  headers: researcher.headers,
  payload: {
    dataset: 'rs-subsidy-stats',
    purpose: '政策研究',
    scenario: '分析补贴发放',
    commitments: true,
    agreement: true,
  },
});
assert.equal(applied.statusCode, 201, applied.body);

// …and stages a file to publish.
const staged = await p.internal.inject({
  method: 'POST',
  url: `/api/v1/opendata/uploads?department=${RS}&format=csv`,
  headers: { ...own.headers, 'content-type': 'text/csv' },
  payload: 'name,count\r\n培训中心,3\r\n',
});
assert.equal(staged.statusCode, 201, staged.body);

// ---- every internal read route, classified ----
type Check =
  | { readonly kind: 'hidden'; readonly url: string }
  | { readonly kind: 'excludes'; readonly url: string; readonly marker: string }
  | { readonly kind: 'open'; readonly url: string; readonly why: string }
  | { readonly kind: 'admin_only'; readonly url: string }
  // The unified sign-in's redirects: no data of anyone, the same answer whoever calls (here: not configured).
  | { readonly kind: 'sign_in'; readonly url: string };

const R = `/api/v1/registry/registers/${register}`;
const CHECKS: Record<string, Check> = {
  'GET /api/v1/auth/session': { kind: 'open', url: '/api/v1/auth/session', why: 'the caller’s own session' },
  'GET /api/v1/auth/methods': { kind: 'open', url: '/api/v1/auth/methods', why: 'how to sign in, for everyone' },
  'GET /api/v1/opendata/datasets': { kind: 'excludes', url: '/api/v1/opendata/datasets', marker: 'rs-training-orgs' },
  'GET /api/v1/opendata/uploads/{id}': { kind: 'hidden', url: `/api/v1/opendata/uploads/${staged.json().id}` },
  'GET /api/v1/opendata/applications': {
    kind: 'excludes',
    url: '/api/v1/opendata/applications',
    marker: 'rs-subsidy-stats',
  },
  'GET /api/v1/auth/oidc/start': { kind: 'sign_in', url: '/api/v1/auth/oidc/start' },
  'GET /api/v1/auth/oidc/callback': { kind: 'sign_in', url: '/api/v1/auth/oidc/callback?code=x&state=y' },
  'GET /api/v1/clients': { kind: 'excludes', url: '/api/v1/clients', marker: client.keyId },
  'GET /api/v1/org/regions': { kind: 'open', url: '/api/v1/org/regions', why: 'administrative divisions (GB/T 2260)' },
  'GET /api/v1/org/node': {
    kind: 'open',
    url: '/api/v1/org/node',
    why: 'the node’s own name and region, shown to everyone',
  },
  'GET /api/v1/org/departments': { kind: 'open', url: '/api/v1/org/departments', why: 'the government’s structure' },
  'GET /api/v1/org/departments/{id}': { kind: 'open', url: `/api/v1/org/departments/${RS}`, why: 'the structure' },
  'GET /api/v1/org/staff': { kind: 'open', url: '/api/v1/org/staff', why: 'the staff directory (通讯录), no data' },
  'GET /api/v1/org/staff/{id}': { kind: 'open', url: '/api/v1/org/staff/1', why: 'the staff directory' },
  'GET /api/v1/catalog/registers': {
    kind: 'open',
    url: '/api/v1/catalog/registers',
    why: 'the catalog is for finding data to request',
  },
  'GET /api/v1/catalog/registers/{code}': {
    kind: 'open',
    url: `/api/v1/catalog/registers/${register}`,
    why: 'catalog metadata',
  },
  'GET /api/v1/registry/registers/{code}/versions': {
    kind: 'open',
    url: `${R}/versions`,
    why: 'catalog metadata history',
  },
  'GET /api/v1/registry/registers/{code}/records': { kind: 'hidden', url: `${R}/records` },
  'GET /api/v1/registry/registers/{code}/records/{id}': { kind: 'hidden', url: `${R}/records/${rec.id}` },
  'GET /api/v1/registry/registers/{code}/records/{id}/history': {
    kind: 'hidden',
    url: `${R}/records/${rec.id}/history`,
  },
  'GET /api/v1/registry/registers/{code}/export': { kind: 'hidden', url: `${R}/export` },
  'GET /api/v1/registry/registers/{code}/quality': { kind: 'hidden', url: `${R}/quality` },
  'GET /api/v1/registry/objections': {
    kind: 'excludes',
    url: '/api/v1/registry/objections',
    marker: '地址与户籍信息不一致',
  },
  'GET /api/v1/exchange/requests': {
    kind: 'excludes',
    url: '/api/v1/exchange/requests',
    marker: `"consumerDepartmentId":${RS}`,
  },
  'GET /api/v1/exchange/grants': {
    kind: 'excludes',
    url: '/api/v1/exchange/grants',
    marker: `"consumerDepartmentId":${RS}`,
  },
  'GET /api/v1/exchange/policy': {
    kind: 'open',
    url: '/api/v1/exchange/policy',
    why: 'the node’s valve policy, read by every data officer',
  },
  'GET /api/v1/exchange/subscriptions': {
    kind: 'excludes',
    url: '/api/v1/exchange/subscriptions',
    marker: subscriptionUrl,
  },
  'GET /api/v1/exchange/access-log': { kind: 'excludes', url: '/api/v1/exchange/access-log', marker: client.keyId },
  'GET /api/v1/services/manage/items': {
    kind: 'open',
    url: '/api/v1/services/manage/items',
    why: 'the node’s service catalog, drafts included',
  },
  'GET /api/v1/casework/inbox': { kind: 'excludes', url: '/api/v1/casework/inbox', marker: number },
  'GET /api/v1/casework/applications/{number}': { kind: 'hidden', url: `/api/v1/casework/applications/${number}` },
  'GET /api/v1/search': {
    kind: 'excludes',
    url: `/api/v1/search?q=${encodeURIComponent(recordName)}&type=record`,
    marker: `"type":"record"`,
  },
  'GET /api/v1/search/suggest': {
    kind: 'open',
    url: '/api/v1/search/suggest?q=sbk',
    why: 'completions come from service and catalog titles only',
  },
  'GET /api/v1/search/misses': { kind: 'admin_only', url: '/api/v1/search/misses' },
  'GET /api/v1/search/synonyms': { kind: 'open', url: '/api/v1/search/synonyms', why: 'the search vocabulary' },
  'GET /api/v1/ledger/checkpoint': { kind: 'open', url: '/api/v1/ledger/checkpoint', why: 'the public log' },
  'GET /api/v1/ledger/key': { kind: 'open', url: '/api/v1/ledger/key', why: 'the public log' },
  'GET /api/v1/ledger/leaves/{index}': {
    kind: 'open',
    url: '/api/v1/ledger/leaves/0',
    why: 'the public log (commitments only)',
  },
  'GET /api/v1/ledger/proof/inclusion': {
    kind: 'open',
    url: '/api/v1/ledger/proof/inclusion?index=0&size=1',
    why: 'the public log',
  },
  'GET /api/v1/ledger/proof/consistency': {
    kind: 'open',
    url: '/api/v1/ledger/proof/consistency?from=1&to=2',
    why: 'the public log',
  },
  'GET /api/v1/ledger/receipts': { kind: 'excludes', url: '/api/v1/ledger/receipts', marker: receipt },
  'GET /api/v1/ledger/receipts/{id}': { kind: 'hidden', url: `/api/v1/ledger/receipts/${receipt}` },
};

test(`[${ENGINE}] every internal read route is classified here`, async () => {
  const doc = (await p.internal.inject({ url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  const reads = Object.entries(doc.paths).flatMap(([path, ops]) => (ops.get ? [`GET ${path}`] : []));
  assert.deepEqual(
    reads.filter((r) => !CHECKS[r]),
    [],
    'unclassified read routes',
  );
  assert.deepEqual(
    Object.keys(CHECKS).filter((k) => !reads.includes(k)),
    [],
    'checks of routes that are gone',
  );
});

for (const [route, check] of Object.entries(CHECKS)) {
  test(`[${ENGINE}] ${route}: ${check.kind === 'open' ? `open (${check.why})` : check.kind.replace('_', ' ')} for another department`, async () => {
    const mine = await get(own, check.url);
    const theirs = await get(other, check.url);
    switch (check.kind) {
      case 'hidden':
        assert.equal(mine.statusCode, 200, `市人社局 reads it: ${mine.body.slice(0, 200)}`);
        assert.equal(theirs.statusCode, 404, theirs.body);
        assert.match(theirs.json().error.code, /\.not_found$/);
        assert.match(theirs.json().error.message, /not found or no access/);
        break;
      case 'excludes':
        assert.equal(mine.statusCode, 200, mine.body.slice(0, 200));
        assert.ok(mine.body.includes(check.marker), `市人社局 sees ${check.marker}`);
        assert.equal(theirs.statusCode, 200, theirs.body.slice(0, 200));
        assert.ok(!theirs.body.includes(check.marker), `another department does not see ${check.marker}`);
        break;
      case 'admin_only':
        assert.equal(theirs.statusCode, 403, theirs.body);
        break;
      case 'open':
        assert.equal(theirs.statusCode, 200, theirs.body.slice(0, 200));
        break;
      case 'sign_in':
        assert.equal(theirs.statusCode, mine.statusCode);
        assert.equal(theirs.json().error?.code, mine.json().error?.code);
        break;
    }
  });
}
