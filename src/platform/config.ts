// Configuration: defaults < optional JSON config file < environment variables; validated at start-up.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Static, Type } from 'typebox';
import { describeError, errorField, textAjv } from './validation.ts';

export const ZONES = ['public', 'internal', 'exchange'] as const;
export type Zone = (typeof ZONES)[number];

export const CRYPTO_PROFILES = ['sha256-ed25519', 'sm3-sm2'] as const;
export type CryptoProfile = (typeof CRYPTO_PROFILES)[number];

const Listener = Type.Object(
  { host: Type.String({ minLength: 1 }), port: Type.Integer({ minimum: 0, maximum: 65535 }) },
  { additionalProperties: false },
);

/** Whose platform this is: the government's name (in Chinese, and for English pages), and its region code (GB/T 2260). */
const NodeIdentity = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60, pattern: '^\\S' }),
    nameEn: Type.String({ minLength: 1, maxLength: 80, pattern: '^\\S' }),
    regionCode: Type.String({ pattern: '^[1-9][0-9]{5}$' }),
  },
  { additionalProperties: false },
);
export type NodeIdentity = Static<typeof NodeIdentity>;

const Url = Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 500 });
const ClaimName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$' });

/**
 * A unified identity platform (统一身份认证) that signs people in by OpenID Connect: the authorization code flow with
 * PKCE. `claim` maps a verified claim onto our accounts: on the public zone a resident ID (a person; `creditCodeClaim`
 * an enterprise), on the internal zone a staff username.
 */
const OidcProvider = Type.Object(
  {
    issuer: Url,
    clientId: Type.String({ minLength: 1, maxLength: 200 }),
    /** Absent for a public client (PKCE only); otherwise sent as client_secret_basic. */
    clientSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    /** The callback URL registered at the provider; by default this listener's own …/auth/oidc/callback. */
    redirectUrl: Type.Optional(Url),
    /** Where the provider sends the browser after its logout; by default this listener's home page. */
    postLogoutRedirectUrl: Type.Optional(Url),
    scope: Type.String({ pattern: '^openid( [!-~]+)*$', maxLength: 300 }),
    claim: ClaimName,
    creditCodeClaim: Type.Optional(ClaimName),
    nameClaim: ClaimName,
    /** The sign-in button's text, e.g. 天津市统一身份认证. */
    label: Type.String({ minLength: 1, maxLength: 40 }),
    /** Allow a plain-http issuer (development and tests only). */
    allowHttp: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type OidcProvider = Static<typeof OidcProvider>;

const ConfigSchema = Type.Object(
  {
    node: NodeIdentity,
    dataDir: Type.String({ minLength: 1 }),
    databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
    /** The embedded database's buffer pool (PostgreSQL's shared_buffers), e.g. `16MB`; PGlite's default is 128MB. */
    pgliteSharedBuffers: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,5}(kB|MB|GB)$' })),
    zones: Type.Object({ public: Listener, internal: Listener, exchange: Listener }, { additionalProperties: false }),
    cryptoProfile: Type.Enum(CRYPTO_PROFILES),
    demo: Type.Boolean(),
    logLevel: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    cookieSecure: Type.Boolean(),
    masterKey: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$' })),
    trustProxy: Type.Boolean(),
    bodyLimitBytes: Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024 }),
    /** Login and registration attempts per client IP per minute (against password spraying across accounts). */
    loginRatePerMinute: Type.Integer({ minimum: 1, maximum: 100_000 }),
    /** The ledger's origin (checkpoint first line and key name); fixed when the log is created. */
    ledgerOrigin: Type.String({ pattern: '^[^\\s+]{1,200}$' }),
    /** Working days a provider has to answer an objection to its data (数据异议). */
    objectionDays: Type.Integer({ minimum: 1, maximum: 60 }),
    /** The open attribute (开放属性) values, a local list. */
    openTypes: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }), {
      minItems: 1,
      maxItems: 20,
      uniqueItems: true,
    }),
    /** Working days a provider has to answer a conditional share request (国发〔2016〕51号: 10; some provinces 5). */
    shareRequestDays: Type.Integer({ minimum: 1, maximum: 60 }),
    /** Working days a publishing department has to decide an application for a conditional open dataset. */
    opendataReviewDays: Type.Integer({ minimum: 1, maximum: 60 }),
    /**
     * The department (its code) that publishes the open-data portal's own usage statistics as a dataset, when that
     * dataset does not exist yet (the demo makes it for its 政务服务办); unset, it is not made.
     */
    opendataUsageDepartment: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' })),
    /** Defaults for a new grant: exchange calls per minute, and per day. */
    exchangeRatePerMinute: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    exchangeRefusalsPerMinute: Type.Integer({
      minimum: 1,
      maximum: 1_000_000,
      description: 'refusals of unverified callers recorded one by one per address and minute; past it, counted',
    }),
    exchangeDailyLimit: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
    /** Allow subscription webhooks to plain-http URLs (development and tests); production needs https. */
    webhookAllowHttp: Type.Boolean(),
    webhookAllowPrivate: Type.Boolean({ description: 'deliver webhooks to private and loopback addresses too' }),
    /** The largest file an applicant may upload, and the types accepted (checked by their first bytes too). */
    uploadLimitBytes: Type.Integer({ minimum: 1024, maximum: 100 * 1024 * 1024 }),
    uploadTypes: Type.Array(Type.String({ pattern: '^[a-z]+/[a-z0-9.+-]+$' }), { minItems: 1, maxItems: 20 }),
    /** Holidays and make-up working days (调休) beyond the bundled calendar dataset, e.g. next year's once announced. */
    extraHolidays: Type.Array(Type.String({ format: 'date' }), { maxItems: 400 }),
    extraWorkdays: Type.Array(Type.String({ format: 'date' }), { maxItems: 400 }),
    /** OpenID Connect sign-in, per zone: citizens and enterprises on the public one, staff on the internal one. */
    oidc: Type.Object(
      { public: Type.Optional(OidcProvider), internal: Type.Optional(OidcProvider) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {}

const DEFAULTS: Config = {
  // The demo government; a deployment sets its own (ZT_NODE_NAME, ZT_NODE_NAME_EN, ZT_REGION_CODE).
  node: { name: '天津市', nameEn: 'Tianjin', regionCode: '120000' },
  dataDir: './data',
  zones: {
    public: { host: '0.0.0.0', port: 8080 },
    internal: { host: '127.0.0.1', port: 8081 },
    exchange: { host: '0.0.0.0', port: 8082 },
  },
  cryptoProfile: 'sha256-ed25519',
  demo: true,
  logLevel: 'info',
  cookieSecure: false,
  trustProxy: false,
  bodyLimitBytes: 1024 * 1024,
  loginRatePerMinute: 20,
  ledgerOrigin: 'zhengtong.local/ledger',
  objectionDays: 5,
  openTypes: ['open', 'conditional', 'closed'],
  shareRequestDays: 10,
  opendataReviewDays: 10,
  exchangeRatePerMinute: 600,
  exchangeRefusalsPerMinute: 60,
  exchangeDailyLimit: 100_000,
  webhookAllowHttp: false,
  webhookAllowPrivate: false,
  uploadLimitBytes: 5 * 1024 * 1024,
  uploadTypes: ['application/pdf', 'image/png', 'image/jpeg'],
  extraHolidays: [],
  extraWorkdays: [],
  oidc: {},
};

/** What a provider's settings default to, per zone; `issuer` and `clientId` have no default. */
const OIDC_DEFAULTS = {
  public: { scope: 'openid profile', claim: 'resident_id', creditCodeClaim: 'credit_code', nameClaim: 'name' },
  internal: { scope: 'openid profile', claim: 'preferred_username', nameClaim: 'name' },
} as const;
const OIDC_ENV = {
  ISSUER: 'issuer',
  CLIENT_ID: 'clientId',
  CLIENT_SECRET: 'clientSecret',
  REDIRECT_URL: 'redirectUrl',
  POST_LOGOUT_URL: 'postLogoutRedirectUrl',
  SCOPE: 'scope',
  CLAIM: 'claim',
  CREDIT_CODE_CLAIM: 'creditCodeClaim',
  NAME_CLAIM: 'nameClaim',
  LABEL: 'label',
} as const;

/** The OIDC providers from the file's `oidc` and ZT_OIDC_{PUBLIC,INTERNAL}_* variables, with defaults filled in. */
function oidcSettings(fromFile: unknown, env: Env): Record<string, unknown> {
  const file = (typeof fromFile === 'object' && fromFile !== null ? fromFile : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = { ...file };
  for (const zone of ['public', 'internal'] as const) {
    const fromEnv: Record<string, unknown> = {};
    for (const [suffix, key] of Object.entries(OIDC_ENV)) {
      const value = env[`ZT_OIDC_${zone.toUpperCase()}_${suffix}`];
      if (value) fromEnv[key] = value;
    }
    const allowHttp = env[`ZT_OIDC_${zone.toUpperCase()}_ALLOW_HTTP`];
    if (allowHttp) fromEnv.allowHttp = envBool(`ZT_OIDC_${zone.toUpperCase()}_ALLOW_HTTP`, allowHttp);
    const given = { ...((file[zone] ?? {}) as object), ...fromEnv };
    if (Object.keys(given).length === 0) continue;
    out[zone] = { ...OIDC_DEFAULTS[zone], label: '统一身份认证', allowHttp: false, ...given };
  }
  return out;
}

type Env = Readonly<Record<string, string | undefined>>;

function envBool(name: string, value: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be true or false (got '${value}')`);
}

function envInt(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new ConfigError(`${name} must be a whole number (got '${value}')`);
  return Number(value);
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${file}: ${(e as Error).message}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(`config file ${file} is not a JSON object: ${(e as Error).message}`);
  }
}

/** Loads and validates the configuration; throws ConfigError naming the setting that is wrong. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const explicitFile = env.ZT_CONFIG;
  const file = explicitFile ?? path.join(cwd, 'zhengtong.config.json');
  const fromFile = explicitFile || existsSync(file) ? readConfigFile(file) : {};
  const fileZones = (fromFile.zones ?? {}) as Partial<Record<Zone, Partial<Config['zones'][Zone]>>>;
  const merged: Record<string, unknown> = {
    ...DEFAULTS,
    ...fromFile,
    zones: Object.fromEntries(ZONES.map((z) => [z, { ...DEFAULTS.zones[z], ...fileZones[z] }])),
    node: { ...DEFAULTS.node, ...((fromFile.node ?? {}) as object) },
    oidc: oidcSettings(fromFile.oidc, env),
  };
  const node = merged.node as Record<string, unknown>;
  if (env.ZT_NODE_NAME) node.name = env.ZT_NODE_NAME;
  if (env.ZT_NODE_NAME_EN) node.nameEn = env.ZT_NODE_NAME_EN;
  if (env.ZT_REGION_CODE) node.regionCode = env.ZT_REGION_CODE;
  // Another government without an English name keeps its own name on English pages, never the demo's.
  if (node.name !== DEFAULTS.node.name && node.nameEn === DEFAULTS.node.nameEn) node.nameEn = node.name;
  const zones = merged.zones as Record<Zone, { host: string; port: number }>;
  if (env.ZT_HOST) {
    zones.public.host = env.ZT_HOST;
    zones.exchange.host = env.ZT_HOST;
  }
  if (env.ZT_INTERNAL_HOST) zones.internal.host = env.ZT_INTERNAL_HOST;
  for (const zone of ZONES) {
    const name = `ZT_${zone.toUpperCase()}_PORT`;
    const value = env[name];
    if (value !== undefined && value !== '') zones[zone].port = envInt(name, value);
  }
  if (env.ZT_DATA_DIR) merged.dataDir = env.ZT_DATA_DIR;
  if (env.DATABASE_URL) merged.databaseUrl = env.DATABASE_URL;
  if (env.ZT_PGLITE_SHARED_BUFFERS) merged.pgliteSharedBuffers = env.ZT_PGLITE_SHARED_BUFFERS;
  if (env.ZT_CRYPTO_PROFILE) merged.cryptoProfile = env.ZT_CRYPTO_PROFILE;
  if (env.ZT_DEMO) merged.demo = envBool('ZT_DEMO', env.ZT_DEMO);
  if (env.ZT_LOG_LEVEL) merged.logLevel = env.ZT_LOG_LEVEL;
  if (env.ZT_COOKIE_SECURE) merged.cookieSecure = envBool('ZT_COOKIE_SECURE', env.ZT_COOKIE_SECURE);
  if (env.ZT_MASTER_KEY) merged.masterKey = env.ZT_MASTER_KEY;
  if (env.ZT_TRUST_PROXY) merged.trustProxy = envBool('ZT_TRUST_PROXY', env.ZT_TRUST_PROXY);
  if (env.ZT_BODY_LIMIT) merged.bodyLimitBytes = envInt('ZT_BODY_LIMIT', env.ZT_BODY_LIMIT);
  if (env.ZT_OPEN_TYPES)
    merged.openTypes = env.ZT_OPEN_TYPES.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (env.ZT_OBJECTION_DAYS) merged.objectionDays = envInt('ZT_OBJECTION_DAYS', env.ZT_OBJECTION_DAYS);
  if (env.ZT_SHARE_REQUEST_DAYS) merged.shareRequestDays = envInt('ZT_SHARE_REQUEST_DAYS', env.ZT_SHARE_REQUEST_DAYS);
  if (env.ZT_OPENDATA_REVIEW_DAYS)
    merged.opendataReviewDays = envInt('ZT_OPENDATA_REVIEW_DAYS', env.ZT_OPENDATA_REVIEW_DAYS);
  if (env.ZT_OPENDATA_USAGE_DEPARTMENT) merged.opendataUsageDepartment = env.ZT_OPENDATA_USAGE_DEPARTMENT;
  if (env.ZT_EXCHANGE_RATE) merged.exchangeRatePerMinute = envInt('ZT_EXCHANGE_RATE', env.ZT_EXCHANGE_RATE);
  if (env.ZT_EXCHANGE_REFUSALS)
    merged.exchangeRefusalsPerMinute = envInt('ZT_EXCHANGE_REFUSALS', env.ZT_EXCHANGE_REFUSALS);
  if (env.ZT_EXCHANGE_DAILY_LIMIT)
    merged.exchangeDailyLimit = envInt('ZT_EXCHANGE_DAILY_LIMIT', env.ZT_EXCHANGE_DAILY_LIMIT);
  if (env.ZT_WEBHOOK_ALLOW_HTTP) merged.webhookAllowHttp = envBool('ZT_WEBHOOK_ALLOW_HTTP', env.ZT_WEBHOOK_ALLOW_HTTP);
  if (env.ZT_WEBHOOK_ALLOW_PRIVATE)
    merged.webhookAllowPrivate = envBool('ZT_WEBHOOK_ALLOW_PRIVATE', env.ZT_WEBHOOK_ALLOW_PRIVATE);
  if (env.ZT_UPLOAD_LIMIT) merged.uploadLimitBytes = envInt('ZT_UPLOAD_LIMIT', env.ZT_UPLOAD_LIMIT);
  if (env.ZT_UPLOAD_TYPES)
    merged.uploadTypes = env.ZT_UPLOAD_TYPES.split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  const dates = (v: string) =>
    v
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean);
  if (env.ZT_HOLIDAYS) merged.extraHolidays = dates(env.ZT_HOLIDAYS);
  if (env.ZT_WORKDAYS) merged.extraWorkdays = dates(env.ZT_WORKDAYS);
  if (env.ZT_LEDGER_ORIGIN) merged.ledgerOrigin = env.ZT_LEDGER_ORIGIN;
  if (env.ZT_LOGIN_RATE) merged.loginRatePerMinute = envInt('ZT_LOGIN_RATE', env.ZT_LOGIN_RATE);

  const validate = textAjv.compile(ConfigSchema);
  if (!validate(merged)) {
    const problems = (validate.errors ?? []).map((e) => `${errorField(e)}: ${describeError(e)}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const config = merged as Config;
  for (const [zone, provider] of Object.entries(config.oidc)) {
    if (provider?.issuer.startsWith('http:') && !provider.allowHttp) {
      throw new ConfigError(`oidc.${zone}.issuer must be https (allowHttp is for development only)`);
    }
  }
  const ports = ZONES.map((z) => config.zones[z].port).filter((p) => p !== 0);
  if (new Set(ports).size !== ports.length) throw new ConfigError('each zone needs its own port');
  return { ...config, dataDir: path.resolve(cwd, config.dataDir) };
}
