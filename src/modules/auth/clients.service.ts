// API clients: the departments' systems that call the exchange zone, each with its signing key.
import { generateKeyPair, normalizePublicKey, randomToken, type SignatureAlg } from '../../platform/crypto.ts';
import { isUniqueViolation } from '../../platform/db.ts';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.ts';
import { canManageDepartment, findDepartment, isPlatformAdmin, type StaffActor } from '../org/index.ts';
import type { ApiClient, CreateClient } from './auth.schemas.ts';
import type { AuthDeps } from './auth.service.ts';
import * as store from './auth.store.ts';

const toClient = (row: store.ApiClientRow): ApiClient => ({
  id: row.id,
  keyId: row.key_id,
  departmentId: row.department_id,
  name: row.name,
  alg: row.alg,
  publicKey: row.public_key,
  status: row.status,
  createdAt: row.created_at.toISOString(),
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
});

/**
 * Registers a department's system. With a public key, the client keeps its private key to itself; without one,
 * a key pair is generated and the private key returned once, never stored.
 */
export async function createClient(
  deps: AuthDeps & { readonly defaultAlg: SignatureAlg },
  actor: StaffActor | 'system',
  input: CreateClient,
): Promise<{ client: ApiClient; privateKey?: string }> {
  if (actor !== 'system' && !canManageDepartment(actor, input.departmentId)) {
    throw forbidden("Only the department's admin registers its API clients");
  }
  const alg = input.alg ?? deps.defaultAlg;
  let publicKey: string;
  let privateKey: string | undefined;
  if (input.publicKey) {
    const normalized = normalizePublicKey(alg, input.publicKey);
    if (!normalized) throw invalid('/publicKey', `Not a valid ${alg} public key`);
    publicKey = normalized;
  } else {
    const pair = generateKeyPair(alg);
    publicKey = pair.publicKey;
    privateKey = pair.privateKey;
  }
  const row = await deps.db.transaction(async (tx) => {
    if (!(await findDepartment(tx, input.departmentId)))
      throw invalid('/departmentId', `Department ${input.departmentId} does not exist`);
    try {
      const client = await store.insertClient(tx, {
        key_id: `zt-${randomToken(12)}`,
        department_id: input.departmentId,
        name: input.name,
        alg,
        public_key: publicKey,
        created_by: actor === 'system' ? null : actor.staffId,
      });
      const by = actor === 'system' ? 'system' : `staff:${actor.staffId}`;
      await deps.ledger.append(tx, {
        type: 'auth.client.registered',
        actor: by,
        subject: `client:${client.key_id}`,
        payload: { keyId: client.key_id, departmentId: client.department_id, name: client.name, alg, publicKey },
        readers: actor === 'system' ? [] : [by],
      });
      return client;
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict('client.key_id_taken', 'Key id collision; try again');
      throw e;
    }
  });
  return privateKey ? { client: toClient(row), privateKey } : { client: toClient(row) };
}

export async function listClients(
  deps: AuthDeps,
  actor: StaffActor,
  department: number | undefined,
): Promise<ApiClient[]> {
  const managed = isPlatformAdmin(actor)
    ? undefined
    : actor.roles.filter((r) => r.role === 'department_admin').map((r) => r.departmentId);
  const departmentIds =
    department === undefined ? managed : managed && !managed.includes(department) ? [] : [department];
  const rows = await deps.db.transaction((tx) => store.findClients(tx, departmentIds ? { departmentIds } : {}));
  return rows.map(toClient);
}

export async function revokeClient(deps: AuthDeps, actor: StaffActor, id: number): Promise<ApiClient> {
  return deps.db.transaction(async (tx) => {
    const row = await store.findClient(tx, id);
    if (!row || !canManageDepartment(actor, row.department_id)) throw notFound('client');
    const revoked = await store.revokeClient(tx, id, deps.clock());
    if (!revoked) throw conflict('client.already_revoked', 'This client is already revoked');
    await deps.ledger.append(tx, {
      type: 'auth.client.revoked',
      actor: `staff:${actor.staffId}`,
      subject: `client:${revoked.key_id}`,
      payload: { keyId: revoked.key_id },
      readers: [`staff:${actor.staffId}`],
    });
    return toClient(revoked);
  });
}
