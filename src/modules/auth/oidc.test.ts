// Unified sign-in against a real OpenID Connect provider (the `oidc-provider` package) listening inside the test: a
// small user agent follows the redirects with a cookie jar, reaching our zones through inject and the provider over
// HTTP. A switch on the provider's token endpoint lets a test hand our client a forged ID token.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateKeyPair, SignJWT } from 'jose';
import { buildStaff, countRows, ENGINE, startTestPlatform } from '../../../test/helpers.ts';
import { clientSecret, payloadOf, startTestProvider } from '../../../test/oidc-provider.ts';
import type { App } from '../../platform/http.ts';
import { maskResidentId, residentIdCheckChar } from '../privacy/index.ts';

const validId = (first17: string) => first17 + residentIdCheckChar(first17);
const RESIDENT = validId('12010119900307123');
const USERS: Record<string, Record<string, string>> = {
  citizen: { name: '王小明', resident_id: RESIDENT },
  'bad-id': { name: '李四', resident_id: `${RESIDENT.slice(0, 17)}${RESIDENT.endsWith('0') ? '1' : '0'}` },
  nobody: { name: '无证件' },
};

const op = await startTestProvider(USERS);
const ISSUER = op.issuer;
const PORTAL = 'http://portal.test';
const WORK = 'http://work.test';
op.register([
  { id: 'zt-portal', origin: PORTAL },
  { id: 'zt-work', origin: WORK },
]);

// ---- our platform, configured for it ----
const p = await startTestPlatform({
  env: {
    ZT_OIDC_PUBLIC_ISSUER: ISSUER,
    ZT_OIDC_PUBLIC_CLIENT_ID: 'zt-portal',
    ZT_OIDC_PUBLIC_CLIENT_SECRET: clientSecret('zt-portal'),
    ZT_OIDC_PUBLIC_REDIRECT_URL: `${PORTAL}/api/v1/auth/oidc/callback`,
    ZT_OIDC_PUBLIC_LABEL: '天津市统一身份认证',
    ZT_OIDC_PUBLIC_ALLOW_HTTP: 'true',
    ZT_OIDC_INTERNAL_ISSUER: ISSUER,
    ZT_OIDC_INTERNAL_CLIENT_ID: 'zt-work',
    ZT_OIDC_INTERNAL_CLIENT_SECRET: clientSecret('zt-work'),
    ZT_OIDC_INTERNAL_ALLOW_HTTP: 'true',
  },
});

// ---- a user agent: follows redirects, keeps cookies per host and path ----
interface Jar {
  cookies: Map<string, { value: string; path: string }>;
}
const jarFor = new Map<string, Jar>();
function jar(host: string): Jar {
  const found = jarFor.get(host);
  if (found) return found;
  const made: Jar = { cookies: new Map() };
  jarFor.set(host, made);
  return made;
}
function keep(url: URL, setCookie: string[]) {
  for (const line of setCookie) {
    const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const path = attrs.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
    const expired =
      attrs.some((a) => /^max-age=0$/i.test(a)) ||
      attrs.some((a) => /^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now());
    if (expired || value === '') jar(url.host).cookies.delete(name);
    else jar(url.host).cookies.set(name, { value, path });
  }
}
const cookieHeader = (url: URL) =>
  [...jar(url.host).cookies]
    .filter(([, c]) => url.pathname.startsWith(c.path))
    .map(([n, c]) => `${n}=${c.value}`)
    .join('; ');

interface Answer {
  status: number;
  url: URL;
  body: string;
  location?: string;
}
async function request(url: URL, method = 'GET', form?: URLSearchParams): Promise<Answer> {
  const ours: Record<string, App> = { 'portal.test': p.public, 'work.test': p.internal };
  const app = ours[url.host];
  if (app) {
    const res = await app.inject({
      method: method as 'GET',
      url: url.pathname + url.search,
      headers: { host: url.host, cookie: cookieHeader(url) },
    });
    const set = res.headers['set-cookie'];
    keep(url, set === undefined ? [] : Array.isArray(set) ? set : [set]);
    return { status: res.statusCode, url, body: res.body, location: res.headers.location as string | undefined };
  }
  const res = await fetch(url, {
    method,
    redirect: 'manual',
    headers: { cookie: cookieHeader(url), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    body: form,
  });
  keep(url, res.headers.getSetCookie());
  return { status: res.status, url, body: await res.text(), location: res.headers.get('location') ?? undefined };
}
/** Navigates like a browser: follows 30x and our continue page's meta refresh; answers the last page. */
async function navigate(start: string, method = 'GET', form?: URLSearchParams): Promise<Answer> {
  let answer = await request(new URL(start), method, form);
  for (let hops = 0; hops < 20; hops++) {
    const refresh = /http-equiv="refresh" content="0;url=([^"]+)"/.exec(answer.body)?.[1];
    const next = answer.location ?? refresh;
    if (!next || answer.status === 500) return answer;
    const target = new URL(next.replaceAll('&amp;', '&'), answer.url);
    if (
      target.pathname !== '/api/v1/auth/oidc/callback' &&
      !target.pathname.startsWith('/api/') &&
      ['portal.test', 'work.test'].includes(target.host)
    ) {
      return { ...answer, url: target }; // arrived at a page of the web app
    }
    answer = await request(target);
  }
  throw new Error('too many redirects');
}
const sessionOf = async (app: App, host: string) => {
  const url = new URL(`http://${host}/api/v1/auth/session`);
  return app.inject({ method: 'GET', url: url.pathname, headers: { host, cookie: cookieHeader(url) } });
};
const signOutLocally = (host: string) => jar(host).cookies.clear();
/** Who logs in at the provider next: its own session (its cookies) ends, as for a new person at the browser. */
function atProvider(user: string) {
  op.signInAs(user);
  jar(new URL(ISSUER).host).cookies.clear();
}

test(`[${ENGINE}] the sign-in methods say which identity platform is configured`, async () => {
  const methods = await p.public.inject({ method: 'GET', url: '/api/v1/auth/methods' });
  assert.equal(methods.statusCode, 200);
  assert.deepEqual(methods.json(), {
    password: true,
    oidc: { label: '天津市统一身份认证', startUrl: '/api/v1/auth/oidc/start' },
  });
});

test(`[${ENGINE}] a citizen signs in through the provider: the account is made from the verified resident ID`, async () => {
  atProvider('citizen');
  const accounts = await countRows(p, 'accounts');
  const start = await request(new URL(`${PORTAL}/api/v1/auth/oidc/start?returnTo=/applications`));
  assert.equal(start.status, 303);
  const authorize = new URL(start.location ?? '');
  assert.equal(authorize.origin, ISSUER);
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(authorize.searchParams.get('nonce') && authorize.searchParams.get('state'));
  assert.match(start.body, /^$/);
  const landed = await navigate(start.location ?? '');
  assert.equal(landed.url.href, `${PORTAL}/applications`);
  const me = await sessionOf(p.public, 'portal.test');
  assert.equal(me.statusCode, 200);
  assert.equal(me.json().kind, 'person');
  assert.equal(me.json().displayName, '王小明');
  assert.equal(me.json().identifierMasked, maskResidentId(RESIDENT));
  assert.equal(await countRows(p, 'accounts'), accounts + 1);

  // The second time the same account signs in; no password of ours was ever set for it.
  signOutLocally('portal.test');
  await navigate(`${PORTAL}/api/v1/auth/oidc/start`);
  const again = await sessionOf(p.public, 'portal.test');
  assert.equal(again.json().accountId, me.json().accountId);
  assert.equal(await countRows(p, 'accounts'), accounts + 1);
  const row = await p.db.owner.transaction((tx) =>
    tx.selectFrom('accounts').select('password_hash').where('id', '=', me.json().accountId).executeTakeFirstOrThrow(),
  );
  assert.equal(row.password_hash, null);
});

test(`[${ENGINE}] logout of a session the provider opened also ends the provider's session`, async () => {
  atProvider('citizen');
  signOutLocally('portal.test');
  await navigate(`${PORTAL}/api/v1/auth/oidc/start`);
  const me = await sessionOf(p.public, 'portal.test');
  const url = new URL(`${PORTAL}/api/v1/auth/logout`);
  const out = await p.public.inject({
    method: 'POST',
    url: url.pathname,
    headers: { host: 'portal.test', cookie: cookieHeader(url), 'x-csrf-token': me.json().csrfToken },
  });
  assert.equal(out.statusCode, 200);
  const endSession = new URL(out.json().endSessionUrl);
  assert.equal(endSession.origin, ISSUER);
  assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${PORTAL}/`);
  assert.equal((await sessionOf(p.public, 'portal.test')).statusCode, 401);

  // The provider asks to confirm; confirming lands on our home page, and the next sign-in asks for a login again.
  const confirm = await request(endSession);
  const action = /action="([^"]+)"/.exec(confirm.body)?.[1];
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)?.[1];
  assert.ok(action && xsrf, confirm.body.slice(0, 300));
  const done = await navigate(new URL(action, endSession).href, 'POST', new URLSearchParams({ xsrf, logout: 'yes' }));
  assert.equal(done.url.href, `${PORTAL}/`);
  const before = op.interactions();
  await navigate(`${PORTAL}/api/v1/auth/oidc/start`);
  assert.ok(op.interactions() > before, 'the provider asked for a login again');
});

test(`[${ENGINE}] staff sign in by the provider's username; an unknown username is refused and recorded`, async () => {
  const member = await buildStaff(p, { roles: ['caseworker'] });
  atProvider(member.username);
  const landed = await navigate(`${WORK}/api/v1/auth/oidc/start`);
  assert.equal(landed.url.href, `${WORK}/`);
  const me = await sessionOf(p.internal, 'work.test');
  assert.equal(me.statusCode, 200);
  assert.equal(me.json().username, member.username);

  signOutLocally('work.test');
  atProvider('nobody');
  const sessions = await countRows(p, 'staff_sessions');
  const refused = await navigate(`${WORK}/api/v1/auth/oidc/start`);
  assert.equal(refused.url.href, `${WORK}/?oidcError=auth.oidc.unknown_staff`);
  assert.equal(await countRows(p, 'staff_sessions'), sessions);
  const event = await p.db.owner.transaction((tx) =>
    tx
      .selectFrom('ledger_queue')
      .select(['actor', 'payload'])
      .where('entry_type', '=', 'auth.login.failed')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow(),
  );
  assert.equal(event.actor, 'staff:unknown');
  assert.equal(JSON.parse(event.payload).reason, 'oidc_unknown_staff');
});

test(`[${ENGINE}] a resident ID failing its check character, or none at all, opens no account`, async () => {
  const accounts = await countRows(p, 'accounts');
  for (const [who, code] of [
    ['bad-id', 'auth.oidc.bad_identity'],
    ['nobody', 'auth.oidc.no_identity'],
  ] as const) {
    signOutLocally('portal.test');
    atProvider(who);
    const landed = await navigate(`${PORTAL}/api/v1/auth/oidc/start?returnTo=/account`);
    assert.equal(landed.url.href, `${PORTAL}/login?oidcError=${code}&next=%2Faccount`);
    assert.equal((await sessionOf(p.public, 'portal.test')).statusCode, 401);
  }
  assert.equal(await countRows(p, 'accounts'), accounts);
});

test(`[${ENGINE}] an ID token for another audience, expired, or with a bad signature is refused`, async () => {
  atProvider('citizen');
  const now = Math.floor(Date.now() / 1000);
  const forgeries: Record<string, (t: string) => Promise<string>> = {
    'another audience': (t) => op.resign({ ...payloadOf(t), aud: 'someone-else' }),
    expired: (t) => op.resign({ ...payloadOf(t), iat: now - 7200, exp: now - 3600 }),
    'bad signature': async (t) => {
      const [h, b, s = ''] = t.split('.');
      return `${h}.${b}.${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`;
    },
    'another key': async (t) => {
      const other = await generateKeyPair('RS256');
      return new SignJWT(payloadOf(t)).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(other.privateKey);
    },
  };
  const details: string[] = [];
  try {
    for (const [name, rewrite] of Object.entries(forgeries)) {
      signOutLocally('portal.test');
      op.forge(rewrite);
      const sessions = await countRows(p, 'account_sessions');
      const landed = await navigate(`${PORTAL}/api/v1/auth/oidc/start`);
      assert.equal(landed.url.pathname, '/login', name);
      assert.equal(landed.url.searchParams.get('oidcError'), 'auth.oidc.refused', name);
      assert.equal(await countRows(p, 'account_sessions'), sessions, name);
      assert.equal((await sessionOf(p.public, 'portal.test')).statusCode, 401, name);
      const event = await p.db.owner.transaction((tx) =>
        tx
          .selectFrom('ledger_queue')
          .select('payload')
          .where('entry_type', '=', 'auth.login.failed')
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow(),
      );
      details.push(JSON.parse(event.payload).detail);
    }
    // Each was refused for its own reason, recorded with the security event.
    assert.equal(details.length, 4);
    assert.match(details[0] ?? '', /"aud"/);
    assert.match(details[1] ?? '', /"exp"/);
    assert.match(details[2] ?? '', /signature verification failed/);
    assert.match(details[3] ?? '', /signature verification failed/);
  } finally {
    op.forge(undefined);
  }
});

test(`[${ENGINE}] a callback without its browser's pending sign-in, or with another state, is refused`, async () => {
  atProvider('citizen');
  signOutLocally('portal.test');
  const start = await request(new URL(`${PORTAL}/api/v1/auth/oidc/start`));
  // Follow the provider, but stop at the callback it redirects to.
  let answer = await request(new URL(start.location ?? ''));
  while (answer.location && !answer.location.startsWith(PORTAL))
    answer = await request(new URL(answer.location, answer.url));
  const callback = new URL(answer.location ?? '');
  assert.equal(callback.pathname, '/api/v1/auth/oidc/callback');

  const tampered = new URL(callback);
  tampered.searchParams.set('state', 'not-the-state');
  const wrongState = await request(tampered);
  assert.equal(wrongState.status, 303);
  assert.equal(new URL(wrongState.location ?? '', PORTAL).searchParams.get('oidcError'), 'auth.oidc.refused');
  // The pending sign-in was used up by that attempt: the genuine callback, now without it, is refused too.
  const replay = await request(callback);
  assert.equal(new URL(replay.location ?? '', PORTAL).searchParams.get('oidcError'), 'auth.oidc.state');
  assert.equal((await sessionOf(p.public, 'portal.test')).statusCode, 401);
});

test(`[${ENGINE}] start refuses a return path to another origin`, async () => {
  for (const bad of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', '/a"onload="x']) {
    const res = await p.public.inject({
      method: 'GET',
      url: `/api/v1/auth/oidc/start?returnTo=${encodeURIComponent(bad)}`,
    });
    assert.equal(res.statusCode, 400, bad);
  }
});
