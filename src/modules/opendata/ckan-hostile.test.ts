// CKAN's Action API under hostile parameters: every action, by GET and POST, with bad numbers, broken JSON, NUL, a
// lone surrogate, arrays and objects where text goes. None answers 5xx (the CKAN routes are not in the OpenAPI
// document the platform's hostile sweep reads). Real database, real zones.
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

const p = await startTestPlatform();
const sys = systemDeps(p);
const jt = await buildDepartment(p);
const officer = await staffSession(p, ['data_officer'], jt.id);
const stops = await createRegister(sys, 'system', {
  ...registerInput(jt.id),
  name: '公交站点',
  attribute: 'departmental',
  baseLibrary: undefined,
  classification: { item: '05', subitem: '002' },
  open: { type: 'open' },
  fields: [
    {
      code: 'stop_id',
      name: '站点编号',
      type: 'string',
      required: true,
      unique: true,
      grade: 'general',
      piiType: 'none',
    },
    { code: 'stop_name', name: '站点名称', type: 'string', required: true, grade: 'general', piiType: 'none' },
    { code: 'lines', name: '途经线路数', type: 'integer', grade: 'general', piiType: 'none' },
    { code: 'fare', name: '票价', type: 'decimal', grade: 'general', piiType: 'none' },
    { code: 'opened', name: '启用日期', type: 'date', grade: 'general', piiType: 'none' },
    { code: 'shelter', name: '有候车亭', type: 'boolean', grade: 'general', piiType: 'none' },
  ],
} as never);
for (let i = 1; i <= 25; i++) {
  await createRecord(sys, 'system', stops.code, {
    stop_id: `S${String(i).padStart(3, '0')}`,
    stop_name: i === 7 ? '鼓楼, "北"站' : `站点${i}`,
    lines: i % 5,
    ...(i % 4 ? { fare: 1.5 + i / 10 } : {}),
    opened: `2020-01-${String(i).padStart(2, '0')}`,
    shelter: i % 2 === 0,
  });
}
const published = await p.internal.inject({
  method: 'POST',
  url: '/api/v1/opendata/datasets',
  headers: officer.login.headers,
  payload: { register: stops.code, name: 'bus-stops', title: '公交站点', theme: 'transport', licenseId: 'cc-by-4.0' },
});
assert.equal(published.statusCode, 201, published.body);

test(`[${ENGINE}] no CKAN action answers 5xx to hostile parameters, by GET or POST`, async () => {
  const actions = [
    'status_show',
    'site_read',
    'package_list',
    'package_show',
    'package_search',
    'organization_list',
    'organization_show',
    'group_list',
    'group_show',
    'tag_list',
    'license_list',
    'resource_show',
    'datastore_search',
  ];
  const names = [
    'id',
    'q',
    'fq',
    'fq_list',
    'sort',
    'rows',
    'start',
    'facet',
    'facet.field',
    'facet.limit',
    'facet.mincount',
    'limit',
    'offset',
    'all_fields',
    'resource_id',
    'filters',
    'fields',
    'records_format',
    'include_total',
  ];
  const values: unknown[] = [
    '',
    '-1',
    'abc',
    '1e309',
    '9'.repeat(40),
    '[',
    '{',
    '[1,2]',
    '{"a":[1]}',
    'x:[* TO',
    '"',
    'bus-stops',
    'a\u0000b',
    '\ud800',
    'a'.repeat(5000),
    [],
    [1, { a: 2 }],
    {},
    { id: 'x' },
    null,
    true,
    -5,
    1.5,
    2 ** 60,
  ];
  // A lone surrogate cannot be percent-encoded as UTF-8: send the bytes it would be (invalid UTF-8) instead.
  const enc = (v: string) => {
    try {
      return encodeURIComponent(v);
    } catch {
      return '%ED%A0%80';
    }
  };
  const failures: string[] = [];
  for (const action of actions) {
    for (const name of names) {
      for (const value of values) {
        const query = typeof value === 'string' ? `?${encodeURIComponent(name)}=${enc(value)}` : '';
        const get = await p.public.inject({ url: `/api/3/action/${action}${query}` });
        const post = await p.public.inject({
          method: 'POST',
          url: `/api/3/action/${action}`,
          payload: { [name]: value } as object,
        });
        for (const [how, res] of [
          ['GET', get],
          ['POST', post],
        ] as const) {
          if (res.statusCode >= 500)
            failures.push(`${how} ${action} ${name}=${JSON.stringify(value)?.slice(0, 40)}: ${res.statusCode}`);
        }
      }
    }
  }
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures`);
});
