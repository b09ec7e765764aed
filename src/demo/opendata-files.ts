// The demo's open data made from files (a department uploads a spreadsheet, no register behind it): each staged,
// published by a confirmed dictionary with units, and given a second version from a newer file. Also the portal's
// own usage dataset, made empty for 市政务服务办. Synthetic, seeded, idempotent.
import { Buffer } from 'node:buffer';
import {
  type OpendataDeps,
  publishFromUpload,
  publishUsage,
  releaseFromUpload,
  stageUpload,
} from '../modules/opendata/index.ts';
import { DISTRICTS } from './opendata.ts';
import { seededRandom } from './people.ts';

type Column = readonly [source: string, name: string, type: 'string' | 'integer' | 'number', unit?: string];
interface FileSpec {
  readonly department: string;
  readonly name: string;
  readonly title: string;
  readonly theme: string;
  readonly tags: readonly string[];
  readonly columns: readonly Column[];
  readonly row: (i: number, rnd: () => number) => ReadonlyArray<string | number>;
}

const FILES: readonly FileSpec[] = [
  {
    department: 'TJ-GHZY',
    name: 'ev-charging-stations',
    title: '新能源汽车公共充电站',
    theme: 'transport',
    tags: ['充电桩', '新能源汽车'],
    columns: [
      ['站点编号', 'station_id', 'string'],
      ['站点名称', 'station_name', 'string'],
      ['所在区', 'district', 'string'],
      ['充电桩数', 'chargers', 'integer', '个'],
      ['其中快充', 'fast_chargers', 'integer', '个'],
      ['服务费', 'service_fee', 'number', '元/千瓦时'],
    ],
    row: (i, rnd) => {
      const chargers = 4 + Math.floor(rnd() * 30);
      return [
        `CD${String(i).padStart(4, '0')}`,
        `${DISTRICTS[i % DISTRICTS.length]}第${i}充电站`,
        DISTRICTS[i % DISTRICTS.length] ?? '',
        chargers,
        Math.floor(chargers * rnd()),
        Math.round((0.4 + rnd() * 0.6) * 100) / 100,
      ];
    },
  },
  {
    department: 'TJ-WJ',
    name: 'hospital-beds',
    title: '医疗机构床位与门诊量',
    theme: 'health',
    tags: ['医疗', '床位'],
    columns: [
      ['机构名称', 'institution', 'string'],
      ['所在区', 'district', 'string'],
      ['编制床位', 'beds', 'integer', '张'],
      ['年门诊量', 'outpatients', 'integer', '万人次'],
      ['平均住院日', 'average_stay', 'number', '天'],
    ],
    row: (i, rnd) => [
      `天津市第${i}医院`,
      DISTRICTS[i % DISTRICTS.length] ?? '',
      200 + Math.floor(rnd() * 1800),
      10 + Math.floor(rnd() * 290),
      Math.round((5 + rnd() * 7) * 10) / 10,
    ],
  },
  {
    department: 'TJ-JW',
    name: 'public-libraries',
    title: '公共图书馆开放情况',
    theme: 'education',
    tags: ['图书馆', '公共文化'],
    columns: [
      ['图书馆', 'library', 'string'],
      ['所在区', 'district', 'string'],
      ['藏书量', 'holdings', 'integer', '万册'],
      ['阅览座位', 'seats', 'integer', '个'],
      ['周开放时长', 'weekly_hours', 'integer', '小时'],
    ],
    row: (i, rnd) => [
      `${DISTRICTS[i % DISTRICTS.length]}图书馆${i > DISTRICTS.length ? `第${Math.ceil(i / DISTRICTS.length)}分馆` : ''}`,
      DISTRICTS[i % DISTRICTS.length] ?? '',
      5 + Math.floor(rnd() * 300),
      80 + Math.floor(rnd() * 900),
      48 + Math.floor(rnd() * 40),
    ],
  },
];

const csvCell = (v: string | number) =>
  typeof v === 'string' && /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : String(v);
const csv = (spec: FileSpec, rows: number, rnd: () => number) =>
  Buffer.from(
    [spec.columns.map((c) => c[0]), ...Array.from({ length: rows }, (_, i) => spec.row(i + 1, rnd))]
      .map((r) => r.map(csvCell).join(','))
      .join('\r\n'),
  );

/** Each file-made dataset once (by name): version 1 from one file, version 2 from a newer one with more rows. */
export async function seedOpenFiles(
  deps: OpendataDeps,
  idOf: (code: string) => number,
  exists: (name: string) => Promise<boolean>,
): Promise<void> {
  for (const spec of FILES) {
    if (await exists(spec.name)) continue;
    const rnd = seededRandom(spec.name.length * 7919);
    const rows = 15 + Math.floor(rnd() * 10);
    const dictionary = {
      fields: spec.columns.map(([source, name, type, unit]) => ({
        source,
        name,
        title: source,
        type,
        ...(unit ? { unit } : {}),
      })),
      primaryKey: [spec.columns[0]?.[1] ?? ''],
    };
    const first = await stageUpload(deps, 'system', {
      departmentId: idOf(spec.department),
      filename: `${spec.title}.csv`,
      format: 'csv',
      encoding: 'utf-8',
      bytes: csv(spec, rows, seededRandom(1)),
    });
    await publishFromUpload(deps, 'system', {
      upload: first.id,
      name: spec.name,
      title: spec.title,
      notes: `${spec.title}。由主管部门按季度整理上传。`,
      theme: spec.theme,
      tags: [...spec.tags],
      licenseId: 'cc-by-4.0',
      access: 'open',
      updateCycle: 'quarterly',
      spatial: '120000',
      dictionary,
    });
    const second = await stageUpload(deps, 'system', {
      departmentId: idOf(spec.department),
      filename: `${spec.title}（更新）.csv`,
      format: 'csv',
      encoding: 'utf-8',
      bytes: csv(spec, rows + 3, seededRandom(1)),
    });
    await releaseFromUpload(deps, 'system', spec.name, { upload: second.id, note: '新增三条记录' });
  }
  await publishUsage(deps, 'TJ-ZWFW', { evenEmpty: true });
}
