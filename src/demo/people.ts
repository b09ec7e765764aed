// A seeded generator of synthetic people and enterprises for the demo registers: the same seed gives the same
// data, ID numbers and credit codes carry valid check characters, and nobody real is described.
import { creditCodeCheckChar, residentIdCheckChar } from '../modules/privacy/index.ts';

/** mulberry32: a small, fast, seedable PRNG (not for anything secret). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅志强海燕晓东玉兰春梅金凤文博子涵浩然欣怡梓轩雨桐思远佳怡';
const STREETS = [
  '南京路',
  '卫津路',
  '黄河道',
  '友谊路',
  '解放北路',
  '滨海大道',
  '第三大街',
  '洞庭路',
  '中心大道',
  '新华路',
];
export const DISTRICTS = [
  { code: '120101', name: '和平区' },
  { code: '120116', name: '滨海新区' },
  { code: '120102', name: '河东区' },
  { code: '120103', name: '河西区' },
  { code: '120104', name: '南开区' },
];

export interface Person {
  readonly residentId: string;
  readonly name: string;
  readonly gender: '男' | '女';
  readonly birthDate: string;
  readonly district: (typeof DISTRICTS)[number];
  readonly address: string;
  readonly phone: string;
}

export interface Enterprise {
  readonly creditCode: string;
  readonly name: string;
  readonly legalRepresentative: Person;
  readonly registeredOn: string;
  readonly capital: number;
  readonly district: (typeof DISTRICTS)[number];
}

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function people(count: number, seed = 20261129): Person[] {
  const rnd = seededRandom(seed);
  const out: Person[] = [];
  const used = new Set<string>();
  while (out.length < count) {
    const district = pick(rnd, DISTRICTS);
    const year = 1940 + Math.floor(rnd() * 80);
    const month = 1 + Math.floor(rnd() * 12);
    const day = 1 + Math.floor(rnd() * 28);
    const seq = Math.floor(rnd() * 999);
    const gender = seq % 2 === 1 ? '男' : '女'; // GB 11643: the sequence's parity gives the gender
    const first17 = `${district.code}${year}${pad(month, 2)}${pad(day, 2)}${pad(seq, 3)}`;
    const residentId = first17 + residentIdCheckChar(first17);
    if (used.has(residentId)) continue;
    used.add(residentId);
    const given = [...GIVEN];
    out.push({
      residentId,
      name: pick(rnd, [...SURNAMES]) + pick(rnd, given) + (rnd() < 0.6 ? pick(rnd, given) : ''),
      gender,
      birthDate: `${year}-${pad(month, 2)}-${pad(day, 2)}`,
      district,
      address: `天津市${district.name}${pick(rnd, STREETS)}${1 + Math.floor(rnd() * 300)}号`,
      phone: `1${pick(rnd, ['3', '5', '7', '8', '9'])}${pad(Math.floor(rnd() * 1e9), 9)}`,
    });
  }
  return out;
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const TRADES = ['科技', '商贸', '物流', '餐饮', '建筑', '医药', '教育咨询', '文化传媒', '新能源', '智能制造'];

export function enterprises(count: number, owners: readonly Person[], seed = 20261130): Enterprise[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const owner = owners[i % owners.length] as Person;
    const district = pick(rnd, DISTRICTS);
    const body = Array.from({ length: 9 }, () => pick(rnd, [...USCC_CHARS])).join('');
    const first17 = `91${district.code}${body}`;
    const year = 2005 + Math.floor(rnd() * 20);
    return {
      creditCode: first17 + creditCodeCheckChar(first17),
      name: `天津${owner.name.slice(0, 1)}${pick(rnd, ['恒', '瑞', '华', '信', '达', '安', '泰', '隆'])}${pick(rnd, TRADES)}有限公司`,
      legalRepresentative: owner,
      registeredOn: `${year}-${pad(1 + Math.floor(rnd() * 12), 2)}-${pad(1 + Math.floor(rnd() * 28), 2)}`,
      capital: (1 + Math.floor(rnd() * 500)) * 10_000,
      district,
    };
  });
}
