// CKAN's Action API under hostile parameters: every action, by GET and POST, with bad numbers, broken JSON, NUL, a
// lone surrogate, arrays and objects where text goes. None answers 5xx (the CKAN routes are not in the OpenAPI
// document the platform's hostile sweep reads). Real database, real zones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENGINE, startTestPlatform } from '../../../test/helpers.ts';
import { publishBusStops } from '../../../test/opendata-fixtures.ts';

const p = await startTestPlatform();
await publishBusStops(p);

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
