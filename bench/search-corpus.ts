// The search benchmark's corpus and queries, generated the same way every run: 100,000 service items built from
// 50 things (社会保障卡, 住房公积金, …, each with the name people use), 20 actions, 17 regions of 天津 and 6
// qualifiers; and 1,000 queries of the kinds people type, each judged against the corpus by construction.
import { pinyin } from 'pinyin-pro';
import { seededRandom } from '../src/demo/people.ts';
import type { SearchDoc } from '../src/modules/search/index.ts';

const THINGS: readonly [name: string, alias: string][] = [
  ['社会保障卡', '社保卡'],
  ['住房公积金', '公积金'],
  ['不动产权证书', '房产证'],
  ['营业执照', '执照'],
  ['居民身份证', '身份证'],
  ['机动车驾驶证', '驾照'],
  ['居住证', '暂住证'],
  ['基本养老保险', '养老保险'],
  ['失业保险金', '失业金'],
  ['基本医疗保险', '医保'],
  ['户口', '户籍'],
  ['出生医学证明', '出生证'],
  ['结婚登记', '结婚证'],
  ['残疾人证', '残疾证'],
  ['最低生活保障', '低保'],
  ['高龄津贴', '高龄补贴'],
  ['教师资格', '教资'],
  ['学籍', '学籍证明'],
  ['食品经营许可证', '食品许可'],
  ['排水许可', '排水证'],
  ['建筑工程施工许可证', '施工许可'],
  ['道路运输经营许可证', '运输许可'],
  ['普通护照', '护照'],
  ['港澳通行证', '通行证'],
  ['机动车登记', '上牌'],
  ['危险化学品经营许可证', '危化品许可'],
  ['药品经营许可证', '药品许可'],
  ['医疗机构执业许可证', '医疗执业许可'],
  ['城市绿化许可', '绿化许可'],
  ['公共场所卫生许可证', '卫生许可证'],
  ['个体工商户', '个体户'],
  ['专利权', '专利'],
  ['注册商标', '商标'],
  ['社会团体', '社团'],
  ['民办非企业单位', '民非'],
  ['宗教活动场所', '宗教场所'],
  ['渔业捕捞许可证', '捕捞证'],
  ['林木采伐许可证', '采伐证'],
  ['取水许可', '取水证'],
  ['人才引进', '人才落户'],
  ['异地就医', '异地医保'],
  ['退役军人优待证', '优待证'],
  ['志愿服务证明', '志愿者证明'],
  ['电动自行车登记', '电动车上牌'],
  ['养犬登记', '狗证'],
  ['房屋租赁登记备案', '租房备案'],
  ['契税申报', '契税'],
  ['个人所得税', '个税'],
  ['增值税发票', '发票'],
  ['城乡居民医保缴费', '医保缴费'],
];
const ACTIONS = [
  '申领',
  '补领',
  '换领',
  '变更',
  '注销',
  '延续',
  '查询',
  '证明开具',
  '备案',
  '转移接续',
  '年检',
  '挂失',
  '核发',
  '审批',
  '登记',
  '认定',
  '预约',
  '提取',
  '缴纳',
  '撤销',
] as const;
const REGIONS: readonly [code: string, name: string][] = [
  ['120000', '天津市'],
  ['120101', '和平区'],
  ['120102', '河东区'],
  ['120103', '河西区'],
  ['120104', '南开区'],
  ['120105', '河北区'],
  ['120106', '红桥区'],
  ['120110', '东丽区'],
  ['120111', '西青区'],
  ['120112', '津南区'],
  ['120113', '北辰区'],
  ['120114', '武清区'],
  ['120115', '宝坻区'],
  ['120116', '滨海新区'],
  ['120117', '宁河区'],
  ['120118', '静海区'],
  ['120119', '蓟州区'],
];
const QUALIFIERS = ['', '（个人）', '（企业）', '（首次）', '（网上办理）', '（跨省通办）'];
const CONDITIONS = [
  '申请人应为本市户籍或持有有效居住证的常住人口',
  '符合国家和本市相关规定，材料真实有效',
  '申请人无不良信用记录，近三年内未受过相关行政处罚',
  '法人或其他组织依法设立并有效存续',
  '在本市连续缴纳社会保险满六个月',
  '已取得相应资格并在有效期内',
];
const MATERIALS = ['居民身份证', '户口簿', '营业执照', '申请表', '近期免冠照片', '授权委托书', '相关证明材料'];

export interface BenchDoc extends SearchDoc {
  readonly thing: number;
  readonly action: number;
  readonly regionIndex: number;
}

export function corpus(size = 100_000, seed = 7): BenchDoc[] {
  const random = seededRandom(seed);
  const combos: [number, number, number, number][] = [];
  for (let t = 0; t < THINGS.length; t++)
    for (let a = 0; a < ACTIONS.length; a++)
      for (let r = 0; r < REGIONS.length; r++) for (let q = 0; q < QUALIFIERS.length; q++) combos.push([t, a, r, q]);
  for (let i = combos.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [combos[i], combos[j]] = [
      combos[j] as [number, number, number, number],
      combos[i] as [number, number, number, number],
    ];
  }
  return combos.slice(0, size).map(([t, a, r, q], i) => {
    const [name, alias] = THINGS[t] as [string, string];
    const action = ACTIONS[a] as string;
    const [regionCode, regionName] = REGIONS[r] as [string, string];
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
    return {
      id: String(i),
      type: 'service',
      title: `${name}${action}${QUALIFIERS[q]}`,
      keywords: [alias, `${alias}${action}`],
      body: `由${regionName}政务服务中心受理${name}${action}。申请条件：${pick(CONDITIONS)}。所需材料：${pick(MATERIALS)}、${pick(MATERIALS)}、${pick(MATERIALS)}。`,
      url: `/services/${i}`,
      facets: { region: regionName },
      region: regionCode,
      popularity: Math.floor(random() * 50),
      thing: t,
      action: a,
      regionIndex: r,
    };
  });
}

export interface BenchQuery {
  readonly q: string;
  readonly kind: string;
  readonly grades: Map<string, number>;
}

const py = (text: string) => pinyin(text, { toneType: 'none', type: 'array', v: true }).join('');
const initials = (text: string) => pinyin(text, { pattern: 'first', toneType: 'none', type: 'array' }).join('');

/** One edit in a latin string (deletion, doubling or a neighbour swap), never at the first letter. */
function typo(text: string, random: () => number): string {
  const at = 1 + Math.floor(random() * (text.length - 2));
  const kind = Math.floor(random() * 3);
  if (kind === 0) return text.slice(0, at) + text.slice(at + 1);
  if (kind === 1) return text.slice(0, at) + (text[at] as string) + text.slice(at);
  return text.slice(0, at) + (text[at + 1] as string) + (text[at] as string) + text.slice(at + 2);
}

/** A character with the same reading as one of the name's (the commonest kind of Chinese typo). */
function homophone(name: string, random: () => number): string {
  const chars = [...name];
  const at = Math.floor(random() * chars.length);
  const reading = py(chars[at] as string);
  for (let tries = 0; tries < 4000; tries++) {
    const c = String.fromCharCode(0x4e00 + Math.floor(random() * 0x51a5));
    if (c !== chars[at] && py(c) === reading) {
      chars[at] = c;
      return chars.join('');
    }
  }
  return name;
}

const KINDS = ['title', 'alias', 'pinyin', 'initials', 'mixed', 'typo', 'homophone', 'region'] as const;

export function queries(docs: readonly BenchDoc[], count = 1000, seed = 11): BenchQuery[] {
  const random = seededRandom(seed);
  const byCombo = new Map<string, BenchDoc[]>();
  const byThing = new Map<number, BenchDoc[]>();
  for (const d of docs) {
    const key = `${d.thing}/${d.action}`;
    byCombo.set(key, [...(byCombo.get(key) ?? []), d]);
    byThing.set(d.thing, [...(byThing.get(d.thing) ?? []), d]);
  }
  const out: BenchQuery[] = [];
  for (let i = 0; i < count; i++) {
    const target = docs[Math.floor(random() * docs.length)] as BenchDoc;
    const [name, alias] = THINGS[target.thing] as [string, string];
    const action = ACTIONS[target.action] as string;
    const kind = KINDS[i % KINDS.length] as (typeof KINDS)[number];
    const region = (REGIONS[target.regionIndex] as [string, string])[1];
    const q = {
      title: `${name}${action}`,
      alias: `${alias}${action}`,
      pinyin: py(`${alias}${action}`),
      initials: initials(`${alias}${action}`),
      mixed: `${alias}${py(action)}`,
      typo: typo(py(`${name}${action}`), random),
      homophone: `${homophone(name, random)}${action}`,
      region: `${region} ${alias}${action}`,
    }[kind];
    // Judged by construction: the same thing and action 2, the same thing 1, and in the named region 3.
    const grades = new Map<string, number>();
    for (const d of byThing.get(target.thing) ?? []) grades.set(d.id, 1);
    for (const d of byCombo.get(`${target.thing}/${target.action}`) ?? [])
      grades.set(d.id, kind === 'region' && d.regionIndex === target.regionIndex ? 3 : 2);
    out.push({ q, kind, grades });
  }
  return out;
}
