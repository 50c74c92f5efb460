// 活动 (continued): a mystery-shopper week's target entered with pasted coordinates, an officer
// assigned with a visit window and withdrawn; a complaint day's post hidden with a reason and
// shown again. The events list by status.
import { expect, test } from '@playwright/test';
import { call, expectAccessible, signInByTicket } from './helpers';

interface Ev {
  id: string;
}

test('an admin sets a mystery-shopper target from pasted coordinates, assigns an officer and withdraws him', async ({ page }) => {
  const stamp = Date.now().toString(36);
  const form = await call<{ id: string }>('demo-admin', 'POST', '/forms', {
    title: `暗访清单 ${stamp}`,
    body: { sections: [{ id: 's1', title: '窗口', questions: [{ id: 'q1', type: 'yes_no', title: '是否一次告知', required: true, finding: { when: 'no' } }] }] },
  });
  const week = await call<Ev>('demo-admin', 'POST', '/events', {
    kind: 'mystery_shopper_week',
    title: `神秘客暗访周 ${stamp}`,
    audienceRoles: ['officer'],
    formId: form.id,
    opensAt: '2027-03-01T09:00:00+08:00',
    closesAt: '2027-03-07T18:00:00+08:00',
  });

  await signInByTicket(page, 'demo-admin', `events/${week.id}`);
  await page.getByRole('tab', { name: '暗访目标与分派' }).click();
  await expect(page.getByText('还没有暗访目标')).toBeVisible();
  await page.getByRole('button', { name: '添加目标' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('目标名称').fill('办税服务厅 3 号窗口');
  await dialog.getByLabel('目标所属单位').selectOption({ label: '税务局' });
  await dialog.getByLabel('目标地址').fill('黄岛区长江中路 1 号');
  await dialog.getByLabel('粘贴坐标').fill('35.9603，120.1925');
  await expect(dialog.getByLabel('纬度')).toHaveValue('35.9603');
  await expect(dialog.getByLabel('经度')).toHaveValue('120.1925');
  await dialog.getByLabel('签到半径').fill('200');
  await dialog.getByRole('button', { name: '保存' }).click();
  const target = page.locator('tbody tr', { hasText: '办税服务厅 3 号窗口' });
  await expect(target).toContainText('35.9603, 120.1925，半径 200 米');
  const targets = await call<{ id: string; latitude: number; radiusM: number }[]>('demo-admin', 'GET', `/events/${week.id}/targets`);
  expect(targets).toHaveLength(1);
  expect(targets[0]).toMatchObject({ latitude: 35.9603, radiusM: 200 });

  await page.getByRole('button', { name: '分派体验官' }).click();
  const assign = page.getByRole('dialog');
  await assign.getByLabel('搜索体验官').fill('体验官');
  await assign.getByRole('button', { name: '查找体验官' }).click();
  await assign.getByLabel('体验官', { exact: true }).selectOption({ label: '营商环境体验官（13800000007）' });
  await assign.getByRole('button', { name: '分派' }).click();
  const row = page.locator('tbody tr', { hasText: '营商环境体验官' });
  await expect(row).toContainText('未开始');
  await expect(row).toContainText('2027-03-01 09:00 至 2027-03-07 18:00');
  await expectAccessible(page);

  // A target with an assignment cannot go; the assignment can be withdrawn before the visit.
  await target.getByRole('button', { name: '删除目标办税服务厅 3 号窗口' }).click();
  await expect(page.getByText('该目标已有分派，请先撤回分派')).toBeVisible();
  await row.getByRole('button', { name: /撤回/ }).click();
  await expect(page.getByText('还没有分派')).toBeVisible();
  expect(await call<unknown[]>('demo-admin', 'GET', `/events/${week.id}/assignments`)).toEqual([]);
});

test('an admin hides a complaint with a reason and shows it again; the list filters by status', async ({ page }) => {
  const stamp = Date.now().toString(36);
  const day = await call<Ev>('demo-admin', 'POST', '/events', {
    kind: 'complaint_day',
    title: `企业家吐槽日 ${stamp}`,
    audienceRoles: ['enterprise'],
    opensAt: new Date(Date.now() - 3600_000).toISOString(),
    closesAt: new Date(Date.now() + 86400_000).toISOString(),
  });
  await call('demo-admin', 'POST', `/events/${day.id}/publish`);
  await call('demo-admin', 'POST', `/events/${day.id}/open`);
  const post = await call<{ id: string }>('demo-enterprise', 'POST', `/events/${day.id}/complaints`, {
    content: `审批材料要求反复提交 ${stamp}`,
    environment: 'service',
    anonymous: true,
  });

  await signInByTicket(page, 'demo-admin', 'events');
  await page.getByRole('radiogroup', { name: '按状态' }).getByText(/^进行中/).click();
  await expect(page.getByRole('radio', { name: /进行中/ })).toBeChecked();
  await expect(page.locator('tbody tr', { hasText: `企业家吐槽日 ${stamp}` })).toContainText('进行中');
  await expect(page.locator('tbody tr', { hasText: '草稿' })).toHaveCount(0);
  await expectAccessible(page);
  await page.getByRole('link', { name: `企业家吐槽日 ${stamp}` }).click();
  await page.getByRole('tab', { name: '吐槽墙' }).click();
  const card = page.getByTestId(`complaint-${post.id}`);
  await expect(card).toContainText('审批材料要求反复提交');
  await card.getByRole('button', { name: '隐藏' }).click();
  await page.getByRole('dialog').getByLabel('隐藏原因').fill('含有个人信息');
  await page.getByRole('dialog').getByRole('button', { name: '隐藏' }).click();
  await expect(card).toContainText('已隐藏：含有个人信息');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expectAccessible(page);
  let wall = await call<{ items: { id: string; hidden: boolean }[] }>('demo-admin', 'GET', `/events/${day.id}/complaints`);
  expect(wall.items.find((c) => c.id === post.id)?.hidden).toBe(true);
  await card.getByRole('button', { name: '恢复显示' }).click();
  await expect(card).not.toContainText('已隐藏');
  wall = await call<{ items: { id: string; hidden: boolean }[] }>('demo-admin', 'GET', `/events/${day.id}/complaints`);
  expect(wall.items.find((c) => c.id === post.id)?.hidden).toBe(false);
});
