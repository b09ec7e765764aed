// "Collect once" for the back office: when a department handles an application, the materials the government
// already holds are checked in their registers instead of being asked for. Another department's register is read
// only through the safety valve, under a grant the handling department holds — as a `verify` (does a record with
// this key exist?), which yields a reference, never a copy — and each check is logged and ledgered like any
// exchange call. A department's own registers need no grant.
import type { Tx } from '../../platform/db.ts';
import type { ZoneLedger } from '../ledger/index.ts';
import { findRecordsWhere, registerFacts } from '../registry/index.ts';
import * as store from './exchange.store.ts';
import { grantFacts, pickGrant, type ValveCache } from './valve.service.ts';

export interface HeldDeps {
  readonly valves: ValveCache;
  readonly ledger: ZoneLedger;
  readonly clock: () => Date;
}

export type HeldResult =
  | { readonly recordId: number; readonly version: number; readonly via: 'own' | 'grant'; readonly grantId?: number }
  | { readonly missing: true; readonly reason: string };

/** Whether a register holds a live record whose `field` equals `value`, as the handling department may know it. */
export async function checkHeldRecord(
  deps: HeldDeps,
  tx: Tx,
  input: { departmentId: number; actor: string; register: string; field: string; value: string; subject: string },
): Promise<HeldResult> {
  const reg = await registerFacts(tx, input.register);
  const field = reg?.fields.find((f) => f.code === input.field);
  if (!reg || !field) return { missing: true, reason: 'no such register or field' };
  const find = async () =>
    (await findRecordsWhere(tx, reg, { after: 0, limit: 1, where: { [field.code]: input.value } }))[0];
  if (reg.departmentId === input.departmentId) {
    const hit = await find();
    return hit
      ? { recordId: hit.id, version: hit.version, via: 'own' }
      : { missing: true, reason: 'not in the register' };
  }
  const now = deps.clock();
  const grantRow = pickGrant(await store.findGrantsFor(tx, input.departmentId, reg.id), '', now);
  const grant = grantRow && grantFacts(grantRow, reg.code, now);
  const valve = await deps.valves.current(tx);
  const decision = grant
    ? valve.decide({
        client: { keyId: `department-${input.departmentId}`, departmentId: input.departmentId },
        register: { code: reg.code, providerDepartmentId: reg.departmentId, sharing: reg.sharing.type },
        field: { code: field.code, grade: field.grade, pii: field.piiType },
        action: 'verify',
        purpose: grant.purpose,
        now,
        grant,
      })
    : { allow: false, policies: ['no-active-grant'] };
  const hit = decision.allow ? await find() : undefined;
  const reason = decision.allow ? null : `exchange.denied: ${decision.policies.join(', ')}`;
  await store.insertAccessLog(tx, {
    client_id: null,
    key_id: null,
    department_id: input.departmentId,
    operation: 'fetch',
    register_code: reg.code,
    grant_id: grantRow?.id ?? null,
    purpose: grant?.purpose ?? null,
    decision: decision.allow ? 'allow' : 'deny',
    reason,
    status: decision.allow ? 200 : 403,
    fields: { verified: [field.code] },
    rows: hit ? 1 : 0,
    request_digest: null,
    response_digest: null,
    ip: null,
    duration_ms: null,
  });
  await deps.ledger.append(tx, {
    type: decision.allow ? 'exchange.access' : 'exchange.denied',
    actor: input.actor,
    subject: `register:${reg.code}`,
    payload: {
      operation: 'fetch',
      decision: decision.allow ? 'allow' : 'deny',
      register: reg.code,
      grantId: grantRow?.id ?? null,
      departmentId: input.departmentId,
      policies: decision.policies,
      matched: Boolean(hit),
      for: input.subject,
    },
    readers: [input.actor],
  });
  if (!decision.allow) return { missing: true, reason: reason ?? 'denied' };
  return hit
    ? { recordId: hit.id, version: hit.version, via: 'grant', ...(grantRow ? { grantId: grantRow.id } : {}) }
    : { missing: true, reason: 'not in the register' };
}
