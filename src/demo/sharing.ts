// The demo's data sharing: 市人社局 (TJ-RS), whose system is the demo exchange client, holds a grant on an
// unconditional register (市场主体登记信息) and an approved conditional grant on 户籍人口基本信息 with its personal
// data masked; one more request waits for its provider, so the workbench has something to decide.
import { approveShareRequest, createShareRequest, type ExchangeDeps, listGrants } from '../modules/exchange/index.ts';
import { findStaffByUsername, loadStaffActor, type StaffActor } from '../modules/org/index.ts';
import { listCatalog } from '../modules/registry/index.ts';
import type { Db } from '../platform/db.ts';

export interface DemoGrant {
  readonly id: number;
  readonly register: string;
  readonly registerName: string;
  readonly fields: readonly string[];
  readonly clearFields: readonly string[];
  readonly purpose: string;
  readonly kind: string;
}

const SHARES = [
  {
    provider: 'TJ-SCJG',
    registerName: '市场主体登记信息',
    fields: ['credit_code', 'name', 'legal_representative', 'registered_on', 'status'],
    purpose: '单位参保登记核验企业信息',
    basis: '《社会保险法》第五十七条',
    approver: undefined,
  },
  {
    provider: 'TJ-GA',
    registerName: '户籍人口基本信息',
    fields: ['resident_id', 'name', 'gender', 'birth_date'],
    purpose: '社保待遇资格认证',
    basis: '《社会保险法》第七十二条；《国务院关于加快推进全国一体化在线政务服务平台建设的指导意见》',
    approver: 'ga.admin',
  },
  {
    provider: 'TJ-GJJ',
    registerName: '住房公积金缴存信息',
    fields: ['resident_id', 'name'],
    purpose: '灵活就业人员参保核验',
    basis: '《住房公积金管理条例》',
    approver: null, // left pending
  },
] as const;

async function actor(db: Db, username: string): Promise<StaffActor> {
  const found = await db.transaction(async (tx) => {
    const member = await findStaffByUsername(tx, username);
    return member ? loadStaffActor(tx, member.id) : undefined;
  });
  if (!found) throw new Error(`demo staff ${username} missing`);
  return found;
}

/** Files the demo's share requests once; returns the grants the demo client's department holds. */
export async function seedSharing(deps: ExchangeDeps, ownerDb: Db): Promise<DemoGrant[]> {
  const requester = await actor(ownerDb, 'rs.data');
  const existing = await listGrants(deps, requester, { side: 'outgoing' });
  const pending = await deps.db.transaction((tx) =>
    tx.selectFrom('share_requests').select('id').where('consumer_department_id', '=', requester.departmentId).execute(),
  );
  if (pending.length === 0) {
    const catalog = await listCatalog(deps, {}, { publicOnly: false });
    const validUntil = new Date(deps.clock().getTime() + 2 * 365 * 86_400_000).toISOString();
    for (const share of SHARES) {
      const register = catalog.find((r) => (r.metadata as { name: string }).name === share.registerName);
      if (!register) continue;
      const request = await createShareRequest(deps, requester, {
        registerCode: register.code,
        fields: [...share.fields],
        purpose: share.purpose,
        legalBasis: share.basis,
        validUntil,
      });
      if (share.approver) {
        await approveShareRequest(deps, await actor(ownerDb, share.approver), request.id, {
          reason: '符合共享条件；个人信息按类型脱敏提供',
        });
      }
    }
  }
  const grants = pending.length === 0 ? await listGrants(deps, requester, { side: 'outgoing' }) : existing;
  return grants
    .filter((g) => g.status === 'active')
    .map((g) => ({
      id: g.id,
      register: g.registerCode,
      registerName: g.registerName,
      fields: g.fields,
      clearFields: g.clearFields,
      purpose: g.purpose,
      kind: g.kind,
    }));
}
