// The data access API behind the safety valve: signed calls from registered clients read records (only granted
// fields, masked per decision) or verify a claim without seeing data (数据可用不可见). In one transaction each call
// is decided field by field, limited per grant, answered, and recorded — the access log row and a ledger entry
// holding the request digest, the response digest and the decision (non-repudiation).

import type { RawBuilder } from 'kysely';
import type { LeasedBudget } from '../../platform/counters.ts';
import type { SecretBox } from '../../platform/crypto.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Generation, readGeneration } from '../../platform/generation.ts';
import { cstDate } from '../../platform/workdays.ts';
import { type ClientActor, type ClientCache, checkSignature, contentDigest, sweepNonces } from '../auth/index.ts';
import type { RequestParts } from '../auth/signatures.ts';
import { maskValue } from '../privacy/index.ts';
import { type Field, filterValue, parseRecordsJson, type RegisterFacts, recordsWhereSql } from '../registry/index.ts';
import type { AnswerWriter } from './answer-writer.ts';
import type { ExchangeCache } from './exchange.cache.ts';
import type { RecordsQuery, VerifyClaim } from './exchange.schemas.ts';
import * as store from './exchange.store.ts';
import { grantFacts, pickGrant, type ValveDeps } from './valve.service.ts';
import type { GrantFacts, Valve, ValveAction, ValveDecision } from './valve.ts';

export interface AccessDeps extends ValveDeps {
  readonly limiter: LeasedBudget;
  readonly generation: Generation;
  readonly clients: ClientCache;
  readonly cache: ExchangeCache;
  readonly secrets: SecretBox;
  readonly writer: AnswerWriter;
}

/** What the zone knows of the call before the service runs. */
export interface CallContext {
  readonly requestDigest: string;
  readonly ip: string;
  readonly startedAt: number;
  /** The verified request's nonce, recorded by the service's first statement. */
  readonly nonce: { readonly keyId: string; readonly nonce: string; readonly parts: RequestParts } | undefined;
}

/** A prepared answer: the exact body bytes, their digest (also the Content-Digest) and the ledger receipt. */
export interface Answer {
  readonly body: string;
  readonly digest: string;
  readonly receipt: string;
}

const MAX_FIELDS = 300;

/** A 403 that says which rule refused, for the caller and for the denial record. */
function denied(code: string, message: string, details: Record<string, unknown>): AppError {
  return new AppError(code, 403, message, details);
}

interface Decided {
  readonly client: ClientActor;
  readonly reg: RegisterFacts;
  readonly grantRow: store.GrantRow;
  readonly grant: GrantFacts;
  readonly valve: Valve;
  decide(field: Field, action: ValveAction): ValveDecision;
}

/**
 * Binds the valve to this client, register, grant and purpose, from the caches (no round trip when warm). The
 * caches are checked by `admit`, which redoes this on fresh rows when they were stale.
 */
async function prepare(
  deps: AccessDeps,
  client: ClientActor,
  code: string,
  purpose: string,
  grantId: number | undefined,
  now: Date,
): Promise<Decided> {
  const reg = await deps.cache.register(deps.db, code);
  if (!reg) throw notFound('register');
  const valve = await deps.db.read((q) => deps.valves.cached(q));
  const grantRow = grantId
    ? await deps.cache.grant(deps.db, grantId)
    : pickGrant(await deps.cache.grants(deps.db, client.departmentId, reg.id), purpose, now);
  if (!grantRow) {
    throw denied('exchange.no_grant', 'Your department holds no grant on this register: file a share request first', {
      register: reg.code,
      policies: ['no-active-grant'],
    });
  }
  const grantRegister = grantRow.register_id === reg.id ? reg.code : `register-${grantRow.register_id}`;
  const grant = grantFacts(grantRow, grantRegister, now);
  return {
    client,
    reg,
    grantRow,
    grant,
    valve,
    decide: (field, action) =>
      valve.decide({
        client: { keyId: client.keyId, departmentId: client.departmentId },
        register: { code: reg.code, providerDepartmentId: reg.departmentId, sharing: reg.sharing.type },
        field: { code: field.code, grade: field.grade, pii: field.piiType },
        action,
        purpose,
        now,
        grant,
      }),
  };
}

/** What a call decided before touching the database, and the read it needs. */
interface Bound {
  readonly d: Decided;
  /** The call's data read (an SQL expression), evaluated in the first statement. */
  readonly read: RawBuilder<unknown>;
}

/**
 * The call's one read: checks the caches are current, reads the grant's usage today and evaluates the call's data
 * read, in one statement (no write: the nonce is recorded with the call's answer). When the caches were stale they
 * are dropped, and the signature and the decisions are made again on fresh rows before reading again.
 */
async function admit(
  deps: AccessDeps,
  client: ClientActor,
  call: CallContext,
  bind: (client: ClientActor) => Promise<Bound>,
  now: Date,
): Promise<{ bound: Bound; used: number; data: unknown }> {
  const day = cstDate(now);
  const nonce = call.nonce;
  if (!nonce) throw new Error('exchange data calls record their own nonce (route config deferNonce)');
  await sweepNonces(deps);
  const read = async (b: Bound) => {
    // A prepared statement: its text depends only on the shape of the call, so PostgreSQL plans it once.
    const [r] = await deps.db.prepared(store.admitSql(b.d.grantRow.id, day, b.read));
    const x = json(r?.x);
    return { generation: Number(r?.generation), used: Number(x.used ?? 0), data: x.data };
  };
  const rebind = async () => {
    const fresh = (await checkSignature(deps, nonce.parts)).client;
    return bind(fresh);
  };
  let bound: Bound;
  try {
    bound = await bind(client);
  } catch (refusal) {
    // A refusal from the caches stands only if they are current (a grant may have just been approved).
    if (deps.generation.observe(await deps.db.read(readGeneration))) throw refusal;
    bound = await rebind();
  }
  let r = await read(bound);
  if (!deps.generation.observe(r.generation)) {
    bound = await rebind();
    r = await read(bound);
    deps.generation.observe(r.generation);
  }
  return { bound, used: r.used, data: r.data };
}

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : (v ?? {})) as { used?: number; data?: unknown };

const replayed = () => new AppError('signature.replayed', 401, 'This nonce was already used: a replayed request');

function fieldOf(reg: RegisterFacts, code: string, at: string): Field {
  const field = reg.fields.find((f) => f.code === code);
  if (!field) throw new AppError('exchange.unknown_field', 400, `The register has no field '${code}'`, { field: at });
  return field;
}

/** Applies the grant's rate and daily volume (both across instances); throws a 429 that says when to come back. */
async function limit(deps: AccessDeps, d: Decided, used: number, now: Date): Promise<void> {
  const details = { register: d.reg.code, grantId: d.grantRow.id };
  if (used >= d.grantRow.daily_limit) {
    const midnight = new Date(`${cstDate(now)}T16:00:00Z`).getTime(); // 24:00 CST
    const retryAfter = Math.max(1, Math.ceil((midnight - now.getTime()) / 1000));
    throw new AppError(
      'exchange.daily_limit',
      429,
      `This grant's daily volume of ${d.grantRow.daily_limit} calls is used up; it resets at midnight (CST)`,
      { ...details, retryAfter },
    );
  }
  const wait = await deps.limiter.take(`exchange.grant:${d.grantRow.id}`, 60_000, d.grantRow.rate_per_minute);
  if (wait > 0) {
    throw new AppError(
      'exchange.rate_limited',
      429,
      `This grant allows ${d.grantRow.rate_per_minute} calls a minute; retry in ${wait} s`,
      { ...details, retryAfter: wait },
    );
  }
}

/**
 * Commits the call's records before it is answered — its count against the grant's daily volume, the access-log
 * row and the ledger entry (request digest, response digest, decision) — with other calls finishing at the same
 * time (group commit).
 */
async function answer(
  deps: AccessDeps,
  call: CallContext,
  d: Decided,
  now: Date,
  entry: { operation: string; purpose: string; fields: unknown; rows: number; extra: Record<string, unknown> },
  body: string,
): Promise<Answer> {
  const digest = contentDigest(Buffer.from(body, 'utf8'));
  const client = d.client;
  const ledger = deps.ledger.prepare({
    type: 'exchange.access',
    actor: `client:${client.keyId}`,
    subject: `register:${d.reg.code}`,
    payload: {
      operation: entry.operation,
      decision: 'allow',
      register: d.reg.code,
      grantId: d.grantRow.id,
      purpose: entry.purpose,
      policyVersion: d.valve.version,
      fields: entry.fields,
      rows: entry.rows,
      requestDigest: call.requestDigest,
      responseDigest: digest,
      ...entry.extra,
    },
    readers: [`client:${client.keyId}`],
  });
  const fresh = await deps.writer.write({
    nonce: { keyId: client.keyId, nonce: call.nonce?.nonce ?? '' },
    usage: { grantId: d.grantRow.id, day: cstDate(now) },
    log: {
      client_id: client.clientId,
      key_id: client.keyId,
      department_id: client.departmentId,
      operation: entry.operation,
      register_code: d.reg.code,
      grant_id: d.grantRow.id,
      purpose: entry.purpose,
      decision: 'allow',
      reason: null,
      status: 200,
      fields: entry.fields,
      rows: entry.rows,
      request_digest: call.requestDigest,
      response_digest: digest,
      ip: call.ip,
      duration_ms: performance.now() - call.startedAt,
    },
    ledger,
  });
  if (!fresh) throw replayed();
  return { body, digest, receipt: ledger.receiptId };
}

/** Reads records through the valve: granted fields only, each clear or masked as decided. */
export async function readRecords(
  deps: AccessDeps,
  caller: ClientActor,
  code: string,
  q: RecordsQuery,
  call: CallContext,
): Promise<Answer> {
  const now = deps.clock();
  const purpose = q.purpose.trim();
  const pageSize = q.limit ?? 20;
  let shape: { clear: string[]; masked: string[]; plan: Plan; where: Record<string, unknown> } | undefined;
  const { bound, used, data } = await admit(
    deps,
    caller,
    call,
    async (c) => {
      const d = await prepare(deps, c, code, purpose, q.grant, now);
      shape = decideFields(d, q);
      return { d, read: recordsWhereSql(d.reg, { after: q.after ?? 0, limit: pageSize, where: shape.where }) };
    },
    now,
  );
  const d = bound.d;
  const { clear, masked, plan, where } = shape ?? decideFields(d, q);
  await limit(deps, d, used, now);
  const rows = parseRecordsJson(data ?? []);
  const records = rows.map((r) => {
    const out: Record<string, unknown> = {};
    for (const p of plan) {
      const value = r.data[p.code];
      if (value !== undefined) out[p.code] = p.mask && value !== null ? p.mask(value) : value;
    }
    return { id: r.id, version: r.version, updatedAt: r.updatedAt, data: out };
  });
  const body = JSON.stringify({
    register: d.reg.code,
    grant: d.grantRow.id,
    fields: { clear, masked },
    records,
    next: rows.length === pageSize ? (rows.at(-1)?.id ?? null) : null,
  });
  return answer(
    deps,
    call,
    d,
    now,
    {
      operation: 'records',
      purpose,
      fields: { clear, masked },
      rows: records.length,
      extra: { filters: Object.keys(where), after: q.after ?? 0 },
    },
    body,
  );
}

type Plan = Array<{ code: string; mask: ((value: unknown) => unknown) | null }>;

/** Which fields leave, clear or masked, and which filters apply: the valve's decisions for one call. */
function decideFields(d: Decided, q: RecordsQuery) {
  const explicit = q.fields !== undefined;
  const codes = explicit
    ? [
        ...new Set(
          (q.fields ?? '')
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ]
    : d.grant.fields.length > 0
      ? [...d.grant.fields]
      : d.reg.fields.map((f) => f.code);
  if (codes.length === 0 || codes.length > MAX_FIELDS) {
    throw new AppError('validation.failed', 400, `Ask for 1 to ${MAX_FIELDS} fields`, { field: '/fields' });
  }
  const clear: string[] = [];
  const masked: string[] = [];
  const plan: Plan = [];
  let firstDenial: { field: string; policies: readonly string[] } | undefined;
  for (const c of codes) {
    const field = fieldOf(d.reg, c, '/fields');
    const m = d.decide(field, 'readMasked');
    if (!m.allow) {
      firstDenial ??= { field: c, policies: m.policies };
      if (explicit) break;
      continue;
    }
    if (d.decide(field, 'readClear').allow) {
      clear.push(c);
      plan.push({ code: c, mask: null });
    } else {
      masked.push(c);
      // A value withheld in clear that is not personal data has no partial form: it is hidden whole.
      const pii = field.piiType;
      plan.push({ code: c, mask: pii === 'none' ? () => '******' : (v) => maskValue(pii, v) });
    }
  }
  if (firstDenial && (explicit || plan.length === 0)) {
    throw denied('exchange.denied', `The safety valve refuses field '${firstDenial.field}'`, {
      register: d.reg.code,
      grantId: d.grantRow.id,
      field: firstDenial.field,
      policies: firstDenial.policies,
    });
  }
  const where: Record<string, unknown> = {};
  for (const f of q.filter ?? []) {
    const colon = f.indexOf(':');
    const field = fieldOf(d.reg, f.slice(0, colon), '/filter');
    const decision = d.decide(field, 'filter');
    if (!decision.allow) {
      throw denied('exchange.filter_denied', `Filtering on '${field.code}' would reveal what is masked or withheld`, {
        register: d.reg.code,
        grantId: d.grantRow.id,
        field: field.code,
        policies: decision.policies,
      });
    }
    if (field.code in where) {
      throw new AppError('validation.failed', 400, `Filter '${field.code}' once`, { field: '/filter' });
    }
    where[field.code] = filterValue(field, f.slice(colon + 1));
  }
  return { clear, masked, plan, where };
}

/** Checks a claim ("this ID number is registered here") against the register without returning any data. */
export async function verifyClaim(
  deps: AccessDeps,
  caller: ClientActor,
  code: string,
  input: VerifyClaim,
  call: CallContext,
): Promise<Answer> {
  const now = deps.clock();
  const purpose = input.purpose.trim();
  let where: Record<string, unknown> = {};
  const { bound, used, data } = await admit(
    deps,
    caller,
    call,
    async (c) => {
      const d = await prepare(deps, c, code, purpose, input.grant, now);
      where = {};
      for (const [f, value] of Object.entries(input.match)) {
        const field = fieldOf(d.reg, f, `/match/${f}`);
        const decision = d.decide(field, 'verify');
        if (!decision.allow) {
          throw denied('exchange.denied', `The safety valve refuses to verify '${f}'`, {
            register: d.reg.code,
            grantId: d.grantRow.id,
            field: f,
            policies: decision.policies,
          });
        }
        where[f] = filterValue(field, value);
      }
      return { d, read: recordsWhereSql(d.reg, { after: 0, limit: 1, where }) };
    },
    now,
  );
  const d = bound.d;
  await limit(deps, d, used, now);
  const matched = parseRecordsJson(data ?? []).length > 0;
  const body = JSON.stringify({ register: d.reg.code, grant: d.grantRow.id, matched });
  return answer(
    deps,
    call,
    d,
    now,
    { operation: 'verify', purpose, fields: { verified: Object.keys(where) }, rows: 0, extra: { matched } },
    body,
  );
}
