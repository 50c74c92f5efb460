// The unit handler's missing steps: their action-plan items with progress notes and evidence
// (the note form kept as a draft), and the mystery-shopper reports on their unit's targets.
import { beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { PlanItem } from '../src/types/api';
import { checkNote, sortItems, itemRow } from '../src/subpackages/handler/utils/plans';
import { Draft } from '../src/utils/drafts';
import * as session from '../src/utils/session';
import { assignmentFixture, errorReply, installFakeWx, userFixture, type FakeWx } from './helpers/fake-wx';
import { call, loadPage, page, settle, tap } from './helpers/pages';

const PLANS = 'subpackages/handler/plans/index';
const ITEM = 'subpackages/handler/plan-item/index';
const REPORTS = 'subpackages/handler/reports/index';
let wxFake: FakeWx;

beforeAll(() => {
  installFakeWx();
  loadPage(PLANS);
  loadPage(ITEM);
  loadPage(REPORTS);
});

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
});

function planItem(overrides: Partial<PlanItem> = {}): PlanItem {
  return {
    id: '31',
    planId: '2',
    kind: 'task',
    title: '推行涉企经营许可“一业一证”',
    aspect: null,
    unitId: '3',
    lead: '张科长',
    deadline: '2026-12-31',
    milestones: [{ title: '制定方案', dueOn: '2026-10-31', done: true }],
    status: 'in_progress',
    progress: 40,
    overdue: false,
    overdueFlaggedAt: null,
    completedAt: null,
    notes: [],
    ...overrides,
  };
}

const plan = (items: PlanItem[]) => ({ id: '2', title: '2026年营商环境行动方案', description: null, createdAt: '2026-01-05T09:00:00+08:00', items });

describe('督办任务', () => {
  it('lists the unit items of every plan, overdue first', async () => {
    wxFake.on('GET /plans', () => ({ statusCode: 200, data: { items: [{ id: '2', title: '2026年营商环境行动方案', createdAt: '2026-01-05T09:00:00+08:00' }] } }));
    wxFake.on('GET /plans/2', () => ({ statusCode: 200, data: plan([planItem(), planItem({ id: '32', title: '压减办税时间', overdue: true, deadline: '2026-11-30' })]) }));
    const p = page(PLANS);
    call(p, 'onShow');
    await settle();
    expect((p.data.items as { id: string; statusLabel: string }[]).map((i) => [i.id, i.statusLabel])).toEqual([
      ['32', '已逾期'],
      ['31', '推进中'],
    ]);
    call(p, 'onItemTap', tap({ id: '31' }));
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/handler/plan-item/index?planId=2&id=31']);
  });

  it('sorts done items last and checks a note as the server does', () => {
    const rows = [itemRow(planItem({ id: 'a', status: 'done', deadline: '2026-01-01' }), 'p'), itemRow(planItem({ id: 'b' }), 'p')];
    expect(sortItems(rows).map((r) => r.id)).toEqual(['b', 'a']);
    expect(checkNote({ text: ' ', progress: 50, files: [] })).toEqual({ text: '请填写进展情况' });
    expect(checkNote({ text: '已完成', progress: 101, files: [] })).toEqual({ progress: '进度应在 0 到 100 之间' });
  });

  it('reports progress with evidence photos', async () => {
    wxFake.on('GET /plans/2', () => ({ statusCode: 200, data: plan([planItem()]) }));
    const p = page(ITEM);
    call(p, 'onLoad', { planId: '2', id: '31' });
    await settle();
    expect(p.data.progress).toBe(40);

    wxFake.mediaAnswers = [['wxfile://tmp/evidence.jpg']];
    wxFake.on('POST /files', () => ({ statusCode: 201, data: { id: '71', contentType: 'image/jpeg', size: 1000, createdAt: '2026-11-28T10:00:00+08:00' } }));
    call(p, 'onAddFile');
    await settle();
    call(p, 'onTextChange', { detail: { value: '已完成全部许可事项梳理' } });
    call(p, 'onProgressChange', { detail: { value: 60 } });
    const note = { id: '5', authorId: '4', text: '已完成全部许可事项梳理', progress: 60, fileIds: ['71'], createdAt: '2026-11-28T10:10:00+08:00' };
    wxFake.on('POST /plan-items/31/notes', () => ({ statusCode: 201, data: planItem({ progress: 60, notes: [note] }) }));
    await call(p, 'onSubmit');

    expect(wxFake.calls('POST /plan-items/31/notes').map((r) => r.data)).toEqual([{ text: '已完成全部许可事项梳理', progress: 60, fileIds: ['71'] }]);
    expect((p.data.notes as { text: string; progress: string }[]).map((n) => [n.text, n.progress])).toEqual([['已完成全部许可事项梳理', '进度 60%']]);
    expect([p.data.text, p.data.files]).toEqual(['', []]);
    expect(new Draft('plan-note:31').load()).toBeNull();
  });

  it('keeps the note as a draft through a restart, and resends it under the same key', async () => {
    wxFake.on('GET /plans/2', () => ({ statusCode: 200, data: plan([planItem()]) }));
    const first = page(ITEM);
    call(first, 'onLoad', { planId: '2', id: '31' });
    await settle();
    call(first, 'onTextChange', { detail: { value: '完成第二批事项' } });
    wxFake.on('POST /plan-items/31/notes', () => ({ failWith: 'request:fail timeout' }));
    await call(first, 'onSubmit');
    const key = wxFake.calls('POST /plan-items/31/notes')[0]!.header['Idempotency-Key'];

    jest.isolateModules(() => loadPage(ITEM));
    const second = page(ITEM);
    call(second, 'onLoad', { planId: '2', id: '31' });
    await settle();
    expect([second.data.text, second.data.restored]).toEqual(['完成第二批事项', true]);
    wxFake.on('POST /plan-items/31/notes', () => ({ statusCode: 201, data: planItem() }));
    await call(second, 'onSubmit');
    expect(wxFake.calls('POST /plan-items/31/notes')[1]!.header['Idempotency-Key']).toBe(key);
  });

  it('shows a 422 under its field', async () => {
    wxFake.on('GET /plans/2', () => ({ statusCode: 200, data: plan([planItem()]) }));
    const p = page(ITEM);
    call(p, 'onLoad', { planId: '2', id: '31' });
    await settle();
    call(p, 'onTextChange', { detail: { value: '进展' } });
    wxFake.on('POST /plan-items/31/notes', () => errorReply(422, 'validation_failed', '请检查填写的内容', [{ field: 'fileIds', code: 'not_found', message: '文件不存在' }]));
    await call(p, 'onSubmit');
    expect((p.data.errors as Record<string, string>).fileIds).toBe('文件不存在');
  });
});

describe('暗访报告', () => {
  it('lists the reports on the unit targets with the demands the findings became', async () => {
    const target = assignmentFixture().target;
    wxFake.on('GET /mystery-reports', () => ({
      statusCode: 200,
      data: {
        items: [
          {
            event: { id: '6', name: '神秘客暗访周' },
            report: { id: '501', target, visitedOn: '2026-11-28', answers: { queue: false }, findings: ['queue'], demands: [{ id: '90', number: 'SQ20261128-0010', status: 'assigned' }] },
          },
        ],
        nextCursor: null,
      },
    }));
    const p = page(REPORTS);
    call(p, 'onShow');
    await settle();
    expect(p.data.items).toEqual([
      {
        id: '501',
        eventTitle: '神秘客暗访周',
        target: '市民中心税务窗口（市南区某某路 1 号）',
        visited: '暗访日期：2026-11-28',
        findings: 1,
        demands: [{ id: '90', number: 'SQ20261128-0010', statusLabel: '已派单' }],
      },
    ]);
    // Never who visited: the row has nothing of the officer.
    expect(JSON.stringify(p.data.items)).not.toMatch(/officer|visitedAt/);
    call(p, 'onDemandTap', tap({ id: '90' }));
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/demand/detail/index?id=90']);
  });
});
