// The hostile-input sweep: every operation of every zone's OpenAPI document, called as an authenticated caller with
// invalid variants of its path, query and body — the classes attackers use (NUL, lone surrogates, numbers past
// 2^63 or not finite, 10,000-digit ids, nesting 10,000 deep, bad percent-encoding, wrong media types, missing and
// unknown fields) and fast-check's random ones. Every answer must be a 4xx in our error envelope, and no variant
// may change anything: every table's contents are hashed before and after, and the only ledger entries allowed to
// appear are the recorded refusals the exchange promises.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEMO_PASSWORD, seedDemo } from '../src/demo/demo.ts';
import { signRequest } from '../src/modules/auth/index.ts';
import type { App } from '../src/platform/http.ts';
import { accountSession, ENGINE, loginStaff, startTestPlatform } from './helpers.ts';

const p = await startTestPlatform();
const creds = await seedDemo(p.ctx);
await p.integrator.drain();

type Zone = 'public' | 'internal' | 'exchange';
const EXCHANGE_HOST = 'exchange.test';

// ---- the callers ----
const admin = await loginStaff(p, 'admin', DEMO_PASSWORD);
const person = creds.citizens.find((c) => c.kind === 'person');
assert.ok(person && creds.exchangeClient);
const citizenRes = await p.public.inject({
  method: 'POST',
  url: '/api/v1/auth/login',
  payload: { identifier: person.identifier, password: person.password },
});
assert.equal(citizenRes.statusCode, 200, citizenRes.body);
const citizen = accountSession(citizenRes);
const client = creds.exchangeClient;

// ---- real values for path parameters, so that the other parts of a request are the only thing wrong ----
const firstOf = async (app: App, url: string, headers: Record<string, string>, pick: (body: never) => unknown) => {
  const res = await app.inject({ url, headers });
  assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
  return String(pick(res.json() as never));
};
const registerCode = await firstOf(
  p.internal,
  '/api/v1/catalog/registers',
  admin.headers,
  (b: Array<{ code: string }>) => b[0]?.code,
);
const itemCode = await firstOf(p.public, '/api/v1/services/items', {}, (b: Array<{ code: string }>) => b[0]?.code);
const applicationId = await firstOf(
  p.public,
  '/api/v1/applications',
  citizen.headers,
  (b: { items?: Array<{ id: number }> } | Array<{ id: number }>) =>
    (Array.isArray(b) ? b : (b.items ?? []))[0]?.id ?? 1,
);
const applicationNumber = await firstOf(
  p.internal,
  '/api/v1/casework/inbox',
  admin.headers,
  (b: Array<{ number: string }>) => b[0]?.number ?? '120000202611290000001',
);

function pathValue(zone: Zone, path: string, name: string): string {
  if (name === 'code') {
    if (path.includes('/registers/')) return registerCode;
    if (path.includes('/items/')) return itemCode;
    if (path.includes('/regions/')) return '120101';
  }
  if (name === 'id' && zone === 'public' && path.startsWith('/api/v1/applications/')) return applicationId;
  if (name === 'number') return applicationNumber;
  if (name === 'index') return '0';
  return '1';
}

// ---- example values from the documents' schemas ----
type Schema = Record<string, unknown>;
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

const resolve = (doc: Doc, s: Schema): Schema => {
  const ref = s.$ref;
  if (typeof ref !== 'string') return s;
  const name = ref.split('/').pop() ?? '';
  return doc.components?.schemas?.[name] ?? {};
};

function example(doc: Doc, raw: Schema, depth = 0): unknown {
  const s = resolve(doc, raw);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (alternatives) {
    const first = alternatives.find((a) => resolve(doc, a).type !== 'null') ?? alternatives[0];
    return first ? example(doc, first, depth) : null;
  }
  if (Array.isArray(s.allOf)) return example(doc, (s.allOf as Schema[])[0] ?? {}, depth);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const key of (s.required ?? []) as string[])
        if (props[key] && depth < 6) out[key] = example(doc, props[key], depth + 1);
      return out;
    }
    case 'array': {
      const min = typeof s.minItems === 'number' ? s.minItems : 1;
      return depth < 6 && s.items
        ? Array.from({ length: Math.max(1, min) }, () => example(doc, s.items as Schema, depth + 1))
        : [];
    }
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 1;
    case 'boolean':
      return false;
    case 'string': {
      if (s.format === 'date') return '2026-12-01';
      if (s.format === 'date-time') return '2026-12-01T08:00:00.000Z';
      if (s.format === 'email') return 'a@example.org';
      if (s.format === 'uri') return 'https://example.org/hook';
      if (typeof s.pattern === 'string') {
        try {
          return fc.sample(fc.stringMatching(new RegExp(s.pattern)), { seed: 7, numRuns: 1 })[0];
        } catch {}
      }
      return 'x'.repeat(typeof s.minLength === 'number' ? Math.max(1, s.minLength) : 1);
    }
    default:
      return {};
  }
}

// Where in a body an invalid value may go: the leaves of the example, as JSON pointers with their kind.
function leaves(value: unknown, path: string[] = []): Array<{ path: string[]; kind: 'string' | 'number' | 'other' }> {
  if (typeof value === 'string') return [{ path, kind: 'string' }];
  if (typeof value === 'number') return [{ path, kind: 'number' }];
  if (value === null || typeof value !== 'object') return [{ path, kind: 'other' }];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return entries.flatMap(([k, v]) => leaves(v, [...path, k]));
}

const RAW = '\u0001RAW\u0001';
/** JSON text of `base` with the value at `path` replaced by the raw JSON text `rawValue` (e.g. 1e309, "\ud800"). */
function withRaw(base: unknown, path: string[], rawValue: string): string {
  if (path.length === 0) return rawValue;
  const copy = structuredClone(base) as Record<string, unknown>;
  let at: Record<string, unknown> = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string, unknown>;
  at[path[path.length - 1] as string] = RAW;
  return JSON.stringify(copy).replace(JSON.stringify(RAW), rawValue);
}

// ---- requests ----
interface Variant {
  readonly label: string;
  readonly url: string;
  readonly body?: string | undefined;
  readonly contentType?: string | undefined;
}

const APPS: Record<Zone, App> = { public: p.public, internal: p.internal, exchange: p.exchange };

async function send(zone: Zone, method: string, v: Variant) {
  const headers: Record<string, string> = {};
  if (v.contentType) headers['content-type'] = v.contentType;
  if (zone === 'internal') Object.assign(headers, admin.headers);
  if (zone === 'public') Object.assign(headers, citizen.headers);
  if (zone === 'exchange') {
    headers.host = EXCHANGE_HOST;
    Object.assign(
      headers,
      signRequest({
        method,
        url: `http://${EXCHANGE_HOST}${v.url}`,
        ...(v.body !== undefined ? { body: Buffer.from(v.body) } : {}),
        keyId: client.keyId,
        alg: client.alg as 'ed25519',
        privateKey: client.privateKeyPem,
      }),
    );
  }
  return APPS[zone].inject({
    method: method as 'GET',
    url: v.url,
    headers,
    ...(v.body !== undefined ? { payload: v.body } : {}),
  });
}

/** A 4xx in our envelope, or the reason it is not. */
function judge(res: { statusCode: number; body: string }): string | undefined {
  if (res.statusCode >= 500) return `answered ${res.statusCode}`;
  if (res.statusCode < 400) return `accepted (${res.statusCode})`;
  let parsed: { error?: { code?: unknown; message?: unknown }; requestId?: unknown };
  try {
    parsed = JSON.parse(res.body);
  } catch {
    return `not JSON: ${res.body.slice(0, 80)}`;
  }
  if (typeof parsed.error?.code !== 'string' || typeof parsed.error.message !== 'string') return 'no error envelope';
  if (typeof parsed.requestId !== 'string') return 'no requestId';
  return undefined;
}

// ---- state: every table's contents, and the ledger queue ----
const VOLATILE = new Set([
  'access_log', // refused exchange calls are recorded, by design
  'request_nonces',
  'staff_sessions',
  'account_sessions',
  'search_misses',
  'ledger_queue', // checked below by entry type
  'rate_counters',
]);
const ALLOWED_ENTRIES = ['exchange.denied', 'exchange.refusals_counted', 'auth.login.failed'];
const tables = await p.db.owner.transaction(async (tx) =>
  (
    await tx
      .selectFrom('information_schema.tables' as never)
      .select('table_name' as never)
      .where('table_schema' as never, '=', 'public' as never)
      .where('table_type' as never, '=', 'BASE TABLE' as never)
      .execute()
  )
    .map((r) => (r as { table_name: string }).table_name)
    .filter((t) => !VOLATILE.has(t))
    .sort(),
);

// Usage stamps, not state: a verified exchange call marks its client used (at most once a minute).
const row = `(to_jsonb(x) - 'last_used_at')::text`;

async function snapshot(): Promise<Map<string, string>> {
  const { sql } = await import('kysely');
  return p.db.owner.transaction(async (tx) => {
    const union = tables
      .map(
        (t) =>
          `select '${t}' as t, md5(coalesce(string_agg(md5(${row}), '' order by md5(${row})), '')) as h from "${t}" x`,
      )
      .join(' union all ');
    const rows = await sql.raw<{ t: string; h: string }>(union).execute(tx);
    const queue = await sql<{ entry_type: string; n: number }>`select entry_type, count(*)::int as n from ledger_queue
      where not (entry_type = any(${ALLOWED_ENTRIES}::text[])) group by entry_type`.execute(tx);
    const out = new Map(rows.rows.map((r) => [r.t, r.h]));
    for (const q of queue.rows) out.set(`ledger_queue:${q.entry_type}`, String(q.n));
    return out;
  });
}

const changed = (a: Map<string, string>, b: Map<string, string>) =>
  [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));

// ---- the operations ----
interface Target {
  readonly zone: Zone;
  readonly method: string;
  readonly path: string;
  readonly op: Operation;
  readonly doc: Doc;
}
const targets: Target[] = [];
for (const zone of ['public', 'internal', 'exchange'] as const) {
  const doc = (await APPS[zone].inject({ url: '/openapi.json' })).json() as Doc;
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) targets.push({ zone, method: method.toUpperCase(), path, op, doc });
  }
}

const paramsOf = (t: Target, where: 'path' | 'query') => (t.op.parameters ?? []).filter((x) => x.in === where);

function baseUrl(t: Target, pathOverride?: { name: string; raw: string }, query?: Record<string, string>): string {
  let url = t.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    pathOverride?.name === name ? pathOverride.raw : encodeURIComponent(pathValue(t.zone, t.path, name)),
  );
  const required = paramsOf(t, 'query').filter((q) => q.required);
  const qs = new URLSearchParams();
  for (const q of required) qs.set(q.name, String(example(t.doc, q.schema)));
  const rawPairs = Object.entries(query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${v}`);
  const text = [qs.toString(), ...rawPairs].filter(Boolean).join('&');
  if (text) url += `?${text}`;
  return url;
}

const jsonBodySchema = (t: Target) => t.op.requestBody?.content?.['application/json']?.schema;

// Raw (already URL-encoded) values that no path or query parameter may accept.
const BAD_URL_VALUES: ReadonlyArray<readonly [string, string]> = [
  ['NUL', '%00'],
  ['NUL inside', 'a%00b'],
  ['lone surrogate (CESU-8)', '%ED%A0%80'],
  ['bad percent-encoding', '%E0%A4%A'],
  ['stray percent', '%'],
  ['2^63', '9223372036854775808'],
  ['10,000 digits', '9'.repeat(10_000)],
  ['1e309', '1e309'],
  ['-2^63-1', '-9223372036854775809'],
];

const FILE_BODIES = new Map([
  ['/api/v1/registry/registers/{code}/import', 'text/csv'],
  ['/api/v1/uploads', 'application/pdf'],
]);

function enumerated(t: Target): Variant[] {
  const out: Variant[] = [];
  for (const param of paramsOf(t, 'path')) {
    for (const [label, raw] of BAD_URL_VALUES) {
      // A string path segment may legitimately hold digits; only numeric parameters must refuse big numbers.
      const numeric = ['integer', 'number'].includes(String(resolve(t.doc, param.schema).type));
      if (!numeric && /^-?[0-9e]+$/.test(raw) && !resolve(t.doc, param.schema).pattern) continue;
      out.push({ label: `path ${param.name}: ${label}`, url: baseUrl(t, { name: param.name, raw }) });
    }
  }
  for (const param of paramsOf(t, 'query')) {
    const s = resolve(t.doc, param.schema);
    const numeric = ['integer', 'number'].includes(String(s.type));
    for (const [label, raw] of BAD_URL_VALUES) {
      if (!numeric && /^-?[0-9e]+$/.test(raw) && !s.pattern && !s.enum && !s.format) continue;
      if (!numeric && raw === '9'.repeat(10_000) && typeof s.maxLength !== 'number') continue;
      out.push({ label: `query ${param.name}: ${label}`, url: baseUrl(t, undefined, { [param.name]: raw }) });
    }
  }
  // Any query value, declared or not, is held to the text rules.
  out.push({ label: 'undeclared query: NUL', url: baseUrl(t, undefined, { zz: '%00' }) });
  out.push({ label: 'undeclared query: lone surrogate', url: baseUrl(t, undefined, { zz: '%ED%A0%80' }) });
  out.push({ label: 'over-long path', url: `${baseUrl(t)}/${'a'.repeat(5000)}` });

  // Operations that take a file of their own media type refuse anything else, and a missing file.
  if (FILE_BODIES.has(t.path)) {
    const url = baseUrl(t);
    out.push({ label: 'file: none', url });
    out.push({
      label: 'file: empty',
      url,
      body: '',
      contentType: 'text/csv' === FILE_BODIES.get(t.path) ? 'text/csv' : 'application/pdf',
    });
    out.push({ label: 'file: JSON instead', url, body: '{"a":1}', contentType: 'application/json' });
    out.push({ label: 'file: text/plain', url, body: 'a,b\n1,2\n', contentType: 'text/plain' });
    out.push({ label: 'file: unknown type', url, body: 'GIF89a', contentType: 'image/gif' });
  }
  const schema = jsonBodySchema(t);
  if (t.method !== 'GET' && t.method !== 'DELETE') {
    const url = baseUrl(t);
    const json = 'application/json';
    out.push({ label: 'body: not JSON', url, body: '{"a":', contentType: json });
    out.push({
      label: 'body: nested 10,000 deep',
      url,
      body: `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
      contentType: json,
    });
    out.push({
      label: 'body: objects nested 10,000 deep',
      url,
      body: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
      contentType: json,
    });
    out.push({ label: 'body: lone surrogate', url, body: '"\\ud800"', contentType: json });
    out.push({ label: 'body: 1e309', url, body: '1e309', contentType: json });
    out.push({ label: 'body: NUL key', url, body: '{"\\u0000":1}', contentType: json });
    out.push({ label: 'body: __proto__', url, body: '{"__proto__":{"isAdmin":true}}', contentType: json });
    if (schema && resolve(t.doc, schema).type === 'object') {
      const base = example(t.doc, schema) as Record<string, unknown>;
      out.push({ label: 'body: array instead of object', url, body: '[]', contentType: json });
      out.push({ label: 'body: text/plain', url, body: JSON.stringify(base), contentType: 'text/plain' });
      out.push({ label: 'body: none', url });
      out.push({ label: 'body: empty JSON', url, body: '', contentType: json });
      for (const key of (resolve(t.doc, schema).required ?? []) as string[]) {
        const { [key]: _gone, ...rest } = base;
        out.push({ label: `body: without ${key}`, url, body: JSON.stringify(rest), contentType: json });
      }
      for (const leaf of leaves(base)) {
        if (leaf.path.length === 0) continue;
        const at = `body /${leaf.path.join('/')}`;
        const raw = (value: string, label: string) =>
          out.push({ label: `${at}: ${label}`, url, body: withRaw(base, leaf.path, value), contentType: json });
        if (leaf.kind === 'string') {
          raw('"a\\u0000b"', 'NUL');
          raw('"a\\ud800b"', 'lone surrogate');
          raw('"\\udfff"', 'lone low surrogate');
          raw('{"nested":true}', 'object instead of string');
        } else if (leaf.kind === 'number') {
          raw('1e309', '1e309');
          raw('-1e309', '-1e309');
          raw('9223372036854775808', '2^63');
          raw(`1${'0'.repeat(400)}`, '10^400');
          raw('"1"', 'string instead of number');
        }
      }
    }
  }
  return out;
}

// Logout takes no input that could be invalid, and a valid call would end the sweep's own session.
const skip = (t: Target) => t.path === '/api/v1/auth/logout';

test(`[${ENGINE}] every operation refuses hostile input with a 4xx in our envelope and changes nothing`, async () => {
  const failures: string[] = [];
  let sent = 0;
  for (const t of targets) {
    if (skip(t)) continue;
    const before = await snapshot();
    for (const v of enumerated(t)) {
      const res = await send(t.zone, t.method, v);
      sent++;
      const problem = judge(res);
      if (problem) failures.push(`${t.zone} ${t.method} ${t.path} — ${v.label}: ${problem} ${res.body.slice(0, 160)}`);
    }
    const diff = changed(before, await snapshot());
    if (diff.length) failures.push(`${t.zone} ${t.method} ${t.path}: state changed in ${diff.join(', ')}`);
  }
  assert.ok(sent > 2000, `swept ${sent} requests`);
  assert.deepEqual(failures.slice(0, 40), [], `${failures.length} failures`);
});

// Random hostile values in random places: strings that carry a NUL or a lone surrogate somewhere, numbers that are
// not finite or past the safe range, nesting of random depth past the limit.
const badString = fc
  .tuple(
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.constantFrom('\\u0000', '\\ud800', '\\udbff', '\\udc00'),
    fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
  )
  .map(([a, bad, b]) => `${JSON.stringify(a).slice(0, -1)}${bad}${JSON.stringify(b).slice(1)}`);
const badNumber = fc.oneof(
  fc.bigInt({ min: 2n ** 63n, max: 2n ** 200n }).map(String),
  fc.bigInt({ min: -(2n ** 200n), max: -(2n ** 63n) }).map(String),
  fc.integer({ min: 309, max: 5000 }).map((e) => `1e${e}`),
);
const badNesting = fc.integer({ min: 65, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`);

const bodyTargets = targets.filter((t) => !skip(t) && t.method !== 'GET' && t.method !== 'DELETE' && jsonBodySchema(t));
const urlTargets = targets.filter(
  (t) => !skip(t) && (paramsOf(t, 'path').length > 0 || paramsOf(t, 'query').length > 0),
);

test(`[${ENGINE}] a property sweep with random hostile values in random places finds nothing`, async () => {
  const before = await snapshot();
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...bodyTargets),
      fc.nat(),
      fc.oneof(badString, badNumber, badNesting),
      async (t, at, value) => {
        const base = example(t.doc, jsonBodySchema(t) as Schema);
        const spots = leaves(base);
        const spot = spots[at % spots.length] ?? { path: [] };
        const body = withRaw(base, spot.path, value);
        const res = await send(t.zone, t.method, {
          label: 'random',
          url: baseUrl(t),
          body,
          contentType: 'application/json',
        });
        const problem = judge(res);
        assert.equal(
          problem,
          undefined,
          `${t.method} ${t.path} /${spot.path.join('/')} = ${value.slice(0, 60)}: ${problem} ${res.body.slice(0, 200)}`,
        );
      },
    ),
    { numRuns: 300, seed: 20261202 },
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...urlTargets),
      fc.nat(),
      fc.oneof(
        fc
          .string({ unit: 'binary', minLength: 1, maxLength: 12 })
          .map((s) => `${encodeURIComponent(s.replace(/[\ud800-\udfff]/g, ''))}%00`),
        fc.constantFrom('%ED%A0%80', '%ED%BF%BF', '%C0%80', '%FF', '%E0%A4%A'),
        badNumber,
      ),
      async (t, at, raw) => {
        const params = [...paramsOf(t, 'path'), ...paramsOf(t, 'query')];
        const param = params[at % params.length];
        assert.ok(param);
        const s = resolve(t.doc, param.schema);
        const numeric = ['integer', 'number'].includes(String(s.type));
        if (!numeric && /^-?[0-9e]+$/.test(raw) && !s.pattern && !s.enum && !s.format) return; // digits are a fine string
        const url =
          param.in === 'path' ? baseUrl(t, { name: param.name, raw }) : baseUrl(t, undefined, { [param.name]: raw });
        const res = await send(t.zone, t.method, { label: 'random', url });
        const problem = judge(res);
        assert.equal(problem, undefined, `${t.method} ${url.slice(0, 120)}: ${problem} ${res.body.slice(0, 200)}`);
      },
    ),
    { numRuns: 300, seed: 20261203 },
  );
  assert.deepEqual(changed(before, await snapshot()), []);
});
