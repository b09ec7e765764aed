// CKAN's package_search over the published datasets: q, fq in Solr's boolean syntax (field:value, ranges, AND, OR,
// NOT, parentheses), sort, paging, facets — over an index of the package dictionaries made once per catalogue state.
// Pure functions.
import { iso, searchQueryError } from './ckan.ts';

type Term =
  | { readonly field: string; readonly value: string }
  | { readonly field: string; readonly from: string; readonly to: string };

/** A filter query: terms joined by AND and OR (AND binds tighter; terms side by side are ANDed), NOT, parentheses. */
export type Filter =
  | { readonly kind: 'term'; readonly term: Term }
  | { readonly kind: 'not'; readonly of: Filter }
  | { readonly kind: 'and' | 'or'; readonly of: readonly Filter[] };

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

const TOKEN =
  /\s*(?:(\()|(\))|(AND|&&|OR|\|\||NOT)(?=[\s(])|([+-]?!?)([a-z_]+):(?:"((?:[^"\\]|\\.)*)"|\[(\S+) TO (\S+)\]|(\()|([^\s"()[\]]+)))\s*/y;

/**
 * Solr's filter syntax as CKAN passes it on: `field:value`, `field:"a value"`, `field:[A TO B]` (`*` open),
 * `field:(a OR b)`, `-field:value`, `NOT …`, `AND`/`&&`, `OR`/`||`, parentheses. At most 50 terms, 10 levels deep.
 */
export function parseFilters(fq: string): Filter {
  const text = fq.trim();
  let at = 0;
  let terms = 0;
  const fail = (why: string): never => {
    throw searchQueryError(`Invalid filter query at '${text.slice(at, at + 30)}': ${why}`);
  };
  const peek = () => {
    TOKEN.lastIndex = at;
    return TOKEN.exec(text);
  };
  const take = (m: RegExpExecArray) => {
    at = TOKEN.lastIndex;
    return m;
  };
  const values = (field: string, depth: number): Filter => {
    // field:(a OR b c): values of one field, with the same operators.
    const parts: Filter[][] = [[]];
    for (;;) {
      const m = /\s*(?:(\))|(AND|&&)|(OR|\|\|)|"((?:[^"\\]|\\.)*)"|([^\s"()]+))\s*/y;
      m.lastIndex = at;
      const v = m.exec(text);
      if (!v) return fail('unclosed value list');
      at = m.lastIndex;
      if (v[1]) break;
      if (v[2]) continue;
      if (v[3]) {
        parts.push([]);
        continue;
      }
      if (++terms > 50) fail('too many terms');
      parts.at(-1)?.push({ kind: 'term', term: { field, value: (v[4] ?? v[5] ?? '').replace(/\\(.)/g, '$1') } });
    }
    if (depth > 10) fail('nested too deep');
    const groups = parts
      .filter((g) => g.length)
      .map((g): Filter => (g.length === 1 ? (g[0] as Filter) : { kind: 'and', of: g }));
    if (groups.length === 0) fail('an empty value list');
    return groups.length === 1 ? (groups[0] as Filter) : { kind: 'or', of: groups };
  };
  const unary = (depth: number): Filter => {
    if (depth > 10) fail('nested too deep');
    const m = peek();
    if (!m) return fail('expected a field:value term');
    if (m[3] === 'NOT') {
      take(m);
      return { kind: 'not', of: unary(depth + 1) };
    }
    if (m[1]) {
      take(m);
      const inner = or(depth + 1);
      const close = peek();
      if (!close?.[2]) fail('a parenthesis is not closed');
      if (close) take(close);
      return inner;
    }
    if (!m[5]) return fail('expected a field:value term');
    take(m);
    const [, , , , sign = '', field = '', quoted, from, to, list, bare] = m;
    if (!FIELDS.has(field)) throw searchQueryError(`Unknown field in filter query: '${field}'`);
    let filter: Filter;
    if (list) filter = values(field, depth + 1);
    else {
      if (++terms > 50) fail('too many terms');
      filter =
        from !== undefined && to !== undefined
          ? { kind: 'term', term: { field, from, to } }
          : { kind: 'term', term: { field, value: (quoted ?? bare ?? '').replace(/\\(.)/g, '$1') } };
    }
    return sign.startsWith('-') || sign.includes('!') ? { kind: 'not', of: filter } : filter;
  };
  const and = (depth: number): Filter => {
    const of = [unary(depth)];
    for (;;) {
      const m = peek();
      if (!m || m[2] || m[3] === 'OR' || m[3] === '||') break;
      if (m[3] === 'AND' || m[3] === '&&') take(m);
      of.push(unary(depth));
    }
    return of.length === 1 ? (of[0] as Filter) : { kind: 'and', of };
  };
  const or = (depth: number): Filter => {
    const of = [and(depth)];
    for (;;) {
      const m = peek();
      if (!m || !(m[3] === 'OR' || m[3] === '||')) break;
      take(m);
      of.push(and(depth));
    }
    return of.length === 1 ? (of[0] as Filter) : { kind: 'or', of };
  };
  if (text === '') return { kind: 'and', of: [] };
  const filter = or(0);
  if (at < text.length) fail('unexpected text');
  return filter;
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
  readonly filter: Filter;
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

/** The packages a filter term admits, as a bitmap. */
function termHits(index: PackageIndex, term: Term, now: Date): Uint8Array {
  const n = index.packages.length;
  const admitted = new Uint8Array(n);
  if ('value' in term && term.value !== '*') {
    for (const i of index.posting(term.field, term.value)) admitted[i] = 1;
    return admitted;
  }
  const values = index.values(term.field);
  const lo = 'from' in term ? bound(term.from, now) : undefined;
  const hi = 'to' in term ? bound(term.to, now) : undefined;
  const wildcard = 'value' in term;
  for (let i = 0; i < n; i++) {
    const vs = values[i] ?? [];
    admitted[i] = vs.some((v) => (wildcard ? v !== '' : (lo === undefined || v >= lo) && (hi === undefined || v <= hi)))
      ? 1
      : 0;
  }
  return admitted;
}

/** The packages a filter admits, as a bitmap. */
function filterHits(index: PackageIndex, filter: Filter, now: Date): Uint8Array {
  const n = index.packages.length;
  if (filter.kind === 'term') return termHits(index, filter.term, now);
  if (filter.kind === 'not') {
    const inner = filterHits(index, filter.of, now);
    for (let i = 0; i < n; i++) inner[i] = 1 - (inner[i] ?? 0);
    return inner;
  }
  const out = new Uint8Array(n).fill(filter.kind === 'and' ? 1 : 0);
  for (const part of filter.of) {
    const hits = filterHits(index, part, now);
    for (let i = 0; i < n; i++) {
      out[i] = filter.kind === 'and' ? (out[i] ?? 0) & (hits[i] ?? 0) : (out[i] ?? 0) | (hits[i] ?? 0);
    }
  }
  return out;
}

/** Runs a search over the indexed packages; `q` matches the title, notes, tags and organization (every word). */
export function searchPackages(index: PackageIndex, query: SearchQuery, now: Date) {
  const n = index.packages.length;
  const hits = filterHits(index, query.filter, now);
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
