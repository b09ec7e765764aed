// CKAN's Action API on the public listener, at /api/3/action/{name} and /api/action/{name}: GET with query parameters
// or POST with a JSON body, CKAN's envelope {help, success, result} and its errors, so that CKAN's own tools (its
// harvester, ckanapi, the DCAT harvesters of national portals) work unchanged. Also /datastore/dump/{resource_id}.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http.ts';
import { type AccessDeps, checkKey, countUse, type KeyUse } from './access.service.ts';
import {
  authorizationError,
  CkanError,
  datastoreFields,
  notFoundError,
  type organizationDict,
  packageDict,
  type Site,
  searchQueryError,
  validationError,
} from './ckan.ts';
import { bool, list, natural, type Params, required, text } from './ckan-params.ts';
import { PackageIndex, parseFilters, parseSort, searchPackages } from './ckan-search.ts';
import { csvLines, type TableSchema } from './dictionary.ts';
import { sendVersion } from './downloads.routes.ts';
import { LICENCES, THEMES } from './opendata.schemas.ts';
import * as service from './opendata.service.ts';
import * as usageService from './usage.service.ts';

/** Who calls: this listener's URL (for resource URLs), the `Authorization` header (an API key) and the address. */
interface CallContext {
  readonly site: Site;
  readonly key: string | undefined;
  readonly ip: string;
}
type Action = (deps: AccessDeps, params: Params, ctx: CallContext) => Promise<unknown>;

// ---- actions ----

type Made = Array<{ d: service.DatasetView; pkg: Record<string, unknown> }>;
const dicts = new WeakMap<readonly service.DatasetView[], Map<string, Made>>();
const indexes = new WeakMap<Made, PackageIndex>();

/** The package dictionaries of the published datasets, made once per catalogue state and listener URL. */
async function packages(deps: service.OpendataDeps, site: Site) {
  const datasets = await service.activeDatasets(deps.db);
  const bySite = dicts.get(datasets) ?? new Map<string, Made>();
  dicts.set(datasets, bySite);
  let made = bySite.get(site.baseUrl);
  if (!made) {
    made = datasets.map((d) => ({ d, pkg: packageDict(site, d) }));
    bySite.set(site.baseUrl, made);
  }
  return made;
}

async function dataset(deps: service.OpendataDeps, id: string): Promise<service.DatasetView> {
  const found = /^[\w-]{1,100}$/.test(id) ? await service.findDataset(deps.db, id) : undefined;
  if (found?.dataset.state !== 'active') throw notFoundError();
  return found;
}

/** A resource id: the dataset's id and the format (`<uuid>-csv`, `-json`, `-xlsx`), all on the one stored table. */
async function resource(deps: service.OpendataDeps, id: string) {
  const m = /^([0-9a-f-]{36})-(csv|json|xlsx|parquet)$/.exec(id);
  const found = m ? await service.findDataset(deps.db, m[1] ?? '') : undefined;
  const current = found?.versions.find((v) => v.version === found.dataset.version);
  if (!found || !current || found.dataset.state !== 'active') {
    throw notFoundError(`Resource "${id}" was not found.`);
  }
  return { found, current, format: (m?.[2] ?? 'csv') as 'csv' | 'json' | 'xlsx' | 'parquet' };
}

/** An open dataset's data is for everyone; a conditional one's for a valid key (checked, counted and logged). */
async function gate(
  deps: AccessDeps,
  found: service.DatasetView,
  ctx: CallContext,
  action: string,
): Promise<KeyUse | undefined> {
  if (found.dataset.access !== 'conditional') return undefined;
  try {
    return await checkKey(deps, ctx.key, found.dataset.id, action, ctx.ip);
  } catch (e) {
    if (e instanceof AppError && e.status === 429) throw e;
    if (e instanceof AppError) throw authorizationError(e.message);
    throw e;
  }
}

type Org = ReturnType<typeof organizationDict>;
const organizations = (all: Array<{ pkg: Record<string, unknown> }>) => {
  const byName = new Map<string, { org: Org; count: number }>();
  for (const { pkg } of all) {
    const org = pkg.organization as Org;
    const entry = byName.get(org.name) ?? { org, count: 0 };
    entry.count++;
    byName.set(org.name, entry);
  }
  return [...byName.values()].map((e) => ({ ...e.org, package_count: e.count }));
};

function sortAndPage<T extends Record<string, unknown>>(rows: T[], params: Params): T[] {
  const sort = text(params, 'sort', 'name asc').trim();
  const [field = 'name', dir = 'asc'] = sort.split(/\s+/);
  if (!['name', 'title', 'package_count'].includes(field) || !['asc', 'desc'].includes(dir)) {
    throw validationError('sort', `Cannot sort by '${sort}'`);
  }
  const sorted = [...rows].sort((a, b) => {
    const x = a[field] as string | number;
    const y = b[field] as string | number;
    return (x < y ? -1 : x > y ? 1 : 0) * (dir === 'desc' ? -1 : 1);
  });
  const offset = natural(params, 'offset', 0);
  const limit = natural(params, 'limit', 1000, 1000);
  return sorted.slice(offset, offset + limit);
}

const ACTIONS: Record<string, Action> = {
  status_show: async (_deps, _params, { site }) => ({
    site_title: '政通 开放数据',
    site_url: site.baseUrl,
    site_description: '政府数据开放（CKAN 兼容接口）',
    ckan_version: '2.11.0',
    locale_default: 'zh_Hans_CN',
    extensions: ['datastore', 'zhengtong'],
  }),
  site_read: async () => true,
  package_list: async (deps, params, { site }) => {
    const names = (await packages(deps, site)).map(({ pkg }) => String(pkg.name)).sort();
    const offset = natural(params, 'offset', 0);
    const limit = natural(params, 'limit', names.length);
    return names.slice(offset, offset + limit);
  },
  package_show: async (deps, params, { site }) => {
    const found = await dataset(deps, required(params, 'id'));
    await usageService.countUse(deps, found.dataset.id, 'api_calls');
    return packageDict(site, found);
  },
  package_search: async (deps, params, { site }) => {
    // fq_list's queries are each one filter, all of which must hold.
    const fq = [text(params, 'fq'), ...(list(params, 'fq_list') ?? [])]
      .filter(Boolean)
      .map((q) => `(${q})`)
      .join(' AND ');
    const facet = bool(params, 'facet', true);
    const query = {
      q: text(params, 'q'),
      filter: parseFilters(fq),
      sort: parseSort(text(params, 'sort')),
      rows: natural(params, 'rows', 10, 1000),
      start: natural(params, 'start', 0),
      facetFields: facet ? (list(params, 'facet.field') ?? []) : [],
      facetLimit:
        params['facet.limit'] === '-1' || params['facet.limit'] === -1 ? -1 : natural(params, 'facet.limit', 50),
      facetMincount: natural(params, 'facet.mincount', 1),
    };
    for (const f of query.facetFields) {
      if (!['organization', 'groups', 'tags', 'license_id', 'res_format', 'access'].includes(f)) {
        throw searchQueryError(`Can not facet on '${f}'`);
      }
    }
    bool(params, 'include_private', false);
    const made = await packages(deps, site);
    let index = indexes.get(made);
    if (!index) {
      index = new PackageIndex(made.map((p) => p.pkg));
      indexes.set(made, index);
    }
    return searchPackages(index, query, deps.clock());
  },
  organization_list: async (deps, params, { site }) => {
    const orgs = sortAndPage(organizations(await packages(deps, site)), params);
    return bool(params, 'all_fields', false) ? orgs : orgs.map((o) => o.name);
  },
  organization_show: async (deps, params, { site }) => {
    const id = required(params, 'id');
    const all = await packages(deps, site);
    const org = organizations(all).find((o) => o.name === id.toLowerCase() || o.id === id);
    if (!org) throw notFoundError('Organization not found');
    const include = bool(params, 'include_datasets', false);
    return {
      ...org,
      ...(include
        ? {
            packages: all
              .filter(({ pkg }) => (pkg.organization as { name: string }).name === org.name)
              .map((p) => p.pkg),
          }
        : {}),
    };
  },
  group_list: async (deps, params, { site }) => {
    const all = await packages(deps, site);
    const groups = THEMES.map((t) => ({
      id: t.name,
      name: t.name,
      title: t.title,
      display_name: t.title,
      type: 'group',
      is_organization: false,
      state: 'active',
      package_count: all.filter(({ d }) => d.dataset.theme === t.name).length,
    }));
    const rows = sortAndPage(groups, params);
    return bool(params, 'all_fields', false) ? rows : rows.map((g) => g.name);
  },
  group_show: async (deps, params, { site }) => {
    const id = required(params, 'id');
    const theme = THEMES.find((t) => t.name === id);
    if (!theme) throw notFoundError('Group not found');
    const all = await packages(deps, site);
    const mine = all.filter(({ d }) => d.dataset.theme === theme.name);
    return {
      id: theme.name,
      name: theme.name,
      title: theme.title,
      display_name: theme.title,
      type: 'group',
      is_organization: false,
      state: 'active',
      package_count: mine.length,
      ...(bool(params, 'include_datasets', false) ? { packages: mine.map((p) => p.pkg) } : {}),
    };
  },
  tag_list: async (deps, params, { site }) => {
    const q = text(params, 'query');
    const tags = [...new Set((await packages(deps, site)).flatMap(({ d }) => d.dataset.tags))]
      .filter((t) => !q || t.includes(q))
      .sort();
    return bool(params, 'all_fields', false) ? tags.map((t) => ({ id: t, name: t, vocabulary_id: null })) : tags;
  },
  license_list: async () =>
    LICENCES.map((l) => ({
      id: l.id,
      title: l.title,
      url: l.url,
      status: 'active',
      maintainer: '',
      family: '',
      od_conformance: l.od_conformance,
      osd_conformance: 'not reviewed',
      domain_content: true,
      domain_data: true,
      domain_software: false,
    })),
  resource_show: async (deps, params, { site }) => {
    const { found, format } = await resource(deps, required(params, 'id'));
    await usageService.countUse(deps, found.dataset.id, 'api_calls');
    const pkg = packageDict(site, found);
    return (pkg.resources as Array<{ format: string }>).find((r) => r.format === format.toUpperCase());
  },
  datastore_search: async (deps, params, ctx) => datastoreSearch(deps, params, ctx),
};

/** CKAN DataStore's read: a page of a resource's rows with its fields typed from the dictionary. */
async function datastoreSearch(deps: AccessDeps, params: Params, ctx: CallContext) {
  const resourceId = required(params, 'resource_id');
  const { found, current } = await resource(deps, resourceId);
  const schema = current.schema as TableSchema;
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  let filters = params.filters;
  if (typeof filters === 'string') {
    try {
      filters = filters.trim() === '' ? {} : JSON.parse(filters);
    } catch {
      throw validationError('filters', 'Cannot parse JSON');
    }
  }
  if (filters !== undefined && (typeof filters !== 'object' || filters === null || Array.isArray(filters))) {
    throw validationError('filters', 'Not a JSON object');
  }
  const typed: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries((filters ?? {}) as Record<string, unknown>)) {
    const field = byName.get(k);
    if (!field) throw validationError('filters', `field "${k}" not in resource`);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw validationError('filters', `the value of "${k}" must be a single value`);
    }
    typed[k] =
      (field.type === 'integer' || field.type === 'number') &&
      typeof v === 'string' &&
      v.trim() !== '' &&
      !Number.isNaN(Number(v))
        ? Number(v)
        : field.type === 'boolean' && typeof v === 'string'
          ? v === 'true'
          : v;
  }
  const fields = list(params, 'fields') ?? schema.fields.map((f) => f.name);
  for (const f of fields) if (!byName.has(f)) throw validationError('fields', `field "${f}" not in resource`);
  const sort = text(params, 'sort')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [name = '', dir = 'asc'] = s.replace(/"/g, '').split(/\s+/);
      const field = byName.get(name);
      if (!field || !['asc', 'desc'].includes(dir.toLowerCase())) {
        throw validationError('sort', `field "${name}" not in resource`);
      }
      return {
        field: name,
        desc: dir.toLowerCase() === 'desc',
        numeric: field.type === 'integer' || field.type === 'number',
      };
    });
  const asked = natural(params, 'limit', 100, 32_000);
  const offset = natural(params, 'offset', 0);
  const includeTotal = bool(params, 'include_total', true);
  const format = text(params, 'records_format', 'objects');
  if (!['objects', 'lists', 'csv'].includes(format)) {
    throw validationError('records_format', 'Value must be one of: objects, lists, csv');
  }
  const q = text(params, 'q').trim();
  // Checked last, so that a bad request costs no quota; a key's call reads at most what is left of its day.
  const use = await gate(deps, found, ctx, 'datastore_search');
  const limit = use ? Math.min(asked, use.rowsLeft) : asked;
  const page = await service.readRows(deps.db, {
    datasetId: found.dataset.id,
    version: current.version,
    filters: typed,
    ...(q ? { text: q } : {}),
    sort,
    limit,
    offset,
    withTotal: includeTotal,
  });
  if (use) await countUse(deps, use, found.dataset.id, 'datastore_search', page.rows.length, ctx.ip);
  await usageService.countUse(deps, found.dataset.id, 'api_calls');
  // CKAN's _id is the row's own id (its number in the version), not its place in this page.
  const records = page.rows.map((r) => ({
    _id: r.row_no,
    ...Object.fromEntries(fields.map((f) => [f, r.data[f] ?? null])),
  }));
  const shown = datastoreFields(schema).filter((f) => f.id === '_id' || fields.includes(f.id));
  return {
    resource_id: resourceId,
    fields: shown,
    records:
      format === 'objects'
        ? records
        : format === 'lists'
          ? records.map((r) => shown.map((f) => (r as Record<string, unknown>)[f.id] ?? null))
          : [
              ...csvLines(
                {
                  fields: shown.filter((f) => f.id !== '_id').map((f) => ({ name: f.id, title: f.id, type: 'string' })),
                },
                records,
              ),
            ]
              .slice(1)
              .join(''),
    limit,
    offset,
    ...(includeTotal ? { total: page.total ?? 0, total_was_estimated: false } : {}),
    ...(sort.length ? { sort: sort.map((s) => `${s.field} ${s.desc ? 'desc' : 'asc'}`).join(', ') } : {}),
    _links: { start: `/api/3/action/datastore_search?resource_id=${resourceId}` },
  };
}

// ---- HTTP ----

/** CKAN answers a request it cannot parse with a bare JSON string. */
const badRequest = (reply: FastifyReply, message: string) =>
  reply
    .status(400)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(`Bad request - ${message}`));

const siteOf = (req: FastifyRequest): Site => ({ baseUrl: `${req.protocol}://${req.host}` });

function envelope(reply: FastifyReply, req: FastifyRequest, action: string, e: unknown) {
  const help = `${siteOf(req).baseUrl}/api/3/action/help_show?name=${encodeURIComponent(action)}`;
  if (e instanceof CkanError) {
    return reply.status(e.status).send({ help, success: false, error: { __type: e.type, ...e.fields } });
  }
  if (e instanceof AppError && e.status === 429) {
    const wait = e.details?.retryAfterSeconds;
    if (typeof wait === 'number') reply.header('retry-after', String(wait));
    return reply.status(429).send({ help, success: false, error: { __type: 'Rate Limit Error', message: e.message } });
  }
  if (e instanceof AppError && e.status < 500) {
    const type = e.status === 404 ? 'Not Found Error' : e.status === 403 ? 'Authorization Error' : 'Validation Error';
    return reply
      .status(e.status === 400 ? 400 : e.status)
      .send({ help, success: false, error: { __type: type, message: e.message } });
  }
  req.log.error(e, 'ckan action failed');
  return reply
    .status(500)
    .send({ help, success: false, error: { __type: 'Internal Server Error', message: 'Internal error' } });
}

export async function ckanRoutes(app: App, opts: { deps: AccessDeps }): Promise<void> {
  const { deps } = opts;
  // CKAN's clients read CKAN's envelope, also for the requests the platform's input rules refuse.
  app.setErrorHandler((e, req, reply) => {
    const action = (req.params as { name?: string } | undefined)?.name ?? '';
    const err = e as { statusCode?: number; message: string };
    if (e instanceof CkanError || e instanceof AppError) return envelope(reply, req, action, e);
    if (err.statusCode && err.statusCode < 500) {
      return badRequest(reply, `JSON Error: ${err.message.slice(0, 200)}`);
    }
    return envelope(reply, req, action, e);
  });
  const handle = async (req: FastifyRequest<{ Params: { name: string } }>, reply: FastifyReply) => {
    const name = req.params.name;
    const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
    if (!action) return badRequest(reply, `Action name not known: ${name.slice(0, 100)}`);
    let params: Params;
    if (req.method === 'POST') {
      const body = req.body ?? {};
      if (typeof body !== 'object' || Array.isArray(body)) {
        return badRequest(reply, 'JSON Error: Request data JSON decoded to a non-object');
      }
      params = { ...(req.query as Params), ...(body as Params) };
    } else {
      params = req.query as Params;
    }
    try {
      const result = await action(deps, params, { site: siteOf(req), key: req.headers.authorization, ip: req.ip });
      const help = `${siteOf(req).baseUrl}/api/3/action/help_show?name=${name}`;
      return reply.send({ help, success: true, result });
    } catch (e) {
      return envelope(reply, req, name, e);
    }
  };
  for (const prefix of ['/api/3/action', '/api/action']) {
    app.get(`${prefix}/:name`, { schema: { hide: true } }, handle);
    app.post(`${prefix}/:name`, { schema: { hide: true } }, handle);
  }
  app.get('/datastore/dump/:id', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    try {
      const { found, current } = await resource(deps, id);
      const ctx = { site: siteOf(req), key: req.headers.authorization, ip: req.ip };
      const use = await gate(deps, found, ctx, 'datastore_dump');
      const charge = async (rows: number) => {
        if (!use) return;
        if (rows > use.rowsLeft) {
          throw new AppError(
            'opendata.over_quota',
            429,
            "The dump has more rows than the key's quota leaves for today",
          );
        }
        await countUse(deps, use, found.dataset.id, 'datastore_dump', rows, req.ip);
      };
      return await sendVersion(deps, req, reply, {
        found,
        v: current,
        format: 'csv',
        filename: `${found.dataset.name}.csv`,
        charge,
      });
    } catch (e) {
      return envelope(reply, req, 'datastore_dump', e);
    }
  });
}
