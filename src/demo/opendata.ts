// The demo's open data (数据开放): small registers the departments keep for society — bus lines, hospitals, schools,
// parking, air quality — each opened as a dataset with two versions (the second after a few more records), three of
// them on conditions. Synthetic, seeded, idempotent.

import { type OpendataDeps, publishFromRegister, releaseVersion } from '../modules/opendata/index.ts';
import type { Field } from '../modules/registry/index.ts';
import { createRecord, createRegister, type RegistryDeps } from '../modules/registry/index.ts';
import { seededRandom } from './people.ts';

type Spec = {
  readonly department: string;
  readonly name: string;
  readonly title: string;
  readonly theme: string;
  readonly tags: readonly string[];
  readonly conditional?: boolean;
  readonly fields: ReadonlyArray<readonly [string, string, Field['type']]>;
  readonly row: (i: number, rnd: () => number) => Record<string, unknown>;
};

/** Tianjin's districts, as the demo's open data names them. */
export const DISTRICTS = [
  '和平区',
  '河西区',
  '南开区',
  '河东区',
  '河北区',
  '红桥区',
  '东丽区',
  '西青区',
  '津南区',
  '北辰区',
  '滨海新区',
];
const pick = <T>(list: readonly T[], rnd: () => number): T => list[Math.floor(rnd() * list.length)] as T;
const month = (i: number) => `2026-${String((i % 12) + 1).padStart(2, '0')}`;

const SPECS: readonly Spec[] = [
  {
    department: 'TJ-ZWFW',
    name: 'service-halls',
    title: '政务服务大厅名录',
    theme: 'government',
    tags: ['政务服务', '办事大厅'],
    fields: [
      ['hall_name', '大厅名称', 'string'],
      ['district', '所在区', 'string'],
      ['windows', '窗口数', 'integer'],
    ],
    row: (i, r) => ({
      hall_name: `${pick(DISTRICTS, r)}政务服务中心第${i}分中心`,
      district: pick(DISTRICTS, r),
      windows: 10 + Math.floor(r() * 60),
    }),
  },
  {
    department: 'TJ-ZWFW',
    name: 'service-items-catalog',
    title: '政务服务事项目录',
    theme: 'government',
    tags: ['政务服务', '事项'],
    fields: [
      ['item_code', '事项编码', 'string'],
      ['item_name', '事项名称', 'string'],
      ['promised_days', '承诺时限（工作日）', 'integer'],
    ],
    row: (i, r) => ({
      item_code: `120000-SX-${String(i).padStart(4, '0')}`,
      item_name: pick(['社会保障卡申领', '居民身份证换领', '个体工商户登记', '公积金提取', '出生医学证明'], r),
      promised_days: 1 + Math.floor(r() * 20),
    }),
  },
  {
    department: 'TJ-ZWFW',
    name: 'hotline-monthly',
    title: '12345热线月度受理统计',
    theme: 'government',
    tags: ['12345', '热线'],
    fields: [
      ['month', '月份', 'string'],
      ['calls', '受理量', 'integer'],
      ['satisfaction', '满意率', 'decimal'],
    ],
    row: (i, r) => ({
      month: month(i),
      calls: 80000 + Math.floor(r() * 40000),
      satisfaction: Math.round((0.9 + r() * 0.09) * 1000) / 1000,
    }),
  },
  {
    department: 'TJ-GA',
    name: 'traffic-police-stations',
    title: '交警服务站点',
    theme: 'safety',
    tags: ['交通', '服务站'],
    fields: [
      ['station', '站点名称', 'string'],
      ['district', '所在区', 'string'],
      ['services', '可办业务数', 'integer'],
    ],
    row: (i, r) => ({
      station: `交警${pick(DISTRICTS, r)}服务站${i}`,
      district: pick(DISTRICTS, r),
      services: 5 + Math.floor(r() * 30),
    }),
  },
  {
    department: 'TJ-GA',
    name: 'household-registration-monthly',
    title: '户籍业务月度办理量',
    theme: 'safety',
    tags: ['户籍', '统计'],
    fields: [
      ['month', '月份', 'string'],
      ['transactions', '办理量', 'integer'],
    ],
    row: (i, r) => ({ month: month(i), transactions: 20000 + Math.floor(r() * 9000) }),
  },
  {
    department: 'TJ-RS',
    name: 'training-institutions',
    title: '职业技能培训机构名录',
    theme: 'employment',
    tags: ['就业', '培训'],
    fields: [
      ['institution', '机构名称', 'string'],
      ['district', '所在区', 'string'],
      ['courses', '培训项目数', 'integer'],
    ],
    row: (i, r) => ({
      institution: `天津${pick(['华信', '海河', '渤海', '津门', '北方'], r)}职业培训学校${i}`,
      district: pick(DISTRICTS, r),
      courses: 3 + Math.floor(r() * 25),
    }),
  },
  {
    department: 'TJ-RS',
    name: 'job-fairs',
    title: '公共招聘会信息',
    theme: 'employment',
    tags: ['就业', '招聘会'],
    fields: [
      ['fair', '招聘会', 'string'],
      ['date', '举办日期', 'date'],
      ['employers', '参会单位数', 'integer'],
    ],
    row: (i, r) => ({
      fair: `${pick(DISTRICTS, r)}春风行动专场${i}`,
      date: `2026-${String((i % 12) + 1).padStart(2, '0')}-15`,
      employers: 30 + Math.floor(r() * 200),
    }),
  },
  {
    department: 'TJ-RS',
    name: 'pension-fund-stats',
    title: '养老保险基金收支统计',
    theme: 'employment',
    tags: ['社保', '基金'],
    conditional: true,
    fields: [
      ['month', '月份', 'string'],
      ['income', '收入（万元）', 'decimal'],
      ['expense', '支出（万元）', 'decimal'],
    ],
    row: (i, r) => ({ month: month(i), income: Math.round(r() * 900000) / 10, expense: Math.round(r() * 800000) / 10 }),
  },
  {
    department: 'TJ-YB',
    name: 'designated-pharmacies',
    title: '医保定点药店名录',
    theme: 'health',
    tags: ['医保', '药店'],
    fields: [
      ['pharmacy', '药店名称', 'string'],
      ['district', '所在区', 'string'],
      ['open_24h', '24小时营业', 'boolean'],
    ],
    row: (i, r) => ({
      pharmacy: `${pick(['老百姓', '中新', '同仁堂', '国大'], r)}大药房第${i}店`,
      district: pick(DISTRICTS, r),
      open_24h: r() < 0.3,
    }),
  },
  {
    department: 'TJ-YB',
    name: 'medical-insurance-settlement',
    title: '医保结算月度统计',
    theme: 'health',
    tags: ['医保', '结算'],
    conditional: true,
    fields: [
      ['month', '月份', 'string'],
      ['visits', '结算人次', 'integer'],
      ['amount', '统筹支付（万元）', 'decimal'],
    ],
    row: (i, r) => ({
      month: month(i),
      visits: 500000 + Math.floor(r() * 300000),
      amount: Math.round(r() * 500000) / 10,
    }),
  },
  {
    department: 'TJ-SCJG',
    name: 'market-entities-monthly',
    title: '市场主体登记月度统计',
    theme: 'economy',
    tags: ['市场主体', '登记'],
    fields: [
      ['month', '月份', 'string'],
      ['enterprises', '新设企业', 'integer'],
      ['individuals', '新设个体工商户', 'integer'],
    ],
    row: (i, r) => ({
      month: month(i),
      enterprises: 3000 + Math.floor(r() * 2000),
      individuals: 5000 + Math.floor(r() * 3000),
    }),
  },
  {
    department: 'TJ-SCJG',
    name: 'food-safety-checks',
    title: '食品安全抽检结果',
    theme: 'credit',
    tags: ['食品安全', '抽检'],
    fields: [
      ['batch', '抽检批次', 'string'],
      ['category', '食品类别', 'string'],
      ['passed', '是否合格', 'boolean'],
    ],
    row: (i, r) => ({
      batch: `SC2026${String(i).padStart(5, '0')}`,
      category: pick(['粮食加工品', '乳制品', '肉制品', '饮料', '蔬菜'], r),
      passed: r() < 0.97,
    }),
  },
  {
    department: 'TJ-GJJ',
    name: 'housing-fund-monthly',
    title: '住房公积金月度运行情况',
    theme: 'housing',
    tags: ['公积金', '统计'],
    fields: [
      ['month', '月份', 'string'],
      ['deposits', '缴存额（万元）', 'decimal'],
      ['loans', '发放贷款（笔）', 'integer'],
    ],
    row: (i, r) => ({
      month: month(i),
      deposits: Math.round(r() * 2000000) / 10,
      loans: 2000 + Math.floor(r() * 3000),
    }),
  },
  {
    department: 'TJ-GHZY',
    name: 'public-parking',
    title: '公共停车场',
    theme: 'transport',
    tags: ['停车', '交通'],
    fields: [
      ['lot', '停车场', 'string'],
      ['district', '所在区', 'string'],
      ['spaces', '泊位数', 'integer'],
    ],
    row: (i, r) => ({
      lot: `${pick(DISTRICTS, r)}公共停车场${i}`,
      district: pick(DISTRICTS, r),
      spaces: 50 + Math.floor(r() * 800),
    }),
  },
  {
    department: 'TJ-GHZY',
    name: 'land-supply',
    title: '国有建设用地供应',
    theme: 'housing',
    tags: ['土地', '供应'],
    conditional: true,
    fields: [
      ['parcel', '地块编号', 'string'],
      ['use', '用途', 'string'],
      ['area', '面积（公顷）', 'decimal'],
    ],
    row: (i, r) => ({
      parcel: `津${pick(['西青', '东丽', '津南', '北辰'], r)}（挂）2026-${String(i).padStart(3, '0')}`,
      use: pick(['住宅', '商业', '工业'], r),
      area: Math.round(r() * 3000) / 100,
    }),
  },
  {
    department: 'TJ-MZ',
    name: 'elderly-care-institutions',
    title: '养老机构名录',
    theme: 'government',
    tags: ['养老', '民政'],
    fields: [
      ['institution', '机构名称', 'string'],
      ['district', '所在区', 'string'],
      ['beds', '床位数', 'integer'],
    ],
    row: (i, r) => ({
      institution: `${pick(DISTRICTS, r)}颐养院${i}`,
      district: pick(DISTRICTS, r),
      beds: 40 + Math.floor(r() * 400),
    }),
  },
  {
    department: 'TJ-MZ',
    name: 'marriage-registration-offices',
    title: '婚姻登记处',
    theme: 'government',
    tags: ['婚姻登记', '民政'],
    fields: [
      ['office', '登记处', 'string'],
      ['district', '所在区', 'string'],
    ],
    row: (i, r) => ({
      office: `${DISTRICTS[i % DISTRICTS.length]}婚姻登记处`,
      district: DISTRICTS[i % DISTRICTS.length] ?? pick(DISTRICTS, r),
    }),
  },
  {
    department: 'TJ-WJ',
    name: 'medical-institutions',
    title: '医疗机构名录',
    theme: 'health',
    tags: ['医院', '卫生'],
    fields: [
      ['institution', '机构名称', 'string'],
      ['level', '等级', 'string'],
      ['beds', '床位数', 'integer'],
    ],
    row: (i, r) => ({
      institution: `天津市第${i}${pick(['中心医院', '人民医院', '中医医院'], r)}`,
      level: pick(['三级甲等', '三级乙等', '二级甲等'], r),
      beds: 200 + Math.floor(r() * 1500),
    }),
  },
  {
    department: 'TJ-WJ',
    name: 'vaccination-clinics',
    title: '预防接种门诊',
    theme: 'health',
    tags: ['疫苗', '接种'],
    fields: [
      ['clinic', '门诊名称', 'string'],
      ['district', '所在区', 'string'],
      ['weekend', '周末开放', 'boolean'],
    ],
    row: (i, r) => ({
      clinic: `${pick(DISTRICTS, r)}社区卫生服务中心接种门诊${i}`,
      district: pick(DISTRICTS, r),
      weekend: r() < 0.5,
    }),
  },
  {
    department: 'TJ-JW',
    name: 'schools',
    title: '中小学校名录',
    theme: 'education',
    tags: ['学校', '教育'],
    fields: [
      ['school', '学校名称', 'string'],
      ['stage', '学段', 'string'],
      ['district', '所在区', 'string'],
    ],
    row: (i, r) => ({
      school: `天津市${pick(DISTRICTS, r)}第${i}中学`,
      stage: pick(['小学', '初中', '高中', '九年一贯制'], r),
      district: pick(DISTRICTS, r),
    }),
  },
  {
    department: 'TJ-JW',
    name: 'kindergartens',
    title: '普惠性幼儿园',
    theme: 'education',
    tags: ['幼儿园', '教育'],
    fields: [
      ['kindergarten', '幼儿园', 'string'],
      ['district', '所在区', 'string'],
      ['places', '学位数', 'integer'],
    ],
    row: (i, r) => ({
      kindergarten: `${pick(DISTRICTS, r)}实验幼儿园${i}`,
      district: pick(DISTRICTS, r),
      places: 90 + Math.floor(r() * 300),
    }),
  },
  {
    department: 'TJ-GHZY',
    name: 'bus-lines',
    title: '公交线路',
    theme: 'transport',
    tags: ['公交', '交通'],
    fields: [
      ['line', '线路', 'string'],
      ['from_stop', '起点站', 'string'],
      ['to_stop', '终点站', 'string'],
      ['length_km', '线路长度（公里）', 'decimal'],
    ],
    row: (i, r) => ({
      line: `${i}路`,
      from_stop: `${pick(DISTRICTS, r)}公交站`,
      to_stop: `${pick(DISTRICTS, r)}枢纽站`,
      length_km: Math.round((5 + r() * 40) * 10) / 10,
    }),
  },
];

const fieldOf = ([code, name, type]: readonly [string, string, Field['type']], first: boolean): Field => ({
  code,
  name,
  type,
  grade: 'general',
  piiType: 'none',
  ...(first ? { required: true } : {}),
});

/** Each dataset once (by name): its register and records, version 1, then a few more records and version 2. */
export async function seedOpenData(
  deps: RegistryDeps & OpendataDeps,
  idOf: (code: string) => number,
  exists: (name: string) => Promise<boolean>,
): Promise<void> {
  const rnd = seededRandom(2026);
  for (const [n, spec] of SPECS.entries()) {
    if (await exists(spec.name)) continue;
    const register = await createRegister(deps, 'system', {
      departmentId: idOf(spec.department),
      name: spec.title,
      attribute: 'departmental',
      classification: { item: '09', subitem: String(n + 1).padStart(3, '0') },
      abstract: `${spec.title}，向社会开放。`,
      format: 'database',
      secrecy: 'non_classified',
      sharing: { type: 'unconditional', method: 'api' },
      open: spec.conditional
        ? { type: 'conditional', conditions: '用于科研与政策研究，签署安全承诺书' }
        : { type: 'open' },
      updateCycle: 'monthly',
      publishedOn: '2026-01-01',
      visibility: 'public',
      fields: spec.fields.map((f, i) => fieldOf(f, i === 0)),
    });
    const rows = 12 + Math.floor(rnd() * 18);
    for (let i = 1; i <= rows; i++) await createRecord(deps, 'system', register.code, spec.row(i, rnd));
    await publishFromRegister(deps, 'system', {
      register: register.code,
      name: spec.name,
      title: spec.title,
      notes: `${spec.title}。数据来源：本部门业务系统，按月更新。`,
      theme: spec.theme,
      tags: [...spec.tags],
      licenseId: spec.conditional ? 'gov-open-agreement' : 'cc-by-4.0',
      spatial: '120000',
    });
    for (let i = rows + 1; i <= rows + 2; i++) await createRecord(deps, 'system', register.code, spec.row(i, rnd));
    await releaseVersion(deps, 'system', spec.name, '新增两条记录');
  }
}
