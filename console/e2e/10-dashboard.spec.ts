// 数据看板: every panel drawn as a chart with data for one period; the league table sorts; a
// figure opens the queue filtered the same way.
import { expect, test } from '@playwright/test';
import { call, expectAccessible, fileDemand, screenshot, signInByTicket } from './helpers';

const CHARTS = ['chart-weeks', 'chart-channels', 'chart-environments', 'chart-callbacks', 'chart-programs', 'chart-policies', 'chart-publicity', 'chart-plans'];

test('the dashboard draws every chart with data', async ({ page }) => {
  // Data for every panel this year, whatever ran before: a demand, a complaint day with a post,
  // a policy published to every enterprise (the demo data has the call-backs, the publicity and
  // the plan).
  const stamp = Date.now().toString(36);
  await fileDemand(`看板诉求 ${stamp}`);
  const day = await call<{ id: string }>('demo-admin', 'POST', '/events', {
    kind: 'complaint_day',
    title: `看板吐槽日 ${stamp}`,
    audienceRoles: ['enterprise'],
    opensAt: new Date(Date.now() - 3600_000).toISOString(),
    closesAt: new Date(Date.now() + 86400_000).toISOString(),
  });
  await call('demo-admin', 'POST', `/events/${day.id}/publish`);
  await call('demo-admin', 'POST', `/events/${day.id}/open`);
  await call('demo-enterprise', 'POST', `/events/${day.id}/complaints`, { content: '停车位太少', environment: 'service', anonymous: true });
  const policy = await call<{ id: string }>('demo-admin', 'POST', '/policies', {
    title: `看板政策 ${stamp}`,
    issuer: '自贸片区管委',
    explainer: { forWhom: '区内企业', benefits: '补贴', howToApply: '线上', contact: '0532-80000000' },
    conditions: {},
  });
  await call('demo-admin', 'POST', `/policies/${policy.id}/publish`);

  const year = new Date().getFullYear();
  const from = `${year}-01-01`;
  const pad = (n: number) => String(n).padStart(2, '0');
  const now = new Date();
  const to = `${year}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const demands = await call<{ total: { received: number }; byChannel: { label: string; figures: { received: number } }[] }>(
    'demo-admin',
    'GET',
    `/dashboard/demands?from=${from}&to=${to}`,
  );
  expect(demands.total.received).toBeGreaterThan(0);
  const q = `?from=${from}&to=${to}`;
  const programs = await call<{ events: number; complaints: number }>('demo-admin', 'GET', `/dashboard/programs${q}`);
  const reach = await call<{ reached: number }>('demo-admin', 'GET', `/dashboard/policies${q}`);
  const publicity = await call<{ total: number }>('demo-admin', 'GET', `/dashboard/publicity${q}`);
  const callbacks = await call<{ new: number }>('demo-admin', 'GET', `/dashboard/callbacks${q}`);
  const plans = await call<{ byUnit: unknown[] }>('demo-admin', 'GET', '/dashboard/plans');
  // Every panel has something to draw.
  expect([programs.events, programs.complaints, reach.reached, publicity.total, callbacks.new, plans.byUnit.length].every((n) => n > 0)).toBe(true);

  await signInByTicket(page, 'demo-admin');
  await page.getByRole('navigation', { name: '主菜单' }).getByText('数据看板').click();
  await expect(page).toHaveURL(/\/console\/dashboard/);
  await page.getByRole('button', { name: '本年' }).click();
  await expect(page).toHaveURL(new RegExp(`from=${from}&to=${to}`));
  await expect(page.getByTestId('kpis')).toContainText(`${demands.total.received}收到诉求`);

  for (const id of CHARTS) {
    const chart = page.getByTestId(id);
    // Drawn: an SVG with shapes, and ECharts' own description of the data it drew.
    await expect(chart.locator('svg')).toBeVisible();
    expect(await chart.locator('svg path').count(), `${id} draws shapes`).toBeGreaterThan(2);
    await expect(chart, `${id} describes its data`).toHaveAttribute('aria-label', /\d/);
  }
  await expect(page.getByTestId('chart-channels')).toHaveAttribute('aria-label', new RegExp(demands.byChannel[0]!.label));
  await screenshot(page, 'dashboard');
  await expectAccessible(page);

  // The league table: sorted by the number of demands dispatched, high to low, then low to high.
  const league = page.getByTestId('league');
  const dispatched = async () => (await league.locator('tbody tr td:nth-child(2)').allTextContents()).map(Number);
  await league.getByRole('button', { name: '派单' }).click();
  await expect(league.locator('th[aria-sort="descending"]')).toContainText('派单');
  const high = await dispatched();
  expect(high).toEqual([...high].sort((a, b) => b - a));
  await league.getByRole('button', { name: '派单' }).click();
  const low = await dispatched();
  expect(low).toEqual([...high].sort((a, b) => a - b));

  // A figure opens the queue filtered the same way.
  await page.getByTestId('kpis').getByRole('link', { name: /超期/ }).click();
  await expect(page).toHaveURL(new RegExp(`/console/queue\\?from=${from}&to=${to}&tab=overdue`));
});
