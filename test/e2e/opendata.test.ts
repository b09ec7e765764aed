// Open data in the browser: find a dataset on the portal, preview it, download a version and check its SHA-256; apply
// for a conditional one as a citizen, approve it in the workbench, and read it through CKAN's datastore_search with
// the key. Chromium, PGlite, the demo's datasets.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/demo.ts';
import { type RunningZones, startZones } from '../../src/zones/zones.ts';
import { LISTEN_ANY_PORT, startTestPlatform } from '../helpers.ts';
import { chinesePage, launchChromium, signInToWorkbench } from './chromium.ts';

const platform = await startTestPlatform({ web: true, env: LISTEN_ANY_PORT });
const creds = await seedDemo(platform.ctx);
const running: RunningZones = await startZones(platform.ctx, ['public', 'internal']);
const browser: Browser = await launchChromium();
after(async () => {
  await browser.close();
  await running.close();
});
const PORTAL = running.urls.public ?? '';

async function seriousViolations(page: Page): Promise<string[]> {
  // Colours as they end, not halfway through a transition (a menu item just selected fades to its colour); the
  // style goes again at once, as antd's dialogs close on their transitions' end.
  const still = await page.addStyleTag({
    content: '*, *::before, *::after { transition: none !important; animation: none !important; }',
  });
  const result = await new AxeBuilder({ page }).analyze();
  await still.evaluate((element) => (element as unknown as { remove(): void }).remove());
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
}

test('a reader finds 公交线路, previews it and downloads a version whose SHA-256 is the published one', async () => {
  const page = await chinesePage(browser);
  await page.goto(PORTAL);
  await page.getByRole('link', { name: '数据开放' }).click();
  await page.getByLabel('搜索开放数据集').fill('公交');
  await page.getByLabel('搜索开放数据集').press('Enter');
  await page.getByRole('link', { name: '公交线路' }).click();
  await page.getByRole('heading', { name: '公交线路' }).waitFor();
  await page.getByText('数据字典').waitFor();
  await page.getByRole('cell', { name: '线路长度（公里）' }).first().waitFor();
  await page.getByText('数据预览（前 10 行）').waitFor();
  await page.getByRole('cell', { name: '1路', exact: true }).waitFor();
  await page
    .getByTestId('version-diff')
    .getByText(/新增 2/)
    .waitFor(); // version 2 added two records
  // A chart of the numeric column (ECharts, as SVG), and the dataset's use, counted as it is served.
  await page.getByTestId('dataset-chart').locator('svg').waitFor();
  await page
    .getByTestId('dataset-usage')
    .getByText(/浏览 \d+/)
    .waitFor();
  assert.deepEqual(await seriousViolations(page), [], 'the dataset page');
  const href = await page.getByRole('link', { name: 'CSV' }).first().getAttribute('href');
  assert.match(href ?? '', /versions\/2\/data\.csv$/);
  const file = await page.request.get(`${PORTAL}${href}`);
  assert.equal(file.status(), 200);
  const summary = await (await page.request.get(`${PORTAL}/api/v1/opendata/datasets/bus-lines`)).json();
  assert.equal(
    createHash('sha256')
      .update(await file.body())
      .digest('hex'),
    summary.versions[1].sha256,
  );
  await page.context().close();
});

test('a citizen applies for a conditional dataset, the department approves it in the workbench, the key reads it', async () => {
  const citizen = creds.citizens.find((c) => c.kind === 'person');
  assert.ok(citizen);
  const page = await chinesePage(browser);
  await page.goto(`${PORTAL}/login?next=/opendata/pension-fund-stats`);
  await page.getByLabel('身份证号或统一社会信用代码').fill(citizen.identifier);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登 录' }).click();
  await page.getByRole('heading', { name: '养老保险基金收支统计' }).waitFor();
  await page.getByText('有条件开放').first().waitFor();
  await page.getByLabel('用途').fill('研究养老保险基金的可持续性');
  await page.getByLabel('应用场景').fill('高校课题组做趋势分析，结果只发表汇总数据');
  await page.getByText('我已阅读并签署《数据安全承诺书》').click();
  await page.getByText('我已阅读并同意《开放利用协议》').click();
  await page.getByRole('button', { name: '提交申请' }).click();
  await page.getByText('申请已提交').waitFor();

  const work = await chinesePage(browser);
  await signInToWorkbench(work, running.urls.internal ?? '', 'rs.data', DEMO_PASSWORD);
  await work.getByRole('link', { name: '数据开放' }).click();
  await work.getByRole('tab', { name: '有条件开放申请' }).click();
  await work.getByRole('button', { name: '审 核' }).first().click();
  await work.getByRole('button', { name: '保 存' }).click();
  await work.getByText('已同意').first().waitFor();

  const session = await (await page.request.get(`${PORTAL}/api/v1/auth/session`)).json();
  const mine = await (await page.request.get(`${PORTAL}/api/v1/opendata/applications`)).json();
  assert.equal(mine[0].status, 'approved');
  const issued = await page.request.post(`${PORTAL}/api/v1/opendata/applications/${mine[0].id}/key`, {
    headers: { 'x-csrf-token': session.csrfToken, origin: PORTAL },
  });
  assert.equal(issued.status(), 201, await issued.text());
  const { key } = await issued.json();
  const pkg = (await (await page.request.get(`${PORTAL}/api/3/action/package_show?id=pension-fund-stats`)).json())
    .result;
  const url = `${PORTAL}/api/3/action/datastore_search?resource_id=${pkg.resources[0].id}&limit=3`;
  assert.equal((await page.request.get(url)).status(), 403);
  const read = await page.request.get(url, { headers: { authorization: key } });
  assert.equal(read.status(), 200);
  assert.equal((await read.json()).result.records.length, 3);
  await page.context().close();
  await work.context().close();
});

test('a data officer publishes a CSV file: the inferred dictionary is edited, the dataset goes to the portal', async () => {
  const work = await chinesePage(browser);
  await signInToWorkbench(work, running.urls.internal ?? '', 'rs.data', DEMO_PASSWORD);
  await work.getByRole('link', { name: '数据开放' }).click();
  await work.getByRole('button', { name: '发布文件数据' }).waitFor();
  assert.deepEqual(await seriousViolations(work), [], 'the workbench open-data page');
  await work.getByRole('button', { name: '发布文件数据' }).click();
  await work.getByLabel('文件', { exact: true }).setInputFiles({
    name: '职业技能竞赛.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('赛项,参赛人数,联系人手机\r\n焊工,120,13800138000\r\n电工,96,13900139000\r\n'),
  });
  // The dictionary the server inferred: the phone column stays home (unchecked), the others are typed.
  await work.getByRole('cell', { name: '联系人手机', exact: true }).first().waitFor();
  assert.equal(await work.getByLabel('开放此列 联系人手机').isChecked(), false);
  assert.deepEqual(await seriousViolations(work), [], 'the upload dialog');
  await work.getByLabel('字段名 赛项').fill('event');
  await work.getByLabel('字段名 参赛人数').fill('entrants');
  await work.getByLabel('计量单位 参赛人数').fill('人');
  await work.getByLabel('标题', { exact: true }).fill('职业技能竞赛参赛人数');
  await work.getByLabel('数据集标识').fill('skills-contest');
  await work.getByRole('button', { name: '发 布' }).click();
  await work.getByRole('cell', { name: '职业技能竞赛参赛人数' }).waitFor();
  const summary = await (await work.request.get(`${PORTAL}/api/v1/opendata/datasets/skills-contest`)).json();
  assert.deepEqual(
    summary.versions[0].fields.map((f: { name: string; type: string }) => `${f.name}:${f.type}`),
    ['event:string', 'entrants:integer'],
  );
  const csv = await (
    await work.request.get(`${PORTAL}/api/v1/opendata/datasets/skills-contest/versions/1/data.csv`)
  ).text();
  assert.equal(csv, 'event,entrants\r\n焊工,120\r\n电工,96\r\n');
  // The description is edited in place; the version stays.
  await work
    .getByRole('row', { name: /职业技能竞赛参赛人数/ })
    .getByRole('button', { name: '编 辑' })
    .click();
  await work.getByRole('dialog').getByLabel('标题').fill('职业技能竞赛参赛人数（2026）');
  await work.getByRole('dialog').getByLabel('联系方式').fill('市人社局职业能力建设处');
  await work.getByRole('button', { name: '保 存' }).click();
  await work.getByRole('cell', { name: '职业技能竞赛参赛人数（2026）' }).waitFor();
  const edited = await (await work.request.get(`${PORTAL}/api/v1/opendata/datasets/skills-contest`)).json();
  assert.equal(edited.contact, '市人社局职业能力建设处');
  assert.equal(edited.versions.length, 1);
  // Its use is shown to its publisher, and it can be withdrawn: the data goes, the tombstone keeps the hashes.
  await work
    .getByRole('row', { name: /职业技能竞赛参赛人数（2026）/ })
    .getByText(/浏览 \d+/)
    .waitFor();
  await work
    .getByRole('row', { name: /职业技能竞赛参赛人数（2026）/ })
    .getByRole('button', { name: '撤 回' })
    .click();
  await work.getByRole('dialog').getByLabel('原因').fill('数据口径调整，重新发布');
  await work.getByRole('dialog').getByRole('button', { name: '撤 回' }).click();
  await work
    .getByRole('row', { name: /职业技能竞赛参赛人数（2026）/ })
    .getByText('已撤回')
    .waitFor();
  const gone = await work.request.get(`${PORTAL}/api/v1/opendata/datasets/skills-contest/versions/1/data.csv`);
  assert.equal(gone.status(), 404);
  await work.context().close();
});
