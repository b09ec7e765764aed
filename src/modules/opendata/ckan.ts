// CKAN's view of our datasets: the package dictionary as `package_show` returns it, and `package_search` (q, fq with
// field:value and range terms, sort, paging, facets) over the published datasets. Pure functions over rows.
import type { TableSchema } from './dictionary.ts';
import { LICENCES, THEMES } from './opendata.schemas.ts';
import type { DatasetView } from './opendata.service.ts';

/** A CKAN error: its `__type`, HTTP status and the fields of its error object. */
export class CkanError extends Error {
  readonly type: string;
  readonly status: number;
  readonly fields: Readonly<Record<string, unknown>>;
  constructor(type: string, status: number, fields: Readonly<Record<string, unknown>>) {
    super(typeof fields.message === 'string' ? fields.message : type);
    this.type = type;
    this.status = status;
    this.fields = fields;
  }
}
export const notFoundError = (message = 'Not found') => new CkanError('Not Found Error', 404, { message });
export const validationError = (field: string, message: string) =>
  new CkanError('Validation Error', 409, { [field]: [message] });
export const searchQueryError = (message: string) => new CkanError('Search Query Error', 400, { message });
export const authorizationError = (message: string) => new CkanError('Authorization Error', 403, { message });

/** The IANA media type of each resource format. */
export const MEDIA_TYPES = {
  csv: 'text/csv',
  json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  parquet: 'application/vnd.apache.parquet',
} as const;

const iso = (d: Date) => d.toISOString().replace('Z', '');

export interface Site {
  /** This listener's base URL, for resource URLs. */
  readonly baseUrl: string;
}

export function resourceIds(uuid: string) {
  return { csv: `${uuid}-csv`, json: `${uuid}-json`, xlsx: `${uuid}-xlsx`, parquet: `${uuid}-parquet` } as const;
}

/** The package dictionary, with CKAN's field names and shapes. */
export function packageDict(site: Site, d: DatasetView): Record<string, unknown> {
  const ds = d.dataset;
  const current = d.versions.find((v) => v.version === ds.version);
  const licence = LICENCES.find((l) => l.id === ds.license_id);
  const theme = THEMES.find((t) => t.name === ds.theme);
  const org = organizationDict(ds.department_code, ds.department_name, ds.department_id);
  const ids = resourceIds(ds.uuid);
  const resources =
    current && ds.state === 'active'
      ? (['csv', 'json', 'xlsx', 'parquet'] as const).map((format, position) => ({
          id: ids[format],
          package_id: ds.uuid,
          name: `${ds.title}（${format.toUpperCase()}）`,
          description: '',
          format: format.toUpperCase(),
          mimetype: MEDIA_TYPES[format],
          url: `${site.baseUrl}/api/v1/opendata/datasets/${ds.name}/versions/${current.version}/data.${format}`,
          hash: format === 'csv' ? `sha256:${current.sha256}` : '',
          size: null,
          position,
          state: 'active',
          datastore_active: true,
          created: iso(current.created_at),
          last_modified: iso(current.created_at),
          metadata_modified: iso(current.created_at),
          url_type: null,
        }))
      : [];
  return {
    id: ds.uuid,
    name: ds.name,
    title: ds.title,
    notes: ds.notes,
    url: '',
    version: String(ds.version),
    license_id: ds.license_id,
    license_title: licence?.title ?? ds.license_id,
    license_url: licence?.url ?? '',
    owner_org: org.id,
    organization: org,
    groups: theme ? [{ id: theme.name, name: theme.name, title: theme.title, display_name: theme.title }] : [],
    tags: ds.tags.map((t) => ({ id: t, name: t, display_name: t, state: 'active', vocabulary_id: null })),
    num_tags: ds.tags.length,
    resources,
    num_resources: resources.length,
    extras: [
      { key: 'access', value: ds.access === 'conditional' ? '有条件开放' : '无条件开放' },
      { key: 'update_cycle', value: ds.update_cycle },
      ...(ds.spatial ? [{ key: 'spatial', value: ds.spatial }] : []),
      ...(ds.temporal_start ? [{ key: 'temporal_start', value: ds.temporal_start }] : []),
      ...(ds.temporal_end ? [{ key: 'temporal_end', value: ds.temporal_end }] : []),
      ...(ds.contact ? [{ key: 'contact', value: ds.contact }] : []),
      ...d.versions.map((v) => ({ key: `version_${v.version}_sha256`, value: v.sha256 })),
    ],
    metadata_created: iso(ds.created_at),
    metadata_modified: iso(ds.modified_at),
    private: false,
    state: ds.state === 'active' ? 'active' : 'deleted',
    type: 'dataset',
    isopen: ds.access === 'open' && licence?.od_conformance === 'approved',
  };
}

export function organizationDict(code: string, name: string, id: number) {
  return {
    id: `org-${id}`,
    name: code.toLowerCase(),
    title: name,
    display_name: name,
    type: 'organization',
    is_organization: true,
    state: 'active',
    approval_status: 'approved',
    description: '',
    image_url: '',
  };
}

/** The schema a version's DataStore fields come from. */
export function datastoreFields(schema: TableSchema) {
  const TYPES: Record<string, string> = {
    string: 'text',
    integer: 'int',
    number: 'numeric',
    boolean: 'bool',
    date: 'date',
    datetime: 'timestamp',
  };
  return [
    { id: '_id', type: 'int' },
    ...schema.fields.map((f) => ({ id: f.name, type: TYPES[f.type] ?? 'text', info: { label: f.title } })),
  ];
}

// ---- package_search ----

type Term =
  | { readonly field: string; readonly value: string; readonly negate: boolean }
  | { readonly field: string; readonly from: string; readonly to: string; readonly negate: boolean };

const FIELDS = new Set([
  'id',
  'name',
  'title',
  'organization',
  'groups',
  'tags',
  'license_id',
  'res_format',
  'metadata_modified',
  'metadata_created',
  'access',
]);

/** Solr-style filter terms: `field:value`, `field:"a value"`, `field:[A TO B]` (with `*` open), `-field:value`. */
export function parseFilters(fq: string): Term[] {
  const terms: Term[] = [];
  const re = /\s*(\+|-)?([a-z_]+):(?:"((?:[^"\\]|\\.)*)"|\[(\S+) TO (\S+)\]|([^\s"[\]]+))\s*/gy;
  let at = 0;
  const text = fq.trim();
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw searchQueryError(`Invalid filter query at '${text.slice(at, at + 30)}'`);
    const [, sign, field = '', quoted, from, to, bare] = m;
    if (!FIELDS.has(field)) throw searchQueryError(`Unknown field in filter query: '${field}'`);
    const negate = sign === '-';
    if (from !== undefined && to !== undefined) terms.push({ field, from, to, negate });
    else terms.push({ field, value: (quoted ?? bare ?? '').replace(/\\(.)/g, '$1'), negate });
    at = re.lastIndex;
    if (/^(AND|&&)\s/.test(text.slice(at))) at += text.slice(at).indexOf(' ') + 1;
  }
  return terms;
}

function valuesOf(pkg: Record<string, unknown>, field: string): string[] {
  const org = pkg.organization as { name: string };
  switch (field) {
    case 'organization':
      return [org.name];
    case 'groups':
      return (pkg.groups as Array<{ name: string }>).map((g) => g.name);
    case 'tags':
      return (pkg.tags as Array<{ name: string }>).map((t) => t.name);
    case 'res_format':
      return [...new Set((pkg.resources as Array<{ format: string }>).map((r) => r.format))];
    case 'access':
      return [
        (pkg.extras as Array<{ key: string; value: string }>).find((e) => e.key === 'access')?.value === '有条件开放'
          ? 'conditional'
          : 'open',
      ];
    default:
      return [String(pkg[field] ?? '')];
  }
}

/** A range bound as comparable text: dates normalised to CKAN's timestamp form, `NOW` accepted. */
function bound(value: string, now: Date): string | undefined {
  if (value === '*') return undefined;
  if (value === 'NOW') return iso(now);
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : iso(new Date(t));
}

const SORTABLE = new Set(['id', 'name', 'title', 'metadata_modified', 'metadata_created', 'score']);

export function parseSort(sort: string): Array<{ field: string; desc: boolean }> {
  return sort
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [field = '', dir = 'asc', extra] = s.split(/\s+/);
      if (!SORTABLE.has(field) || !['asc', 'desc'].includes(dir) || extra !== undefined) {
        throw searchQueryError(`Can not sort by '${s}'`);
      }
      return { field, desc: dir === 'desc' };
    });
}

export interface SearchQuery {
  readonly q: string;
  readonly filters: readonly Term[];
  readonly sort: ReadonlyArray<{ field: string; desc: boolean }>;
  readonly rows: number;
  readonly start: number;
  readonly facetFields: readonly string[];
  readonly facetLimit: number;
  readonly facetMincount: number;
}

/**
 * The published packages indexed for search, made once per catalogue state: each field's values per package, the
 * packages holding each value (postings), the text `q` is matched against, and each sort order (made at its first
 * use). A search then reads arrays instead of package dictionaries, and never sorts.
 */
export class PackageIndex {
  readonly packages: ReadonlyArray<Record<string, unknown>>;
  private readonly fieldValues = new Map<string, ReadonlyArray<readonly string[]>>();
  private readonly postingLists = new Map<string, ReadonlyMap<string, readonly number[]>>();
  private readonly orders = new Map<string, Int32Array>();
  private texts: readonly string[] | undefined;

  constructor(packages: ReadonlyArray<Record<string, unknown>>) {
    this.packages = packages;
  }

  /** Each package's values of a field (made at the field's first use). */
  values(field: string): ReadonlyArray<readonly string[]> {
    let values = this.fieldValues.get(field);
    if (!values) {
      values = this.packages.map((pkg) => valuesOf(pkg, field));
      this.fieldValues.set(field, values);
    }
    return values;
  }

  /** The positions of the packages whose field holds a value. */
  posting(field: string, value: string): readonly number[] {
    let postings = this.postingLists.get(field);
    if (!postings) {
      const map = new Map<string, number[]>();
      this.values(field).forEach((vs, i) => {
        for (const v of vs) {
          const list = map.get(v);
          if (list) list.push(i);
          else map.set(v, [i]);
        }
      });
      postings = map;
      this.postingLists.set(field, postings);
    }
    return postings.get(value) ?? [];
  }

  /** What `q` is matched against: title, notes, name, publisher, tags and themes, lower-cased. */
  text(): readonly string[] {
    this.texts ??= this.packages.map((pkg) =>
      [
        pkg.title,
        pkg.notes,
        pkg.name,
        (pkg.organization as { title: string }).title,
        ...valuesOf(pkg, 'tags'),
        ...(pkg.groups as Array<{ title: string }>).map((g) => g.title),
      ]
        .join(' ')
        .toLowerCase(),
    );
    return this.texts;
  }

  /** The packages' positions in a sort order (ties broken by id). */
  order(sort: ReadonlyArray<{ field: string; desc: boolean }>): Int32Array {
    const key = sort.map((s) => `${s.field} ${s.desc}`).join(',');
    let order = this.orders.get(key);
    if (!order) {
      const keys = sort.map((s) => this.packages.map((pkg) => String(pkg[s.field] ?? '')));
      const ids = this.packages.map((pkg) => String(pkg.id));
      order = Int32Array.from(this.packages.keys()).sort((a, b) => {
        for (let k = 0; k < sort.length; k++) {
          const x = keys[k]?.[a] ?? '';
          const y = keys[k]?.[b] ?? '';
          if (x !== y) return (x < y ? -1 : 1) * (sort[k]?.desc ? -1 : 1);
        }
        return (ids[a] ?? '') < (ids[b] ?? '') ? -1 : 1;
      });
      this.orders.set(key, order);
    }
    return order;
  }
}

/** Marks the packages a filter term admits (`hits[i]` stays 1 only where every term so far admits package i). */
function applyTerm(index: PackageIndex, term: Term, hits: Uint8Array, now: Date): void {
  const admitted = new Uint8Array(hits.length);
  if ('value' in term && term.value !== '*') {
    for (const i of index.posting(term.field, term.value)) admitted[i] = 1;
  } else {
    const values = index.values(term.field);
    const lo = 'from' in term ? bound(term.from, now) : undefined;
    const hi = 'to' in term ? bound(term.to, now) : undefined;
    const wildcard = 'value' in term;
    for (let i = 0; i < hits.length; i++) {
      if (!hits[i]) continue;
      const vs = values[i] ?? [];
      admitted[i] = vs.some((v) =>
        wildcard ? v !== '' : (lo === undefined || v >= lo) && (hi === undefined || v <= hi),
      )
        ? 1
        : 0;
    }
  }
  for (let i = 0; i < hits.length; i++)
    hits[i] = (hits[i] ?? 0) & (term.negate ? 1 - (admitted[i] ?? 0) : (admitted[i] ?? 0));
}

/** Runs a search over the indexed packages; `q` matches the title, notes, tags and organization (every word). */
export function searchPackages(index: PackageIndex, query: SearchQuery, now: Date) {
  const n = index.packages.length;
  const hits = new Uint8Array(n).fill(1);
  for (const term of query.filters) applyTerm(index, term, hits, now);
  const words = query.q
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w && w !== '*:*');
  if (words.length) {
    const text = index.text();
    for (let i = 0; i < n; i++) if (hits[i] && !words.every((w) => text[i]?.includes(w))) hits[i] = 0;
  }
  const explicit = query.sort.filter((s) => s.field !== 'score');
  const order = index.order(explicit.length ? explicit : [{ field: 'metadata_modified', desc: true }]);
  const results: Array<Record<string, unknown>> = [];
  let count = 0;
  for (const i of order) {
    if (!hits[i]) continue;
    if (count >= query.start && results.length < query.rows) results.push(index.packages[i] ?? {});
    count++;
  }
  const facets: Record<string, Record<string, number>> = {};
  const searchFacets: Record<
    string,
    { title: string; items: Array<{ name: string; display_name: string; count: number }> }
  > = {};
  for (const field of query.facetFields) {
    const values = index.values(field);
    const counts = new Map<string, { first: number; count: number }>();
    for (let i = 0; i < n; i++) {
      if (!hits[i]) continue;
      for (const v of values[i] ?? []) {
        const c = counts.get(v);
        if (c) c.count++;
        else counts.set(v, { first: i, count: 1 });
      }
    }
    const items = [...counts]
      .filter(([, c]) => c.count >= query.facetMincount)
      .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
      .slice(0, query.facetLimit < 0 ? undefined : query.facetLimit)
      .map(([name, c]) => ({
        name,
        display_name: displayName(index.packages[c.first] ?? {}, field, name),
        count: c.count,
      }));
    facets[field] = Object.fromEntries(items.map((item) => [item.name, item.count]));
    searchFacets[field] = { title: field, items };
  }
  return {
    count,
    results,
    facets,
    search_facets: searchFacets,
    sort:
      query.sort.map((s) => `${s.field} ${s.desc ? 'desc' : 'asc'}`).join(', ') || 'score desc, metadata_modified desc',
  };
}

/** A facet value's display name: an organization's or theme's title, else the value. */
function displayName(pkg: Record<string, unknown>, field: string, value: string): string {
  if (field === 'organization') return (pkg.organization as { title: string }).title;
  if (field === 'groups')
    return (pkg.groups as Array<{ name: string; title: string }>).find((g) => g.name === value)?.title ?? value;
  return value;
}
