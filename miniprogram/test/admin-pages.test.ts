// The admin pages' handlers (数据看板, 企业之声), run against the fake `wx` through the page harness
// (`helpers/pages.ts`): the panels over one period, a panel failing on its own, the period
// checks, the unit league; the reports by tab and the Excel download opened in the viewer.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { addDays } from '../src/subpackages/admin/utils/dashboard';
import { chinaToday } from '../src/utils/roles';
import * as session from '../src/utils/session';
import { demandFiguresFixture, errorReply, installFakeWx, reportFixture, unitRowFixture, userFixture, type FakeWx } from './helpers/fake-wx';
import { call, loadPage, page as pageOf, settle, tap, type PageInstance } from './helpers/pages';

const DASHBOARD = 'subpackages/admin/dashboard/index';
const REPORTS = 'subpackages/admin/reports/index';

let wxFake: FakeWx;

beforeAll(() => {
  installFakeWx();
  loadPage(DASHBOARD);
  loadPage(REPORTS);
});

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
});

const today = chinaToday();

const figures = demandFiguresFixture();

function servePanels(): void {
  const ok = (data: unknown) => () => ({ statusCode: 200, data });
  wxFake.on('GET /dashboard/demands', ok({ from: '2026-11-01', to: '2026-11-30', total: figures, byChannel: [], byEnvironment: [], byWeek: [{ weekStart: '2026-11-23', received: 12 }] }));
  wxFake.on(
    'GET /dashboard/callbacks',
    ok({ new: 20, calledBackInTime: 15, coverage: 0.75, reached: 16, refused: 1, unreachable: 1, open: 2, problemsFound: 6, demandsCreated: 4, awareness: 0.5 }),
  );
  wxFake.on('GET /dashboard/publicity', ok({ total: 3, byLevel: [{ level: 'municipal', label: '市级', count: 3 }], byMonth: [] }));
  wxFake.on('GET /dashboard/plans', ok({ byStatus: { done: 2, inProgress: 1, overdue: 0, notStarted: 1 }, byUnit: [] }));
  wxFake.on('GET /dashboard/policies', ok({ published: 10, reached: 8, read: 5, understood: 2 }));
  wxFake.on('GET /dashboard/programs', ok({ events: 3, submissions: 40, complaints: 25, metoos: 7 }));
  wxFake.on(
    'GET /dashboard/units',
    ok({ from: '2026-11-01', to: '2026-11-30', minSample: 10, items: [unitRowFixture(), unitRowFixture({ unitId: '4', unitName: '市场监管局', dispatched: 4, rated: 2, satisfactionRate: 0.5, ranked: false })] }),
  );
}

const PANEL_PATHS = ['demands', 'callbacks', 'publicity', 'plans', 'policies', 'programs', 'units'].map((n) => `/dashboard/${n}`);

async function openedDashboard(): Promise<PageInstance> {
  const d = pageOf(DASHBOARD);
  call(d, 'onLoad');
  await settle();
  return d;
}

describe('数据看板', () => {
  it('loads every panel over the last 30 days', async () => {
    servePanels();
    const d = await openedDashboard();

    const from = addDays(today, -30);
    expect([d.data.from, d.data.to, d.data.preset]).toEqual([from, today, 30]);
    expect(wxFake.sent.map((r) => r.path).sort()).toEqual([...PANEL_PATHS].sort());
    // Every panel over the period, but the plan items, which stand as they are today.
    for (const r of wxFake.sent) expect(r.query).toEqual(r.path === '/dashboard/plans' ? {} : { from, to: today });
    expect(d.data.state).toBe('ready');
    expect((d.data.demands as { weeks: unknown[] }).weeks).toEqual([{ label: '11-23 起', value: '12', width: 100, note: '' }]);
    expect((d.data.callbacks as { stats: { label: string; value: string }[] }).stats[2]).toEqual({ label: '回访覆盖率', value: '75%' });
    expect((d.data.policies as { label: string; width: number }[]).map((b) => b.width)).toEqual([100, 80, 50, 20]);
    expect(d.data.errors).toEqual({ demands: '', callbacks: '', publicity: '', plans: '', policies: '', programs: '', units: '' });
  });

  it('shows the unit league with each sample size, greying units sent fewer than 10 demands', async () => {
    servePanels();
    const d = await openedDashboard();
    const units = d.data.units as { unitName: string; greyed: boolean; figures: string[] }[];
    expect(units.map((u) => [u.unitName, u.greyed])).toEqual([
      ['青岛市税务局', false],
      ['市场监管局', true],
    ]);
    expect(units[0]!.figures).toContain('满意率 92%（n=25）');
    expect(units[1]!.figures).toContain('满意率 50%（n=2）');
    expect(d.data.minDispatched).toBe(10);
  });

  it('lets one panel fail on its own', async () => {
    servePanels();
    wxFake.on('GET /dashboard/plans', () => errorReply(500, 'internal_error', '服务器开小差了，请稍后重试'));
    const d = await openedDashboard();
    expect(d.data.state).toBe('ready');
    expect(d.data.plans).toBeNull();
    expect((d.data.errors as Record<string, string>).plans).toBe('服务器开小差了，请稍后重试');
    expect(d.data.units).not.toBeNull();
  });

  it('shows one message when every panel is refused (403 for a non-admin), and retries', async () => {
    for (const path of PANEL_PATHS) wxFake.on(`GET ${path}`, () => errorReply(403, 'forbidden', '您无权执行该操作'));
    const d = await openedDashboard();
    expect([d.data.state, d.data.errorMessage]).toEqual(['error', '您无权执行该操作']);

    servePanels();
    call(d, 'onRetry');
    await settle();
    expect(d.data.state).toBe('ready');
  });

  it('reloads for a preset or a period picked, and refuses a start after the end', async () => {
    servePanels();
    const d = await openedDashboard();
    const requests = () => wxFake.calls('GET /dashboard/demands').map((r) => r.query);

    call(d, 'onPresetTap', tap({ days: 7 }));
    await settle();
    call(d, 'onPresetTap', tap({ days: 5 }));
    await settle();
    expect(requests()).toEqual([
      { from: addDays(today, -30), to: today },
      { from: addDays(today, -7), to: today },
    ]);
    expect(d.data.preset).toBe(7);

    call(d, 'onDateTap', tap({ field: 'from' }));
    expect([d.data.picking, d.data.pickerValue]).toEqual(['from', addDays(today, -7)]);
    call(d, 'onDateConfirm', { detail: { value: '2026-01-01' } });
    await settle();
    expect(requests().slice(-1)[0]).toEqual({ from: '2026-01-01', to: today });
    expect([d.data.picking, d.data.preset]).toEqual(['', 0]);

    call(d, 'onDateTap', tap({ field: 'to' }));
    call(d, 'onDateConfirm', { detail: { value: '2025-12-31' } });
    await settle();
    expect(d.data.rangeError).toBe('开始日期不能晚于结束日期');
    expect(wxFake.toasts).toEqual(['开始日期不能晚于结束日期']);
    expect(requests()).toHaveLength(3);

    call(d, 'onDateTap', tap({ field: 'to' }));
    call(d, 'onDateCancel');
    expect(d.data.picking).toBe('');
    call(d, 'onDateTap', tap({ field: 'to' }));
    call(d, 'onDateConfirm', { detail: { value: '2026-01-31' } });
    await settle();
    expect(d.data.rangeError).toBe('');
    expect(requests().slice(-1)[0]).toEqual({ from: '2026-01-01', to: '2026-01-31' });
  });
});

describe('企业之声', () => {
  function serveReports(): void {
    wxFake.on('GET /reports', (req) => ({
      statusCode: 200,
      data: {
        items:
          req.query.kind === 'monthly'
            ? [reportFixture({ id: '301', kind: 'monthly', title: '「企业之声」月报 第1期' })]
            : [reportFixture(), reportFixture({ id: '200', number: 2, title: '「企业之声」周报 第2期' })],
      },
    }));
  }

  async function opened(): Promise<PageInstance> {
    serveReports();
    const r = pageOf(REPORTS);
    call(r, 'onLoad', {});
    await settle();
    expect(r.data.state).toBe('ready');
    return r;
  }

  it('lists the weekly reports, then the monthly ones', async () => {
    const r = await opened();
    expect((r.data.items as { title: string }[]).map((i) => i.title)).toEqual(['「企业之声」周报 第3期', '「企业之声」周报 第2期']);

    call(r, 'onKindChange', { detail: { value: 'monthly' } });
    await settle();
    call(r, 'onKindChange', { detail: { value: 'monthly' } });
    call(r, 'onKindChange', { detail: { value: 'daily' } });
    await settle();

    expect(wxFake.calls('GET /reports').map((q) => q.query.kind)).toEqual(['weekly', 'monthly']);
    expect((r.data.items as { title: string }[]).map((i) => i.title)).toEqual(['「企业之声」月报 第1期']);
  });

  it('opens on the tab it was asked for', async () => {
    serveReports();
    const r = pageOf(REPORTS);
    call(r, 'onLoad', { kind: 'monthly' });
    await settle();
    expect(wxFake.calls('GET /reports').map((q) => q.query.kind)).toEqual(['monthly']);
  });

  it('downloads the Excel file with the token and opens it in the viewer', async () => {
    const r = await opened();
    wxFake.on('GET /reports/201/xlsx', () => ({ statusCode: 200, data: 'wxfile://tmp/report-201.xlsx' }));

    await call(r, 'onDownload', tap({ id: '201' }));

    const [sent] = wxFake.calls('GET /reports/201/xlsx');
    expect(sent!.via).toBe('downloadFile');
    expect(sent!.header.Authorization).toBe('Bearer access-a');
    expect(wxFake.documents).toEqual(['wxfile://tmp/report-201.xlsx']);
    expect(wxFake.documentTypes).toEqual(['xlsx']);
    expect(r.data.downloadingId).toBe('');
  });

  it('says why a download failed (403, 404, offline) or the viewer could not open it', async () => {
    const r = await opened();
    wxFake.on('GET /reports/201/xlsx', () => ({ statusCode: 403, data: 'wxfile://tmp/e' }));
    await call(r, 'onDownload', tap({ id: '201' }));
    wxFake.on('GET /reports/201/xlsx', () => ({ statusCode: 404, data: 'wxfile://tmp/e' }));
    await call(r, 'onDownload', tap({ id: '201' }));
    wxFake.on('GET /reports/201/xlsx', () => ({ failWith: 'downloadFile:fail' }));
    await call(r, 'onDownload', tap({ id: '201' }));
    wxFake.on('GET /reports/201/xlsx', () => ({ statusCode: 200, data: 'wxfile://tmp/r.xlsx' }));
    wxFake.openDocumentFails = true;
    await call(r, 'onDownload', tap({ id: '201' }));
    await settle();

    expect(wxFake.toasts).toEqual(['无权下载该报告', '报告不存在或已删除', '网络连接失败，请检查网络后重试', '文件打开失败，请稍后重试']);
    expect(r.data.downloadingId).toBe('');
  });

  it('shows a 403 for someone who is not an admin, with a retry', async () => {
    wxFake.on('GET /reports', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    const r = pageOf(REPORTS);
    call(r, 'onLoad', {});
    await settle();
    expect([r.data.state, r.data.errorMessage]).toEqual(['error', '您无权执行该操作']);

    serveReports();
    call(r, 'onRetry');
    await settle();
    expect(r.data.state).toBe('ready');
  });
});
