// A dataset's use is counted as it is served (views of its page, downloads, CKAN API calls), shown to everyone, and
// the portal's usage is published, once a month, as the open dataset `opendata-usage`. Real database, real zones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildDepartment,
  ENGINE,
  registerInput,
  staffSession,
  startTestPlatform,
  systemDeps,
} from '../../../test/helpers.ts';
import { createRecord, createRegister } from '../registry/index.ts';
import { publishUsage, USAGE_DATASET } from './usage.service.ts';

const p = await startTestPlatform();
const dept = await buildDepartment(p);
const officer = await staffSession(p, ['data_officer'], dept.id);
const reg = await createRegister(systemDeps(p), 'system', {
  ...registerInput(dept.id),
  name: '图书馆名录',
  attribute: 'departmental',
  baseLibrary: undefined,
  classification: { item: '09', subitem: '001' },
  open: { type: 'open' },
  fields: [{ code: 'name', name: '名称', type: 'string', required: true, grade: 'general', piiType: 'none' }],
} as never);
for (const name of ['天津图书馆', '和平区图书馆']) await createRecord(systemDeps(p), 'system', reg.code, { name });
const made = await p.internal.inject({
  method: 'POST',
  url: '/api/v1/opendata/datasets',
  headers: officer.login.headers,
  payload: { register: reg.code, name: 'libraries', theme: 'education', licenseId: 'cc-by-4.0' },
});
assert.equal(made.statusCode, 201, made.body);
const uuid = made.json().id;
const usage = async () => (await p.public.inject({ url: '/api/v1/opendata/datasets/libraries/usage' })).json();

test(`[${ENGINE}] views, downloads and API calls are counted as they are served; a resumed download once`, async () => {
  assert.deepEqual((await usage()).totals, { views: 0, downloads: 0, apiCalls: 0 });
  await p.public.inject({ url: '/api/v1/opendata/datasets/libraries' });
  await p.public.inject({ url: '/api/v1/opendata/datasets/libraries' });
  const file = '/api/v1/opendata/datasets/libraries/versions/1/data.csv';
  await p.public.inject({ url: file, headers: { range: 'bytes=0-9' } });
  await p.public.inject({ url: file, headers: { range: 'bytes=10-' } }); // the rest of the same download
  await p.public.inject({ method: 'HEAD', url: file });
  await p.public.inject({ url: '/api/v1/opendata/datasets/libraries/versions/1/data.xlsx' });
  await p.public.inject({ url: `/api/3/action/package_show?id=libraries` });
  await p.public.inject({ url: `/api/3/action/datastore_search?resource_id=${uuid}-csv` });
  await p.public.inject({ url: `/api/3/action/resource_show?id=${uuid}-json` });
  // Refused calls are not uses.
  await p.public.inject({ url: `/api/3/action/datastore_search?resource_id=${uuid}-csv&limit=-1` });
  const u = await usage();
  assert.deepEqual(u.totals, { views: 2, downloads: 2, apiCalls: 3 });
  assert.equal(u.days.length, 1);
  assert.equal((await p.public.inject({ url: '/api/v1/opendata/datasets/nope/usage' })).statusCode, 404);
});

test(`[${ENGINE}] the usage is published as an open dataset of complete days, at most once a month`, async () => {
  const internal = { db: p.db.owner, ledger: p.ctx.ledger.forZone('internal') };
  const now = Date.now();
  // Today is not complete: nothing to publish yet.
  assert.equal(await publishUsage({ ...internal, clock: () => new Date(now) }, dept.code), 0);
  assert.equal(await publishUsage({ ...internal, clock: () => new Date(now) }, 'NO-SUCH'), 0);
  const tomorrow = () => new Date(now + 86_400_000);
  assert.equal(await publishUsage({ ...internal, clock: tomorrow }, dept.code), 1);
  assert.equal(await publishUsage({ ...internal, clock: tomorrow }, dept.code), 0, 'once a month');
  const csv = await p.public.inject({ url: `/api/v1/opendata/datasets/${USAGE_DATASET}/versions/1/data.csv` });
  assert.equal(csv.statusCode, 200);
  const [header, row] = csv.body.trim().split('\r\n');
  assert.equal(header, 'dataset,day,views,downloads,api_calls');
  assert.match(row ?? '', /^libraries,\d{4}-\d{2}-\d{2},2,2,3$/);
  const pkg = (await p.public.inject({ url: `/api/3/action/package_show?id=${USAGE_DATASET}` })).json().result;
  assert.equal(pkg.organization.title, dept.name);
  // Next month, with a day counted since, a second version.
  await p.public.inject({ url: '/api/v1/opendata/datasets/libraries' });
  const nextMonth = () => new Date(now + 40 * 86_400_000);
  assert.equal(await publishUsage({ ...internal, clock: nextMonth }, dept.code), 1);
});
