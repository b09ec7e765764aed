// The demo's applications: a few hundred 办件 by synthetic residents (the same people the demo registers hold),
// in every state — drafts, waiting for acceptance, under correction, in review, awaiting parallel approval,
// concluded with a licence, rejected — made through the real use cases, so each has its timeline and receipts.

import type { AccountActor } from '../modules/auth/index.ts';
import { registerAccount } from '../modules/auth/index.ts';
import type { StaffActor } from '../modules/org/index.ts';
import { findStaffByUsername, loadStaffActor } from '../modules/org/index.ts';
import {
  type Action,
  type ApplicationsDeps,
  act,
  createDraft,
  listItems,
  saveDraft,
  submit,
} from '../modules/services/index.ts';
import type { Db } from '../platform/db.ts';
import { people } from './people.ts';

const APPLICANTS = 40;
const APPLICATIONS = 300;

async function staff(db: Db, username: string): Promise<StaffActor | undefined> {
  return db.transaction(async (tx) => {
    const m = await findStaffByUsername(tx, username);
    return m ? loadStaffActor(tx, m.id) : undefined;
  });
}

/** Seeds the demo applications once (nothing happens when any application exists). Returns how many it made. */
export async function seedApplications(
  deps: ApplicationsDeps,
  register: Parameters<typeof registerAccount>[0],
  ownerDb: Db,
  departmentCode: (id: number) => string | undefined,
): Promise<number> {
  const existing = await ownerDb.transaction((tx) =>
    tx.selectFrom('applications').select('id').limit(1).executeTakeFirst(),
  );
  if (existing) return 0;
  // Adults of the same seeded population the 户籍 register holds, so their held data is found.
  const residents = people(160)
    .filter((p) => Number(p.birthDate.slice(0, 4)) < 2004)
    .slice(0, APPLICANTS);
  const applicants: AccountActor[] = [];
  for (const p of residents) {
    try {
      applicants.push(
        (
          await registerAccount(register, {
            kind: 'person',
            name: p.name,
            residentId: p.residentId,
            password: `demo-${p.residentId.slice(-6)}!`,
          })
        ).actor,
      );
    } catch {
      // already registered by an earlier, interrupted seed: skip this resident
    }
  }
  const items = (await listItems(deps, { audience: 'person' }, { publishedOnly: true })).filter(
    (i) => !i.guide.materials.some((m) => m.source === 'upload' && m.required),
  );
  const withUploads = (await listItems(deps, { audience: 'person' }, { publishedOnly: true })).filter((i) =>
    i.guide.materials.some((m) => m.source === 'upload' && m.required),
  );
  const actors: Record<string, { clerk?: StaffActor; leader?: StaffActor }> = {
    'TJ-RS': { clerk: await staff(ownerDb, 'rs.clerk'), leader: await staff(ownerDb, 'rs.leader') },
    'TJ-GA': { clerk: await staff(ownerDb, 'ga.clerk'), leader: await staff(ownerDb, 'ga.leader') },
  };
  let made = 0;
  for (let i = 0; i < APPLICATIONS && applicants.length > 0; i++) {
    const who = applicants[i % applicants.length];
    // Items without required uploads can be submitted by the seed; the others stay drafts (the applicant's turn).
    const pool = i % 7 === 0 || items.length === 0 ? withUploads : items;
    const item = pool[i % pool.length];
    if (!who || !item) continue;
    const draft = await createDraft(deps, who, { item: item.code, idempotencyKey: `demo-${i}` });
    const saved = await saveDraft(deps, who, draft.id, {
      expectedVersion: draft.version,
      formData: { phone: `139${String(10_000_000 + i * 7919).slice(-8)}`, address: '天津市和平区' },
    });
    made++;
    if (pool === withUploads) continue;
    const submitted = await submit(deps, who, saved.id);
    const team = actors[departmentCode(item.departmentId) ?? ''];
    const stage = i % 10; // 0–1 waiting, 2 correction, 3–4 in review, 5 deciding, 6–8 concluded, 9 rejected
    if (!team?.clerk || stage < 2 || !submitted.number) continue;
    let version = submitted.version;
    const step = async (
      actor: StaffActor | undefined,
      input: { action: Action; note?: string; missing?: string[] },
    ) => {
      if (!actor) return false;
      const next = await act(deps, actor, submitted.number as string, { ...input, expectedVersion: version });
      version = next.version;
      return true;
    };
    await step(team.clerk, { action: 'accept' });
    if (stage === 2) {
      await step(team.clerk, { action: 'correct', missing: ['请补充近期照片', '请核对联系地址'], note: '一次性告知' });
      continue;
    }
    if (stage <= 4) continue;
    await step(team.clerk, { action: 'approve' });
    if (stage === 9) {
      await step(team.leader, { action: 'reject', note: '不符合受理条件：参保状态异常' });
      continue;
    }
    if (stage === 5) continue;
    const decided = await step(team.leader, { action: 'approve' });
    if (!decided) continue;
    // A parallel step waits for its other department too; the seed lets 公安 approve where it takes part.
    const ga = actors['TJ-GA']?.leader;
    try {
      await step(team.clerk, { action: 'conclude' });
    } catch {
      if (ga && ga !== team.leader) {
        await step(ga, { action: 'approve' });
        await step(team.clerk, { action: 'conclude' });
      }
    }
  }
  return made;
}
