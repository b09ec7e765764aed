// The safety valve's policy: versions kept in the database (no version: the shipped default), each save validated
// against the schema and recorded in the ledger; a per-process cache of the compiled version in force; and the
// test console that answers "would this request pass, and why?".
import { createHash } from 'node:crypto';
import type { Db, Tx } from '../../platform/db.ts';
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.ts';
import { type Generation, GenerationMap } from '../../platform/generation.ts';
import { findClientByKeyId } from '../auth/index.ts';
import type { ZoneLedger } from '../ledger/index.ts';
import { hasRole, type StaffActor } from '../org/index.ts';
import { registerFacts } from '../registry/index.ts';
import { canEditPolicy, seesAll } from './exchange.policy.ts';
import type { SavePolicy, TestPolicy } from './exchange.schemas.ts';
import * as store from './exchange.store.ts';
import {
  checkPolicy,
  DEFAULT_POLICY,
  type GrantFacts,
  VALVE_ACTIONS,
  VALVE_SCHEMA,
  Valve,
  type ValveAction,
  type ValveDecision,
} from './valve.ts';

/**
 * The compiled policy in force, one per zone process. `current` checks the cache generation first (one statement);
 * the exchange's hot path uses `cached` and checks the generation in its own first statement instead.
 */
export class ValveCache {
  private readonly generation: Generation;
  private readonly slot: GenerationMap<'current', Valve>;
  private readonly compiled = new Map<string, Valve>();

  constructor(generation: Generation) {
    this.generation = generation;
    this.slot = new GenerationMap(generation, 1);
  }

  async current(q: Tx): Promise<Valve> {
    await this.generation.refresh(q);
    return this.cached(q);
  }

  cached(q: Tx): Promise<Valve> {
    return this.slot.get('current', async () => {
      const row = await store.findCurrentPolicy(q);
      const version = row?.version ?? 0;
      const text = row?.policy ?? DEFAULT_POLICY;
      const key = `${version}:${createHash('sha256').update(text).digest('hex')}`;
      let valve = this.compiled.get(key);
      if (!valve) {
        valve = Valve.compile(version, text);
        this.compiled.set(key, valve);
      }
      return valve;
    });
  }
}

export interface ValveDeps {
  readonly db: Db;
  readonly ledger: ZoneLedger;
  readonly clock: () => Date;
  readonly valves: ValveCache;
}

export function grantFacts(row: store.GrantRow, registerCode: string, now: Date): GrantFacts {
  return {
    id: row.id,
    active: row.status === 'active' && row.valid_until > now,
    kind: row.kind,
    consumerDepartmentId: row.consumer_department_id,
    registerCode,
    fields: row.fields,
    clearFields: row.clear_fields,
    purpose: row.purpose,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
  };
}

const canTest = (actor: StaffActor) =>
  seesAll(actor) || hasRole(actor, 'data_officer') || hasRole(actor, 'department_admin');

export async function getPolicy(deps: ValveDeps, actor: StaffActor) {
  if (!canTest(actor)) throw forbidden();
  return deps.db.transaction(async (tx) => {
    const row = await store.findCurrentPolicy(tx);
    const versions = await store.findPolicyVersions(tx);
    return {
      version: row?.version ?? 0,
      policy: row?.policy ?? DEFAULT_POLICY,
      comment: row?.comment ?? null,
      createdBy: row?.created_by ?? 'system',
      createdAt: row?.created_at.toISOString() ?? null,
      schema: VALVE_SCHEMA,
      versions: versions.map((v) => ({
        version: v.version,
        comment: v.comment,
        createdBy: v.created_by,
        createdAt: v.created_at.toISOString(),
      })),
    };
  });
}

export function validatePolicy(text: string) {
  const problems = checkPolicy(text);
  return { valid: problems.length === 0, problems };
}

/** Saves a new version of the policy set after validating it; a ledger entry records its digest. */
export async function savePolicy(deps: ValveDeps, actor: StaffActor, input: SavePolicy) {
  if (!canEditPolicy(actor)) throw forbidden('Only platform admins change the safety valve');
  const problems = checkPolicy(input.policy);
  if (problems.length > 0) {
    throw new AppError('exchange.policy_invalid', 400, `The policy does not validate: ${problems[0]?.message}`, {
      field: '/policy',
      problems,
    });
  }
  await deps.db.transaction(async (tx) => {
    const saved = await store.insertPolicy(tx, input.expectedVersion, {
      policy: input.policy,
      comment: input.comment?.trim() || null,
      created_by: `staff:${actor.staffId}`,
    });
    const current = await store.currentPolicyVersion(tx);
    if (!saved || current !== input.expectedVersion + 1) {
      throw conflict(
        'exchange.policy_version',
        'Someone saved the policy meanwhile; reload and apply your change again',
        {
          currentVersion: current,
        },
      );
    }
    await deps.ledger.append(tx, {
      type: 'exchange.policy.saved',
      actor: `staff:${actor.staffId}`,
      subject: `valve-policy:${saved.version}`,
      payload: {
        version: saved.version,
        sha256: createHash('sha256').update(input.policy).digest('hex'),
        comment: saved.comment,
      },
      readers: [`staff:${actor.staffId}`],
    });
  });
  return getPolicy(deps, actor);
}

/** Would this request pass? Every field's decision for every action, with the policies that decided it. */
export async function testPolicy(deps: ValveDeps, actor: StaffActor, input: TestPolicy) {
  if (!canTest(actor)) throw forbidden();
  const at = input.at ? new Date(input.at) : deps.clock();
  return deps.db.transaction(async (tx) => {
    let client: { keyId: string; departmentId: number };
    if (input.keyId) {
      const row = await findClientByKeyId(tx, input.keyId);
      if (!row) throw notFound('client');
      client = { keyId: row.key_id, departmentId: row.department_id };
    } else if (input.departmentId) {
      client = { keyId: `department-${input.departmentId}`, departmentId: input.departmentId };
    } else {
      throw new AppError('validation.failed', 400, 'Name the calling client (keyId) or its department', {
        field: '/keyId',
      });
    }
    const reg = await registerFacts(tx, input.registerCode);
    if (!reg) throw notFound('register');
    let valve: Valve;
    if (input.policy !== undefined) {
      const problems = checkPolicy(input.policy);
      if (problems.length > 0) {
        throw new AppError('exchange.policy_invalid', 400, `The draft does not validate: ${problems[0]?.message}`, {
          field: '/policy',
          problems,
        });
      }
      valve = Valve.compile(-1, input.policy, { draft: true });
    } else {
      valve = await deps.valves.current(tx);
    }
    const grantRow = input.grantId
      ? await store.findGrant(tx, input.grantId)
      : pickGrant(await store.findGrantsFor(tx, client.departmentId, reg.id), input.purpose, at);
    if (input.grantId && !grantRow) throw notFound('grant');
    const grant = grantRow
      ? grantFacts(grantRow, (await registerFacts(tx, grantRow.register_id))?.code ?? '', at)
      : undefined;
    const codes = input.fields ?? reg.fields.map((f) => f.code);
    return {
      policyVersion: valve.version,
      grantId: grant?.id ?? null,
      fields: codes.map((code) => {
        const field = reg.fields.find((f) => f.code === code);
        if (!field) throw new AppError('exchange.unknown_field', 400, `The register has no field '${code}'`);
        const decide = (action: ValveAction): ValveDecision =>
          valve.decide({
            client,
            register: { code: reg.code, providerDepartmentId: reg.departmentId, sharing: reg.sharing.type },
            field: { code: field.code, grade: field.grade, pii: field.piiType },
            action,
            purpose: input.purpose,
            now: at,
            grant,
          });
        const d = Object.fromEntries(VALVE_ACTIONS.map((a) => [a, decide(a)])) as Record<ValveAction, ValveDecision>;
        return {
          code,
          name: field.name,
          grade: field.grade,
          pii: field.piiType,
          outcome: d.readClear.allow && d.readMasked.allow ? 'clear' : d.readMasked.allow ? 'masked' : 'denied',
          ...d,
        } as const;
      }),
    };
  });
}

/** The grant a call relies on when it names none: an active one in force for the purpose, else the most telling. */
export function pickGrant(rows: readonly store.GrantRow[], purpose: string, now: Date): store.GrantRow | undefined {
  const inForce = (g: store.GrantRow) => g.status === 'active' && g.valid_from <= now && g.valid_until > now;
  return (
    rows.find((g) => inForce(g) && g.purpose === purpose) ??
    rows.find((g) => g.purpose === purpose) ??
    rows.find(inForce) ??
    rows[0]
  );
}
