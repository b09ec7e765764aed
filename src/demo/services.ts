// The demo's service catalog: the sub-platforms and the usual public items of DEMO.md, each with its guide
// fields. Materials the government already holds name the register that holds them ("no need to submit").

import { listCatalog } from '../modules/registry/index.ts';
import type { Form, Guide, Material } from '../modules/services/index.ts';
import { createItem, defineSubplatform, listItems, publishItem, type ServicesDeps } from '../modules/services/index.ts';

const SUBPLATFORMS = [
  ['social_security', '社保服务', 'person', '社会保障卡、养老、失业等社会保险业务'],
  ['medical_insurance', '医保服务', 'person', '医疗保险参保、异地就医备案、关系转移'],
  ['household', '户籍服务', 'person', '户口迁移、出生入户、身份证、居住证'],
  ['housing_fund', '公积金服务', 'person', '住房公积金提取、贷款与证明'],
  ['real_estate', '不动产服务', 'both', '不动产登记、查询与抵押'],
  ['business', '企业开办', 'enterprise', '企业和个体工商户登记、变更、注销与许可'],
  ['family', '婚育服务', 'person', '婚姻登记预约、生育登记、出生医学证明'],
  ['education', '教育服务', 'person', '入学报名、学籍证明、教师资格'],
  ['transport', '交通出行', 'person', '机动车驾驶证与机动车登记'],
  ['welfare', '民生保障', 'person', '残疾人、高龄老人与低保等保障'],
] as const;

type M = [name: string, source: Material['source'], registerOrTrust?: string];

interface Spec {
  readonly sub: (typeof SUBPLATFORMS)[number][0];
  readonly dept: string;
  readonly name: string;
  readonly type: Guide['type'];
  readonly days: [statutory: number, promised: number];
  readonly depth: Guide['onlineDepth'];
  readonly audience?: Guide['audience'];
  readonly conditions: string;
  readonly materials: readonly M[];
  readonly keywords: readonly string[];
  readonly fee?: string;
  /** Departments (codes) that approve alongside at 决定 (并联审批), and the licence issued on conclusion. */
  readonly parallel?: readonly string[];
  readonly licenseType?: string;
  readonly form?: Form;
}

const BASIS: Record<string, string> = {
  'TJ-RS': '《中华人民共和国社会保险法》；《社会保险经办条例》',
  'TJ-YB': '《中华人民共和国社会保险法》；《医疗保障基金使用监督管理条例》',
  'TJ-GA': '《中华人民共和国户口登记条例》；《中华人民共和国居民身份证法》；《居住证暂行条例》',
  'TJ-GJJ': '《住房公积金管理条例》',
  'TJ-GHZY': '《不动产登记暂行条例》及其实施细则',
  'TJ-SCJG': '《中华人民共和国市场主体登记管理条例》；《中华人民共和国食品安全法》',
  'TJ-MZ': '《婚姻登记条例》；《社会救助暂行办法》；《中华人民共和国残疾人保障法》',
  'TJ-WJ': '《中华人民共和国母婴保健法》',
  'TJ-JW': '《中华人民共和国义务教育法》；《教师资格条例》',
};

const ID: M = ['居民身份证', 'register', '户籍人口基本信息'];
const PHOTO: M = ['近期免冠照片（电子）', 'upload', 'C'];

const SPECS: readonly Spec[] = [
  {
    sub: 'social_security',
    dept: 'TJ-RS',
    name: '社会保障卡申领',
    type: 'public_service',
    days: [20, 10],
    depth: 'fully_online',
    conditions: '本市参保人员，未持有有效社会保障卡。',
    materials: [ID, PHOTO, ['社会保险参保信息', 'register', '社会保险参保信息']],
    keywords: ['社保卡', '社会保障卡', '办卡'],
    // 公安 confirms the identity photo alongside 人社's decision; the card is issued as an electronic licence.
    parallel: ['TJ-GA'],
    licenseType: '社会保障卡',
    form: {
      schema: {
        type: 'object',
        required: ['name', 'phone', 'delivery'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', title: '申领人姓名', maxLength: 50 },
          phone: { type: 'string', title: '联系电话', pattern: '^1[3-9][0-9]{9}$' },
          delivery: { type: 'string', title: '领卡方式', enum: ['邮寄到家', '网点自取'] },
          address: { type: 'string', title: '邮寄地址', maxLength: 200 },
        },
      },
      ui: { order: ['name', 'phone', 'delivery', 'address'], prefill: { name: 'applicant.name' } },
    },
  },
  {
    sub: 'social_security',
    dept: 'TJ-RS',
    name: '社会保障卡挂失与补换',
    type: 'public_service',
    days: [20, 5],
    depth: 'fully_online',
    conditions: '社会保障卡遗失、损坏或信息变更。',
    materials: [ID, PHOTO],
    keywords: ['社保卡', '补卡', '挂失'],
  },
  {
    sub: 'social_security',
    dept: 'TJ-RS',
    name: '基本养老保险关系转移接续',
    type: 'public_service',
    days: [45, 15],
    depth: 'fully_online',
    conditions: '跨统筹地区流动就业并在新就业地参保。',
    materials: [ID, ['参保缴费凭证', 'register', '社会保险参保信息']],
    keywords: ['养老', '社保转移', '转移接续'],
  },
  {
    sub: 'social_security',
    dept: 'TJ-RS',
    name: '退休申请（基本养老金申领）',
    type: 'administrative_payment',
    days: [20, 10],
    depth: 'online_then_visit_once',
    conditions: '达到法定退休年龄且累计缴费满15年。',
    materials: [ID, ['参保缴费记录', 'register', '社会保险参保信息'], ['本人银行账户信息', 'upload', 'D']],
    keywords: ['退休', '养老金', '退休金'],
  },
  {
    sub: 'social_security',
    dept: 'TJ-RS',
    name: '失业保险金申领',
    type: 'administrative_payment',
    days: [10, 3],
    depth: 'fully_online',
    conditions: '非因本人意愿中断就业，已办理失业登记并有求职要求，参保缴费满一年。',
    materials: [ID, ['解除或终止劳动关系证明', 'upload', 'B']],
    keywords: ['失业金', '失业保险'],
  },
  {
    sub: 'social_security',
    dept: 'TJ-RS',
    name: '个人参保证明打印',
    type: 'public_service',
    days: [1, 0],
    depth: 'fully_online',
    conditions: '本市参保人员。',
    materials: [ID],
    keywords: ['参保证明', '社保证明'],
  },
  {
    sub: 'medical_insurance',
    dept: 'TJ-YB',
    name: '基本医疗保险参保登记',
    type: 'public_service',
    days: [10, 3],
    depth: 'fully_online',
    conditions: '本市户籍或持居住证的城乡居民。',
    materials: [ID],
    keywords: ['医保', '参保'],
  },
  {
    sub: 'medical_insurance',
    dept: 'TJ-YB',
    name: '异地就医备案',
    type: 'public_service',
    days: [5, 1],
    depth: 'fully_online',
    conditions: '异地长期居住、常驻工作或转诊就医的参保人员。',
    materials: [ID, ['异地居住或工作承诺书', 'upload', 'D']],
    keywords: ['异地就医', '医保备案'],
  },
  {
    sub: 'medical_insurance',
    dept: 'TJ-YB',
    name: '医保关系转移接续',
    type: 'public_service',
    days: [45, 15],
    depth: 'fully_online',
    conditions: '跨统筹地区就业或居住的参保人员。',
    materials: [ID, ['基本医疗保险参保信息', 'register', '基本医疗保险参保信息']],
    keywords: ['医保转移'],
  },
  {
    sub: 'household',
    dept: 'TJ-GA',
    name: '户口迁移（迁入）',
    type: 'administrative_confirmation',
    days: [20, 10],
    depth: 'online_then_visit_once',
    conditions: '符合本市落户政策（投靠、就业、购房等）。',
    materials: [ID, ['居民户口簿', 'register', '户籍人口基本信息'], ['合法稳定住所证明', 'register', '不动产登记信息']],
    keywords: ['落户', '迁户口', '户籍迁移'],
  },
  {
    sub: 'household',
    dept: 'TJ-GA',
    name: '出生登记（新生儿入户）',
    type: 'administrative_confirmation',
    days: [10, 3],
    depth: 'fully_online',
    conditions: '新生儿出生后一个月内，随父或随母申报户口。',
    materials: [
      ['出生医学证明', 'register', '出生医学证明信息'],
      ['父母居民户口簿', 'register', '户籍人口基本信息'],
      ['父母结婚证', 'register', '婚姻登记信息'],
    ],
    keywords: ['新生儿', '上户口', '出生入户'],
  },
  {
    sub: 'household',
    dept: 'TJ-GA',
    name: '居民身份证换领',
    type: 'administrative_confirmation',
    days: [60, 15],
    depth: 'online_then_visit_once',
    conditions: '居民身份证有效期满、登记项目变更或严重损坏。',
    materials: [ID, PHOTO],
    keywords: ['身份证', '换证', '到期换领'],
    fee: '换领20元/证（《居民身份证工本费》标准）',
  },
  {
    sub: 'household',
    dept: 'TJ-GA',
    name: '居住证申领',
    type: 'administrative_license',
    days: [15, 7],
    depth: 'fully_online',
    conditions: '在本市居住半年以上，有合法稳定就业、住所或连续就读。',
    materials: [ID, PHOTO, ['居住证明（租赁合同或房产）', 'upload', 'C']],
    keywords: ['居住证', '暂住证'],
  },
  {
    sub: 'household',
    dept: 'TJ-GA',
    name: '户籍证明开具',
    type: 'public_service',
    days: [5, 1],
    depth: 'fully_online',
    conditions: '本市户籍人员。',
    materials: [ID],
    keywords: ['户籍证明', '户口证明'],
  },
  {
    sub: 'housing_fund',
    dept: 'TJ-GJJ',
    name: '住房公积金提取（租房）',
    type: 'public_service',
    days: [5, 1],
    depth: 'fully_online',
    conditions: '本市无自有住房且租房自住的缴存职工。',
    materials: [
      ID,
      ['住房公积金缴存信息', 'register', '住房公积金缴存信息'],
      ['无房证明', 'register', '不动产登记信息'],
    ],
    keywords: ['公积金提取', '租房提取', '公积金'],
  },
  {
    sub: 'housing_fund',
    dept: 'TJ-GJJ',
    name: '住房公积金提取（购房）',
    type: 'public_service',
    days: [5, 3],
    depth: 'fully_online',
    conditions: '购买、建造自住住房的缴存职工。',
    materials: [ID, ['购房合同或不动产权证', 'register', '不动产登记信息']],
    keywords: ['公积金提取', '购房提取'],
  },
  {
    sub: 'housing_fund',
    dept: 'TJ-GJJ',
    name: '住房公积金个人贷款申请',
    type: 'public_service',
    days: [15, 10],
    depth: 'online_then_visit_once',
    conditions: '连续足额缴存6个月以上，购买自住住房。',
    materials: [
      ID,
      ['婚姻状况证明', 'register', '婚姻登记信息'],
      ['购房合同', 'upload', 'C'],
      ['收入证明', 'upload', 'C'],
    ],
    keywords: ['公积金贷款', '房贷'],
  },
  {
    sub: 'housing_fund',
    dept: 'TJ-GJJ',
    name: '住房公积金缴存证明',
    type: 'public_service',
    days: [1, 0],
    depth: 'fully_online',
    conditions: '本市缴存职工。',
    materials: [ID],
    keywords: ['公积金证明', '缴存证明'],
  },
  {
    sub: 'real_estate',
    dept: 'TJ-GHZY',
    name: '不动产登记资料查询',
    type: 'public_service',
    days: [5, 1],
    depth: 'fully_online',
    conditions: '权利人或利害关系人。',
    materials: [ID],
    keywords: ['房产查询', '不动产查询', '查房'],
  },
  {
    sub: 'real_estate',
    dept: 'TJ-GHZY',
    name: '二手房转移登记',
    type: 'administrative_confirmation',
    days: [30, 5],
    depth: 'online_then_visit_once',
    conditions: '买卖双方已签订存量房买卖合同并完税。',
    materials: [
      ID,
      ['不动产权证书', 'register', '不动产登记信息'],
      ['存量房买卖合同', 'upload', 'C'],
      ['完税凭证', 'upload', 'A'],
    ],
    keywords: ['过户', '二手房', '转移登记'],
    fee: '住宅80元/件（《不动产登记费收费标准》）',
  },
  {
    sub: 'real_estate',
    dept: 'TJ-GHZY',
    name: '不动产抵押登记',
    type: 'administrative_confirmation',
    days: [30, 3],
    depth: 'fully_online',
    audience: 'enterprise',
    conditions: '以不动产设定抵押的当事人（含金融机构）。',
    materials: [
      ['主债权合同和抵押合同', 'upload', 'C'],
      ['不动产权证书', 'register', '不动产登记信息'],
    ],
    keywords: ['抵押', '按揭'],
    fee: '住宅80元/件',
  },
  {
    sub: 'business',
    dept: 'TJ-SCJG',
    name: '企业设立登记（营业执照）',
    type: 'administrative_license',
    days: [15, 1],
    depth: 'fully_online',
    audience: 'enterprise',
    conditions: '名称、住所、经营范围等符合规定。',
    materials: [
      ['公司章程', 'upload', 'C'],
      ['法定代表人身份证明', 'register', '户籍人口基本信息'],
      ['住所使用证明', 'upload', 'D'],
    ],
    keywords: ['开公司', '营业执照', '注册公司', '企业开办'],
  },
  {
    sub: 'business',
    dept: 'TJ-SCJG',
    name: '企业变更登记',
    type: 'administrative_license',
    days: [15, 1],
    depth: 'fully_online',
    audience: 'enterprise',
    conditions: '登记事项发生变更的企业。',
    materials: [
      ['营业执照', 'license', '电子证照目录'],
      ['变更决议', 'upload', 'C'],
    ],
    keywords: ['变更', '营业执照变更'],
  },
  {
    sub: 'business',
    dept: 'TJ-SCJG',
    name: '企业注销登记',
    type: 'administrative_license',
    days: [15, 3],
    depth: 'fully_online',
    audience: 'enterprise',
    conditions: '已完成清算或适用简易注销的企业。',
    materials: [
      ['营业执照', 'license', '电子证照目录'],
      ['清算报告或全体投资人承诺书', 'upload', 'D'],
    ],
    keywords: ['注销', '关闭公司'],
  },
  {
    sub: 'business',
    dept: 'TJ-SCJG',
    name: '个体工商户登记',
    type: 'administrative_license',
    days: [15, 1],
    depth: 'fully_online',
    conditions: '有经营能力的自然人。',
    materials: [ID, ['经营场所使用证明', 'upload', 'D']],
    keywords: ['个体户', '个体工商户'],
  },
  {
    sub: 'business',
    dept: 'TJ-SCJG',
    name: '食品经营许可',
    type: 'administrative_license',
    days: [20, 5],
    depth: 'online_then_visit_once',
    audience: 'enterprise',
    conditions: '有与经营的食品相适应的场所、设备和管理制度。',
    materials: [
      ['营业执照', 'license', '电子证照目录'],
      ['食品安全管理制度', 'upload', 'C'],
      ['经营场所平面图', 'upload', 'C'],
    ],
    keywords: ['食品许可', '餐饮许可'],
  },
  {
    sub: 'family',
    dept: 'TJ-MZ',
    name: '结婚登记预约',
    type: 'administrative_confirmation',
    days: [1, 0],
    depth: 'online_then_visit_once',
    conditions: '男女双方符合法定婚龄且自愿，均无配偶。',
    materials: [ID, ['居民户口簿', 'register', '户籍人口基本信息']],
    keywords: ['结婚', '领证', '婚姻登记'],
  },
  {
    sub: 'family',
    dept: 'TJ-MZ',
    name: '离婚登记预约',
    type: 'administrative_confirmation',
    days: [30, 30],
    depth: 'on_site',
    conditions: '双方自愿离婚并已对子女抚养、财产处理达成协议（冷静期30日）。',
    materials: [ID, ['结婚证', 'register', '婚姻登记信息'], ['离婚协议书', 'upload', 'D']],
    keywords: ['离婚'],
  },
  {
    sub: 'family',
    dept: 'TJ-WJ',
    name: '生育登记',
    type: 'public_service',
    days: [5, 1],
    depth: 'fully_online',
    conditions: '夫妻双方至少一方为本市户籍或持居住证。',
    materials: [ID, ['结婚证', 'register', '婚姻登记信息']],
    keywords: ['生育', '准生证'],
  },
  {
    sub: 'family',
    dept: 'TJ-WJ',
    name: '出生医学证明办理',
    type: 'administrative_confirmation',
    days: [10, 3],
    depth: 'online_then_visit_once',
    conditions: '在本市助产机构出生的新生儿。',
    materials: [['父母身份证', 'register', '户籍人口基本信息']],
    keywords: ['出生证', '出生医学证明'],
  },
  {
    sub: 'education',
    dept: 'TJ-JW',
    name: '义务教育入学报名',
    type: 'public_service',
    days: [30, 30],
    depth: 'fully_online',
    conditions: '适龄儿童，按户籍和住所就近入学。',
    materials: [
      ['儿童和父母户口簿', 'register', '户籍人口基本信息'],
      ['住所证明', 'register', '不动产登记信息'],
    ],
    keywords: ['入学', '小学报名', '幼升小'],
  },
  {
    sub: 'education',
    dept: 'TJ-JW',
    name: '学籍证明开具',
    type: 'public_service',
    days: [5, 1],
    depth: 'fully_online',
    conditions: '本市在籍或曾在籍学生。',
    materials: [ID, ['学籍信息', 'register', '中小学学籍信息']],
    keywords: ['学籍', '在读证明'],
  },
  {
    sub: 'education',
    dept: 'TJ-JW',
    name: '教师资格认定',
    type: 'administrative_license',
    days: [60, 30],
    depth: 'online_then_visit_once',
    conditions: '通过教师资格考试，具备相应学历和普通话水平，体检合格。',
    materials: [ID, PHOTO, ['学历证书', 'upload', 'A'], ['体检报告', 'upload', 'B']],
    keywords: ['教师资格证', '教资'],
  },
  {
    sub: 'transport',
    dept: 'TJ-GA',
    name: '机动车驾驶证换证',
    type: 'administrative_license',
    days: [10, 1],
    depth: 'fully_online',
    conditions: '驾驶证有效期满前90日内。',
    materials: [ID, PHOTO, ['体检证明', 'upload', 'B']],
    keywords: ['驾照', '驾驶证换证', '换驾照'],
    fee: '工本费10元',
  },
  {
    sub: 'transport',
    dept: 'TJ-GA',
    name: '机动车注册登记',
    type: 'administrative_license',
    days: [2, 1],
    depth: 'on_site',
    conditions: '新购机动车已完税、已投保交强险。',
    materials: [ID, ['购车发票', 'upload', 'A'], ['交强险保单', 'upload', 'A']],
    keywords: ['上牌', '新车登记', '车辆注册'],
    fee: '号牌工本费100元',
  },
  {
    sub: 'welfare',
    dept: 'TJ-MZ',
    name: '残疾人证申领',
    type: 'administrative_confirmation',
    days: [30, 15],
    depth: 'online_then_visit_once',
    conditions: '符合残疾标准的本市户籍居民。',
    materials: [ID, PHOTO, ['残疾评定表', 'upload', 'B']],
    keywords: ['残疾证', '残疾人'],
  },
  {
    sub: 'welfare',
    dept: 'TJ-MZ',
    name: '高龄津贴申领',
    type: 'administrative_payment',
    days: [20, 10],
    depth: 'fully_online',
    conditions: '年满80周岁的本市户籍老年人。',
    materials: [ID, ['银行账户信息', 'upload', 'D']],
    keywords: ['高龄补贴', '老人补贴', '高龄津贴'],
  },
  {
    sub: 'welfare',
    dept: 'TJ-MZ',
    name: '最低生活保障申请',
    type: 'administrative_payment',
    days: [30, 20],
    depth: 'online_then_visit_once',
    conditions: '家庭人均收入低于当地低保标准且符合财产状况规定。',
    materials: [ID, ['家庭成员及收入情况声明', 'upload', 'D'], ['家庭财产状况', 'register', '不动产登记信息']],
    keywords: ['低保', '最低生活保障', '救助'],
  },
];

const PROCESS: Record<Guide['onlineDepth'], string[]> = {
  fully_online: ['网上申请', '受理', '审查', '决定', '办结（电子结果送达）'],
  online_then_visit_once: ['网上申请并预审', '受理', '审查', '决定', '现场核验并领取结果（最多跑一次）'],
  on_site: ['网上预约', '现场申请与受理', '审查', '决定', '办结'],
};

/** Defines the sub-platforms and publishes each demo item once (matched by code). */
export async function seedServices(
  deps: ServicesDeps,
  idOf: (code: string) => number,
  nameOf: (code: string) => string,
): Promise<number> {
  for (const [i, [code, name, audience, description]] of SUBPLATFORMS.entries()) {
    await defineSubplatform(deps, 'system', { code, name, audience, description, sort: i });
  }
  const existing = new Set((await listItems(deps, {}, { publishedOnly: false })).map((i) => i.code));
  const catalog = await listCatalog(deps, {}, { publicOnly: false });
  const registerCode = (name: string) => catalog.find((r) => (r.metadata as { name: string }).name === name)?.code;
  let created = 0;
  for (const [i, spec] of SPECS.entries()) {
    const code = `120000-${spec.dept.slice(3)}-${String(i + 1).padStart(4, '0')}`;
    if (existing.has(code)) continue;
    const materials: Material[] = spec.materials.map(([name, source, extra]) => {
      const register = source === 'upload' ? undefined : extra ? registerCode(extra) : undefined;
      return {
        name,
        source: register ? source : 'upload',
        ...(register ? { register } : {}),
        trust: source === 'upload' ? ((extra as Material['trust'] | undefined) ?? 'C') : 'A',
        required: true,
      };
    });
    await createItem(deps, 'system', {
      code,
      subplatform: spec.sub,
      departmentId: idOf(spec.dept),
      ...(spec.form ? { form: spec.form } : {}),
      ...(spec.parallel || spec.licenseType
        ? {
            workflow: {
              steps: [
                { key: 'accept', name: '受理', role: 'caseworker', canCorrect: true },
                { key: 'review', name: '审查', role: 'caseworker', canCorrect: true },
                {
                  key: 'decide',
                  name: '决定',
                  role: 'leader',
                  ...(spec.parallel ? { parallel: spec.parallel.map(idOf) } : {}),
                },
                { key: 'conclude', name: '办结', role: 'caseworker' },
              ],
              ...(spec.licenseType ? { licenseType: spec.licenseType } : {}),
            },
          }
        : {}),
      guide: {
        name: spec.name,
        type: spec.type,
        competentDepartment:
          spec.dept === 'TJ-GA' && spec.sub === 'transport' ? '天津市公安局交通管理局' : nameOf(spec.dept),
        basis: BASIS[spec.dept] ?? '相关法律法规',
        audience: spec.audience ?? 'person',
        conditions: spec.conditions,
        materials,
        process: PROCESS[spec.depth],
        fee: spec.fee ? { free: false, standard: spec.fee } : { free: true },
        statutoryDays: spec.days[0],
        promisedDays: spec.days[1],
        onlineDepth: spec.depth,
        place: '天津市政务服务中心（河西区隆昌路94号）或各区政务服务中心综合窗口',
        phone: '022-12345',
        supervisionPhone: '022-88908890',
        keywords: [...spec.keywords],
      },
    });
    await publishItem(deps, 'system', code);
    created++;
  }
  return created;
}
