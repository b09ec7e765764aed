// What the indexes hold, read from the modules that own it: one source per document type, each naming the tables
// whose changes (NOTIFY zt_search) make it reload. Public sources read what the public role may read; internal
// sources (records, staff) are only ever loaded by the internal zone.
import type { Db } from '../../platform/db.ts';
import type { ZoneLedger } from '../ledger/index.ts';
import { activeDatasets, THEMES } from '../opendata/index.ts';
import { findRegion, listDepartments, listStaff, ROLE_LABELS, type Role } from '../org/index.ts';
import { maskValue, type PiiType } from '../privacy/index.ts';
import { type Field, listCatalog, type Register, recordsForIndex } from '../registry/index.ts';
import { itemUses, listItems, listSubplatforms } from '../services/index.ts';
import type { SearchDoc } from './engine.ts';

export interface SourceDeps {
  readonly db: Db;
  readonly ledger: ZoneLedger;
  readonly clock: () => Date;
}

export interface SearchSource {
  readonly type: string;
  /** tables whose NOTIFY reloads this source */
  readonly tables: readonly string[];
  /** every document of the type */
  load(deps: SourceDeps): Promise<SearchDoc[]>;
  /** only the changed ones, when the notification names them: documents to put, ids to drop */
  loadSome?(deps: SourceDeps, ids: readonly string[]): Promise<{ put: SearchDoc[]; drop: string[] }>;
}

interface Place {
  readonly department: string;
  readonly region: string;
  readonly regionName: string;
  readonly level: string;
}

const LEVELS: Record<string, string> = {
  national: '国家级',
  province: '省级',
  city: '市级',
  county: '区县级',
  township: '乡镇级',
};

/** Department id → its name, region and level (the facets every document shares). */
async function places(deps: SourceDeps): Promise<Map<number, Place>> {
  const departments = await listDepartments(deps, { includeInactive: true });
  const regions = new Map<string, { name: string; level: string }>();
  await deps.db.transaction(async (tx) => {
    for (const code of new Set(departments.map((d) => d.regionCode))) {
      const region = await findRegion(tx, code);
      if (region) regions.set(code, { name: region.name, level: LEVELS[region.level] ?? region.level });
    }
  });
  return new Map(
    departments.map((d) => {
      const region = regions.get(d.regionCode);
      return [
        d.id,
        {
          department: d.name,
          region: d.regionCode,
          regionName: region?.name ?? d.regionCode,
          level: region?.level ?? '',
        },
      ];
    }),
  );
}

const placeFacets = (place: Place | undefined) =>
  place ? { department: place.department, region: place.regionName, level: place.level } : {};

/** 办事服务: published service items, ranked up by their applications in the last 90 days. */
export const serviceItems: SearchSource = {
  type: 'service',
  tables: ['service_items', 'subplatforms', 'departments'],
  async load(deps) {
    const [items, subplatforms, where, uses] = await Promise.all([
      listItems(deps, {}, { publishedOnly: true }),
      listSubplatforms(deps),
      places(deps),
      itemUses(deps),
    ]);
    const subplatformName = new Map(subplatforms.map((s) => [s.code, s.name]));
    return items.map((item) => {
      const g = item.guide;
      const place = where.get(item.departmentId);
      return {
        id: item.code,
        type: 'service',
        title: g.name,
        keywords: g.keywords,
        body: [g.conditions, g.materials.map((m) => m.name).join('、'), g.competentDepartment]
          .map((part) => part.replace(/[。；;.\s]+$/u, ''))
          .filter(Boolean)
          .join('。'),
        url: `/services/${encodeURIComponent(item.code)}`,
        facets: { subplatform: subplatformName.get(item.subplatform) ?? item.subplatform, ...placeFacets(place) },
        ...(place ? { region: place.region } : {}),
        popularity: uses.get(item.code) ?? 0,
      };
    });
  },
};

const registerDoc = (r: Register, place: Place | undefined): SearchDoc => {
  const m = r.metadata as { name: string; abstract: string; fields: readonly Field[]; visibility: string };
  return {
    id: r.code,
    type: 'catalog',
    boost: 0.8,
    title: m.name,
    keywords: m.fields.map((f) => f.name).slice(0, 30),
    body: m.abstract,
    url: `/catalog/${encodeURIComponent(r.code)}`,
    facets: placeFacets(place),
    ...(place ? { region: place.region } : {}),
  };
};

/** 数据目录: the public catalog's entries (internal registers are not in the public index). */
export const publicCatalog: SearchSource = {
  type: 'catalog',
  tables: ['registers', 'departments'],
  async load(deps) {
    const [registers, where] = await Promise.all([listCatalog(deps, {}, { publicOnly: true }), places(deps)]);
    return registers.map((r) => registerDoc(r, where.get(r.departmentId)));
  },
};

/** 数据开放: the datasets opened to society (conditional ones too: their metadata is public). */
export const openDatasets: SearchSource = {
  type: 'dataset',
  tables: ['opendata_datasets', 'departments'],
  async load(deps) {
    const [datasets, where] = await Promise.all([activeDatasets(deps.db), places(deps)]);
    return datasets.map(({ dataset: d }) => {
      const place = where.get(d.department_id);
      return {
        id: d.name,
        type: 'dataset',
        boost: 0.8,
        title: d.title,
        keywords: [...d.tags, THEMES.find((t) => t.name === d.theme)?.title ?? d.theme],
        body: d.notes,
        url: `/opendata/${encodeURIComponent(d.name)}`,
        facets: placeFacets(place),
        ...(place ? { region: place.region } : {}),
      };
    });
  },
};

/** The whole catalog for staff, internal registers included. */
export const fullCatalog: SearchSource = {
  ...publicCatalog,
  async load(deps) {
    const [registers, where] = await Promise.all([listCatalog(deps, {}, { publicOnly: false }), places(deps)]);
    return registers.map((r) => registerDoc(r, where.get(r.departmentId)));
  },
};

/** 工作人员名录: active staff with their department and roles. */
export const staffDirectory: SearchSource = {
  type: 'staff',
  tables: ['staff', 'staff_roles', 'departments'],
  async load(deps) {
    const [staff, where] = await Promise.all([listStaff(deps, {}), places(deps)]);
    return staff.map((s) => {
      const place = where.get(s.departmentId);
      return {
        id: String(s.id),
        type: 'staff',
        title: s.displayName,
        keywords: [s.username, ...new Set(s.roles.map((r) => ROLE_LABELS[r.role as Role] ?? r.role))],
        body: place?.department ?? '',
        url: `/org/staff?focus=${s.id}`,
        facets: placeFacets(place),
        ...(place ? { region: place.region } : {}),
      };
    });
  },
};

const PAGE = 2000;
/** The cap on records one instance holds in memory (the first ones by id); records past it are not searchable. */
export const RECORD_LIMIT = 200_000;

/**
 * 数据记录: current records of every register, for staff who may read the register (checked per search). The
 * title is the record's name-like value; shown text is masked by PII type, while identifiers stay searchable as
 * exact terms (a caseworker finds a person by ID number without the index ever showing it).
 */
export const registerRecords: SearchSource = {
  type: 'record',
  tables: ['records', 'registers', 'departments'],
  async load(deps) {
    const context = await recordContext(deps);
    const docs: SearchDoc[] = [];
    for (let after = 0; docs.length < RECORD_LIMIT; ) {
      const page = await recordsForIndex(deps.db, { after, limit: PAGE });
      if (page.length === 0) break;
      for (const r of page) if (!r.deleted) docs.push(...context.doc(r));
      after = (page.at(-1) as { id: number }).id;
    }
    return docs;
  },
  // ids: record ids, or ranges lo-hi (a statement that changed more than 200 records, such as an import).
  async loadSome(deps, ids) {
    const context = await recordContext(deps);
    const put: SearchDoc[] = [];
    const drop: string[] = [];
    const take = (rows: Awaited<ReturnType<typeof recordsForIndex>>) => {
      for (const r of rows) {
        if (r.deleted) drop.push(String(r.id));
        else put.push(...context.doc(r));
      }
    };
    const numbers = ids.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
    if (numbers.length) take(await recordsForIndex(deps.db, { after: 0, limit: numbers.length, ids: numbers }));
    for (const range of ids.filter((id) => /^[0-9]+-[0-9]+$/.test(id))) {
      const [lo = 0, hi = 0] = range.split('-').map(Number);
      for (let after = lo - 1; after < hi; ) {
        const page = await recordsForIndex(deps.db, { after, limit: PAGE, until: hi });
        if (page.length === 0) break;
        take(page);
        after = (page.at(-1) as { id: number }).id;
      }
    }
    return { put, drop };
  },
};

const NAME_LIKE = /(^|_)name$/;

async function recordContext(deps: SourceDeps) {
  const [registers, where] = await Promise.all([listCatalog(deps, {}, { publicOnly: false }), places(deps)]);
  const byId = new Map(registers.map((r) => [r.id, r]));
  return {
    doc(r: { id: number; registerId: number; data: Record<string, unknown> }): SearchDoc[] {
      const register = byId.get(r.registerId);
      if (!register) return [];
      const m = register.metadata as { name: string; fields: readonly Field[] };
      const shown: string[] = [];
      const terms: string[] = [];
      let title = '';
      for (const field of m.fields) {
        const value = r.data[field.code];
        if (value === undefined || value === null || value === '' || field.grade === 'core') continue;
        const text = String(value);
        const pii = field.piiType as PiiType;
        const masked = pii === 'none' ? text : maskValue(pii, text);
        // Staff who may read the register see names in full there too; other identifiers show masked.
        if (!title && (pii === 'name' || NAME_LIKE.test(field.code))) title = text;
        else shown.push(`${field.name}：${masked}`);
        if (pii !== 'none' && pii !== 'name') terms.push(text);
      }
      const place = where.get(register.departmentId);
      return [
        {
          id: String(r.id),
          type: 'record',
          title: title || `${m.name} #${r.id}`,
          keywords: [m.name],
          terms,
          body: shown.join('；'),
          url: `/registry/${encodeURIComponent(register.code)}?record=${r.id}`,
          facets: placeFacets(place),
          ...(place ? { region: place.region } : {}),
          scope: register.departmentId,
        },
      ];
    },
  };
}
