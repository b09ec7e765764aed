// Any government's own name: a node configured as 河北省 (130000) shows 河北 in the portal and the workbench, its
// departments sit in Hebei's cities, and nothing on those pages says 天津. Real Chromium, PGlite, no demo data.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createStaffUser } from '../../src/modules/auth/index.ts';
import { createDepartment, loadDivisions, upsertRegions } from '../../src/modules/org/index.ts';
import { type RunningZones, startZones } from '../../src/zones/zones.ts';
import { LISTEN_ANY_PORT, startTestPlatform, systemDeps, TEST_PASSWORD } from '../helpers.ts';
import { chinesePage, launchChromium, signInToWorkbench } from './chromium.ts';

const platform = await startTestPlatform({
  web: true,
  env: {
    ...LISTEN_ANY_PORT,
    ZT_NODE_NAME: '河北省',
    ZT_NODE_NAME_EN: 'Hebei',
    ZT_REGION_CODE: '130000',
  },
});
const deps = systemDeps(platform);
await platform.db.owner.transaction((tx) => upsertRegions(tx, loadDivisions()));
const department = await createDepartment({ db: deps.db, ledger: deps.ledger, clock: deps.clock }, 'system', {
  code: 'HB-GAT',
  name: '河北省公安厅',
  regionCode: '130000',
});
await createDepartment({ db: deps.db, ledger: deps.ledger, clock: deps.clock }, 'system', {
  code: 'SJZ-GAJ',
  name: '石家庄市公安局',
  regionCode: '130100',
});
await createStaffUser(deps, 'system', {
  username: 'hb.admin',
  displayName: '赵管理',
  departmentId: department.id,
  roles: ['platform_admin'],
  password: TEST_PASSWORD,
});
const running: RunningZones = await startZones(platform.ctx, ['public', 'internal']);
const browser: Browser = await launchChromium();
after(async () => {
  await browser.close();
  await running.close();
});

const newPage = (): Promise<Page> => chinesePage(browser);

test('the node says who it is on both zones', async () => {
  for (const zone of ['public', 'internal'] as const) {
    const res = await platform[zone].inject({ url: '/api/v1/org/node' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      name: '河北省',
      nameEn: 'Hebei',
      regionCode: '130000',
      level: 'province',
      region: { code: '130000', name: '河北省', level: 'province', parentCode: '100000' },
    });
  }
});

test('a portal configured as 河北省 shows its own name and its cities, and never 天津', async () => {
  const page = await newPage();
  await page.goto(running.urls.public ?? '');
  await page.getByRole('heading', { level: 1, name: '河北省政务服务' }).waitFor();
  await page.getByText('石家庄市公安局').waitFor();
  await page.getByText('石家庄市', { exact: true }).waitFor(); // the department group is named by its city
  assert.equal(await page.title(), '河北省政务服务 · 政通');
  const text = (await page.locator('body').textContent()) ?? '';
  assert.match(text, /河北省市民和企业的网上政务服务/);
  assert.doesNotMatch(text, /天津|Tianjin/);

  await page.getByText('EN', { exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Hebei Government Services' }).waitFor();
});

test('the workbench configured as 河北省 shows its name and creates departments in Hebei', async () => {
  const page = await newPage();
  await signInToWorkbench(page, running.urls.internal ?? '', 'hb.admin', TEST_PASSWORD);
  await page.getByTestId('node-name').getByText('河北省').waitFor();
  await page.getByRole('link', { name: '部门' }).click();
  await page.getByRole('cell', { name: '石家庄市公安局' }).waitFor();
  await page.getByRole('cell', { name: '石家庄市', exact: true }).waitFor();
  await page.getByRole('button', { name: '新建部门' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('河北省', { exact: true }).waitFor(); // the region defaults to the node's own
  const text = (await page.locator('body').textContent()) ?? '';
  assert.doesNotMatch(text, /天津|Tianjin/);
});
