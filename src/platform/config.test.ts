import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'zt-config-'));

test('defaults: three zones, internal on loopback, demo on, PGlite in ./data', () => {
  const c = loadConfig({}, dir);
  assert.deepEqual(c.zones, {
    public: { host: '0.0.0.0', port: 8080 },
    internal: { host: '127.0.0.1', port: 8081 },
    exchange: { host: '0.0.0.0', port: 8082 },
  });
  assert.equal(c.dataDir, path.join(dir, 'data'));
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.cryptoProfile, 'sha256-ed25519');
  assert.equal(c.demo, true);
});

test('environment variables override the config file, which overrides defaults', () => {
  const file = path.join(dir, 'zhengtong.config.json');
  writeFileSync(file, JSON.stringify({ zones: { public: { port: 9000 } }, cryptoProfile: 'sm3-sm2', demo: false }));
  const fromFile = loadConfig({}, dir);
  assert.equal(fromFile.zones.public.port, 9000);
  assert.equal(fromFile.zones.public.host, '0.0.0.0');
  assert.equal(fromFile.cryptoProfile, 'sm3-sm2');
  const c = loadConfig(
    { ZT_PUBLIC_PORT: '9100', ZT_HOST: '127.0.0.1', ZT_DEMO: 'true', DATABASE_URL: 'postgres://u:p@h/db' },
    dir,
  );
  assert.equal(c.zones.public.port, 9100);
  assert.equal(c.zones.exchange.host, '127.0.0.1');
  assert.equal(c.zones.internal.host, '127.0.0.1');
  assert.equal(c.demo, true);
  assert.equal(c.databaseUrl, 'postgres://u:p@h/db');
});

test('invalid settings fail at start-up with a message naming the setting', () => {
  const clean = mkdtempSync(path.join(tmpdir(), 'zt-config-'));
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ ZT_PUBLIC_PORT: 'eighty' }, /ZT_PUBLIC_PORT must be a whole number/],
    [{ ZT_INTERNAL_PORT: '70000' }, /\/zones\/internal\/port/],
    [{ ZT_CRYPTO_PROFILE: 'md5-rsa' }, /\/cryptoProfile/],
    [{ ZT_DEMO: 'maybe' }, /ZT_DEMO must be true or false/],
    [{ DATABASE_URL: 'mysql://x' }, /\/databaseUrl/],
    [{ ZT_PUBLIC_PORT: '8081' }, /each zone needs its own port/],
    [{ ZT_MASTER_KEY: 'short' }, /\/masterKey/],
    [{ ZT_PGLITE_SHARED_BUFFERS: '16 MB; drop' }, /\/pgliteSharedBuffers/],
    [{ ZT_CONFIG: path.join(clean, 'missing.json') }, /cannot read config file/],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => loadConfig(env, clean),
      (e: unknown) => e instanceof ConfigError && message.test(e.message),
      JSON.stringify(env),
    );
  }
  const bad = path.join(clean, 'bad.json');
  writeFileSync(bad, '{"zones": ');
  assert.throws(() => loadConfig({ ZT_CONFIG: bad }, clean), /not a JSON object/);
  writeFileSync(bad, '{"unknownSetting": 1}');
  assert.throws(() => loadConfig({ ZT_CONFIG: bad }, clean), /unknownSetting/);
});

test('extra holidays and make-up working days are configured for years the dataset does not cover yet', () => {
  const c = loadConfig({ ZT_HOLIDAYS: '2027-01-01, 2027-02-06', ZT_WORKDAYS: '2027-01-30' }, '/tmp');
  assert.deepEqual(c.extraHolidays, ['2027-01-01', '2027-02-06']);
  assert.deepEqual(c.extraWorkdays, ['2027-01-30']);
  assert.throws(() => loadConfig({ ZT_HOLIDAYS: '2027-13-01' }, '/tmp'), /extraHolidays/);
});

test("the node's government comes from configuration: the demo's 天津 by default, any other by file or environment", () => {
  const own = mkdtempSync(path.join(tmpdir(), 'zt-config-node-'));
  assert.deepEqual(loadConfig({}, own).node, { name: '天津市', nameEn: 'Tianjin', regionCode: '120000' });
  writeFileSync(
    path.join(own, 'zhengtong.config.json'),
    JSON.stringify({ node: { name: '河北省', regionCode: '130000' } }),
  );
  assert.deepEqual(loadConfig({}, own).node, { name: '河北省', nameEn: '河北省', regionCode: '130000' });
  const env = { ZT_NODE_NAME: '石家庄市', ZT_NODE_NAME_EN: 'Shijiazhuang', ZT_REGION_CODE: '130100' };
  assert.deepEqual(loadConfig(env, own).node, { name: '石家庄市', nameEn: 'Shijiazhuang', regionCode: '130100' });
  assert.throws(() => loadConfig({ ZT_REGION_CODE: '13' }, own), /node\/regionCode|regionCode/);
  assert.throws(() => loadConfig({ ZT_NODE_NAME: ' 河北' }, own), ConfigError);
  writeFileSync(path.join(own, 'zhengtong.config.json'), JSON.stringify({ node: { name: '河北省', province: 'x' } }));
  assert.throws(() => loadConfig({}, own), ConfigError);
});

test('unified sign-in (OIDC) per zone: off by default, defaults filled in, an http issuer or a missing client refused', () => {
  const clean = mkdtempSync(path.join(tmpdir(), 'zt-config-'));
  assert.deepEqual(loadConfig({}, clean).oidc, {});
  const c = loadConfig(
    {
      ZT_OIDC_PUBLIC_ISSUER: 'https://tyrz.example.gov.cn',
      ZT_OIDC_PUBLIC_CLIENT_ID: 'zhengtong-portal',
      ZT_OIDC_PUBLIC_CLIENT_SECRET: 'from-the-platform',
      ZT_OIDC_PUBLIC_CLAIM: 'idcard',
    },
    clean,
  );
  assert.deepEqual(c.oidc.public, {
    issuer: 'https://tyrz.example.gov.cn',
    clientId: 'zhengtong-portal',
    clientSecret: 'from-the-platform',
    scope: 'openid profile',
    claim: 'idcard',
    creditCodeClaim: 'credit_code',
    nameClaim: 'name',
    label: '统一身份认证',
    allowHttp: false,
  });
  assert.equal(c.oidc.internal, undefined);
  const file = path.join(clean, 'oidc.json');
  writeFileSync(file, JSON.stringify({ oidc: { internal: { issuer: 'https://sso.example.gov.cn', clientId: 'wb' } } }));
  assert.equal(loadConfig({ ZT_CONFIG: file }, clean).oidc.internal?.claim, 'preferred_username');
  for (const [env, message] of [
    [{ ZT_OIDC_PUBLIC_ISSUER: 'http://tyrz.example.gov.cn', ZT_OIDC_PUBLIC_CLIENT_ID: 'x' }, /must be https/],
    [{ ZT_OIDC_INTERNAL_ISSUER: 'https://sso.example.gov.cn' }, /\/oidc\/internal.*clientId/],
    [{ ZT_OIDC_PUBLIC_ISSUER: 'https://a', ZT_OIDC_PUBLIC_CLIENT_ID: 'x', ZT_OIDC_PUBLIC_SCOPE: 'profile' }, /scope/],
  ] as const) {
    assert.throws(
      () => loadConfig(env, clean),
      (e: unknown) => e instanceof ConfigError && message.test(e.message),
      JSON.stringify(env),
    );
  }
});
