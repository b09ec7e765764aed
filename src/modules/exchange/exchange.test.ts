// The exchange end to end: share requests and grants, the safety valve's rules, the signed and ledgered data access
// API, and the attacks that must fail safely with a clear 4xx and a recorded denial.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildClient,
  buildDepartment,
  ENGINE,
  ledgerEntry,
  registerInput,
  staffSession,
  startTestPlatform,
} from '../../../test/helpers.ts';
import { signRequest, verifyResponse } from '../auth/index.ts';
import { contentDigest } from '../auth/signatures.ts';
import { residentIdCheckChar } from '../privacy/index.ts';

const p = await startTestPlatform();
const HOST = 'localhost:8082';

const provider = await buildDepartment(p);
const providerOfficer = await staffSession(p, ['data_officer'], provider.id);
const consumer = await buildDepartment(p);
const consumerOfficer = await staffSession(p, ['data_officer'], consumer.id);
const client = await buildClient(p, 'ed25519', consumer.id);
const stranger = await buildClient(p); // another department, no grants
const admin = await staffSession(p, ['platform_admin']);

const rid = (first17: string) => first17 + residentIdCheckChar(first17);
const PEOPLE = [
  { resident_id: rid('12010119800101123'), name: '张三', gender: '男', household_size: 3, criminal_note: '无' },
  { resident_id: rid('12010119900202234'), name: '李四', gender: '女', household_size: 2, criminal_note: '无' },
  { resident_id: rid('12010120000303345'), name: '王五', gender: '男', household_size: 5, criminal_note: '无' },
];

const staffPost = (login: { headers: Record<string, string> }, url: string, payload: unknown) =>
  p.internal.inject({ method: 'POST', url, headers: login.headers, payload: payload as object });

async function register(overrides: Record<string, unknown>) {
  const res = await staffPost(
    providerOfficer.login,
    '/api/v1/registry/registers',
    registerInput(provider.id, overrides),
  );
  assert.equal(res.statusCode, 201, res.body);
  return res.json().code as string;
}

// 户籍: conditional, with a core field.
const population = await register({
  fields: [
    ...(registerInput(provider.id).fields as object[]),
    { code: 'criminal_note', name: '违法犯罪记录', type: 'string', grade: 'core', piiType: 'none' },
  ],
});
for (const person of PEOPLE) {
  const res = await staffPost(providerOfficer.login, `/api/v1/registry/registers/${population}/records`, {
    data: person,
  });
  assert.equal(res.statusCode, 201, res.body);
}
// 市场主体: unconditional, general fields.
const enterprises = await register({
  name: '市场主体登记信息',
  baseLibrary: 'legal_entity',
  classification: { item: '02', subitem: '001' },
  sharing: { type: 'unconditional', method: 'api' },
  fields: [
    {
      code: 'credit_code',
      name: '统一社会信用代码',
      type: 'string',
      unique: true,
      grade: 'general',
      piiType: 'credit_code',
    },
    { code: 'org_name', name: '名称', type: 'string', grade: 'general', piiType: 'none' },
    { code: 'legal_rep', name: '法定代表人', type: 'string', grade: 'general', piiType: 'name' },
  ],
});
const enterpriseRecord = await staffPost(providerOfficer.login, `/api/v1/registry/registers/${enterprises}/records`, {
  data: { credit_code: '91350100M000100Y43', org_name: '天津示例有限公司', legal_rep: '赵六' },
});
assert.equal(enterpriseRecord.statusCode, 201, enterpriseRecord.body);

const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();
const PURPOSE = '社保待遇资格认证';

async function requestShare(code: string, fields: string[], overrides: Record<string, unknown> = {}) {
  return staffPost(consumerOfficer.login, '/api/v1/exchange/requests', {
    registerCode: code,
    fields,
    purpose: PURPOSE,
    legalBasis: '《社会保险法》第七十二条',
    validUntil: inAYear(),
    ...overrides,
  });
}

type Who = { keyId: string; keys: { privateKey: string } };

/** A signed exchange call; the response's signature is checked against the node's key on every call. */
async function call(who: Who, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) {
  const raw = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const headers = signRequest({
    method,
    url: `http://${HOST}${path}`,
    ...(raw ? { body: raw } : {}),
    keyId: who.keyId,
    alg: 'ed25519',
    privateKey: who.keys.privateKey,
  });
  return send(headers, method, path, raw);
}

async function send(headers: Record<string, string>, method: string, path: string, raw?: Buffer) {
  const res = await p.exchange.inject({
    method: method as 'GET',
    url: path,
    headers: { host: HOST, ...(raw ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(raw ? { payload: raw } : {}),
  });
  const header = (name: string) => {
    const v = res.headers[name];
    return v === undefined ? undefined : String(v);
  };
  assert.equal(header('content-digest'), contentDigest(res.rawPayload), 'Content-Digest matches the body');
  const covered = verifyResponse({ status: res.statusCode, header }, node.alg, node.publicKey);
  assert.ok(covered.includes('content-digest') && covered.includes('zt-request-digest'));
  return res;
}

const node = await (async () => {
  const { nodeSigner } = await import('../../zones/zones.ts');
  return nodeSigner(p.ctx);
})();

const records = (code: string, query: string) => `/api/v1/exchange/registers/${code}/records?${query}`;
const q = (params: Record<string, string | string[]>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const one of [v].flat()) s.append(k, one);
  return s.toString();
};

/** Every refusal must be recorded before the caller sees it: a ledger entry and an access-log row. */
async function assertRecordedDenial(res: { headers: Record<string, unknown>; statusCode: number }, code: string) {
  const receipt = String(res.headers['zt-receipt'] ?? '');
  assert.ok(receipt, 'a refusal carries its ledger receipt');
  const entry = await ledgerEntry(p, receipt);
  assert.equal(entry?.type, 'exchange.denied');
  assert.equal(entry?.payload.code, code);
  assert.equal(entry?.payload.status, res.statusCode);
  const row = await p.db.owner.transaction((tx) =>
    tx
      .selectFrom('access_log')
      .selectAll()
      .where('response_digest', '=', entry?.payload.responseDigest)
      .executeTakeFirst(),
  );
  assert.equal(row?.decision, 'deny');
  assert.equal(row?.status, res.statusCode);
}

let populationGrant = 0;

test(`[${ENGINE}] unconditional data is granted at once; PII leaves masked, the rest clear; the call is ledgered`, async () => {
  const res = await requestShare(enterprises, ['credit_code', 'org_name', 'legal_rep']);
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json().status, 'approved');
  assert.ok(res.json().grantId);

  const read = await call(client, 'GET', records(enterprises, q({ purpose: PURPOSE })));
  assert.equal(read.statusCode, 200, read.body);
  const body = read.json();
  assert.deepEqual(body.fields, { clear: ['org_name'], masked: ['credit_code', 'legal_rep'] });
  assert.deepEqual(body.records[0].data, {
    credit_code: '91350100******0Y43',
    org_name: '天津示例有限公司',
    legal_rep: '赵*',
  });
  const entry = await ledgerEntry(p, String(read.headers['zt-receipt']));
  assert.equal(entry?.type, 'exchange.access');
  assert.equal(entry?.actor, `client:${client.keyId}`);
  assert.equal(entry?.payload.responseDigest, read.headers['content-digest']);
  assert.equal(entry?.payload.requestDigest, read.headers['zt-request-digest']);
  assert.equal(entry?.payload.decision, 'allow');
});

test(`[${ENGINE}] conditional data waits for the provider, who narrows the fields; 重要 PII is masked by type`, async () => {
  const res = await requestShare(population, ['resident_id', 'name', 'gender', 'household_size']);
  assert.equal(res.statusCode, 201, res.body);
  const request = res.json();
  assert.equal(request.status, 'pending');
  const due = new Date(request.dueAt).getTime();
  assert.ok(due - Date.now() >= 12 * 86_400_000, '10 working days are at least two calendar weeks');

  const early = await call(client, 'GET', records(population, q({ purpose: PURPOSE })));
  assert.equal(early.statusCode, 403);
  await assertRecordedDenial(early, 'exchange.no_grant');

  const byConsumer = await staffPost(consumerOfficer.login, `/api/v1/exchange/requests/${request.id}/approve`, {});
  assert.equal(byConsumer.statusCode, 403, 'the consumer cannot approve its own request');
  const widened = await staffPost(providerOfficer.login, `/api/v1/exchange/requests/${request.id}/approve`, {
    fields: ['resident_id', 'name', 'gender', 'birth_date'],
  });
  assert.equal(widened.statusCode, 400, 'only fields that were asked for');
  const approved = await staffPost(providerOfficer.login, `/api/v1/exchange/requests/${request.id}/approve`, {
    fields: ['resident_id', 'name', 'gender'],
  });
  assert.equal(approved.statusCode, 200, approved.body);
  populationGrant = approved.json().grantId;

  const read = await call(client, 'GET', records(population, q({ purpose: PURPOSE })));
  assert.equal(read.statusCode, 200, read.body);
  const body = read.json();
  assert.deepEqual(body.fields, { clear: ['gender'], masked: ['resident_id', 'name'] });
  assert.equal(body.records.length, 3);
  assert.equal(body.records[0].data.resident_id, `120101********${PEOPLE[0]?.resident_id.slice(14)}`);
  assert.equal(body.records[0].data.name, '张*');
  assert.equal(body.records[0].data.household_size, undefined, 'a field outside the grant never appears');

  const again = await staffPost(providerOfficer.login, `/api/v1/exchange/requests/${request.id}/reject`, {
    reason: '重复处理',
  });
  assert.equal(again.statusCode, 409);
});

test(`[${ENGINE}] attacks on the data API fail with a clear 4xx and a recorded denial`, async () => {
  const cases: Array<{ name: string; who: Who; path: string; status: number; code: string; policy?: string }> = [
    {
      name: 'a field outside the grant',
      who: client,
      path: records(population, q({ purpose: PURPOSE, fields: 'resident_id,household_size' })),
      status: 403,
      code: 'exchange.denied',
      policy: 'field-outside-grant',
    },
    {
      name: 'a core field',
      who: client,
      path: records(population, q({ purpose: PURPOSE, fields: 'criminal_note' })),
      status: 403,
      code: 'exchange.denied',
      policy: 'core-never-leaves',
    },
    {
      name: 'filtering on a masked field',
      who: client,
      path: records(population, q({ purpose: PURPOSE, filter: `resident_id:${PEOPLE[0]?.resident_id}` })),
      status: 403,
      code: 'exchange.filter_denied',
      policy: 'sensitive-never-filtered',
    },
    {
      name: 'another purpose',
      who: client,
      path: records(population, q({ purpose: '商业营销' })),
      status: 403,
      code: 'exchange.denied',
      policy: 'purpose-outside-grant',
    },
    {
      name: 'another department’s key using this grant',
      who: stranger,
      path: records(population, q({ purpose: PURPOSE, grant: String(populationGrant) })),
      status: 403,
      code: 'exchange.denied',
      policy: 'grant-of-another-department',
    },
    {
      name: 'a department without a grant',
      who: stranger,
      path: records(population, q({ purpose: PURPOSE })),
      status: 403,
      code: 'exchange.no_grant',
    },
    {
      name: 'an oversized page',
      who: client,
      path: records(population, q({ purpose: PURPOSE, limit: '5000' })),
      status: 400,
      code: 'validation.failed',
    },
    {
      name: 'too many filters',
      who: client,
      path: records(
        population,
        q({ purpose: PURPOSE, filter: ['gender:男', 'gender:女', 'a:1', 'b:2', 'c:3', 'd:4'] }),
      ),
      status: 400,
      code: 'validation.failed',
    },
    {
      name: 'an unknown field',
      who: client,
      path: records(population, q({ purpose: PURPOSE, fields: 'password' })),
      status: 400,
      code: 'exchange.unknown_field',
    },
  ];
  for (const c of cases) {
    const res = await call(c.who, 'GET', c.path);
    assert.equal(res.statusCode, c.status, `${c.name}: ${res.body}`);
    assert.equal(res.json().error.code, c.code, c.name);
    if (c.policy) assert.ok(res.json().error.details.policies.includes(c.policy), `${c.name}: ${res.body}`);
    await assertRecordedDenial(res, c.code);
  }
  // A filter on a clear field is fine.
  const byGender = await call(client, 'GET', records(population, q({ purpose: PURPOSE, filter: 'gender:女' })));
  assert.equal(byGender.statusCode, 200, byGender.body);
  assert.deepEqual(
    byGender.json().records.map((r: { data: { name: string } }) => r.data.name),
    ['李*'],
  );
});

test(`[${ENGINE}] forged and replayed signatures are refused and recorded`, async () => {
  const path = records(population, q({ purpose: PURPOSE }));
  const forger = await buildClient(p);
  const forged = signRequest({
    method: 'GET',
    url: `http://${HOST}${path}`,
    keyId: client.keyId, // claims the consumer's key, signs with another
    alg: 'ed25519',
    privateKey: forger.keys.privateKey,
  });
  const res = await send(forged, 'GET', path);
  assert.equal(res.statusCode, 401);
  assert.equal(res.json().error.code, 'signature.invalid');
  await assertRecordedDenial(res, 'signature.invalid');
  const entry = await ledgerEntry(p, String(res.headers['zt-receipt']));
  assert.equal(entry?.actor, `unverified-key:${client.keyId}`);

  const good = signRequest({
    method: 'GET',
    url: `http://${HOST}${path}`,
    keyId: client.keyId,
    alg: 'ed25519',
    privateKey: client.keys.privateKey,
  });
  assert.equal((await send(good, 'GET', path)).statusCode, 200);
  const replay = await send(good, 'GET', path);
  assert.equal(replay.statusCode, 401);
  assert.equal(replay.json().error.code, 'signature.replayed');
  await assertRecordedDenial(replay, 'signature.replayed');
});

test(`[${ENGINE}] verify answers whether a claim matches without returning data`, async () => {
  const path = `/api/v1/exchange/registers/${population}/verify`;
  const yes = await call(client, 'POST', path, { purpose: PURPOSE, match: { resident_id: PEOPLE[1]?.resident_id } });
  assert.equal(yes.statusCode, 200, yes.body);
  assert.deepEqual(Object.keys(yes.json()).sort(), ['grant', 'matched', 'register']);
  assert.equal(yes.json().matched, true);
  const no = await call(client, 'POST', path, {
    purpose: PURPOSE,
    match: { resident_id: PEOPLE[1]?.resident_id, name: '张三' },
  });
  assert.equal(no.json().matched, false);
  const core = await call(client, 'POST', path, { purpose: PURPOSE, match: { criminal_note: '无' } });
  assert.equal(core.statusCode, 403);
  await assertRecordedDenial(core, 'exchange.denied');
  const entry = await ledgerEntry(p, String(yes.headers['zt-receipt']));
  assert.equal(entry?.payload.operation, 'verify');
  assert.equal(entry?.payload.matched, true);
});

test(`[${ENGINE}] core fields cannot even be requested; not-shared data is refused with its basis`, async () => {
  const core = await requestShare(population, ['name', 'criminal_note']);
  assert.equal(core.statusCode, 400);
  assert.equal(core.json().error.code, 'exchange.core_field');
  const closed = await register({
    name: '不予共享的登记',
    sharing: { type: 'none', basis: '《保守国家秘密法》相关规定' },
  });
  const refused = await requestShare(closed, ['name']);
  assert.equal(refused.statusCode, 201, refused.body);
  assert.equal(refused.json().status, 'refused');
  assert.match(refused.json().decisionReason, /保守国家秘密法/);
  assert.equal(refused.json().grantId, null);
  const stranger2 = await staffSession(p, ['caseworker'], consumer.id);
  const notOfficer = await requestShare(enterprises, ['org_name'], {});
  assert.equal(notOfficer.statusCode, 201);
  const byCaseworker = await staffPost(stranger2.login, '/api/v1/exchange/requests', {
    registerCode: enterprises,
    fields: ['org_name'],
    purpose: PURPOSE,
    legalBasis: '依据',
    validUntil: inAYear(),
  });
  assert.equal(byCaseworker.statusCode, 403, 'only data officers ask for data');
});

test(`[${ENGINE}] revoked and expired grants deny every later call`, async () => {
  const res = await requestShare(population, ['gender'], { purpose: '人口统计' });
  const approved = await staffPost(providerOfficer.login, `/api/v1/exchange/requests/${res.json().id}/approve`, {});
  const grantId = approved.json().grantId;
  const path = records(population, q({ purpose: '人口统计' }));
  assert.equal((await call(client, 'GET', path)).statusCode, 200);

  const revoke = await staffPost(providerOfficer.login, `/api/v1/exchange/grants/${grantId}/revoke`, {
    reason: '用途已完成',
  });
  assert.equal(revoke.statusCode, 200, revoke.body);
  assert.equal(revoke.json().status, 'revoked');
  const after = await call(client, 'GET', path);
  assert.equal(after.statusCode, 403);
  assert.ok(after.json().error.details.policies.includes('no-active-grant'), after.body);
  await assertRecordedDenial(after, 'exchange.denied');

  // Expiry: the population grant's period ends.
  await p.db.owner.transaction((tx) =>
    tx
      .updateTable('grants')
      .set({ valid_until: new Date(Date.now() - 1000), valid_from: new Date(Date.now() - 10_000) })
      .where('id', '=', populationGrant)
      .execute(),
  );
  const expired = await call(client, 'GET', records(population, q({ purpose: PURPOSE })));
  assert.equal(expired.statusCode, 403);
  assert.ok(expired.json().error.details.policies.includes('grant-not-in-force'), expired.body);
  await assertRecordedDenial(expired, 'exchange.denied');
  await p.db.owner.transaction((tx) =>
    tx
      .updateTable('grants')
      .set({ valid_until: new Date(inAYear()) })
      .where('id', '=', populationGrant)
      .execute(),
  );
});

test(`[${ENGINE}] per-grant rate and daily volume give clear 429s with Retry-After`, async () => {
  const res = await requestShare(population, ['gender'], { purpose: '限流测试' });
  await staffPost(providerOfficer.login, `/api/v1/exchange/requests/${res.json().id}/approve`, {
    ratePerMinute: 3,
  });
  const path = () => records(population, q({ purpose: '限流测试' }));
  for (let i = 0; i < 3; i++) assert.equal((await call(client, 'GET', path())).statusCode, 200);
  const burst = await call(client, 'GET', path());
  assert.equal(burst.statusCode, 429);
  assert.equal(burst.json().error.code, 'exchange.rate_limited');
  assert.ok(Number(burst.headers['retry-after']) >= 1);
  await assertRecordedDenial(burst, 'exchange.rate_limited');

  const daily = await requestShare(population, ['gender'], { purpose: '日量测试' });
  await staffPost(providerOfficer.login, `/api/v1/exchange/requests/${daily.json().id}/approve`, { dailyLimit: 2 });
  const path2 = () => records(population, q({ purpose: '日量测试' }));
  for (let i = 0; i < 2; i++) assert.equal((await call(client, 'GET', path2())).statusCode, 200);
  const over = await call(client, 'GET', path2());
  assert.equal(over.statusCode, 429);
  assert.equal(over.json().error.code, 'exchange.daily_limit');
  await assertRecordedDenial(over, 'exchange.daily_limit');
});

test(`[${ENGINE}] the policy is versioned, validated, ledgered, takes effect at once, and the console explains`, async () => {
  const current = await p.internal.inject({
    method: 'GET',
    url: '/api/v1/exchange/policy',
    headers: admin.login.headers,
  });
  assert.equal(current.statusCode, 200);
  assert.equal(current.json().version, 0, 'the shipped default');
  const policy: string = current.json().policy;

  const invalid = await p.internal.inject({
    method: 'PUT',
    url: '/api/v1/exchange/policy',
    headers: admin.login.headers,
    payload: {
      policy: `${policy}\n@id("typo")\nforbid (principal, action, resource) when { resource.grde == "x" };`,
      expectedVersion: 0,
    },
  });
  assert.equal(invalid.statusCode, 400);
  assert.equal(invalid.json().error.code, 'exchange.policy_invalid');
  const byOfficer = await p.internal.inject({
    method: 'PUT',
    url: '/api/v1/exchange/policy',
    headers: providerOfficer.login.headers,
    payload: { policy, expectedVersion: 0 },
  });
  assert.equal(byOfficer.statusCode, 403);

  const stricter = `${policy}\n@id("no-gender-out")\nforbid (principal, action, resource) when { resource.code == "gender" };\n`;
  const saved = await p.internal.inject({
    method: 'PUT',
    url: '/api/v1/exchange/policy',
    headers: admin.login.headers,
    payload: { policy: stricter, expectedVersion: 0, comment: '性别字段暂停共享' },
  });
  assert.equal(saved.statusCode, 200, saved.body);
  assert.equal(saved.json().version, 1);
  const stale = await p.internal.inject({
    method: 'PUT',
    url: '/api/v1/exchange/policy',
    headers: admin.login.headers,
    payload: { policy, expectedVersion: 0 },
  });
  assert.equal(stale.statusCode, 409);

  const denied = await call(client, 'GET', records(population, q({ purpose: PURPOSE, fields: 'gender' })));
  assert.equal(denied.statusCode, 403);
  assert.ok(denied.json().error.details.policies.includes('no-gender-out'));

  const console = await staffPost(providerOfficer.login, '/api/v1/exchange/policy/test', {
    keyId: client.keyId,
    registerCode: population,
    purpose: PURPOSE,
  });
  assert.equal(console.statusCode, 200, console.body);
  const byCode = Object.fromEntries(console.json().fields.map((f: { code: string }) => [f.code, f])) as Record<
    string,
    { outcome: string; readMasked: { policies: string[] } }
  >;
  assert.equal(byCode.resident_id?.outcome, 'masked');
  assert.equal(byCode.gender?.outcome, 'denied');
  assert.deepEqual(byCode.gender?.readMasked.policies, ['no-gender-out']);
  assert.equal(byCode.criminal_note?.outcome, 'denied');
  assert.ok(byCode.criminal_note?.readMasked.policies.includes('core-never-leaves'));
  assert.ok(byCode.household_size?.readMasked.policies.includes('field-outside-grant'));

  const restored = await p.internal.inject({
    method: 'PUT',
    url: '/api/v1/exchange/policy',
    headers: admin.login.headers,
    payload: { policy, expectedVersion: 1, comment: '恢复默认' },
  });
  assert.equal(restored.statusCode, 200);
  const ok = await call(client, 'GET', records(population, q({ purpose: PURPOSE, fields: 'gender' })));
  assert.equal(ok.statusCode, 200, ok.body);
  const entries = await p.db.owner.transaction((tx) =>
    tx.selectFrom('ledger_queue').select('entry_type').where('entry_type', '=', 'exchange.policy.saved').execute(),
  );
  assert.equal(entries.length, 2);
});

test(`[${ENGINE}] overdue requests escalate to the platform admin once, with a ledger entry`, async () => {
  const res = await requestShare(population, ['name'], { purpose: '逾期测试' });
  const id = res.json().id;
  await p.db.owner.transaction((tx) =>
    tx
      .updateTable('share_requests')
      .set({ due_at: new Date(Date.now() - 60_000) })
      .where('id', '=', id)
      .execute(),
  );
  const { escalateOverdueRequests } = await import('./requests.service.ts');
  const deps = { db: p.db.forZone('internal'), ledger: p.ctx.ledger.forZone('internal'), clock: () => new Date() };
  assert.ok((await escalateOverdueRequests(deps)) >= 1);
  assert.equal(await escalateOverdueRequests(deps), 0, 'once');
  const list = await p.internal.inject({
    method: 'GET',
    url: '/api/v1/exchange/requests?overdue=true',
    headers: admin.login.headers,
  });
  const mine = list.json().find((r: { id: number }) => r.id === id);
  assert.equal(mine?.overdue, true);
  assert.ok(mine?.escalatedAt);
  const log = await p.internal.inject({
    method: 'GET',
    url: '/api/v1/exchange/access-log?decision=deny&limit=500',
    headers: providerOfficer.login.headers,
  });
  assert.equal(log.statusCode, 200);
  assert.ok(log.json().length > 5, 'the provider sees denials on its registers');
  const foreign = await p.internal.inject({
    method: 'GET',
    url: '/api/v1/exchange/access-log',
    headers: (await staffSession(p, ['data_officer'])).login.headers,
  });
  assert.equal(foreign.json().length, 0, 'an unrelated department sees none of it');
});

test(`[${ENGINE}] the exchange's caches are exact: approvals and revocations take effect at the very next call`, async () => {
  // The exchange zone has cached "no grant" for this purpose; an approval elsewhere must be seen at once.
  const path = records(population, q({ purpose: '缓存测试' }));
  const before = await call(client, 'GET', path);
  assert.equal(before.statusCode, 403);
  const res = await requestShare(population, ['gender'], { purpose: '缓存测试' });
  const approved = await staffPost(providerOfficer.login, `/api/v1/exchange/requests/${res.json().id}/approve`, {});
  assert.equal(approved.statusCode, 200);
  assert.equal((await call(client, 'GET', path)).statusCode, 200, 'granted at the next call');
  assert.equal((await call(client, 'GET', path)).statusCode, 200, 'and served from the cache after');

  // The client's key is revoked in the internal zone while the exchange zone holds it in its cache.
  const revokedKey = await p.internal.inject({
    method: 'POST',
    url: `/api/v1/clients/${client.id}/revoke`,
    headers: admin.login.headers,
  });
  assert.equal(revokedKey.statusCode, 200, revokedKey.body);
  const refused = await call(client, 'GET', path);
  assert.equal(refused.statusCode, 401);
  assert.equal(refused.json().error.code, 'signature.unknown_key');
  await assertRecordedDenial(refused, 'signature.unknown_key');
});
