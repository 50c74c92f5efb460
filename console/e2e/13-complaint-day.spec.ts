// 吐槽日 from the console alone: an admin creates a complaint day, publishes and opens it,
// enterprises post on the wall (through the API, as the mini-program does), the admin closes it
// and reads the summary.
import { expect, test } from '@playwright/test';
import { call, expectAccessible, screenshot, signInByTicket } from './helpers';

const pad = (n: number) => String(n).padStart(2, '0');
function local(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

test('an admin runs a complaint day from creation to its summary', async ({ page }) => {
  const stamp = Date.now().toString(36);
  const title = `第一期企业家吐槽日 ${stamp}`;
  await signInByTicket(page, 'demo-admin', 'events');
  await page.getByRole('button', { name: '新建活动' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('活动类型').selectOption({ label: '企业家吐槽日' });
  await dialog.getByLabel('活动名称').fill(title);
  await dialog.getByLabel('活动主题').fill('政务服务');
  const now = new Date();
  await dialog.getByLabel('开始时间').fill(local(new Date(now.getTime() - 3600_000)));
  await dialog.getByLabel('结束时间').fill(local(new Date(now.getTime() + 86400_000)));
  await dialog.getByRole('checkbox', { name: '企业用户' }).check();
  await dialog.getByRole('button', { name: '创建草稿' }).click();
  await expect(page).toHaveURL(/\/console\/events\/\d+/);
  const id = page.url().split('/').pop()!.split('?')[0]!;
  await expect(page.getByTestId('event-status')).toHaveText('草稿');

  await page.getByRole('button', { name: '发布' }).click();
  await expect(page.getByTestId('event-status')).toHaveText('已发布');
  await page.getByRole('button', { name: '开始' }).click();
  await expect(page.getByTestId('event-status')).toHaveText('进行中');

  // Two posts from the demo enterprise, one of them anonymous.
  for (const [content, anonymous] of [
    [`出口退税材料反复提交 ${stamp}`, false],
    [`窗口排队时间太长 ${stamp}`, true],
  ] as const) {
    await call('demo-enterprise', 'POST', `/events/${id}/complaints`, { content, environment: 'service', anonymous });
  }
  await page.getByRole('tab', { name: '吐槽墙' }).click();
  await expect(page.getByText(`出口退税材料反复提交 ${stamp}`)).toBeVisible();
  await expect(page.getByText(`窗口排队时间太长 ${stamp}`)).toBeVisible();

  await page.getByRole('button', { name: '结束' }).click();
  await expect(page.getByTestId('event-status')).toHaveText('已结束');
  await page.getByRole('tab', { name: '吐槽墙' }).click();
  const summary = page.getByTestId('wall-summary');
  await expect(summary).toContainText('帖子 2 条');
  const server = await call<{ complaints: number }>('demo-admin', 'GET', `/events/${id}/summary`);
  expect(server.complaints).toBe(2);
  await screenshot(page, 'complaint-day-summary');
  await expectAccessible(page);
});
