// The demo catalog: registers of the Tianjin departments (DEMO.md) with synthetic records from people.ts.
import type { Field } from '../modules/registry/index.ts';
import { type Enterprise, enterprises, type Person, people, seededRandom } from './people.ts';

type FieldSpec = [
  code: string,
  name: string,
  type: Field['type'],
  piiType: Field['piiType'],
  grade: Field['grade'],
  extra?: Partial<Field>,
];

const f = ([code, name, type, piiType, grade, extra]: FieldSpec): Field => ({
  code,
  name,
  type,
  piiType,
  grade,
  ...extra,
});
const req = { required: true } as const;
const key = { required: true, unique: true } as const;

export interface DemoRegister {
  readonly department: string;
  readonly name: string;
  readonly attribute: 'basic' | 'thematic' | 'departmental';
  readonly baseLibrary?: 'population' | 'legal_entity' | 'natural_resources' | 'social_credit' | 'e_license';
  readonly item: string;
  readonly abstract: string;
  readonly sharing: 'unconditional' | 'conditional' | 'none';
  readonly open: 'open' | 'conditional' | 'closed';
  readonly updateCycle: 'realtime' | 'daily' | 'monthly';
  readonly visibility: 'public' | 'internal';
  readonly fields: Field[];
  readonly records: () => Array<Record<string, unknown>>;
}

export type DemoRegisterWithRecords = Omit<DemoRegister, 'records'> & {
  readonly records: ReadonlyArray<Record<string, unknown>>;
};

const POPULATION = people(160);
const rnd = seededRandom(42);
const some = <T>(list: readonly T[], share: number) => list.filter(() => rnd() < share);
const digits = (n: number, i: number) => String(i).padStart(n, '0');
const date = (from: number, to: number) =>
  `${from + Math.floor(rnd() * (to - from))}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
const adults = POPULATION.filter((p) => Number(p.birthDate.slice(0, 4)) < 2004);
// Legal representatives are adults.
const ENTERPRISES: Enterprise[] = enterprises(40, adults);

const SPECS: readonly DemoRegister[] = [
  {
    department: 'TJ-GA',
    name: '户籍人口基本信息',
    attribute: 'basic',
    baseLibrary: 'population',
    item: '01',
    abstract: '本市户籍人口的身份、出生和住址信息，由公安机关维护。',
    sharing: 'conditional',
    open: 'closed',
    updateCycle: 'realtime',
    visibility: 'public',
    fields: [
      f(['resident_id', '公民身份号码', 'string', 'resident_id', 'important', key]),
      f(['name', '姓名', 'string', 'name', 'important', req]),
      f(['gender', '性别', 'enum', 'none', 'general', { enumValues: ['男', '女'], required: true }]),
      f(['birth_date', '出生日期', 'date', 'birth_date', 'general', req]),
      f(['district_code', '户籍地行政区划', 'string', 'none', 'general', { pattern: '^\\d{6}$' }]),
      f(['address', '住址', 'string', 'address', 'important']),
    ],
    records: () =>
      POPULATION.map((p) => ({
        resident_id: p.residentId,
        name: p.name,
        gender: p.gender,
        birth_date: p.birthDate,
        district_code: p.district.code,
        address: p.address,
      })),
  },
  {
    department: 'TJ-SCJG',
    name: '市场主体登记信息',
    attribute: 'basic',
    baseLibrary: 'legal_entity',
    item: '02',
    abstract: '在本市登记的企业和个体工商户的基本登记信息。',
    sharing: 'unconditional',
    open: 'conditional',
    updateCycle: 'daily',
    visibility: 'public',
    fields: [
      f(['credit_code', '统一社会信用代码', 'string', 'credit_code', 'general', key]),
      f(['name', '名称', 'string', 'none', 'general', req]),
      f(['legal_representative', '法定代表人', 'string', 'name', 'general', req]),
      f(['legal_representative_id', '法定代表人身份证号', 'string', 'resident_id', 'important']),
      f(['registered_on', '成立日期', 'date', 'none', 'general', req]),
      f(['capital', '注册资本（元）', 'decimal', 'none', 'general', { min: 0 }]),
      f(['status', '登记状态', 'enum', 'none', 'general', { enumValues: ['存续', '注销', '吊销'], required: true }]),
    ],
    records: () =>
      ENTERPRISES.map((e, i) => ({
        credit_code: e.creditCode,
        name: e.name,
        legal_representative: e.legalRepresentative.name,
        legal_representative_id: e.legalRepresentative.residentId,
        registered_on: e.registeredOn,
        capital: e.capital,
        status: i % 13 === 0 ? '注销' : '存续',
      })),
  },
  {
    department: 'TJ-RS',
    name: '社会保险参保信息',
    attribute: 'thematic',
    item: '03',
    abstract: '参保人员的养老、失业、工伤保险参保和缴费状态。',
    sharing: 'conditional',
    open: 'closed',
    updateCycle: 'daily',
    visibility: 'public',
    fields: [
      f(['resident_id', '公民身份号码', 'string', 'resident_id', 'important', key]),
      f(['name', '姓名', 'string', 'name', 'important', req]),
      f([
        'insurance_type',
        '险种',
        'enum',
        'none',
        'general',
        { enumValues: ['企业职工基本养老保险', '城乡居民基本养老保险', '失业保险', '工伤保险'], required: true },
      ]),
      f([
        'status',
        '参保状态',
        'enum',
        'none',
        'general',
        { enumValues: ['参保缴费', '暂停缴费', '终止参保'], required: true },
      ]),
      f(['start_date', '参保日期', 'date', 'none', 'general']),
      f(['employer_credit_code', '参保单位统一社会信用代码', 'string', 'credit_code', 'general']),
    ],
    records: () =>
      some(adults, 0.7).map((p, i) => ({
        resident_id: p.residentId,
        name: p.name,
        insurance_type: i % 4 === 3 ? '城乡居民基本养老保险' : '企业职工基本养老保险',
        status: i % 9 === 0 ? '暂停缴费' : '参保缴费',
        start_date: date(2005, 2025),
        ...(i % 4 === 3
          ? {}
          : { employer_credit_code: (ENTERPRISES[i % ENTERPRISES.length] as Enterprise).creditCode }),
      })),
  },
  {
    department: 'TJ-YB',
    name: '基本医疗保险参保信息',
    attribute: 'thematic',
    item: '03',
    abstract: '职工医保和城乡居民医保的参保登记信息。',
    sharing: 'conditional',
    open: 'closed',
    updateCycle: 'daily',
    visibility: 'public',
    fields: [
      f(['resident_id', '公民身份号码', 'string', 'resident_id', 'important', key]),
      f(['name', '姓名', 'string', 'name', 'important', req]),
      f([
        'category',
        '参保类别',
        'enum',
        'none',
        'general',
        { enumValues: ['职工基本医疗保险', '城乡居民基本医疗保险'], required: true },
      ]),
      f([
        'status',
        '参保状态',
        'enum',
        'none',
        'general',
        { enumValues: ['正常参保', '暂停', '终止'], required: true },
      ]),
      f(['start_date', '参保日期', 'date', 'none', 'general']),
    ],
    records: () =>
      some(POPULATION, 0.8).map((p, i) => ({
        resident_id: p.residentId,
        name: p.name,
        category: i % 3 === 0 ? '城乡居民基本医疗保险' : '职工基本医疗保险',
        status: '正常参保',
        start_date: date(2008, 2025),
      })),
  },
  {
    department: 'TJ-GJJ',
    name: '住房公积金缴存信息',
    attribute: 'departmental',
    item: '04',
    abstract: '住房公积金个人账户的缴存基数、月缴存额和余额。',
    sharing: 'conditional',
    open: 'closed',
    updateCycle: 'monthly',
    visibility: 'public',
    fields: [
      f(['account_no', '个人公积金账号', 'string', 'none', 'important', { ...key, pattern: '^\\d{12}$' }]),
      f(['resident_id', '公民身份号码', 'string', 'resident_id', 'important', req]),
      f(['name', '姓名', 'string', 'name', 'important', req]),
      f(['monthly_deposit', '月缴存额（元）', 'decimal', 'none', 'important', { min: 0 }]),
      f(['balance', '账户余额（元）', 'decimal', 'none', 'important', { min: 0 }]),
      f(['status', '账户状态', 'enum', 'none', 'general', { enumValues: ['正常', '封存', '销户'], required: true }]),
    ],
    records: () =>
      some(adults, 0.45).map((p, i) => ({
        account_no: `1201${digits(8, 10000 + i)}`,
        resident_id: p.residentId,
        name: p.name,
        monthly_deposit: 300 + Math.floor(rnd() * 3000),
        balance: Math.floor(rnd() * 200000),
        status: i % 11 === 0 ? '封存' : '正常',
      })),
  },
  {
    department: 'TJ-GHZY',
    name: '不动产登记信息',
    attribute: 'basic',
    baseLibrary: 'natural_resources',
    item: '05',
    abstract: '不动产权利人、坐落、面积和用途等登记信息。',
    sharing: 'conditional',
    open: 'closed',
    updateCycle: 'realtime',
    visibility: 'public',
    fields: [
      f(['certificate_no', '不动产权证书号', 'string', 'none', 'general', key]),
      f(['owner_resident_id', '权利人身份证号', 'string', 'resident_id', 'important', req]),
      f(['owner_name', '权利人', 'string', 'name', 'important', req]),
      f(['location', '坐落', 'string', 'address', 'important', req]),
      f(['area', '建筑面积（平方米）', 'decimal', 'none', 'general', { min: 0 }]),
      f(['usage', '用途', 'enum', 'none', 'general', { enumValues: ['住宅', '商业', '办公'], required: true }]),
      f(['registered_on', '登记日期', 'date', 'none', 'general']),
    ],
    records: () =>
      some(adults, 0.35).map((p, i) => ({
        certificate_no: `津(2024)${p.district.name}不动产权第${digits(7, 1000 + i)}号`,
        owner_resident_id: p.residentId,
        owner_name: p.name,
        location: p.address,
        area: 50 + Math.floor(rnd() * 120),
        usage: i % 10 === 0 ? '商业' : '住宅',
        registered_on: date(2010, 2026),
      })),
  },
  {
    department: 'TJ-MZ',
    name: '婚姻登记信息',
    attribute: 'departmental',
    item: '06',
    abstract: '结婚和离婚登记的当事人与证件信息。',
    sharing: 'conditional',
    open: 'closed',
    updateCycle: 'realtime',
    visibility: 'public',
    fields: [
      f(['certificate_no', '结婚证字号', 'string', 'none', 'general', key]),
      f(['type', '登记类型', 'enum', 'none', 'general', { enumValues: ['结婚', '离婚'], required: true }]),
      f(['husband_resident_id', '男方身份证号', 'string', 'resident_id', 'important', req]),
      f(['husband_name', '男方姓名', 'string', 'name', 'important', req]),
      f(['wife_resident_id', '女方身份证号', 'string', 'resident_id', 'important', req]),
      f(['wife_name', '女方姓名', 'string', 'name', 'important', req]),
      f(['registered_on', '登记日期', 'date', 'none', 'general', req]),
    ],
    records: () => {
      const men = adults.filter((p) => p.gender === '男');
      const women = adults.filter((p) => p.gender === '女');
      return Array.from({ length: Math.min(30, men.length, women.length) }, (_, i) => {
        const h = men[i] as Person;
        const w = women[i] as Person;
        return {
          certificate_no: `J120101-2020-${digits(6, i + 1)}`,
          type: '结婚',
          husband_resident_id: h.residentId,
          husband_name: h.name,
          wife_resident_id: w.residentId,
          wife_name: w.name,
          registered_on: date(1995, 2026),
        };
      });
    },
  },
  {
    department: 'TJ-WJ',
    name: '出生医学证明信息',
    attribute: 'departmental',
    item: '07',
    abstract: '新生儿出生医学证明的签发信息。',
    sharing: 'conditional',
    open: 'closed',
    updateCycle: 'daily',
    visibility: 'public',
    fields: [
      f(['certificate_no', '出生医学证明编号', 'string', 'none', 'general', { ...key, pattern: '^[A-Z]\\d{9}$' }]),
      f(['child_name', '新生儿姓名', 'string', 'name', 'important', req]),
      f(['gender', '性别', 'enum', 'none', 'general', { enumValues: ['男', '女'], required: true }]),
      f(['birth_date', '出生日期', 'date', 'birth_date', 'important', req]),
      f(['mother_resident_id', '母亲身份证号', 'string', 'resident_id', 'important', req]),
      f(['hospital', '接生机构', 'string', 'none', 'general']),
    ],
    records: () =>
      adults
        .filter((p) => p.gender === '女')
        .slice(0, 20)
        .map((m, i) => ({
          certificate_no: `Q${digits(9, 120000000 + i)}`,
          child_name: `${m.name.slice(0, 1)}${['子涵', '浩然', '欣怡', '梓轩'][i % 4]}`,
          gender: i % 2 === 0 ? '女' : '男',
          birth_date: date(2023, 2026),
          mother_resident_id: m.residentId,
          hospital: ['天津市中心妇产科医院', '天津医科大学总医院', '天津市第一中心医院'][i % 3],
        })),
  },
  {
    department: 'TJ-JW',
    name: '中小学学籍信息',
    attribute: 'departmental',
    item: '08',
    abstract: '义务教育和普通高中学生的学籍信息。',
    sharing: 'conditional',
    open: 'closed',
    updateCycle: 'daily',
    visibility: 'public',
    fields: [
      f(['student_no', '全国学籍号', 'string', 'none', 'general', { ...key, pattern: '^G\\d{18}$' }]),
      f(['resident_id', '公民身份号码', 'string', 'resident_id', 'important', req]),
      f(['name', '姓名', 'string', 'name', 'important', req]),
      f(['school', '学校', 'string', 'none', 'general', req]),
      f([
        'grade',
        '年级',
        'enum',
        'none',
        'general',
        {
          enumValues: [
            '一年级',
            '二年级',
            '三年级',
            '四年级',
            '五年级',
            '六年级',
            '初一',
            '初二',
            '初三',
            '高一',
            '高二',
            '高三',
          ],
        },
      ]),
    ],
    records: () =>
      POPULATION.filter((p) => Number(p.birthDate.slice(0, 4)) >= 2007).map((p, i) => ({
        student_no: `G${p.residentId.slice(0, 17)}0`,
        resident_id: p.residentId,
        name: p.name,
        school: ['天津市和平区岳阳道小学', '天津市第一中学', '天津市滨海新区塘沽第一中学'][i % 3],
        grade: ['三年级', '初二', '高一'][i % 3],
      })),
  },
  {
    department: 'TJ-ZWFW',
    name: '电子证照目录',
    attribute: 'basic',
    baseLibrary: 'e_license',
    item: '09',
    abstract: '政务部门签发的电子证照的目录信息，证照文件按摘要引用。',
    sharing: 'unconditional',
    open: 'closed',
    updateCycle: 'realtime',
    visibility: 'public',
    fields: [
      f(['license_no', '证照编号', 'string', 'none', 'general', key]),
      f([
        'license_type',
        '证照类型',
        'enum',
        'none',
        'general',
        { enumValues: ['营业执照', '结婚证', '不动产权证书', '出生医学证明', '社会保障卡'], required: true },
      ]),
      f(['holder_id', '持证主体代码', 'string', 'none', 'important', req]),
      f(['holder_name', '持证主体名称', 'string', 'name', 'important', req]),
      f(['issuer', '签发机构', 'string', 'none', 'general', req]),
      f(['issued_on', '签发日期', 'date', 'none', 'general', req]),
    ],
    records: () =>
      ENTERPRISES.map((e, i) => ({
        license_no: `YYZZ-${e.creditCode}`,
        license_type: '营业执照',
        holder_id: e.creditCode,
        holder_name: e.name,
        issuer: '天津市市场监督管理委员会',
        issued_on: e.registeredOn,
        _i: i,
      })).map(({ _i, ...r }) => r),
  },
  {
    department: 'TJ-ZWFW',
    name: '工作人员名册',
    attribute: 'departmental',
    item: '10',
    abstract: '本机关工作人员的岗位与联系方式（内部）。',
    sharing: 'none',
    open: 'closed',
    updateCycle: 'monthly',
    visibility: 'internal',
    fields: [
      f(['staff_no', '工号', 'string', 'none', 'general', key]),
      f(['name', '姓名', 'string', 'name', 'general', req]),
      f(['position', '职务', 'string', 'none', 'general']),
      f(['phone', '办公电话', 'string', 'phone', 'general']),
    ],
    records: () =>
      adults.slice(0, 20).map((p, i) => ({
        staff_no: `ZW${digits(4, i + 1)}`,
        name: p.name,
        position: ['科员', '副科长', '科长', '处长'][i % 4],
        phone: p.phone,
      })),
  },
  {
    department: 'TJ-ZWFW',
    name: '固定资产台账（含信息化资产国产化情况）',
    attribute: 'departmental',
    item: '11',
    abstract: '办公设备与信息化资产的台账，含是否为国产化产品（内部）。',
    sharing: 'none',
    open: 'closed',
    updateCycle: 'monthly',
    visibility: 'internal',
    fields: [
      f(['asset_no', '资产编号', 'string', 'none', 'general', key]),
      f(['name', '资产名称', 'string', 'none', 'general', req]),
      f([
        'category',
        '类别',
        'enum',
        'none',
        'general',
        { enumValues: ['服务器', '终端', '网络设备', '办公设备', '软件'], required: true },
      ]),
      f(['value', '原值（元）', 'decimal', 'none', 'general', { min: 0 }]),
      f(['domestic', '国产化产品', 'boolean', 'none', 'general', req]),
      f(['acquired_on', '取得日期', 'date', 'none', 'general']),
    ],
    records: () =>
      Array.from({ length: 24 }, (_, i) => ({
        asset_no: `ZC-2026-${digits(4, i + 1)}`,
        name: ['鲲鹏服务器', '飞腾台式机', '华为交换机', '打印机', '麒麟操作系统', '达梦数据库'][i % 6],
        category: ['服务器', '终端', '网络设备', '办公设备', '软件', '软件'][i % 6],
        value: 3000 + Math.floor(rnd() * 200000),
        domestic: i % 6 !== 3,
        acquired_on: date(2019, 2026),
      })),
  },
];

/** Generated once, in this order, so every register always gets the same records whatever was seeded before. */
export const DEMO_REGISTERS: readonly DemoRegisterWithRecords[] = SPECS.map((spec) => ({
  ...spec,
  records: spec.records(),
}));
