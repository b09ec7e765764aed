// The data access API behind the safety valve: signed calls from registered clients read records (only granted
// fields, masked per decision) or verify a claim without seeing data (数据可用不可见). In one transaction each call
// is decided field by field, limited per grant, answered, and recorded — the access log row and a ledger entry
// holding the request digest, the response digest and the decision (non-repudiation).

import type { Tx } from '../../platform/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { cstDate } from '../../platform/workdays.ts';
import type { ClientActor } from '../auth/index.ts';
import { contentDigest } from '../auth/index.ts';
import { maskValue } from '../privacy/index.ts';
import { type Field, filterValue, findRecordsWhere, type RegisterFacts, registerFacts } from '../registry/index.ts';
import type { RecordsQuery, VerifyClaim } from './exchange.schemas.ts';
import * as store from './exchange.store.ts';
import type { RateLimiter } from './limits.ts';
import { grantFacts, pickGrant, type ValveDeps } from './valve.service.ts';
import type { GrantFacts, Valve, ValveAction, ValveDecision } from './valve.ts';

export interface AccessDeps extends ValveDeps {
  readonly limiter: RateLimiter;
}

/** What the zone knows of the call before the service runs. */
export interface CallContext {
  readonly requestDigest: string;
  readonly ip: string;
  readonly startedAt: number;
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
  readonly reg: RegisterFacts;
  readonly grantRow: store.GrantRow;
  readonly grant: GrantFacts;
  readonly valve: Valve;
  decide(field: Field, action: ValveAction): ValveDecision;
}

/** Loads the register and the grant the call relies on, and binds the valve to this client, grant and purpose. */
async function prepare(
  deps: AccessDeps,
  tx: Tx,
  client: ClientActor,
  code: string,
  purpose: string,
  grantId: number | undefined,
  now: Date,
): Promise<Decided> {
  const reg = await registerFacts(tx, code);
  if (!reg) throw notFound('register');
  const valve = await deps.valves.current(tx);
  const grantRow = grantId
    ? await store.findGrant(tx, grantId)
    : pickGrant(await store.findGrantsFor(tx, client.departmentId, reg.id), purpose, now);
  if (!grantRow) {
    throw denied('exchange.no_grant', 'Your department holds no grant on this register: file a share request first', {
      register: reg.code,
      policies: ['no-active-grant'],
    });
  }
  const grantRegister = grantRow.register_id === reg.id ? reg.code : `register-${grantRow.register_id}`;
  const grant = grantFacts(grantRow, grantRegister, now);
  return {
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

function fieldOf(reg: RegisterFacts, code: string, at: string): Field {
  const field = reg.fields.find((f) => f.code === code);
  if (!field) throw new AppError('exchange.unknown_field', 400, `The register has no field '${code}'`, { field: at });
  return field;
}

/** Applies the grant's rate and daily volume; throws a 429 that says when to come back. */
async function limit(deps: AccessDeps, tx: Tx, d: Decided, now: Date): Promise<void> {
  const details = { register: d.reg.code, grantId: d.grantRow.id };
  const wait = deps.limiter.take(d.grantRow.id, d.grantRow.rate_per_minute);
  if (wait > 0) {
    throw new AppError(
      'exchange.rate_limited',
      429,
      `This grant allows ${d.grantRow.rate_per_minute} calls a minute; retry in ${wait} s`,
      { ...details, retryAfter: wait },
    );
  }
  const day = cstDate(now);
  const used = await store.usageToday(tx, d.grantRow.id, day);
  if (used >= d.grantRow.daily_limit) {
    const midnight = new Date(`${day}T16:00:00Z`).getTime() + 0; // 24:00 CST
    const retryAfter = Math.max(1, Math.ceil((midnight - now.getTime()) / 1000));
    throw new AppError(
      'exchange.daily_limit',
      429,
      `This grant's daily volume of ${d.grantRow.daily_limit} calls is used up; it resets at midnight (CST)`,
      { ...details, retryAfter },
    );
  }
  await store.countUsage(tx, d.grantRow.id, day);
}

async function answer(
  deps: AccessDeps,
  tx: Tx,
  client: ClientActor,
  call: CallContext,
  d: Decided,
  entry: { operation: string; purpose: string; fields: unknown; rows: number; extra: Record<string, unknown> },
  body: string,
): Promise<Answer> {
  const digest = contentDigest(Buffer.from(body, 'utf8'));
  await store.insertAccessLog(tx, {
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
  });
  const { receiptId } = await deps.ledger.append(tx, {
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
  return { body, digest, receipt: receiptId };
}

/** Reads records through the valve: granted fields only, each clear or masked as decided. */
export async function readRecords(
  deps: AccessDeps,
  client: ClientActor,
  code: string,
  q: RecordsQuery,
  call: CallContext,
): Promise<Answer> {
  const now = deps.clock();
  const purpose = q.purpose.trim();
  return deps.db.transaction(async (tx) => {
    const d = await prepare(deps, tx, client, code, purpose, q.grant, now);
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
    const plan: Array<{ code: string; mask: ((value: unknown) => unknown) | null }> = [];
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
    await limit(deps, tx, d, now);
    const pageSize = q.limit ?? 20;
    const rows = await findRecordsWhere(tx, d.reg, { after: q.after ?? 0, limit: pageSize, where });
    const records = rows.map((r) => {
      const data: Record<string, unknown> = {};
      for (const p of plan) {
        const value = r.data[p.code];
        if (value !== undefined) data[p.code] = p.mask && value !== null ? p.mask(value) : value;
      }
      return { id: r.id, version: r.version, updatedAt: r.updatedAt, data };
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
      tx,
      client,
      call,
      d,
      {
        operation: 'records',
        purpose,
        fields: { clear, masked },
        rows: records.length,
        extra: { filters: Object.keys(where), after: q.after ?? 0 },
      },
      body,
    );
  });
}

/** Checks a claim ("this ID number is registered here") against the register without returning any data. */
export async function verifyClaim(
  deps: AccessDeps,
  client: ClientActor,
  code: string,
  input: VerifyClaim,
  call: CallContext,
): Promise<Answer> {
  const now = deps.clock();
  const purpose = input.purpose.trim();
  return deps.db.transaction(async (tx) => {
    const d = await prepare(deps, tx, client, code, purpose, input.grant, now);
    const where: Record<string, unknown> = {};
    for (const [c, value] of Object.entries(input.match)) {
      const field = fieldOf(d.reg, c, `/match/${c}`);
      const decision = d.decide(field, 'verify');
      if (!decision.allow) {
        throw denied('exchange.denied', `The safety valve refuses to verify '${c}'`, {
          register: d.reg.code,
          grantId: d.grantRow.id,
          field: c,
          policies: decision.policies,
        });
      }
      where[c] = filterValue(field, value);
    }
    await limit(deps, tx, d, now);
    const found = await findRecordsWhere(tx, d.reg, { after: 0, limit: 1, where });
    const matched = found.length > 0;
    const body = JSON.stringify({ register: d.reg.code, grant: d.grantRow.id, matched });
    return answer(
      deps,
      tx,
      client,
      call,
      d,
      {
        operation: 'verify',
        purpose,
        fields: { verified: Object.keys(where) },
        rows: 0,
        extra: { matched },
      },
      body,
    );
  });
}

/** What the zone knows of a refused call: who (as far as known), what, and why. */
export interface Denial {
  readonly client: ClientActor | undefined;
  /** The key id the request claimed, when the signature did not verify. */
  readonly claimedKeyId: string | undefined;
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly requestDigest: string | null;
  readonly responseDigest: string;
  readonly ip: string;
  readonly startedAt: number;
}

/** Records a refused exchange call: an access-log row and a ledger entry, in their own transaction. */
export async function recordDenial(deps: Pick<AccessDeps, 'db' | 'ledger'>, d: Denial): Promise<string> {
  const details = d.details ?? {};
  const register = typeof details.register === 'string' ? details.register : registerFromPath(d.path);
  const grantId = typeof details.grantId === 'number' ? details.grantId : null;
  const policies = Array.isArray(details.policies) ? (details.policies as string[]) : [];
  const keyId = d.client?.keyId ?? d.claimedKeyId ?? null;
  return deps.db.transaction(async (tx) => {
    await store.insertAccessLog(tx, {
      client_id: d.client?.clientId ?? null,
      key_id: keyId,
      department_id: d.client?.departmentId ?? null,
      operation: d.operation,
      register_code: register,
      grant_id: grantId,
      purpose: null,
      decision: 'deny',
      reason: policies.length ? `${d.code}: ${policies.join(', ')}` : d.code,
      status: d.status,
      fields: typeof details.field === 'string' ? { field: details.field } : null,
      rows: null,
      request_digest: d.requestDigest,
      response_digest: d.responseDigest,
      ip: d.ip,
      duration_ms: performance.now() - d.startedAt,
    });
    const { receiptId } = await deps.ledger.append(tx, {
      type: 'exchange.denied',
      actor: d.client ? `client:${d.client.keyId}` : keyId ? `unverified-key:${keyId}` : 'anonymous',
      subject: register ? `register:${register}` : `exchange:${d.operation}`,
      payload: {
        operation: d.operation,
        method: d.method,
        path: d.path,
        status: d.status,
        code: d.code,
        message: d.message,
        policies,
        grantId,
        field: typeof details.field === 'string' ? details.field : null,
        requestDigest: d.requestDigest,
        responseDigest: d.responseDigest,
        ip: d.ip,
      },
      readers: d.client ? [`client:${d.client.keyId}`] : [],
    });
    return receiptId;
  });
}

function registerFromPath(path: string): string | null {
  const m = /\/registers\/([0-9-]+)\//.exec(path);
  return m?.[1] ?? null;
}
