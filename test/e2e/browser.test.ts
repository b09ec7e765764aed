// Real Chromium against the real listeners (ephemeral ports, PGlite, demo data, the built web app).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/demo.ts';
import { type RunningZones, startZones } from '../../src/zones/zones.ts';
import { LISTEN_ANY_PORT, startTestPlatform } from '../helpers.ts';
import { chinesePage, launchChromium, signInToWorkbench } from './chromium.ts';

const SHOTS = 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });

// Set up at the top level: an after() registered inside a before() hook would run when that hook ends.
const platform = await startTestPlatform({
  web: true,
  env: LISTEN_ANY_PORT,
});
const creds = await seedDemo(platform.ctx);
const citizenId = creds.citizens[0]?.identifier ?? '';
platform.integrator.start(); // receipts are integrated and checkpointed as they would be in production
const running: RunningZones = await startZones(platform.ctx, ['public', 'internal']);
const browser: Browser = await launchChromium();
after(async () => {
  await browser.close();
  await running.close();
});

const newPage = (): Promise<Page> => chinesePage(browser);

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
}

test('a staff member logs in to the workbench and sees their department and role', async () => {
  const page = await newPage();
  await signInToWorkbench(page, running.urls.internal ?? '', 'ga.admin', 'wrong-password');
  await page.getByRole('alert').getByText('账号或密码错误').waitFor();
  assert.deepEqual(await seriousViolations(page), []);
  await page.screenshot({ path: `${SHOTS}/workbench-login.png` });

  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登 录' }).click();
  const who = page.getByTestId('whoami');
  await who.getByText('部门管理员').waitFor();
  await who.getByText('市公安局').waitFor();
  assert.match((await who.textContent()) ?? '', /王管理[\s\S]*市公安局/);
  await page.getByRole('link', { name: '人员' }).click();
  await page.getByRole('cell', { name: 'ga.clerk' }).waitFor();
  await page.screenshot({ path: `${SHOTS}/workbench-staff.png`, fullPage: true });
  assert.deepEqual(await seriousViolations(page), []);

  // Internal search: the 户籍 register is the department's own, so its records are found by a resident's name.
  const resident = creds.citizens.find((c) => c.kind === 'person');
  assert.ok(resident);
  await page.getByRole('link', { name: '搜索' }).click();
  await page.getByLabel('搜索事项、数据与人员').fill(resident.name);
  await page.getByLabel('搜索事项、数据与人员').press('Enter');
  await page.getByRole('checkbox', { name: /数据记录/ }).waitFor();
  assert.match((await page.getByTestId('search-hit').first().textContent()) ?? '', new RegExp(resident.name));
  await page.screenshot({ path: `${SHOTS}/workbench-search.png`, fullPage: true });
  await page.mouse.move(0, 0);
  assert.deepEqual(await seriousViolations(page), []);
  await page.getByTestId('search-hit').first().click();
  await page.getByText(/仅显示记录 #\d+/).waitFor();
  await page.getByRole('cell', { name: resident.name }).first().waitFor();
});

test('a citizen logs in to the portal with their resident ID; large text persists across reloads', async () => {
  const page = await newPage();
  await page.goto(running.urls.public ?? '');
  await page.getByRole('heading', { name: '天津市政务服务', level: 1 }).waitFor();
  await page.getByText('天津市公安局', { exact: true }).waitFor();
  assert.deepEqual(await seriousViolations(page), []);
  await page.getByRole('link', { name: /登录/ }).first().click();
  await page.getByLabel('身份证号或统一社会信用代码').fill(citizenId);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登 录' }).click();
  await page.getByTestId('welcome').getByText(/张伟/).waitFor();
  assert.match((await page.getByTestId('welcome').textContent()) ?? '', /120101\*{8}/);
  await page.screenshot({ path: `${SHOTS}/portal-home.png`, fullPage: true });

  await page.getByTestId('large-text').click();
  await page.reload();
  await page.getByTestId('welcome').waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains('zt-large')));
  const size = await page.getByTestId('welcome').evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
  assert.ok(size >= 20, `large text is at least 20px (got ${size})`);
  await page.screenshot({ path: `${SHOTS}/portal-large-text.png`, fullPage: true });
  assert.deepEqual(await seriousViolations(page), []);
});

test('the portal works on a 320 px wide phone screen and in English', async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await page.goto(`${running.urls.public}/login`);
  await page.getByText('EN', { exact: true }).click();
  await page.getByRole('tab', { name: 'Register' }).click();
  // Both tab panels stay in the DOM; role queries see only the visible one.
  await page.getByRole('textbox', { name: 'Resident ID number' }).fill('110105194912310021');
  await page.getByRole('textbox', { name: 'Name' }).fill('测试');
  await page.getByRole('textbox', { name: 'Password' }).fill('long-enough-1');
  await page.getByRole('button', { name: 'Register' }).click();
  await page.getByText(/not a valid resident ID/).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no horizontal scrolling (overflow ${overflow}px)`);
  await page.screenshot({ path: `${SHOTS}/portal-register-phone-en.png`, fullPage: true });
});

test('the public listener never serves the workbench bundle', async () => {
  const internalHtml = await (await fetch(running.urls.internal ?? '')).text();
  const workScript = /src="(\/assets\/work-[^"]+\.js)"/.exec(internalHtml)?.[1];
  assert.ok(workScript, 'the workbench page loads its bundle');
  assert.equal((await fetch(`${running.urls.internal}${workScript}`)).status, 200);
  assert.equal((await fetch(`${running.urls.public}${workScript}`)).status, 404);
});

test('a citizen verifies a receipt in the browser (WebCrypto); a tampered receipt fails', async () => {
  const page = await newPage();
  await page.goto(`${running.urls.public}/login`);
  await page.getByLabel('身份证号或统一社会信用代码').fill(citizenId);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登 录' }).click();
  await page.getByTestId('welcome').waitFor();
  await page.getByRole('link', { name: '我的存证' }).click();
  await page.getByRole('cell', { name: '实名注册账户' }).waitFor();
  // The registration's receipt (newer ones record the sign-ins, which hold no name to tamper with).
  await page
    .getByRole('row', { name: /实名注册账户/ })
    .getByRole('link', { name: '验证', exact: true })
    .click();
  const verdict = page.getByTestId('verdict');
  await verdict.getByText('验证通过').waitFor();
  for (const step of ['digest', 'leaf', 'checkpoint', 'inclusion', 'consistency']) {
    assert.equal(await page.getByTestId(`check-${step}`).getAttribute('data-ok'), 'true', step);
  }
  await page.screenshot({ path: `${SHOTS}/portal-verify-receipt.png`, fullPage: true });
  assert.deepEqual(await seriousViolations(page), []);

  const receipt = JSON.parse(await page.getByLabel('存证（JSON）').inputValue());
  receipt.entry.payload = receipt.entry.payload.replace('张伟', '李四');
  await page.getByLabel('存证（JSON）').fill(JSON.stringify(receipt));
  await page.getByRole('button', { name: '验 证' }).click();
  await verdict.getByText('验证未通过').waitFor();
  assert.equal(await page.getByTestId('check-leaf').getAttribute('data-ok'), 'false');
  await page.screenshot({ path: `${SHOTS}/portal-verify-tampered.png`, fullPage: true });
});

test('a data officer registers a resource in the workbench, imports a CSV and sees the records', async () => {
  const page = await newPage();
  await signInToWorkbench(page, running.urls.internal ?? '', 'rs.data', DEMO_PASSWORD);
  await page.getByTestId('whoami').getByText('数据专员').waitFor();
  await page.getByRole('link', { name: '数据目录' }).click();
  await page.getByRole('link', { name: '社会保险参保信息' }).waitFor();
  await page.getByRole('link', { name: '登记信息资源' }).click();

  await page.getByLabel('资源名称').fill('职业技能等级证书信息');
  await page.getByLabel('摘要').fill('职业技能等级证书的获证人员与等级。');
  await page.getByLabel('共享条件').fill('用于就业补贴审核');
  await page.getByLabel('依据', { exact: true }).fill('《职业技能等级认定管理办法》');
  await page.getByLabel('代码 1').fill('resident_id');
  await page.getByLabel('名称 1').fill('公民身份号码');
  await page.getByLabel('个人信息类型 1').click();
  await page.getByTitle('身份证号', { exact: true }).click();
  await page.getByTestId('field-0').getByText('必填').click();
  await page.getByTestId('field-0').getByText('唯一').click();
  await page.getByRole('button', { name: '添加信息项' }).click();
  await page.getByLabel('代码 2').fill('level');
  await page.getByLabel('名称 2').fill('证书等级');
  await page.getByLabel('类型 2', { exact: true }).click();
  await page.getByTitle('枚举', { exact: true }).click();
  await page.getByLabel('选项（逗号分隔） 2').fill('五级,四级,三级,二级,一级');
  await page.screenshot({ path: `${SHOTS}/workbench-register-form.png`, fullPage: true });
  await page.getByRole('button', { name: '登记信息资源' }).last().click();

  await page.getByRole('heading', { name: '职业技能等级证书信息' }).waitFor();
  const code = (await page.locator('code').first().textContent()) ?? '';
  assert.match(code, /^3\d{5}-\d{6}$/);
  const people = creds.citizens.filter((c) => c.kind === 'person');
  const csv = [
    '公民身份号码,证书等级',
    ...people.map((p, i) => `${p.identifier},${['三级', '四级', '二级'][i % 3]}`),
    '110105194912310021,三级',
  ].join('\n');
  await page.getByRole('button', { name: /导入/ }).click();
  await page
    .getByTestId('import-file')
    .setInputFiles({ name: 'skills.csv', mimeType: 'text/csv', buffer: Buffer.from(`${csv}\n`) });
  await page.getByRole('button', { name: '导 入' }).click();
  await page
    .getByTestId('import-result')
    .getByText(/未导入任何数据/)
    .waitFor();
  await page.getByRole('cell', { name: /不是有效的居民身份证号/ }).waitFor(); // the row's reason, in Chinese
  await page.getByText('有误行跳过，保留合格行').click();
  await page.getByRole('button', { name: '导 入' }).click();
  await page
    .getByTestId('import-result')
    .getByText(new RegExp(`已导入.*${people.length} 新增`))
    .waitFor();
  await page.screenshot({ path: `${SHOTS}/workbench-import.png`, fullPage: true });
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  await page.getByRole('cell', { name: people[0]?.identifier ?? '' }).waitFor();
  assert.equal(await page.locator('.ant-table-row').count(), people.length);
  await page.screenshot({ path: `${SHOTS}/workbench-records.png`, fullPage: true });

  // Edit a record (a new version), object to another, answer the objection, and read the quality score.
  await page
    .getByRole('row', { name: new RegExp(people[0]?.identifier ?? '') })
    .getByRole('button', { name: '编 辑' })
    .click();
  await page.getByRole('dialog').getByLabel('证书等级').click();
  await page.getByTitle('一级', { exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: '保 存' }).click();
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  await page.getByRole('row', { name: new RegExp(`${people[0]?.identifier}.*一级`) }).waitFor();
  await page
    .getByRole('row', { name: new RegExp(people[1]?.identifier ?? '') })
    .getByRole('button', { name: '异 议' })
    .click();
  await page.getByRole('dialog').getByLabel('原因').fill('证书等级与发证记录不一致');
  await page.getByRole('dialog').getByRole('button', { name: '保 存' }).click();
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  await page.getByRole('tab', { name: '数据异议' }).click();
  await page.getByRole('cell', { name: '证书等级与发证记录不一致' }).waitFor();
  await page.getByRole('button', { name: '答 复' }).click();
  await page.getByRole('dialog').getByLabel('答复').fill('已核对发证记录并更正');
  await page.getByRole('dialog').getByRole('button', { name: '保 存' }).click();
  await page.getByRole('cell', { name: '已更正', exact: true }).waitFor();
  await page.getByRole('tab', { name: '数据质量' }).click();
  await page.getByTestId('quality').getByText('完整性').waitFor();
  await page.screenshot({ path: `${SHOTS}/workbench-quality.png`, fullPage: true });
  assert.deepEqual(await seriousViolations(page), []);
});

test('the public catalog lists public registers only and shows a resource with its data items', async () => {
  const page = await newPage();
  await page.goto(`${running.urls.public}/catalog`);
  await page.getByRole('link', { name: '户籍人口基本信息' }).waitFor();
  assert.equal(await page.getByRole('link', { name: '工作人员名册' }).count(), 0, 'internal registers are not listed');
  await page.getByRole('link', { name: '户籍人口基本信息' }).click();
  await page.getByRole('cell', { name: '公民身份号码' }).waitFor();
  await page.getByText('天津市公安局').waitFor();
  assert.deepEqual(await seriousViolations(page), []);
  await page.screenshot({ path: `${SHOTS}/portal-catalog-entry.png`, fullPage: true });
});

test("the platform admin's home lists overdue objections", async () => {
  const page = await newPage();
  await signInToWorkbench(page, running.urls.internal ?? '', 'admin', DEMO_PASSWORD);
  await page.getByTestId('overdue-objections').getByText('逾期未答复的数据异议').waitFor();
  await page.getByTestId('overdue-requests').getByText('逾期未答复的共享申请').waitFor();
  // axe judges the loaded page: a table still loading is dimmed (antd's spin blur) and fails contrast meanwhile.
  for (const id of ['overdue-objections', 'overdue-requests'])
    await page.getByTestId(id).locator('.ant-spin-spinning').waitFor({ state: 'detached' });
  assert.deepEqual(await seriousViolations(page), []);

  // The synonym table: a new group is searched at once, and can be removed again.
  await page.getByRole('link', { name: '搜索' }).click();
  await page.getByLabel('新增同义词组').fill('自由职业，灵活就业');
  await page.getByRole('button', { name: /^添\s?加$/ }).click();
  const remove = page.getByRole('button', { name: '删除 自由职业 / 灵活就业' });
  await remove.waitFor();
  assert.deepEqual(await seriousViolations(page), []);
  await remove.click();
  await remove.waitFor({ state: 'detached' });
});

test('the provider approves a share request with PII masked; the valve console explains each field', async () => {
  // 市人社局 asks 市公安局 for household data (the demo's other requests are already decided).
  const page = await newPage();
  await signInToWorkbench(page, running.urls.internal ?? '', 'rs.data', DEMO_PASSWORD);
  await page.getByRole('link', { name: '数据共享' }).click();
  await page.getByRole('button', { name: '申请数据' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('信息资源').click();
  await page.locator('.ant-select-item-option', { hasText: '户籍人口基本信息' }).click();
  await dialog.getByRole('checkbox', { name: '姓名' }).check();
  await dialog.getByRole('checkbox', { name: '性别' }).check();
  await dialog.getByLabel('用途').fill('就业登记核验');
  await dialog.getByLabel('依据').fill('《就业促进法》');
  await dialog.getByLabel('有效期至').fill('2027-12-31');
  await dialog.getByLabel('有效期至').press('Enter');
  await dialog.getByRole('button', { name: '提 交' }).click();
  await dialog.getByText('待答复').waitFor();
  await dialog.getByRole('button', { name: '关 闭' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('row', { name: /就业登记核验/ }).waitFor();
  assert.deepEqual(await seriousViolations(page), []);

  const provider = await newPage();
  await provider.goto(running.urls.internal ?? '');
  await provider.getByLabel('用户名').fill('ga.admin');
  await provider.getByLabel('密码').fill(DEMO_PASSWORD);
  await provider.getByRole('button', { name: '登 录' }).click();
  await provider.getByRole('link', { name: '数据共享' }).click();
  const row = provider.getByRole('row', { name: /就业登记核验/ });
  await row.getByRole('button', { name: '同 意' }).click();
  await provider.getByRole('dialog').getByRole('button', { name: '同 意' }).click();
  await provider
    .getByRole('row', { name: /就业登记核验/ })
    .getByText('已同意')
    .waitFor();
  await provider.screenshot({ path: `${SHOTS}/workbench-share-requests.png`, fullPage: true });

  await provider.getByRole('tab', { name: '安全阀策略' }).click();
  await provider.getByLabel('调用部门').click();
  await provider.locator('.ant-select-item-option', { hasText: '市人社局' }).first().click();
  await provider.getByLabel('信息资源', { exact: true }).click();
  await provider.locator('.ant-select-item-option', { hasText: '户籍人口基本信息' }).click();
  await provider.getByLabel('用途', { exact: true }).fill('就业登记核验');
  await provider.getByRole('button', { name: '测 试' }).click();
  const nameRow = provider.getByRole('row', { name: /姓名 \(name\)/ });
  await nameRow.getByText('脱敏', { exact: true }).waitFor();
  await provider
    .getByRole('row', { name: /住址 \(address\)/ })
    .getByText('拒绝')
    .waitFor();
  await provider
    .getByRole('row', { name: /住址 \(address\)/ })
    .getByText(/field-outside-grant/)
    .waitFor();
  await provider.screenshot({ path: `${SHOTS}/workbench-valve.png`, fullPage: true });
  assert.deepEqual(await seriousViolations(provider), []);
});

test('a citizen browses the services by theme and reads a guide that says which materials need not be submitted', async () => {
  const page = await newPage();
  await page.goto(running.urls.public ?? '');
  await page.getByRole('link', { name: '社保服务' }).click();
  await page.getByRole('heading', { name: '社保服务', level: 1 }).waitFor();
  await page.getByRole('link', { name: '社会保障卡申领' }).click();
  await page.getByRole('heading', { name: '社会保障卡申领', level: 1 }).waitFor();
  await page.getByText(/份材料政府部门已掌握，无需提交/).waitFor();
  await page.getByText('承诺').first().waitFor();
  await page.screenshot({ path: `${SHOTS}/portal-service-guide.png`, fullPage: true });
  await page.mouse.move(0, 0); // the link clicked last leaves the pointer over the apply button: judge it at rest
  assert.deepEqual(await seriousViolations(page), []);
});

test('typing "sbk" suggests 社会保障卡 services; the results page filters by facet', async () => {
  const page = await newPage();
  await page.goto(running.urls.public ?? '');
  await page.getByLabel('搜索办事事项').pressSequentially('sbk', { delay: 60 });
  const suggestions = page.getByTestId('suggestion');
  await suggestions.first().waitFor();
  const first = (await suggestions.allTextContents()).slice(0, 3);
  assert.ok(
    first.some((text) => text.includes('社会保障卡')),
    `社会保障卡 among the first suggestions: ${first.join(' | ')}`,
  );
  await page.waitForFunction(() => !document.querySelector('.ant-select-dropdown[class*="slide-up-"]'));
  await page.screenshot({ path: `${SHOTS}/portal-search-suggest.png` });
  assert.deepEqual(await seriousViolations(page), []);

  await page.getByLabel('搜索办事事项').fill('gongjijin tiqu');
  await page.getByLabel('搜索办事事项').press('Enter');
  await page.waitForURL(/\/search\?q=gongjijin/);
  await page.getByTestId('search-hit').first().waitFor();
  assert.match((await page.getByTestId('search-hit').first().textContent()) ?? '', /住房公积金提取/);
  await page.getByRole('checkbox', { name: /数据目录/ }).click();
  await page.waitForURL(/facet=type%3Acatalog/);
  await page.getByText(/共找到 \d+ 条结果/).waitFor();
  // The register best matching 公积金提取 first (the open data registers of 市公积金中心 follow).
  assert.match(
    (await page.getByTestId('search-hit').first().textContent()) ?? '',
    /住房公积金缴存信息/,
    'the catalog entry',
  );
  for (const hit of await page.getByTestId('search-hit').allTextContents()) assert.match(hit, /公积金/);
  await page.getByRole('checkbox', { name: /办事服务/ }).waitFor(); // the other kind stays choosable
  await page.screenshot({ path: `${SHOTS}/portal-search-results.png`, fullPage: true });
  await page.mouse.move(0, 0);
  assert.deepEqual(await seriousViolations(page), []);
});

test('the whole journey: search, apply with held data, correct, two departments approve in parallel, the result and its receipts', async () => {
  const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(300, 9)]);
  const citizen = creds.citizens.find((c) => c.kind === 'person');
  assert.ok(citizen);
  const me = await newPage();
  await me.goto(`${running.urls.public}/login?next=/`);
  await me.getByLabel('身份证号或统一社会信用代码').fill(citizen.identifier);
  await me.getByLabel('密码').first().fill(DEMO_PASSWORD);
  await me.getByRole('button', { name: '登 录' }).click();
  await me.getByTestId('welcome').waitFor();
  await me.getByLabel('搜索办事事项').fill('社保卡');
  await me.getByLabel('搜索办事事项').press('Enter');
  await me.getByRole('link', { name: '社会保障卡申领' }).click();
  await me.getByRole('button', { name: '在线办理' }).click();
  await me.getByText('已有数据，免于提交').first().waitFor();
  await me.waitForFunction(() => (document.querySelector('#name') as HTMLInputElement | null)?.value !== '');
  assert.equal(
    await me.getByLabel('申领人姓名').inputValue(),
    citizen.name,
    'prefilled from what the government knows',
  );
  await me.getByLabel('联系电话').fill('13812345678');
  await me.getByLabel('领卡方式').click();
  await me.locator('.ant-select-item-option', { hasText: '邮寄到家' }).click();
  await me.getByLabel('邮寄地址').fill('天津市和平区南京路88号');
  await me.locator('input[type=file]').first().setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
  await me.getByText('已上传').waitFor();
  await me.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
  assert.deepEqual(await seriousViolations(me), []);
  await me.getByRole('button', { name: '提交申请' }).click();
  const numberText = me.getByText(/^1200\d{18}$/);
  await numberText.waitFor();
  const number = (await numberText.textContent()) ?? '';

  const staff = async (username: string) => {
    const page = await newPage();
    await page.goto(`${running.urls.internal}/casework/${number}`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登 录' }).click();
    await page.getByText(number).first().waitFor();
    return page;
  };
  const clerk = await staff('rs.clerk');
  await clerk.getByRole('button', { name: '受 理' }).click();
  await clerk
    .getByText(/已从资源获取/)
    .first()
    .waitFor();
  await clerk.getByRole('button', { name: '要求补正' }).click();
  await clerk.getByLabel('需要补正的全部内容，每行一项').fill('照片背景须为白色\n请填写邮政编码');
  await clerk.getByRole('dialog').getByRole('button', { name: '确 定' }).click();
  await clerk.getByText('待补正').waitFor();
  await clerk.getByRole('dialog').waitFor({ state: 'hidden' });
  assert.deepEqual(await seriousViolations(clerk), []);

  await me.reload();
  await me.getByText('照片背景须为白色').first().waitFor();
  await me
    .locator('input[type=file]')
    .first()
    .setInputFiles({ name: 'white.png', mimeType: 'image/png', buffer: Buffer.concat([PNG, Buffer.from('white')]) });
  await me.getByRole('button', { name: '提交补正' }).click();
  await me.getByText('办理中').first().waitFor();

  await clerk.reload();
  await clerk.getByRole('button', { name: '同 意' }).click();
  await clerk.getByText('并联审批').waitFor();
  for (const leader of ['rs.leader', 'ga.leader']) {
    const page = await staff(leader);
    await page.getByRole('button', { name: '同 意' }).click();
    await page.getByText('已同意').first().waitFor();
  }
  await clerk.reload();
  await clerk.getByRole('button', { name: '办 结' }).click();
  await clerk.getByText('已办结').first().waitFor();
  await clerk.screenshot({ path: `${SHOTS}/workbench-case.png`, fullPage: true });

  await me.reload();
  await me.getByText(/已签发电子证照/).waitFor();
  await me.screenshot({ path: `${SHOTS}/portal-application.png`, fullPage: true });
  await me.getByRole('link', { name: '验证存证' }).last().click();
  await me.getByText('验证通过：该记录已写入防篡改日志').waitFor({ timeout: 15_000 });
  await me.mouse.move(0, 0); // a hovered or busy button is lighter: judge the page at rest
  await me.locator('.ant-btn-loading').waitFor({ state: 'detached' });
  // The button fades back from its busy look; judge it once the transition has ended.
  await me.waitForFunction(() =>
    [...document.querySelectorAll('.ant-btn-primary')].every((b) =>
      b
        .getAnimations({ subtree: true })
        .every(
          (a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Number.POSITIVE_INFINITY,
        ),
    ),
  );
  assert.deepEqual(await seriousViolations(me), []);
});
