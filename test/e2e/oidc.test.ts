// Unified sign-in in a real browser: Chromium goes from our sign-in pages to an OpenID Connect provider on another
// site (127.0.0.1 against our localhost), comes back signed in, and logs out of both. This is where the cookies'
// SameSite rules bite: the pending sign-in must survive the provider's redirect and the session must be sent after it.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createStaffUser } from '../../src/modules/auth/index.ts';
import { residentIdCheckChar } from '../../src/modules/privacy/index.ts';
import { type RunningZones, startZones } from '../../src/zones/zones.ts';
import { buildDepartment, LISTEN_ANY_PORT, startTestPlatform, systemDeps, TEST_PASSWORD } from '../helpers.ts';
import { clientSecret, startTestProvider } from '../oidc-provider.ts';
import { chinesePage, launchChromium } from './chromium.ts';

const first17 = '12010119850615432';
const op = await startTestProvider({
  citizen: { name: '孙丽', resident_id: first17 + residentIdCheckChar(first17) },
  'wb.oidc': { name: '钱工作' },
  stranger: { name: '陌生人' },
});
const provider = (zone: 'PUBLIC' | 'INTERNAL', id: string) => ({
  [`ZT_OIDC_${zone}_ISSUER`]: op.issuer,
  [`ZT_OIDC_${zone}_CLIENT_ID`]: id,
  [`ZT_OIDC_${zone}_CLIENT_SECRET`]: clientSecret(id),
  [`ZT_OIDC_${zone}_ALLOW_HTTP`]: 'true',
  [`ZT_OIDC_${zone}_LABEL`]: '测试统一身份认证',
});
const platform = await startTestPlatform({
  web: true,
  env: {
    ...LISTEN_ANY_PORT,
    ...provider('PUBLIC', 'zt-portal'),
    ...provider('INTERNAL', 'zt-work'),
  },
});
const deps = systemDeps(platform);
const department = await buildDepartment(platform);
await createStaffUser(deps, 'system', {
  username: 'wb.oidc',
  displayName: '钱工作',
  departmentId: department.id,
  roles: ['caseworker'],
  password: TEST_PASSWORD,
});
const running: RunningZones = await startZones(platform.ctx, ['public', 'internal']);
// Our zones as the browser reaches them: localhost, another site than the provider's 127.0.0.1.
const site = (url: string | undefined) => (url ?? '').replace('127.0.0.1', 'localhost');
const PORTAL = site(running.urls.public);
const WORK = site(running.urls.internal);
op.register([
  { id: 'zt-portal', origin: PORTAL },
  { id: 'zt-work', origin: WORK },
]);
const browser: Browser = await launchChromium();
after(async () => {
  await browser.close();
  await running.close();
});

test('a citizen signs in on the portal through the identity platform and logs out of both', async () => {
  op.signInAs('citizen');
  const page = await chinesePage(browser);
  await page.goto(`${PORTAL}/login?next=/applications`);
  await page.getByRole('link', { name: '使用测试统一身份认证登录' }).click();
  await page.getByTestId('account-link').filter({ hasText: '孙丽' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/applications');

  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL((url) => url.href.startsWith(op.issuer));
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await page.waitForURL(`${PORTAL}/`);
  await page.getByRole('link', { name: '登录 / 注册' }).waitFor();
  await page.context().close();
});

test('staff sign in on the workbench; a username the workbench does not know is told so in Chinese', async () => {
  op.signInAs('wb.oidc');
  const page = await chinesePage(browser);
  await page.goto(WORK);
  await page.getByRole('link', { name: '使用测试统一身份认证登录' }).click();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
  await page.context().close();

  op.signInAs('stranger');
  const other = await chinesePage(browser);
  await other.goto(WORK);
  await other.getByRole('link', { name: '使用测试统一身份认证登录' }).click();
  await other.getByText('统一身份认证的用户名没有对应的在岗工作人员账号，请联系本部门管理员').waitFor();
  assert.doesNotMatch(other.url(), /oidcError/); // the code was read and removed from the address
  await other.context().close();
});
