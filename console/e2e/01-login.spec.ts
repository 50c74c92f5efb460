// 扫码登录: the ticket, the mini-program's confirm made by the test, the session restored by
// the refresh cookie on a reload, sign-out; and the demo personas of development mode.
import { expect, test } from '@playwright/test';
import { CONSOLE, expectAccessible, screenshot, signInByTicket } from './helpers';

test('the sign-in page shows a ticket QR and, in development, the demo personas', async ({ page }) => {
  await page.goto(CONSOLE());
  await expect(page).toHaveURL(/\/console\/login/);
  await expect(page.getByTestId('login-qr').locator('img')).toBeVisible();
  await expect(page.getByRole('button', { name: /演示服务管家/ })).toBeVisible();
  // Discipline staff sign in to the console too.
  await expect(page.getByRole('button', { name: /纪检监察室（纪检监察）/ })).toBeVisible();
  // Enterprise members have no console: their persona is not offered.
  await expect(page.getByRole('button', { name: /海纳智能 企业联系人/ })).toHaveCount(0);
  await screenshot(page, 'login');
  await expectAccessible(page);
});

test('a butler signs in by scanning: the test confirms as the mini-program would', async ({ page }) => {
  await signInByTicket(page, 'demo-butler');
  await expect(page).toHaveURL(/\/console\/queue/);
  await expect(page.getByTestId('current-user')).toHaveText('演示服务管家');

  // The access token lives in memory only: a reload restores the session from the cookie.
  expect(await page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage))).not.toMatch(/eyJ/);
  await page.reload();
  await expect(page.getByTestId('current-user')).toHaveText('演示服务管家');
  await expect(page).toHaveURL(/\/console\/queue/);

  // Signing out revokes the refresh cookie: a reload stays signed out.
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/console\/login/);
  await page.reload();
  await expect(page).toHaveURL(/\/console\/login/);
  await expect(page.getByTestId('login-qr').locator('img')).toBeVisible();
});

test('in development a demo persona signs in with one click, and lands on its screens', async ({ page }) => {
  await page.goto(CONSOLE());
  await page.getByRole('button', { name: /税务局经办人/ }).click();
  await expect(page.getByTestId('current-user')).toHaveText('税务局经办人');
  // A handler has the queue but not the hotline desk.
  await expect(page.getByRole('navigation', { name: '主菜单' })).toContainText('工作台');
  await expect(page.getByRole('navigation', { name: '主菜单' })).not.toContainText('热线受理');
  await page.goto(`${CONSOLE()}hotline`);
  await expect(page.getByRole('heading', { name: '无权访问' })).toBeVisible();
});
