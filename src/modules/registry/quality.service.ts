// A register's data quality, the provider's duty (谁提供、谁负责): completeness of its data items, validity of its
// records against the current field rules (fields can tighten after records were written), and the share of records
// under an open objection. Recomputed when records have changed since the last time; otherwise served as stored.
import type { Db } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import type { StaffActor } from '../org/index.ts';
import * as qualityStore from './quality.store.ts';
import { validateRecord } from './record-schema.ts';
import { canReadRecords } from './registry.policy.ts';
import type { Metadata } from './registry.schemas.ts';
import * as store from './registry.store.ts';

export interface Quality {
  register: string;
  score: number;
  records: number;
  completeness: number;
  validity: number;
  objectionFree: number;
  fields: Array<{ code: string; name: string; filled: number }>;
  invalidExamples: Array<{ recordId: number; field: string; message: string }>;
  computedAt: string;
}

const PAGE = 5000;
const round = (x: number) => Math.round(x * 1000) / 1000;

/** The quality of a register, recomputing it when its records changed; for those who read its records. */
export async function registerQuality(
  deps: { db: Db; clock: () => Date },
  actor: StaffActor,
  code: string,
): Promise<Quality> {
  const register = await deps.db.read((tx) => store.findRegisterByCode(tx, code));
  // The report names records and their problems: it is for those who read the records.
  if (!register || !canReadRecords(actor, register.department_id)) throw notFound('register');
  const stored = await deps.db.read((tx) => qualityStore.findQuality(tx, register.id));
  if (stored && !register.quality_dirty) return stored.details as Quality;

  const fields = (register.metadata as Metadata).fields;
  const { total, filled } = await deps.db.read((tx) =>
    qualityStore.fieldFillCounts(
      tx,
      register.id,
      fields.map((f) => f.code),
    ),
  );
  let invalid = 0;
  const invalidExamples: Quality['invalidExamples'] = [];
  for (let after = 0; ; ) {
    const rows = await deps.db.read((tx) =>
      store.findRecordPage(tx, { registerId: register.id, after, limit: PAGE, includeDeleted: false }),
    );
    for (const r of rows) {
      const problems = validateRecord(`${register.id}:${register.version}`, fields, r.data);
      if (problems.length > 0) {
        invalid++;
        const first = problems[0];
        if (first && invalidExamples.length < 20)
          invalidExamples.push({ recordId: r.id, field: first.field, message: first.message });
      }
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)?.id ?? after;
  }
  const objected = await deps.db.read((tx) => qualityStore.countRecordsWithOpenObjections(tx, register.id));
  const completeness =
    total === 0 || fields.length === 0
      ? 1
      : fields.reduce((sum, f) => sum + (filled[f.code] ?? 0) / total, 0) / fields.length;
  const validity = total === 0 ? 1 : (total - invalid) / total;
  const objectionFree = total === 0 ? 1 : (total - objected) / total;
  const quality: Quality = {
    register: code,
    score: Math.round(100 * (0.4 * completeness + 0.4 * validity + 0.2 * objectionFree)),
    records: total,
    completeness: round(completeness),
    validity: round(validity),
    objectionFree: round(objectionFree),
    fields: fields.map((f) => ({
      code: f.code,
      name: f.name,
      filled: total === 0 ? 1 : round((filled[f.code] ?? 0) / total),
    })),
    invalidExamples,
    computedAt: deps.clock().toISOString(),
  };
  await deps.db.transaction((tx) =>
    qualityStore.saveQuality(
      tx,
      register.id,
      quality.score,
      quality as unknown as Record<string, unknown>,
      deps.clock(),
    ),
  );
  return quality;
}
