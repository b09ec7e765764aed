// What each listener's OpenAPI document says about itself, so that client generators and linters can use it: a
// stable, verb-first operationId for every operation, the security schemes of the zone, its server, licence and
// tag descriptions.
import type { Zone } from './config.ts';

const cap = (w: string) => (w ? w[0]?.toUpperCase() + w.slice(1) : w);

/** Verbs that end a path as an action on what comes before (`POST /items/{code}/publish` → publishServicesManageItems). */
const ACTION_VERBS: Readonly<Record<string, string>> = {
  act: 'act',
  answer: 'answer',
  approve: 'approve',
  import: 'import',
  login: 'login',
  logout: 'logout',
  password: 'change',
  ping: 'ping',
  publish: 'publish',
  register: 'register',
  reject: 'reject',
  resubmit: 'resubmit',
  revoke: 'revoke',
  submit: 'submit',
  test: 'test',
  validate: 'validate',
  verify: 'verify',
  withdraw: 'withdraw',
};

/** Nouns that name a collection without a plural s. */
const COLLECTIVE = new Set(['staff']);

/**
 * The operationId of a route, derived from its method and path (so it is stable while the path is): `list` or `get`
 * for reads (`get` when the path ends at one thing), `create`, `update`, `delete`, or the action a path ends with,
 * then the path's words: `GET /registry/registers/:code/records` → `listRegistryRegistersRecords`.
 */
export function operationIdOf(method: string, url: string): string {
  const parts = url
    .replace(/^\/api\/v\d+\//, '')
    .split('/')
    .filter(Boolean);
  const words = parts.filter((p) => !p.startsWith(':')).flatMap((p) => p.split(/[-_.]/));
  const endsAtOne = parts.at(-1)?.startsWith(':') === true;
  const last = words.at(-1) ?? '';
  let verb: string;
  let nouns = words;
  switch (method) {
    case 'GET':
      verb = endsAtOne || !(last.endsWith('s') || COLLECTIVE.has(last)) ? 'get' : 'list';
      break;
    case 'DELETE':
      verb = 'delete';
      break;
    case 'PUT':
    case 'PATCH':
      verb = 'update';
      break;
    default: {
      const action = endsAtOne ? undefined : ACTION_VERBS[last];
      if (action) {
        verb = action;
        // A path's own verb leaves it (publish…); a noun that stands for an action stays (password → change…Password).
        if (action === last) nouns = words.slice(0, -1);
      } else verb = 'create';
    }
  }
  return verb + nouns.map(cap).join('');
}

const TAGS: ReadonlyArray<{ name: string; description: string }> = [
  { name: 'auth', description: 'Sign-in, sessions and CSRF tokens, passwords, department API clients' },
  { name: 'org', description: 'Regions (GB/T 2260), departments, staff and their roles' },
  { name: 'catalog', description: 'The data resource catalog (政务信息资源目录): metadata of registers' },
  { name: 'registry', description: 'Registers, their records and history, imports, exports, objections, quality' },
  { name: 'exchange', description: 'Data sharing (半内半外): share requests, grants, the safety valve, the data API' },
  { name: 'services', description: 'Service items (事项) and sub-platforms of 一网通办' },
  { name: 'applications', description: 'Applications (办件): drafts, uploads, submission, corrections' },
  { name: 'casework', description: 'The department side of applications: inbox and workflow actions' },
  { name: 'search', description: 'Instant search (全数字检索): results, completions, synonyms, misses' },
  { name: 'ledger', description: 'The evidence ledger: checkpoints, proofs and receipts (RFC 9162, C2SP)' },
];

const SECURITY: Readonly<
  Record<Zone, { schemes: Record<string, unknown>; security: Array<Record<string, string[]>> }>
> = {
  public: {
    schemes: {
      accountSession: {
        type: 'apiKey',
        in: 'cookie',
        name: 'zt_account',
        description: 'The session cookie set by POST /auth/login or /auth/register',
      },
      csrfToken: {
        type: 'apiKey',
        in: 'header',
        name: 'X-CSRF-Token',
        description: 'The session’s CSRF token (GET /auth/session), required on every state-changing request',
      },
    },
    // Most of the portal is open; what concerns an account needs its session (and the CSRF token to change it).
    security: [{}, { accountSession: [], csrfToken: [] }],
  },
  internal: {
    schemes: {
      staffSession: {
        type: 'apiKey',
        in: 'cookie',
        name: 'zt_staff',
        description: 'The staff session cookie set by POST /auth/login',
      },
      csrfToken: {
        type: 'apiKey',
        in: 'header',
        name: 'X-CSRF-Token',
        description: 'The session’s CSRF token (GET /auth/session), required on every state-changing request',
      },
    },
    security: [{ staffSession: [], csrfToken: [] }],
  },
  exchange: {
    schemes: {
      httpSignature: {
        type: 'apiKey',
        in: 'header',
        name: 'Signature',
        description:
          'RFC 9421 HTTP Message Signature, label sig1, covering ("@method" "@target-uri" "content-digest"; the ' +
          'digest per RFC 9530 only with a body) with parameters created, nonce, keyid and alg (ed25519, or sm2-sm3 ' +
          'with the signer id 1234567812345678); sent with its Signature-Input header. Requests older than 300 s or ' +
          'reusing a nonce are refused. Every response is signed by the node (GET /exchange/node has its key).',
      },
    },
    security: [{ httpSignature: [] }],
  },
};

/** The document-level parts of a zone's OpenAPI document. */
export function openApiDocument(zone: Zone, version: string, serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: `Zhengtong ${zone} zone API`,
      version,
      description: `Routes served by the ${zone} listener. Errors answer {error: {code, message, details?}, requestId}.`,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: serverUrl, description: `the ${zone} listener` }],
    tags: [...TAGS],
    components: { securitySchemes: SECURITY[zone].schemes },
    security: SECURITY[zone].security,
  };
}
