// search use cases: one index per zone, built at start-up from its sources and kept fresh by NOTIFY zt_search
// (every instance hears every commit: PostgreSQL LISTEN, or PGlite in process). Public search sees public
// documents; the internal twin also sees records and staff, filtered by what the caller may read.
import type { Db } from '../../platform/db.ts';
import { forbidden, invalid, notFound } from '../../platform/errors.ts';
import type { Logger } from '../../platform/log.ts';
import { cstDate } from '../../platform/workdays.ts';
import { isPlatformAdmin, type StaffActor } from '../org/index.ts';
import { canReadRecords } from '../registry/index.ts';
import { normalize } from './analysis.ts';
import { FACETS, type FacetName, type SearchDoc, SearchIndex, type SearchResult } from './engine.ts';
import type { SearchResponse, Suggestion, SynonymGroup } from './search.schemas.ts';
import * as store from './search.store.ts';
import type { SearchSource, SourceDeps } from './sources.ts';

export type SearchDeps = SourceDeps;

/** Time to gather notifications before reloading: a burst of commits becomes one reload. */
const SETTLE_MS = 50;
/** A query that found nothing is written once asked this often in a day on one instance (and listed from then). */
const MISS_THRESHOLD = 3;
/** Distinct unfound queries one instance counts per day. */
const MISS_QUERIES = 10_000;

export class SearchHub {
  readonly index = new SearchIndex();
  private readonly pending = new Map<string, Set<string> | '*'>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private popularityTimer: NodeJS.Timeout | undefined;

  private readonly deps: SourceDeps;
  private readonly sources: readonly SearchSource[];
  private readonly log: Logger | undefined;
  private readonly zone: 'public' | 'internal';
  // Misses: today's counts per query in memory (at most MISS_QUERIES distinct), and what is due to be written —
  // only queries asked MISS_THRESHOLD times here, so random junk neither reaches the table nor grows memory.
  private missDay = '';
  private missCounts = new Map<string, number>();
  private misses = new Map<string, number>();
  private missTimer: NodeJS.Timeout | undefined;

  constructor(deps: SourceDeps, sources: readonly SearchSource[], zone: 'public' | 'internal', log?: Logger) {
    this.deps = deps;
    this.sources = sources;
    this.zone = zone;
    this.log = log;
  }

  /**
   * Counts a query that found nothing (written within a second, in one statement per second at most). Queries that
   * could be personal data — six digits in a row (ID, phone, account numbers) or an @ — are not kept.
   */
  noteMiss(query: string): void {
    const q = normalize(query).replace(/\s+/g, ' ').trim();
    if (!q || q.length > 50 || /[0-9]{6}|@/.test(q)) return;
    const day = cstDate(this.deps.clock());
    if (day !== this.missDay) {
      this.missDay = day;
      this.missCounts = new Map();
    }
    if (!this.missCounts.has(q) && this.missCounts.size >= MISS_QUERIES) return;
    const count = (this.missCounts.get(q) ?? 0) + 1;
    this.missCounts.set(q, count);
    if (count < MISS_THRESHOLD) return;
    // The asks before the threshold count too, once it is reached.
    this.misses.set(q, (this.misses.get(q) ?? 0) + (count === MISS_THRESHOLD ? MISS_THRESHOLD : 1));
    if (!this.missTimer) {
      this.missTimer = setTimeout(() => void this.flushMisses(), 1000);
      this.missTimer.unref();
    }
  }

  /** Writes the counted misses (also when the zone closes). */
  async flushMisses(): Promise<void> {
    clearTimeout(this.missTimer);
    this.missTimer = undefined;
    const counts = this.misses;
    this.misses = new Map();
    if (counts.size === 0) return;
    const day = cstDate(this.deps.clock());
    await this.deps.db
      .transaction((tx) => store.addMisses(tx, day, this.zone, counts))
      .catch((e) => this.log?.warn({ err: e }, 'search misses not written'));
  }

  /** Loads every source afresh (start-up, and after the notification connection was lost). */
  /** For operators: how often and how long the index was built and refreshed (read by the metrics). */
  readonly stats = { builds: 0, lastBuildSeconds: 0, refreshes: 0, lastRefreshSeconds: 0 };

  async rebuild(): Promise<void> {
    const started = Date.now();
    await this.loadSynonyms();
    for (const source of this.sources) await this.reloadSource(source);
    this.index.compact();
    this.stats.builds++;
    this.stats.lastBuildSeconds = (Date.now() - started) / 1000;
    this.log?.info({ documents: this.index.size, ms: Date.now() - started }, 'search index built');
  }

  /** Keeps the popularity of services current (applications move it, but slowly: every 10 minutes is plenty). */
  startPopularity(everyMs = 600_000): void {
    this.popularityTimer = setInterval(() => this.enqueue('popularity', '*'), everyMs);
    this.popularityTimer.unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    clearInterval(this.popularityTimer);
    await this.flushMisses();
  }

  /** A NOTIFY payload: `table` or `table:id,id,…` or `table:*`. */
  notify(payload: string): void {
    const [table = '', ids] = payload.split(':', 2);
    this.enqueue(table, ids === undefined || ids === '*' ? '*' : ids);
  }

  private enqueue(table: string, ids: string) {
    const current = this.pending.get(table);
    if (ids === '*' || current === '*') this.pending.set(table, '*');
    else {
      const set = current ?? new Set<string>();
      for (const id of ids.split(',')) if (id) set.add(id);
      this.pending.set(table, set);
    }
    if (!this.timer)
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flushing = this.flushing.then(() => this.flush()).catch((e) => this.log?.error(e, 'search refresh'));
      }, SETTLE_MS);
  }

  private async flush(): Promise<void> {
    const started = Date.now();
    await this.refresh();
    this.stats.refreshes++;
    this.stats.lastRefreshSeconds = (Date.now() - started) / 1000;
  }

  private async refresh(): Promise<void> {
    const work = new Map(this.pending);
    this.pending.clear();
    if (work.has('search_synonyms')) await this.loadSynonyms();
    for (const source of this.sources) {
      const hits = source.tables.map((t) => work.get(t)).filter((v) => v !== undefined);
      const popularity = work.has('popularity') && source.type === 'service';
      if (hits.length === 0 && !popularity) continue;
      const only = hits.length === 1 && hits[0] !== '*' && source.tables[0] && work.get(source.tables[0]);
      if (only && only !== '*' && source.loadSome) {
        const { put, drop } = await source.loadSome(this.deps, [...only]);
        for (const id of drop) this.index.remove(source.type, id);
        for (const doc of put) this.index.put(doc);
      } else await this.reloadSource(source);
    }
  }

  private async reloadSource(source: SearchSource) {
    const docs = await source.load(this.deps);
    const keep = new Set(docs.map((d) => d.id));
    for (const doc of docs) {
      // Unchanged documents stay as they are (a reload after one edit touches one document).
      const old = this.index.get(doc.type, doc.id);
      if (old && sameDoc(old, doc)) {
        if (old.popularity !== doc.popularity) this.index.setPopularity(doc.type, doc.id, doc.popularity ?? 0);
        continue;
      }
      this.index.put(doc);
    }
    for (const id of this.index.idsOf(source.type)) if (!keep.has(id)) this.index.remove(source.type, id);
  }

  private async loadSynonyms() {
    const rows = await this.deps.db.read((tx) => store.findSynonyms(tx));
    this.index.synonyms = { groups: rows.map((r) => r.terms.map(normalize)) };
  }
}

const sameDoc = (a: SearchDoc, b: SearchDoc) =>
  a.title === b.title &&
  a.body === b.body &&
  a.url === b.url &&
  a.region === b.region &&
  a.scope === b.scope &&
  JSON.stringify([a.keywords, a.terms, a.facets]) === JSON.stringify([b.keywords, b.terms, b.facets]);

export interface SearchQuery {
  readonly q: string;
  readonly type?: readonly string[] | undefined;
  readonly facet?: readonly string[] | undefined;
  readonly page?: number | undefined;
  readonly size?: number | undefined;
  readonly region?: string | undefined;
}

const list = (v: readonly string[] | undefined): string[] => (v ?? []).flatMap((s) => s.split(',')).filter(Boolean);

/** `facet=department:天津市公安局` → filters, each facet name checked. */
function parseFacets(values: readonly string[]): Partial<Record<FacetName, string[]>> {
  const filters: Partial<Record<FacetName, string[]>> = {};
  for (const value of values) {
    const at = value.indexOf(':');
    const name = value.slice(0, at) as FacetName;
    if (at < 1 || !FACETS.includes(name))
      throw invalid('/facet', `A facet filter is name:value with name one of ${FACETS.join(', ')}`);
    filters[name] = [...(filters[name] ?? []), value.slice(at + 1)];
  }
  return filters;
}

const toResponse = (result: SearchResult): SearchResponse => ({
  total: result.total,
  hits: result.hits.map((h) => ({
    type: h.doc.type,
    id: h.doc.id,
    title: h.doc.title,
    snippet: h.snippet,
    highlight: h.highlight,
    url: h.doc.url,
    facets: h.doc.facets,
  })),
  facets: Object.fromEntries(FACETS.map((f) => [f, [...result.facets[f]]])),
});

/** Who may see a document of the internal index. */
export function visibleTo(staff: StaffActor) {
  return (doc: SearchDoc) => doc.scope === undefined || canReadRecords(staff, doc.scope);
}

/**
 * Where a logged-in citizen or enterprise is, from what its masked identifier still shows: a resident ID's first six
 * digits (the household register's region), a credit code's characters 3–8 (the registering authority's region).
 */
export function regionOf(account: { kind: 'person' | 'enterprise'; identifierMasked: string } | undefined) {
  const code =
    account?.kind === 'person' ? account.identifierMasked.slice(0, 6) : account?.identifierMasked.slice(2, 8);
  return code && /^[1-8][0-9]{5}$/.test(code) ? code : undefined;
}

/** Searches the zone's index; on the internal zone, only what the staff member may read is found or counted. */
export function search(hub: SearchHub, query: SearchQuery, staff?: StaffActor): SearchResponse {
  const q = query.q.trim();
  if (!q) throw invalid('/q', 'Type something to search for');
  const result = toResponse(
    hub.index.search(q, {
      types: list(query.type),
      filters: parseFacets(list(query.facet)),
      page: query.page ?? 1,
      size: query.size ?? 10,
      ...(query.region ? { region: query.region } : {}),
      ...(staff ? { visible: visibleTo(staff) } : {}),
    }),
  );
  // What people look for on the portal and do not find (unfiltered first pages only: a filter that empties a page
  // is no miss). Staff searches are never kept: they look for people by name.
  const plain = !query.facet?.length && !query.type?.length && (query.page ?? 1) === 1;
  if (!staff && plain && result.total === 0) hub.noteMiss(q);
  return result;
}

/** The commonest public searches that found nothing in the last `days` days (asked at least 3 times a day). */
export async function listMisses(deps: { db: Db; clock: () => Date }, actor: StaffActor, days = 30) {
  if (!isPlatformAdmin(actor)) throw forbidden('Only the platform admin reads what searches found nothing');
  const since = cstDate(new Date(deps.clock().getTime() - days * 86_400_000));
  const rows = await deps.db.read((tx) => store.findMisses(tx, 'public', since, MISS_THRESHOLD));
  return rows.map((r) => ({ query: r.query, count: Number(r.count) }));
}

/** Completions for what has been typed so far: titles of the best matches. */
export function suggest(
  hub: SearchHub,
  query: { q: string; type?: readonly string[] | undefined },
  staff?: StaffActor,
) {
  const q = query.q.trim();
  if (!q) return [];
  return hub.index.suggest(q, { types: list(query.type), ...(staff ? { visible: visibleTo(staff) } : {}) }).map(
    (h): Suggestion => ({
      type: h.doc.type,
      id: h.doc.id,
      title: h.doc.title,
      highlight: h.highlight,
      url: h.doc.url,
    }),
  );
}

export async function listSynonyms(deps: { db: Db }): Promise<SynonymGroup[]> {
  const rows = await deps.db.read((tx) => store.findSynonyms(tx));
  return rows.map((r) => ({ id: r.id, terms: r.terms }));
}

function cleanTerms(terms: readonly string[]): string[] {
  const clean = [...new Set(terms.map((t) => t.normalize('NFKC').trim()).filter(Boolean))];
  if (clean.length < 2) throw invalid('/terms', 'A synonym group needs at least two different terms');
  return clean;
}

/** The platform admin edits the synonym table; every change is a ledger entry and reaches every index at once. */
export async function saveSynonyms(
  deps: SearchDeps,
  actor: StaffActor,
  input: { id?: number | undefined; terms: readonly string[] },
): Promise<SynonymGroup> {
  if (!isPlatformAdmin(actor)) throw forbidden('Only the platform admin edits the synonym table');
  const terms = cleanTerms(input.terms);
  return deps.db.transaction(async (tx) => {
    const by = `staff:${actor.staffId}`;
    const row =
      input.id === undefined
        ? await store.insertSynonyms(tx, terms, by)
        : await store.updateSynonyms(tx, input.id, terms, by, deps.clock());
    if (!row) throw notFound('synonyms');
    await deps.ledger.append(tx, {
      type: 'search.synonyms_saved',
      actor: by,
      subject: `synonyms:${row.id}`,
      payload: { terms },
      readers: [by],
    });
    return { id: row.id, terms: row.terms };
  });
}

export async function deleteSynonyms(deps: SearchDeps, actor: StaffActor, id: number): Promise<void> {
  if (!isPlatformAdmin(actor)) throw forbidden('Only the platform admin edits the synonym table');
  await deps.db.transaction(async (tx) => {
    const deleted = await store.deleteSynonyms(tx, id);
    if (!deleted) throw notFound('synonyms');
    await deps.ledger.append(tx, {
      type: 'search.synonyms_deleted',
      actor: `staff:${actor.staffId}`,
      subject: `synonyms:${id}`,
      payload: { terms: deleted.terms },
    });
  });
}
