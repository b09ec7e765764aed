// Every word in the reader's language: in zh-CN, the inbox, the receipts and a register page show no raw key (an i18n
// key or a code such as `step.review` or `auth.login.succeeded`) and no English error — also when a load fails for
// real (a session ended under the page, a register the department may not read). Chromium, PGlite, the demo.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/demo.ts';
import { type RunningZones, startZones } from '../../src/zones/zones.ts';
import { LISTEN_ANY_PORT, startTestPlatform } from '../helpers.ts';
import { chinesePage, launchChromium, signInToWorkbench } from './chromium.ts';

const platform = await startTestPlatform({ web: true, env: LISTEN_ANY_PORT });
const creds = await seedDemo(platform.ctx);
platform.integrator.start();
const running: RunningZones = await startZones(platform.ctx, ['public', 'internal']);
const browser: Browser = await launchChromium();
after(async () => {
  await browser.close();
  await running.close();
});

// An i18n key or a machine code: a known prefix, a dot, a lower-case word.
const RAW_KEY =
  /\b(?:auth|exchange|registry|services|org|search|step|app|event|light|task|request|grant|outcome|depth|itemType|objection|validation|import|record|register|application|upload|signature|ledger|route|client)\.[a-z][a-z_.]*\b/;
// The API's English messages and the web's English fallbacks.
const ENGLISH =
  /not found or no access|is not a valid|Something went wrong|is required|Log in first|could not be loaded|Try again|Nothing waiting|No receipts/i;

async function assertOnlyChinese(page: Page, where: string): Promise<string> {
  // innerText, not textContent: what the reader sees, not the text of closed dropdowns.
  // biome-ignore lint/performance/useDomNodeTextContent: the visible text is the point
  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text, RAW_KEY, `${where}: a raw key`);
  assert.doesNotMatch(text, ENGLISH, `${where}: English`);
  return text;
}
const noSpinner = (page: Page) => page.locator('.ant-spin-spinning').waitFor({ state: 'detached' });

test('the inbox names its steps in Chinese, and a load that fails says why instead of spinning', async () => {
  const page = await chinesePage(browser);
  await signInToWorkbench(page, running.urls.internal ?? '', 'rs.clerk', DEMO_PASSWORD);
  await page.getByRole('link', { name: '办件' }).click();
  await page.locator('tbody tr.ant-table-row').first().waitFor();
  await noSpinner(page);
  const text = await assertOnlyChinese(page, 'inbox');
  assert.match(text, /受理|审核|审批|决定|办结/, 'a step named by its workflow');
  const steps = await page.locator('tbody tr.ant-table-row td:nth-child(5)').allInnerTexts();
  for (const s of steps) assert.match(s, /^\p{Script=Han}/u, `the step column says ${s}`);

  await page.getByLabel('当前环节').click();
  const options = await page.locator('.ant-select-item-option').allInnerTexts();
  assert.ok(options.length > 0, 'the filter offers the steps the inbox holds');
  for (const o of options) assert.match(o, /\p{Script=Han}/u, `step option ${o}`);
  await assertOnlyChinese(page, 'inbox step filter');

  // The session ends under the page (as when it expires): the next load answers 401 for real.
  await platform.db.owner.transaction((tx) => tx.deleteFrom('staff_sessions').execute());
  await page.locator('.ant-select-item-option').first().click();
  await page.getByRole('alert').getByText('请先登录').waitFor();
  await page.getByRole('button', { name: '重 试' }).waitFor();
  await noSpinner(page);
  await assertOnlyChinese(page, 'inbox after a failed load');
  await page.context().close();
});

test('the receipts page lists what happened in Chinese', async () => {
  const citizen = creds.citizens.find((c) => c.kind === 'person');
  assert.ok(citizen);
  const page = await chinesePage(browser);
  await page.goto(`${running.urls.public}/login?next=/receipts`);
  await page.getByLabel('身份证号或统一社会信用代码').fill(citizen.identifier);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登 录' }).click();
  await page.getByRole('heading', { name: '我的存证' }).waitFor();
  await page.locator('tbody tr.ant-table-row').first().waitFor();
  await noSpinner(page);
  const text = await assertOnlyChinese(page, 'receipts');
  assert.match(text, /登录/);
  await page.context().close();
});

test("a register page: data items with their PII types in Chinese; another department's records refused in Chinese", async () => {
  const page = await chinesePage(browser);
  await signInToWorkbench(page, running.urls.internal ?? '', 'rs.data', DEMO_PASSWORD);
  await page.getByRole('link', { name: '数据目录' }).click();
  await page.getByRole('link', { name: '社会保险参保信息' }).click();
  await page.getByRole('heading', { name: '社会保险参保信息' }).waitFor();
  await page.getByRole('tab', { name: /信息项/ }).click();
  await page.getByRole('cell', { name: '身份证号', exact: true }).first().waitFor();
  await noSpinner(page);
  await assertOnlyChinese(page, 'register (own)');

  // The population register is the police's: its catalog entry is open, its records are not.
  await page.getByRole('link', { name: '数据目录' }).click();
  await page.getByRole('link', { name: '户籍人口基本信息' }).click();
  await page.getByRole('heading', { name: '户籍人口基本信息' }).waitFor();
  await page.getByRole('alert').getByText('未找到该信息资源，或您无权查看').waitFor();
  await noSpinner(page);
  await assertOnlyChinese(page, "register (another department's)");
  await page.context().close();
});
