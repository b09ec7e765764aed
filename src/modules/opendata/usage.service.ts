// How much each dataset is used: views of its page, downloads of its files, CKAN API calls about it, per day. The
// counts are public, and the portal's own usage is published as an open dataset (`opendata-usage`), released once a
// month with every complete day: counts only, never who.
import type { Db } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { cstDate } from '../../platform/workdays.ts';
import { findDepartmentByCode } from '../org/index.ts';
import type { TableSchema } from './dictionary.ts';
import { afterRelease, type OpendataDeps, releaseRows } from './opendata.service.ts';
import * as store from './opendata.store.ts';
import * as usage from './usage.store.ts';

export type { UsageKind } from './usage.store.ts';

/** Counts one use of a dataset today (China Standard Time). */
export function countUse(deps: { db: Db; clock: () => Date }, datasetId: number, kind: usage.UsageKind) {
  return deps.db.transaction((tx) => usage.countUsage(tx, datasetId, cstDate(deps.clock()), kind));
}

/** A published dataset's totals and its last 30 days. */
export function datasetUsage(deps: { db: Db; clock: () => Date }, name: string) {
  return deps.db.read(async (tx) => {
    const d = await store.findDataset(tx, name);
    if (d?.state !== 'active') throw notFound('dataset');
    const from = cstDate(new Date(deps.clock().getTime() - 29 * 86_400_000));
    const t = await usage.usageTotals(tx, d.id);
    return {
      totals: { views: t.views, downloads: t.downloads, apiCalls: t.api_calls },
      days: (await usage.usageOf(tx, d.id, from)).map((u) => ({
        day: u.day,
        views: u.views,
        downloads: u.downloads,
        apiCalls: u.api_calls,
      })),
    };
  });
}

export const USAGE_DATASET = 'opendata-usage';
const USAGE_SCHEMA: TableSchema = {
  fields: [
    { name: 'dataset', title: '数据集', type: 'string', constraints: { required: true } },
    { name: 'day', title: '日期', type: 'date', constraints: { required: true } },
    { name: 'views', title: '浏览次数', type: 'integer', unit: '次' },
    { name: 'downloads', title: '下载次数', type: 'integer', unit: '次' },
    { name: 'api_calls', title: '接口调用次数', type: 'integer', unit: '次' },
  ],
};

/**
 * Releases a new version of the `opendata-usage` dataset when the current one is from an earlier month and days were
 * counted since; when the dataset does not exist, makes it for the department named (none named: nothing is made),
 * with the complete days so far (`evenEmpty`: also with none yet, as the demo does). Answers the versions released.
 */
export async function publishUsage(
  deps: OpendataDeps,
  departmentCode: string | undefined,
  options: { evenEmpty?: boolean } = {},
): Promise<number> {
  const now = deps.clock();
  const today = cstDate(now);
  return afterRelease(
    deps,
    deps.db.transaction(async (tx) => {
      // Every serving instance runs this chore; one releases, the others find it done or busy.
      if (!(await usage.claimUsageRelease(tx))) return 0;
      const existing = await store.findDataset(tx, USAGE_DATASET);
      if (existing && existing.state !== 'active') return 0;
      const current = existing && (await store.findVersions(tx, [existing.id])).at(-1);
      if (current && cstDate(current.created_at).slice(0, 7) === today.slice(0, 7)) return 0;
      const rows = await usage.usageBefore(tx, today);
      if (rows.length === 0 && !(options.evenEmpty && !existing)) return 0;
      let dataset = existing;
      if (!dataset) {
        if (!departmentCode) return 0;
        const department = await findDepartmentByCode(tx, departmentCode);
        if (!department) return 0;
        const id = await store.insertDataset(tx, {
          name: USAGE_DATASET,
          department_id: department.id,
          register_id: null,
          access: 'open',
          title: '开放数据使用情况统计',
          notes: '本门户每个开放数据集每日的浏览、下载和接口调用次数（只有次数，不含任何使用者信息），每月更新。',
          theme: 'government',
          tags: ['数据开放', '使用统计'],
          license_id: 'cc-by-4.0',
          update_cycle: 'monthly',
          spatial: null,
          temporal_start: rows.map((r) => r.day).sort()[0] ?? today,
          temporal_end: null,
          contact: null,
          fields: USAGE_SCHEMA.fields.map((f) => f.name),
          created_at: now,
          modified_at: now,
        });
        dataset = id === undefined ? undefined : await store.findDatasetById(tx, id);
        if (!dataset) return 0;
        await deps.ledger.append(tx, {
          type: 'opendata.dataset.published',
          actor: 'system',
          subject: `dataset:${dataset.uuid}`,
          payload: { name: dataset.name, access: 'open', fields: dataset.fields, source: 'usage statistics' },
        });
      }
      if (current && current.row_count === rows.length) return 0; // no day was counted since
      const table = rows.map((r) => ({ ...r }) as Record<string, unknown>);
      await releaseRows(deps, tx, 'system', dataset, USAGE_SCHEMA, table, `截至 ${today} 前一日`);
      return 1;
    }),
  );
}
