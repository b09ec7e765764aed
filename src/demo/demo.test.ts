import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import { countRows, ENGINE, loginStaff, startTestPlatform } from '../../test/helpers.ts';
import { signRequest } from '../modules/auth/index.ts';
import { ROLES } from '../modules/org/index.ts';
import { DEMO_PASSWORD, demoCredentialsFile, seedDemo } from './demo.ts';

const p = await startTestPlatform();

test(`[${ENGINE}] the demo government seeds once, and seeding again changes nothing`, async () => {
  const first = await seedDemo(p.ctx);
  const counts = async () => ({
    regions: await countRows(p, 'regions'),
    departments: await countRows(p, 'departments'),
    staff: await countRows(p, 'staff'),
    accounts: await countRows(p, 'accounts'),
    clients: await countRows(p, 'api_clients'),
    registers: await countRows(p, 'registers' as never),
    records: await countRows(p, 'records' as never),
    datasets: await countRows(p, 'opendata_datasets' as never),
    versions: await countRows(p, 'opendata_versions' as never),
  });
  const after1 = await counts();
  assert.ok(after1.regions > 3000, 'the whole country to county level');
  assert.equal(after1.departments, 20, '10 city departments and 5 branches in each of two districts');
  assert.equal(after1.accounts, 44, 'the 4 demo logins and 40 synthetic applicants');
  assert.ok(after1.registers >= 10, 'at least ten registers across departments');
  assert.ok(after1.records > 500);
  const second = await seedDemo(p.ctx);
  assert.deepEqual(await counts(), after1);
  assert.equal(second.exchangeClient?.keyId, first.exchangeClient?.keyId, 'the demo client is reused');

  const roles = new Set(first.staff.flatMap((s) => s.roles));
  for (const role of ROLES) assert.ok(roles.has(role), `a demo staff member has ${role}`);
  const file = demoCredentialsFile(p.ctx.config.dataDir);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).exchangeClient.keyId, first.exchangeClient?.keyId);
});

test(`[${ENGINE}] the demo opens 20+ datasets from 6+ departments, from registers and from files, each with two versions`, async () => {
  await seedDemo(p.ctx);
  const rows = await p.db.owner.transaction((tx) =>
    tx
      .selectFrom('opendata_datasets')
      .select(['name', 'department_id', 'access', 'register_id', 'version'])
      .where('name', '!=', 'opendata-usage')
      .execute(),
  );
  assert.ok(rows.length >= 20, `${rows.length} datasets`);
  assert.ok(new Set(rows.map((r) => r.department_id)).size >= 6);
  assert.ok(rows.filter((r) => r.access === 'conditional').length >= 3);
  assert.ok(rows.filter((r) => r.register_id === null).length >= 3, 'some made from uploaded files');
  assert.deepEqual(
    rows.filter((r) => r.version !== 2).map((r) => r.name),
    [],
    'each with two versions',
  );
  const usage = await p.public.inject({ url: '/api/3/action/package_show?id=opendata-usage' });
  assert.equal(usage.json().result.organization.title, '天津市政务服务办公室');
});

test(`[${ENGINE}] demo logins work on their zones`, async () => {
  const creds = await seedDemo(p.ctx);
  await loginStaff(p, 'admin', DEMO_PASSWORD);
  const citizen = creds.citizens[0];
  const res = await p.public.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { identifier: citizen?.identifier, password: DEMO_PASSWORD },
  });
  assert.equal(res.statusCode, 200);
  const client = creds.exchangeClient;
  assert.ok(client);
  const headers = signRequest({
    method: 'GET',
    url: 'http://localhost:8082/api/v1/exchange/whoami',
    keyId: client.keyId,
    alg: client.alg as 'ed25519',
    privateKey: client.privateKeyPem,
  });
  const who = await p.exchange.inject({
    method: 'GET',
    url: '/api/v1/exchange/whoami',
    headers: { ...headers, host: 'localhost:8082' },
  });
  assert.equal(who.statusCode, 200, who.body);
});

test(`[${ENGINE}] the demo client's grants are listed and work: one unconditional, one conditional with masked PII`, async () => {
  const creds = await seedDemo(p.ctx);
  const client = creds.exchangeClient;
  assert.ok(client?.grants);
  const unconditional = client.grants.find((g) => g.kind === 'unconditional');
  const conditional = client.grants.find((g) => g.kind === 'conditional');
  assert.ok(unconditional && conditional, JSON.stringify(client.grants));
  assert.deepEqual(conditional.clearFields, [], 'personal data stays masked');
  const file = JSON.parse(readFileSync(demoCredentialsFile(p.ctx.config.dataDir), 'utf8'));
  assert.equal(file.exchangeClient.grants.length, client.grants.length);

  const path = `/api/v1/exchange/registers/${conditional.register}/records?purpose=${encodeURIComponent(conditional.purpose)}&limit=3`;
  const headers = signRequest({
    method: 'GET',
    url: `http://localhost:8082${path}`,
    keyId: client.keyId,
    alg: client.alg as 'ed25519',
    privateKey: client.privateKeyPem,
  });
  const res = await p.exchange.inject({ method: 'GET', url: path, headers: { ...headers, host: 'localhost:8082' } });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.equal(body.records.length, 3);
  assert.match(body.records[0].data.resident_id, /^\d{6}\*{8}[\dX]{4}$/);
  assert.match(body.records[0].data.name, /^\S\*+$/);
  assert.ok(['男', '女'].includes(body.records[0].data.gender), 'non-personal fields are clear');
});

test(`[${ENGINE}] the demo publishes at least 30 service items across at least 8 sub-platforms`, async () => {
  await seedDemo(p.ctx);
  const subs = (await p.public.inject({ method: 'GET', url: '/api/v1/services/subplatforms' })).json() as Array<{
    code: string;
    items: number;
  }>;
  assert.ok(subs.filter((s) => s.items > 0).length >= 8, JSON.stringify(subs));
  const items = (await p.public.inject({ method: 'GET', url: '/api/v1/services/items' })).json() as Array<{
    guide: { materials: Array<{ source: string; register?: string }>; promisedDays: number; statutoryDays: number };
  }>;
  assert.ok(items.length >= 30, `${items.length} items`);
  const held = items.flatMap((i) => i.guide.materials).filter((m) => m.source !== 'upload');
  assert.ok(held.length >= 20, 'many materials are fetched from registers instead of uploaded');
  for (const m of held) assert.match(m.register ?? '', /^\d{6}-\d{6}$/);
});

test(`[${ENGINE}] the demo holds a few hundred applications in every state, each with its timeline`, async () => {
  await seedDemo(p.ctx);
  const rows = await p.db.owner.transaction((tx) =>
    tx
      .selectFrom('applications')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute(),
  );
  const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  const total = Object.values(by).reduce((a, b) => a + b, 0);
  assert.ok(total >= 300, `${total} applications`);
  for (const status of ['draft', 'submitted', 'correction', 'in_progress', 'concluded', 'rejected']) {
    assert.ok((by[status] ?? 0) > 0, `some ${status}: ${JSON.stringify(by)}`);
  }
  const events = await p.db.owner.transaction((tx) =>
    tx
      .selectFrom('application_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  );
  assert.ok(Number(events.n) > total / 2, 'submitted applications have their timeline');
});
