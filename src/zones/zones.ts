// The three listeners. Each zone mounts only its own routes under /api/v1, runs its database work under its own
// role, and serves only its own web entry. To find what a zone offers, read its function here.

import {
  accountSessionHook,
  authExchangeRoutes,
  authInternalRoutes,
  authPublicRoutes,
  createClientCache,
  OidcClient,
  signedRequestHook,
  staffSessionHook,
} from '../modules/auth/index.ts';
import {
  AnswerWriter,
  ExchangeCache,
  exchangeApiRoutes,
  exchangeInternalRoutes,
  exchangeZoneHooks,
  type NodeSigner,
  nodeSignerFrom,
  RefusalThrottle,
  ValveCache,
} from '../modules/exchange/index.ts';
import { type LedgerNode, ledgerRoutes, ledgerStatus } from '../modules/ledger/index.ts';
import {
  ckanRoutes,
  dcatRoutes,
  opendataApplicantRoutes,
  opendataInternalRoutes,
  opendataPublicRoutes,
  opendataReviewRoutes,
} from '../modules/opendata/index.ts';
import { orgInternalRoutes, orgNodeRoutes, orgPublicRoutes, readsEveryDepartment } from '../modules/org/index.ts';
import { catalogPublicRoutes, registryInternalRoutes } from '../modules/registry/index.ts';
import {
  fullCatalog,
  openDatasets,
  publicCatalog,
  registerRecords,
  SearchHub,
  type SearchSource,
  searchInternalRoutes,
  searchPublicRoutes,
  serviceItems,
  staffDirectory,
} from '../modules/search/index.ts';
import {
  applicationsInternalRoutes,
  applicationsPublicRoutes,
  servicesInternalRoutes,
  servicesPublicRoutes,
} from '../modules/services/index.ts';
import type { Config, Zone } from '../platform/config.ts';
import { LeasedBudget, SharedCounters } from '../platform/counters.ts';
import type { SecretBox } from '../platform/crypto.ts';
import type { DatabaseHandle } from '../platform/db.ts';
import { Generation } from '../platform/generation.ts';
import { type App, createHttpApp } from '../platform/http.ts';
import type { Logger } from '../platform/log.ts';
import { Metrics } from '../platform/metrics.ts';
import { serveWebEntry } from '../platform/web.ts';
import { createWorkCalendar } from '../platform/workdays.ts';

export interface PlatformContext {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly log: Logger;
  readonly secrets: SecretBox;
  readonly clock: () => Date;
  readonly version: string;
  readonly ledger: LedgerNode;
  /** Serve the built web app on the public and internal listeners (tests of the API alone turn it off). */
  readonly web?: boolean;
}

// One working-day calendar per configuration: the bundled dataset plus the configured extra dates.
const calendars = new WeakMap<Config, ReturnType<typeof createWorkCalendar>>();
export function calendarOf(config: Config) {
  let calendar = calendars.get(config);
  if (!calendar) {
    calendar = createWorkCalendar({ holidays: config.extraHolidays, workdays: config.extraWorkdays });
    calendars.set(config, calendar);
  }
  return calendar;
}

// One metrics registry per platform (process): every zone it serves counts into it; the internal listener shows it.
const metricsOf = new WeakMap<PlatformContext, Metrics>();
export function platformMetrics(ctx: PlatformContext): Metrics {
  let metrics = metricsOf.get(ctx);
  if (!metrics) {
    metrics = new Metrics();
    registerPlatformGauges(ctx, metrics);
    metricsOf.set(ctx, metrics);
  }
  return metrics;
}

/** What operators watch besides requests: the ledger's queue and lag, its size, and the database pools. */
function registerPlatformGauges(ctx: PlatformContext, metrics: Metrics): void {
  const owner = ctx.database.owner;
  const ledger = () => ledgerStatus(owner);
  metrics.gauge('zt_ledger_queue_entries', 'Ledger entries committed and waiting for the integrator', [], async () => [
    { labels: {}, value: Number((await ledger())?.queued ?? 0) },
  ]);
  metrics.gauge(
    'zt_ledger_integration_lag_seconds',
    'Age of the oldest entry waiting for the integrator (0 when none waits)',
    [],
    async () => {
      const oldest = (await ledger())?.oldest;
      const now = ctx.clock().getTime();
      return [{ labels: {}, value: oldest ? Math.max(0, (now - Date.parse(oldest)) / 1000) : 0 }];
    },
  );
  metrics.gauge('zt_ledger_size_entries', 'Entries covered by the latest signed checkpoint', [], async () => [
    { labels: {}, value: Number((await ledger())?.size ?? 0) },
  ]);
  metrics.gauge(
    'zt_db_pool_connections',
    'Database pool connections by role and state (PostgreSQL)',
    ['role', 'state'],
    async () =>
      ctx.database.poolStats().flatMap((p) => [
        { labels: { role: p.role, state: 'total' }, value: p.total },
        { labels: { role: p.role, state: 'idle' }, value: p.idle },
        { labels: { role: p.role, state: 'waiting' }, value: p.waiting },
      ]),
  );
}

function zoneDeps(ctx: PlatformContext, zone: Zone) {
  // Per zone: the exact caches of clients, registers, grants and the valve policy (platform/generation.ts).
  const generation = new Generation();
  // Limits counted in the database, so that they hold across every instance of the zone.
  const counters = new SharedCounters(ctx.database.forZone(zone));
  const oidcProvider = zone === 'exchange' ? undefined : ctx.config.oidc[zone];
  return {
    node: ctx.config.node,
    oidc: oidcProvider && new OidcClient(oidcProvider, ctx.secrets),
    calendar: calendarOf(ctx.config),
    objectionDays: ctx.config.objectionDays,
    openTypes: ctx.config.openTypes,
    db: ctx.database.forZone(zone),
    ledger: ctx.ledger.forZone(zone),
    secrets: ctx.secrets,
    clock: ctx.clock,
    cookieSecure: ctx.config.cookieSecure,
    loginRatePerMinute: ctx.config.loginRatePerMinute,
    defaultAlg: ctx.config.cryptoProfile === 'sm3-sm2' ? ('sm2-sm3' as const) : ('ed25519' as const),
    shareRequestDays: ctx.config.shareRequestDays,
    opendataReviewDays: ctx.config.opendataReviewDays,
    exchangeRatePerMinute: ctx.config.exchangeRatePerMinute,
    exchangeDailyLimit: ctx.config.exchangeDailyLimit,
    webhookAllowHttp: ctx.config.webhookAllowHttp,
    webhookAllowPrivate: ctx.config.webhookAllowPrivate,
    uploadLimitBytes: ctx.config.uploadLimitBytes,
    uploadTypes: ctx.config.uploadTypes,
    generation,
    clients: createClientCache(generation),
    valves: new ValveCache(generation),
    cache: new ExchangeCache(generation),
    counters,
    limiter: new LeasedBudget(counters),
    writer: new AnswerWriter(ctx.database.forZone(zone), ctx.clock),
  };
}

/** The node's signing identity for exchange responses and webhooks (its log key, unsealed with the owner role). */
export async function nodeSigner(ctx: PlatformContext): Promise<NodeSigner> {
  return nodeSignerFrom(await ctx.ledger.signingKey(ctx.database.owner));
}

/** The exchange's dependencies for a background worker (dispatch and delivery run under the exchange role). */
export const exchangeWorkerDeps = (ctx: PlatformContext) => zoneDeps(ctx, 'exchange');

/**
 * The zone's search index: listening first (so no commit is missed), then built from its sources; it follows every
 * instance's commits through NOTIFY zt_search and is rebuilt if the listening connection had to reconnect.
 */
async function searchHub(
  app: App,
  zone: 'public' | 'internal',
  ctx: PlatformContext,
  deps: ReturnType<typeof zoneDeps>,
  sources: readonly SearchSource[],
): Promise<SearchHub> {
  const hub = new SearchHub({ db: deps.db, ledger: deps.ledger, clock: deps.clock }, sources, zone, ctx.log);
  const unlisten = await ctx.database.listen(
    'zt_search',
    (payload) => hub.notify(payload),
    () => void hub.rebuild().catch((e) => ctx.log.error(e, 'search rebuild')),
  );
  app.addHook('onClose', async () => {
    await hub.stop();
    await unlisten();
  });
  await hub.rebuild();
  hub.startPopularity();
  const metrics = platformMetrics(ctx);
  const one = (value: number) => [{ labels: { zone }, value }];
  metrics.gauge('zt_search_documents', 'Documents in the search index', ['zone'], async () => one(hub.index.size));
  metrics.gauge('zt_search_build_seconds', 'Duration of the last full build', ['zone'], async () =>
    one(hub.stats.lastBuildSeconds),
  );
  metrics.gauge('zt_search_refresh_seconds', 'Duration of the last refresh after NOTIFY', ['zone'], async () =>
    one(hub.stats.lastRefreshSeconds),
  );
  metrics.gauge('zt_search_refreshes', 'Refreshes since start', ['zone'], async () => one(hub.stats.refreshes));
  return hub;
}

/** The URL a zone is reached at as configured (a reverse proxy in front may publish another). */
function serverUrlOf(config: Config, zone: Zone): string {
  const { host, port } = config.zones[zone];
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shown}:${port}`;
}

async function baseApp(ctx: PlatformContext, zone: Zone): Promise<App> {
  const db = ctx.database.forZone(zone);
  return createHttpApp({
    zone,
    log: ctx.log,
    bodyLimitBytes: ctx.config.bodyLimitBytes,
    trustProxy: ctx.config.trustProxy,
    version: ctx.version,
    serverUrl: serverUrlOf(ctx.config, zone),
    metrics: platformMetrics(ctx),
    // Ready when a transaction under this zone's role succeeds, which also proves the role exists.
    ready: () => db.transaction(async () => {}),
  });
}

/** 外部服务: the citizen and enterprise portal and its API. */
export async function buildPublicZone(ctx: PlatformContext): Promise<App> {
  const app = await baseApp(ctx, 'public');
  const deps = zoneDeps(ctx, 'public');
  const hub = await searchHub(app, 'public', ctx, deps, [serviceItems, publicCatalog, openDatasets]);
  await app.register(
    async (api) => {
      accountSessionHook(api, deps);
      await api.register(authPublicRoutes, { deps });
      await api.register(orgNodeRoutes, { deps });
      await api.register(orgPublicRoutes, { deps });
      await api.register(catalogPublicRoutes, { deps });
      await api.register(servicesPublicRoutes, { deps });
      await api.register(applicationsPublicRoutes, { deps });
      await api.register(opendataPublicRoutes, { deps });
      await api.register(opendataApplicantRoutes, { deps });
      await api.register(searchPublicRoutes, { hub });
      await api.register(ledgerRoutes, {
        deps: { db: deps.db, node: ctx.ledger },
        reader: (req) => {
          const self = req.account && `account:${req.account.accountId}`;
          return self ? { principals: [self], all: false, self } : undefined;
        },
      });
    },
    { prefix: '/api/v1' },
  );
  // CKAN's Action API at its own paths (/api/3/action/…), with CKAN's envelope, for CKAN's tools.
  await app.register(ckanRoutes, { deps });
  await app.register(dcatRoutes, { deps, title: `${ctx.config.node.name}政府数据开放` });
  if (ctx.web !== false) serveWebEntry(app, 'public');
  return app;
}

/** 内部支持: the staff workbench and its API; binds 127.0.0.1 unless configured otherwise. */
export async function buildInternalZone(ctx: PlatformContext): Promise<App> {
  const app = await baseApp(ctx, 'internal');
  const deps = zoneDeps(ctx, 'internal');
  const hub = await searchHub(app, 'internal', ctx, deps, [serviceItems, fullCatalog, registerRecords, staffDirectory]);
  await app.register(
    async (api) => {
      staffSessionHook(api, deps);
      await api.register(authInternalRoutes, { deps });
      await api.register(orgNodeRoutes, { deps });
      await api.register(orgInternalRoutes, { deps });
      await api.register(registryInternalRoutes, { deps });
      await api.register(exchangeInternalRoutes, { deps });
      await api.register(servicesInternalRoutes, { deps });
      await api.register(applicationsInternalRoutes, { deps });
      await api.register(opendataInternalRoutes, { deps });
      await api.register(opendataReviewRoutes, { deps });
      await api.register(searchInternalRoutes, { hub, deps });
      await api.register(ledgerRoutes, {
        deps: { db: deps.db, node: ctx.ledger },
        // Auditors and platform admins may read every receipt; others their own.
        reader: (req) => {
          const staff = req.staff;
          if (!staff) return undefined;
          const self = `staff:${staff.staffId}`;
          return { principals: [self], all: readsEveryDepartment(staff), self };
        },
      });
    },
    { prefix: '/api/v1' },
  );
  // Prometheus scrapes the internal listener only (behind the wall, like the workbench).
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    const { contentType, body } = await platformMetrics(ctx).scrape();
    return reply.type(contentType).send(body);
  });
  if (ctx.web !== false) serveWebEntry(app, 'work');
  return app;
}

/** 半内半外: the data-sharing API for departments' systems; every request is signed (RFC 9421). */
export async function buildExchangeZone(ctx: PlatformContext): Promise<App> {
  const app = await baseApp(ctx, 'exchange');
  const deps = zoneDeps(ctx, 'exchange');
  const node = await nodeSigner(ctx);
  await app.register(
    async (api) => {
      exchangeZoneHooks(api, deps, node, new RefusalThrottle(ctx.config.exchangeRefusalsPerMinute, deps.counters));
      signedRequestHook(api, deps);
      await api.register(authExchangeRoutes);
      await api.register(exchangeApiRoutes, { deps, node });
    },
    { prefix: '/api/v1' },
  );
  return app;
}

export const ZONE_BUILDERS: Readonly<Record<Zone, (ctx: PlatformContext) => Promise<App>>> = {
  public: buildPublicZone,
  internal: buildInternalZone,
  exchange: buildExchangeZone,
};

export interface RunningZones {
  readonly urls: Readonly<Partial<Record<Zone, string>>>;
  readonly apps: Readonly<Partial<Record<Zone, App>>>;
  close(): Promise<void>;
}

/** Builds and starts the listeners of the given zones. */
export async function startZones(ctx: PlatformContext, zones: readonly Zone[]): Promise<RunningZones> {
  const apps: Partial<Record<Zone, App>> = {};
  const urls: Partial<Record<Zone, string>> = {};
  try {
    for (const zone of zones) {
      const app = await ZONE_BUILDERS[zone](ctx);
      apps[zone] = app;
      const { host, port } = ctx.config.zones[zone];
      await app.listen({ host, port });
      const address = app.server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      urls[zone] = `http://${shownHost}:${actualPort}`;
    }
  } catch (e) {
    await Promise.all(Object.values(apps).map((a) => a.close()));
    throw e;
  }
  return {
    urls,
    apps,
    close: async () => {
      await Promise.all(Object.values(apps).map((a) => a.close()));
    },
  };
}
