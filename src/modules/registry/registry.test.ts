import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildDepartment,
  countRows,
  ENGINE,
  queuedEntries,
  registerInput,
  staffSession,
  startTestPlatform,
} from '../../../test/helpers.ts';
import { residentIdCheckChar } from '../privacy/index.ts';

const p = await startTestPlatform();
const dept = await buildDepartment(p);
const officer = await staffSession(p, ['data_officer'], dept.id);
const id = (first17: string) => first17 + residentIdCheckChar(first17);

const post = (url: string, payload: unknown, headers = officer.login.headers) =>
  p.internal.inject({ method: 'POST', url, headers, payload: payload as object });
const registers = async () => countRows(p, 'registers' as never);

async function newRegister(overrides: Record<string, unknown> = {}) {
  const res = await post('/api/v1/registry/registers', registerInput(dept.id, overrides));
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { code: string; version: number; id: number };
}

test(`[${ENGINE}] a data officer registers a resource; its code follows 类项目细目-顺序码 and it appears in the catalog`, async () => {
  const reg = await newRegister();
  assert.match(reg.code, /^101001-\d{6}$/);
  const second = await newRegister();
  assert.equal(
    Number(second.code.slice(-6)),
    Number(reg.code.slice(-6)) + 1,
    'sequence numbers are contiguous per prefix',
  );
  const pub = await p.public.inject({ method: 'GET', url: `/api/v1/catalog/registers/${reg.code}` });
  assert.equal(pub.statusCode, 200);
  assert.equal(pub.json().provider.code, dept.code);
  assert.equal(pub.json().metadata.sharing.type, 'conditional');
  const internal = await newRegister({
    name: '工作人员名册',
    attribute: 'departmental',
    baseLibrary: undefined,
    visibility: 'internal',
    classification: { item: '02', subitem: '001' },
  });
  assert.match(internal.code, /^302001-/);
  const list = (
    await p.public.inject({ method: 'GET', url: `/api/v1/catalog/registers?department=${dept.id}` })
  ).json() as Array<{ code: string }>;
  assert.ok(list.some((r) => r.code === reg.code));
  assert.ok(!list.some((r) => r.code === internal.code), 'internal registers stay out of the public catalog');
  assert.equal(
    (await p.public.inject({ method: 'GET', url: `/api/v1/catalog/registers/${internal.code}` })).statusCode,
    404,
  );
  const filtered = (
    await p.public.inject({
      method: 'GET',
      url: '/api/v1/catalog/registers?baseLibrary=population&sharingType=unconditional',
    })
  ).json();
  assert.ok(!filtered.some((r: { code: string }) => r.code === reg.code));
});

test(`[${ENGINE}] the catalog's rules refuse bad metadata and store nothing`, async () => {
  const before = await registers();
  const cases: Array<[Record<string, unknown>, number, string, string]> = [
    [{ secrecy: 'classified' }, 400, 'registry.classified', '/secrecy'],
    [
      { sharing: { type: 'conditional', conditions: '审批', method: 'api' } },
      400,
      'registry.basis_required',
      '/sharing/basis',
    ],
    [{ sharing: { type: 'none' } }, 400, 'registry.basis_required', '/sharing/basis'],
    [{ attribute: 'basic', baseLibrary: undefined }, 400, 'registry.base_library_required', '/baseLibrary'],
    [
      { fields: [{ code: 'a', name: 'A', type: 'enum', grade: 'general', piiType: 'none' }] },
      400,
      'registry.bad_fields',
      '/fields/0/enumValues',
    ],
    [
      { fields: [{ code: 'a', name: 'A', type: 'string', pattern: '([', grade: 'general', piiType: 'none' }] },
      400,
      'registry.bad_fields',
      '/fields/0/pattern',
    ],
    [
      {
        fields: [
          { code: 'a', name: 'A', type: 'string', grade: 'general', piiType: 'none' },
          { code: 'a', name: 'B', type: 'string', grade: 'general', piiType: 'none' },
        ],
      },
      400,
      'registry.bad_fields',
      '/fields/1/code',
    ],
    [
      { fields: [{ code: 'a', name: 'A', type: 'string', grade: 'secret', piiType: 'none' }] },
      400,
      'validation.failed',
      '/fields/0/grade',
    ],
    [{ classification: { item: '1', subitem: '001' } }, 400, 'validation.failed', '/classification/item'],
    [{ publishedOn: '2026-13-01' }, 400, 'validation.failed', '/publishedOn'],
  ];
  for (const [overrides, status, code, field] of cases) {
    const res = await post('/api/v1/registry/registers', registerInput(dept.id, overrides));
    assert.equal(res.statusCode, status, `${JSON.stringify(overrides)}: ${res.body}`);
    assert.equal(res.json().error.code, code, JSON.stringify(overrides));
    assert.equal(res.json().error.details.field, field, JSON.stringify(overrides));
  }
  const foreign = await post('/api/v1/registry/registers', registerInput(999999));
  assert.equal(foreign.statusCode, 403, 'a department one does not manage is refused before it is looked up');
  const clerk = await staffSession(p, ['caseworker'], dept.id);
  assert.equal((await post('/api/v1/registry/registers', registerInput(dept.id), clerk.login.headers)).statusCode, 403);
  assert.equal(await registers(), before);
});

test(`[${ENGINE}] metadata changes are versions; a stale version gets 409; the code cannot change`, async () => {
  const reg = await newRegister();
  const patch = (payload: object) =>
    p.internal.inject({
      method: 'PATCH',
      url: `/api/v1/registry/registers/${reg.code}`,
      headers: officer.login.headers,
      payload,
    });
  const ok = await patch({ expectedVersion: 1, abstract: '更新后的摘要', updateCycle: 'daily' });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().version, 2);
  const queued = await queuedEntries(p);
  const stale = await patch({ expectedVersion: 1, abstract: '过期的修改' });
  assert.equal(stale.statusCode, 409);
  assert.equal(await queuedEntries(p), queued, 'a stale change is no ledger entry');
  assert.equal(stale.json().error.code, 'register.version_conflict');
  const recode = await patch({ expectedVersion: 2, classification: { item: '09', subitem: '001' } });
  assert.equal(recode.json().error.code, 'registry.code_fixed');
  const versions = (
    await p.internal.inject({
      method: 'GET',
      url: `/api/v1/registry/registers/${reg.code}/versions`,
      headers: officer.login.headers,
    })
  ).json();
  assert.deepEqual(
    versions.map((v: { version: number }) => v.version),
    [2, 1],
  );
});

test(`[${ENGINE}] records are validated against the fields, and bad ones change nothing`, async () => {
  const reg = await newRegister();
  const url = `/api/v1/registry/registers/${reg.code}/records`;
  const good = {
    resident_id: id('12010119800101001'),
    name: '赵六',
    gender: '男',
    birth_date: '1980-01-01',
    household_size: 3,
  };
  const created = await post(url, { data: good });
  assert.equal(created.statusCode, 201, created.body);
  assert.equal(created.json().version, 1);
  const before = await countRows(p, 'records' as never);
  const queued = await queuedEntries(p);
  const bad: Array<[Record<string, unknown>, string, string]> = [
    [
      { ...good, resident_id: `${good.resident_id.slice(0, 17)}${good.resident_id[17] === '0' ? '1' : '0'}` },
      'record.invalid',
      '/data/resident_id',
    ],
    [{ ...good, household_size: '3' }, 'record.invalid', '/data/household_size'],
    [{ ...good, household_size: 99 }, 'record.invalid', '/data/household_size'],
    [{ ...good, gender: '未知' }, 'record.invalid', '/data/gender'],
    [{ ...good, birth_date: '1980-02-30' }, 'record.invalid', '/data/birth_date'],
    [{ resident_id: id('12010119800101002') }, 'record.invalid', '/data/name'],
    [{ ...good, favourite_colour: 'blue' }, 'record.invalid', '/data/favourite_colour'],
    [{ ...good }, 'record.duplicate', '/data/resident_id'],
  ];
  for (const [data, code, field] of bad) {
    const res = await post(url, { data });
    assert.equal(res.json().error?.code, code, `${JSON.stringify(data)}: ${res.body}`);
    assert.equal(res.json().error.details.field, field);
    assert.equal(res.statusCode, code === 'record.duplicate' ? 409 : 400);
  }
  assert.equal(await countRows(p, 'records' as never), before);
  assert.equal(await queuedEntries(p), queued, 'no ledger entry for a refused record');
});

test(`[${ENGINE}] updates are optimistic: of two concurrent updates from one version, one wins and one gets 409`, async () => {
  const reg = await newRegister();
  const data = { resident_id: id('12010119900101003'), name: '孙七' };
  const rec = (await post(`/api/v1/registry/registers/${reg.code}/records`, { data })).json();
  const put = (name: string) =>
    p.internal.inject({
      method: 'PUT',
      url: `/api/v1/registry/registers/${reg.code}/records/${rec.id}`,
      headers: officer.login.headers,
      payload: { expectedVersion: 1, data: { ...data, name } },
    });
  const results = await Promise.all([put('孙七甲'), put('孙七乙')]);
  assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409]);
  const loser = results.find((r) => r.statusCode === 409);
  assert.equal(loser?.json().error.code, 'record.version_conflict');
  const history = (
    await p.internal.inject({
      method: 'GET',
      url: `/api/v1/registry/registers/${reg.code}/records/${rec.id}/history`,
      headers: officer.login.headers,
    })
  ).json();
  assert.equal(history.length, 2, 'the lost update left no version');
});

test(`[${ENGINE}] history, "as of" reads and soft deletes with a reason`, async () => {
  const reg = await newRegister();
  const base = `/api/v1/registry/registers/${reg.code}/records`;
  const data = { resident_id: id('12010119750505004'), name: '周八', household_size: 2 };
  const rec = (await post(base, { data })).json();
  await new Promise((r) => setTimeout(r, 20));
  const between = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 20));
  const v2 = await p.internal.inject({
    method: 'PUT',
    url: `${base}/${rec.id}`,
    headers: officer.login.headers,
    payload: { expectedVersion: 1, data: { ...data, household_size: 4 } },
  });
  assert.equal(v2.json().version, 2);
  const asOf = await p.internal.inject({
    method: 'GET',
    url: `${base}/${rec.id}?asOf=${encodeURIComponent(between)}`,
    headers: officer.login.headers,
  });
  assert.equal(asOf.json().data.household_size, 2);
  assert.equal(asOf.json().version, 1);
  const before = await p.internal.inject({
    method: 'GET',
    url: `${base}/${rec.id}?asOf=2000-01-01T00:00:00Z`,
    headers: officer.login.headers,
  });
  assert.equal(before.statusCode, 404);

  const noReason = await p.internal.inject({
    method: 'DELETE',
    url: `${base}/${rec.id}`,
    headers: officer.login.headers,
    payload: { expectedVersion: 2 },
  });
  assert.equal(noReason.statusCode, 400);
  const del = await p.internal.inject({
    method: 'DELETE',
    url: `${base}/${rec.id}`,
    headers: officer.login.headers,
    payload: { expectedVersion: 2, reason: '户口迁出本市' },
  });
  assert.equal(del.statusCode, 200, del.body);
  assert.equal(del.json().deleted, true);
  const page = (await p.internal.inject({ method: 'GET', url: base, headers: officer.login.headers })).json();
  assert.ok(!page.records.some((r: { id: number }) => r.id === rec.id));
  const withDeleted = (
    await p.internal.inject({ method: 'GET', url: `${base}?includeDeleted=true`, headers: officer.login.headers })
  ).json();
  assert.equal(withDeleted.records.find((r: { id: number }) => r.id === rec.id)?.deleteReason, '户口迁出本市');
  const again = await p.internal.inject({
    method: 'PUT',
    url: `${base}/${rec.id}`,
    headers: officer.login.headers,
    payload: { expectedVersion: 3, data },
  });
  assert.equal(again.json().error.code, 'record.deleted');
  const reuse = await post(base, { data });
  assert.equal(reuse.statusCode, 201, 'a deleted record frees its unique key');
});

test(`[${ENGINE}] keyset pages and field filters; other departments cannot read records`, async () => {
  const reg = await newRegister();
  const base = `/api/v1/registry/registers/${reg.code}/records`;
  for (let i = 0; i < 25; i++) {
    const res = await post(base, {
      data: {
        resident_id: id(`1201011990${String(1 + (i % 12)).padStart(2, '0')}15${String(i).padStart(3, '0')}`),
        name: `居民${i}`,
        household_size: (i % 3) + 1,
      },
    });
    assert.equal(res.statusCode, 201, res.body);
  }
  const seen: number[] = [];
  let after = 0;
  for (;;) {
    const page = (
      await p.internal.inject({ method: 'GET', url: `${base}?limit=10&after=${after}`, headers: officer.login.headers })
    ).json();
    seen.push(...page.records.map((r: { id: number }) => r.id));
    if (page.next === null) break;
    after = page.next;
  }
  assert.equal(seen.length, 25);
  assert.deepEqual(
    [...seen].sort((a, b) => a - b),
    seen,
  );
  const threes = (
    await p.internal.inject({
      method: 'GET',
      url: `${base}?field=household_size&value=3&limit=100`,
      headers: officer.login.headers,
    })
  ).json();
  assert.equal(threes.records.length, 8);
  assert.ok(threes.records.every((r: { data: { household_size: number } }) => r.data.household_size === 3));
  const badField = await p.internal.inject({
    method: 'GET',
    url: `${base}?field=nope&value=1`,
    headers: officer.login.headers,
  });
  assert.equal(badField.statusCode, 400);

  const stranger = await staffSession(p, ['data_officer']);
  assert.equal(
    (await p.internal.inject({ method: 'GET', url: base, headers: stranger.login.headers })).statusCode,
    404,
  );
  assert.equal(
    (await post(base, { data: { resident_id: id('12010119900101005'), name: 'x' } }, stranger.login.headers))
      .statusCode,
    404,
  );
});

test(`[${ENGINE}] every record change is a ledger entry holding a digest, not the data`, async () => {
  const reg = await newRegister();
  await post(`/api/v1/registry/registers/${reg.code}/records`, {
    data: { resident_id: id('12010119880808006'), name: '吴九' },
  });
  const queued = await p.db.owner.transaction((tx) =>
    tx
      .selectFrom('ledger_queue')
      .select(['entry_type', 'payload', 'subject'])
      .where('entry_type', '=', 'registry.record.created')
      .execute(),
  );
  const mine = queued.find((q) => q.subject.startsWith(`record:${reg.code}:`));
  assert.ok(mine);
  assert.ok(
    !mine.payload.includes('吴九') && !mine.payload.includes('120101'),
    'the entry holds a digest, not the record',
  );
  assert.match(mine.payload, /"dataDigest":"[A-Za-z0-9+/]{43}="/);
  await p.integrator.drain();
});

test(`[${ENGINE}] a code-list field only takes keys of the register it names (records and imports)`, async () => {
  const listRes = await post(
    '/api/v1/registry/registers',
    registerInput(dept.id, {
      name: '行政区划代码表',
      attribute: 'departmental',
      baseLibrary: undefined,
      classification: { item: '12', subitem: '001' },
      sharing: { type: 'unconditional', method: 'api' },
      fields: [
        { code: 'code', name: '代码', type: 'string', required: true, unique: true, grade: 'general', piiType: 'none' },
        { code: 'name', name: '名称', type: 'string', required: true, grade: 'general', piiType: 'none' },
      ],
    }),
  );
  assert.equal(listRes.statusCode, 201, listRes.body);
  const list = listRes.json();
  for (const [code, name] of [
    ['120101', '和平区'],
    ['120116', '滨海新区'],
  ]) {
    assert.equal(
      (await post(`/api/v1/registry/registers/${list.code}/records`, { data: { code, name } })).statusCode,
      201,
    );
  }
  const districtField = {
    code: 'district',
    name: '所在区',
    type: 'code_list',
    codeList: list.code,
    required: true,
    grade: 'general',
    piiType: 'none',
  };
  const noSuchList = await post(
    '/api/v1/registry/registers',
    registerInput(dept.id, { fields: [{ ...districtField, codeList: '399999-000001' }] }),
  );
  assert.equal(noSuchList.json().error.details.field, '/fields/0/codeList');
  const reg = await newRegister({
    fields: [
      { code: 'name', name: '名称', type: 'string', required: true, grade: 'general', piiType: 'none' },
      districtField,
    ],
  });
  const ok = await post(`/api/v1/registry/registers/${reg.code}/records`, { data: { name: '甲', district: '120116' } });
  assert.equal(ok.statusCode, 201, ok.body);
  const bad = await post(`/api/v1/registry/registers/${reg.code}/records`, {
    data: { name: '乙', district: '999999' },
  });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.details.field, '/data/district');
  assert.match(bad.json().error.message, /not in code list/);
  const imported = await p.internal.inject({
    method: 'POST',
    url: `/api/v1/registry/registers/${reg.code}/import?skipInvalid=true`,
    headers: { ...officer.login.headers, 'content-type': 'text/csv' },
    payload: '名称,所在区\n丙,120101\n丁,120199\n',
  });
  assert.deepEqual([imported.json().inserted, imported.json().invalid], [1, 1], imported.body);
  assert.equal(imported.json().errors[0].value, '120199');
});

test(`[${ENGINE}] the open attribute takes only the configured values`, async () => {
  const bad = await post('/api/v1/registry/registers', registerInput(dept.id, { open: { type: 'partly' } }));
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.code, 'registry.open_type');
  assert.equal(bad.json().error.details.field, '/open/type');
  const local = await startTestPlatform({ env: { ZT_OPEN_TYPES: 'open,by_application,closed' } });
  const d = await buildDepartment(local);
  const o = await staffSession(local, ['data_officer'], d.id);
  const res = await local.internal.inject({
    method: 'POST',
    url: '/api/v1/registry/registers',
    headers: o.login.headers,
    payload: registerInput(d.id, { open: { type: 'by_application' } }),
  });
  assert.equal(res.statusCode, 201, res.body);
});
