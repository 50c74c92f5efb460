// The call-back pages' handlers (新企业回访: the queue and one task), run against the fake `wx`
// through the page harness (`helpers/pages.ts`): the filter, overdue rows, the three ways to
// record a call, 「已转为诉求」, and the server's 403/409/422 shown in its words.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import type { CallbackTask } from '../src/types/api';
import { addDays } from '../src/subpackages/admin/utils/dashboard';
import { chinaToday } from '../src/utils/roles';
import * as session from '../src/utils/session';
import { callbackTaskFixture, callbackTemplateFixture, errorReply, installFakeWx, userFixture, type FakeWx } from './helpers/fake-wx';
import { call, loadPage, page as pageOf, settle, tap, type PageInstance } from './helpers/pages';

const QUEUE = 'subpackages/butler/callbacks/index';
const TASK = 'subpackages/butler/callback/index';

let wxFake: FakeWx;

beforeAll(() => {
  installFakeWx();
  loadPage(QUEUE);
  loadPage(TASK);
});

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
});

const today = chinaToday();

describe('回访列表', () => {
  it('shows the open tasks, overdue ones first and flagged, and opens one', async () => {
    wxFake.on('GET /callbacks', () => ({
      statusCode: 200,
      data: {
        items: [
          callbackTaskFixture({ id: '1', dueOn: addDays(today, -2), attempts: 1 }),
          callbackTaskFixture({ id: '2', dueOn: today, enterpriseName: '青岛某某有限公司' }),
        ],
        nextCursor: null,
      },
    }));
    const queue = pageOf(QUEUE);
    call(queue, 'onShow');
    await settle();

    expect(wxFake.calls('GET /callbacks').map((r) => r.query)).toEqual([{ status: 'open', limit: '20' }]);
    expect(queue.data.state).toBe('ready');
    const items = queue.data.items as { id: string; overdue: boolean; statusLabel: string; due: string; attempts: string }[];
    expect(items.map((i) => [i.id, i.overdue, i.statusLabel, i.attempts])).toEqual([
      ['1', true, '已逾期', '已拨打 1 次'],
      ['2', false, '待回访', ''],
    ]);
    expect(items[1]!.due).toBe(`应回访日期：${today}`);
    expect(queue.data.overdue).toBe(1);

    call(queue, 'onItemTap', tap({ id: '1' }));
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/butler/callback/index?id=1']);
  });

  it('filters by status, and not again for the same tab or an unknown one', async () => {
    wxFake.on('GET /callbacks', (req) => ({
      statusCode: 200,
      data: { items: req.query.status === 'reached' ? [callbackTaskFixture({ status: 'reached', dueOn: '2020-01-01', demandId: '301' })] : [], nextCursor: null },
    }));
    const queue = pageOf(QUEUE);
    call(queue, 'onShow');
    await settle();
    expect(queue.data.items).toEqual([]);

    call(queue, 'onStatusChange', { detail: { value: 'reached' } });
    await settle();
    call(queue, 'onStatusChange', { detail: { value: 'reached' } });
    call(queue, 'onStatusChange', { detail: { value: 'closed' } });
    await settle();
    call(queue, 'onStatusChange', { detail: { value: 'all' } });
    await settle();

    expect(wxFake.calls('GET /callbacks').map((r) => r.query.status)).toEqual(['open', 'reached', 'all']);
    expect(queue.data.status).toBe('all');
  });

  it('shows the filtered tasks: a finished task is never overdue', async () => {
    wxFake.on('GET /callbacks', () => ({
      statusCode: 200,
      data: { items: [callbackTaskFixture({ status: 'reached', dueOn: '2020-01-01', demandId: '301' })], nextCursor: null },
    }));
    const queue = pageOf(QUEUE);
    call(queue, 'onShow');
    await settle();
    const [row] = queue.data.items as { overdue: boolean; statusLabel: string; demandId: string }[];
    expect([row!.overdue, row!.statusLabel, row!.demandId]).toEqual([false, '已回访', '301']);
    expect(queue.data.overdue).toBe(0);
  });

  it('loads the next page as the list reaches the bottom, each task once', async () => {
    wxFake.on('GET /callbacks', (req) => ({
      statusCode: 200,
      data: req.query.cursor
        ? { items: [callbackTaskFixture({ id: '2', dueOn: today }), callbackTaskFixture({ id: '3', dueOn: addDays(today, -1) })], nextCursor: null }
        : { items: [callbackTaskFixture({ id: '1', dueOn: today }), callbackTaskFixture({ id: '2', dueOn: today })], nextCursor: 'c2' },
    }));
    const queue = pageOf(QUEUE);
    call(queue, 'onShow');
    await settle();
    call(queue, 'onReachBottom');
    await settle();
    expect(wxFake.calls('GET /callbacks').map((r) => r.query)).toEqual([
      { status: 'open', limit: '20' },
      { status: 'open', cursor: 'c2', limit: '20' },
    ]);
    expect((queue.data.items as { id: string }[]).map((i) => i.id)).toEqual(['1', '2', '3']);
    expect([queue.data.nextCursor, queue.data.overdue]).toEqual([null, 1]);
    call(queue, 'onReachBottom');
    await settle();
    expect(wxFake.calls('GET /callbacks')).toHaveLength(2);
  });

  it('shows a 403 for someone who is not a butler, with a retry', async () => {
    wxFake.on('GET /callbacks', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    const queue = pageOf(QUEUE);
    call(queue, 'onShow');
    await settle();
    expect([queue.data.state, queue.data.errorMessage]).toEqual(['error', '您无权执行该操作']);

    wxFake.on('GET /callbacks', () => ({ statusCode: 200, data: { items: [], nextCursor: null } }));
    call(queue, 'onRetry');
    await settle();
    expect(queue.data.state).toBe('ready');
  });
});

describe('回访任务', () => {
  function serve(task: CallbackTask = callbackTaskFixture()): void {
    wxFake.on('GET /callbacks/61/form', () => ({ statusCode: 200, data: { task, template: callbackTemplateFixture() } }));
  }

  async function opened(task?: CallbackTask): Promise<PageInstance> {
    serve(task);
    const p = pageOf(TASK);
    call(p, 'onLoad', { id: '61' });
    await settle();
    expect(p.data.state).toBe('ready');
    return p;
  }

  const posted = () => wxFake.calls('POST /callbacks/61/calls');
  const answers = { bank_account: true, tax_setup: true, invoices: false, known_policies: ['12'], needs: '不会开发票' };

  it('shows the enterprise and the form to fill in', async () => {
    const p = await opened(callbackTaskFixture({ dueOn: addDays(today, -1), attempts: 1 }));
    const task = p.data.task as { enterpriseName: string; overdue: boolean; open: boolean; attempts: string };
    expect([task.enterpriseName, task.overdue, task.open, task.attempts]).toEqual(['海纳智能科技有限公司', true, true, '已拨打 1 次']);
    expect((p.data.template as { sections: { id: string }[] }).sections.map((s) => s.id)).toEqual(['basics', 'policies', 'needs']);
    expect([p.data.value, p.data.hasAnswers, p.data.demandId]).toEqual([{}, false, '']);
  });

  it('已接通，提交: sends the answers, and a stated need shows 「已转为诉求」 with its demand', async () => {
    const p = await opened();
    wxFake.on('POST /callbacks/61/calls', () => ({
      statusCode: 200,
      data: callbackTaskFixture({ status: 'reached', attempts: 1, answers, demandId: '301', completedAt: '2026-12-01T10:00:00+08:00' }),
    }));

    await call(p, 'onSubmit', { detail: { answers, findings: ['invoices', 'needs'] } });

    const [sent] = posted();
    expect(sent!.data).toEqual({ outcome: 'reached', answers });
    expect(sent!.header['Idempotency-Key']).toBeTruthy();
    expect(p.data.state).toBe('done');
    expect(p.data.doneTitle).toBe('回访已完成');
    expect(p.data.doneText).toBe('企业提出的需求已转为诉求，将按诉求流程办理。');
    expect(p.data.demandId).toBe('301');
    expect(p.data.busy).toBe('');
    expect((p.data.task as { statusLabel: string }).statusLabel).toBe('已回访');

    call(p, 'onOpenDemand');
    call(p, 'onBack');
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/demand/detail/index?id=301', 'navigateBack 1']);
  });

  it('已接通 without a need: done, and no demand', async () => {
    const p = await opened();
    wxFake.on('POST /callbacks/61/calls', () => ({ statusCode: 200, data: callbackTaskFixture({ status: 'reached', attempts: 1 }) }));
    await call(p, 'onSubmit', { detail: { answers: { bank_account: true, tax_setup: true, invoices: true }, findings: [] } });
    expect([p.data.state, p.data.demandId, p.data.doneText]).toEqual(['done', '', '']);
  });

  it('未接通: asks first, records the try, and stays open for the next one', async () => {
    const p = await opened();
    wxFake.on('POST /callbacks/61/calls', () => ({ statusCode: 200, data: callbackTaskFixture({ attempts: 1 }) }));

    wxFake.modalConfirms = false;
    call(p, 'onNotReached');
    await settle();
    expect(posted()).toHaveLength(0);

    wxFake.modalConfirms = true;
    call(p, 'onNotReached');
    await settle();

    expect(wxFake.modals).toEqual([
      '未接通: 记录第 1 次未接通？连续 3 次未接通后任务结束。',
      '未接通: 记录第 1 次未接通？连续 3 次未接通后任务结束。',
    ]);
    expect(posted().map((r) => r.data)).toEqual([{ outcome: 'not_reached' }]);
    expect(p.data.state).toBe('ready');
    expect((p.data.task as { attempts: string; open: boolean }).attempts).toBe('已拨打 1 次');
    expect(wxFake.toasts).toEqual(['已记录未接通（第 1 次），请稍后再拨']);
  });

  it('未接通 the third time ends the task as unreachable', async () => {
    const p = await opened(callbackTaskFixture({ attempts: 2 }));
    wxFake.on('POST /callbacks/61/calls', () => ({
      statusCode: 200,
      data: callbackTaskFixture({ status: 'unreachable', attempts: 3, completedAt: '2026-12-01T10:00:00+08:00' }),
    }));
    call(p, 'onNotReached');
    await settle();

    expect(wxFake.modals).toEqual(['未接通: 这是第 3 次未接通，记录后任务将结束（无法接通）。']);
    expect(p.data.state).toBe('done');
    expect(p.data.doneTitle).toBe('已连续 3 次未接通，回访任务结束');
    expect((p.data.task as { statusLabel: string }).statusLabel).toBe('无法接通');
  });

  it('拒绝回访: asks first, then ends the task', async () => {
    const p = await opened();
    wxFake.on('POST /callbacks/61/calls', () => ({ statusCode: 200, data: callbackTaskFixture({ status: 'refused', attempts: 1 }) }));
    call(p, 'onRefused');
    await settle();

    expect(wxFake.modals).toEqual(['拒绝回访: 确认企业拒绝本次回访？记录后任务即结束。']);
    expect(posted().map((r) => r.data)).toEqual([{ outcome: 'refused' }]);
    expect([p.data.state, p.data.doneTitle]).toEqual(['done', '已记录：企业拒绝回访']);
  });

  it('409 callback_closed: says so in the server\'s words and reloads the task', async () => {
    const p = await opened();
    wxFake.on('POST /callbacks/61/calls', () => errorReply(409, 'callback_closed', '该回访任务已结束'));
    // Meanwhile someone else recorded it as refused.
    serve(callbackTaskFixture({ status: 'refused', attempts: 1 }));

    await call(p, 'onSubmit', { detail: { answers, findings: [] } });
    await settle();

    expect(wxFake.toasts).toEqual(['该回访任务已结束']);
    expect(wxFake.calls('GET /callbacks/61/form')).toHaveLength(2);
    expect(p.data.state).toBe('ready');
    expect((p.data.task as { open: boolean; statusLabel: string }).open).toBe(false);
    expect((p.data.task as { statusLabel: string }).statusLabel).toBe('拒绝回访');
    expect(p.data.busy).toBe('');

    // Nothing more can be recorded on it here.
    call(p, 'onRefused');
    await call(p, 'onSubmit', { detail: { answers, findings: [] } });
    expect(posted()).toHaveLength(1);
  });

  it('422: the server\'s messages go under their questions', async () => {
    const p = await opened();
    const fields = [{ field: 'answers.tax_setup', code: 'required', message: '此项为必填项' }];
    wxFake.on('POST /callbacks/61/calls', () => errorReply(422, 'validation_failed', '提交的内容有误', fields));

    await call(p, 'onSubmit', { detail: { answers: { bank_account: true, invoices: true }, findings: [] } });

    expect(p.data.serverErrors).toEqual(fields);
    expect(p.data.state).toBe('ready');
    expect(wxFake.toasts).toEqual(['请检查填写内容']);
  });

  it('403: a toast in the server\'s words, the form kept', async () => {
    const p = await opened();
    wxFake.on('POST /callbacks/61/calls', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    call(p, 'onRefused');
    await settle();
    expect(wxFake.toasts).toEqual(['您无权执行该操作']);
    expect([p.data.state, p.data.busy]).toEqual(['ready', '']);
  });

  it('retries a call whose answer was lost with the same key', async () => {
    const p = await opened();
    wxFake.on('POST /callbacks/61/calls', () => ({ failWith: 'request:fail timeout' }));
    await call(p, 'onSubmit', { detail: { answers, findings: [] } });
    expect(wxFake.toasts).toEqual(['请求超时，请检查网络后重试']);

    wxFake.on('POST /callbacks/61/calls', () => ({ statusCode: 200, data: callbackTaskFixture({ status: 'reached', attempts: 1 }) }));
    await call(p, 'onSubmit', { detail: { answers, findings: [] } });
    const keys = posted().map((r) => r.header['Idempotency-Key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(p.data.state).toBe('done');
  });

  it('shows a finished task\'s recorded answers read-only, with its demand', async () => {
    const p = await opened(callbackTaskFixture({ status: 'reached', attempts: 1, answers, demandId: '301' }));
    expect([p.data.hasAnswers, p.data.demandId]).toEqual([true, '301']);
    expect(p.data.value).toEqual(answers);
    expect((p.data.task as { open: boolean }).open).toBe(false);
  });

  it('says so when the task cannot be read, or no id was given', async () => {
    wxFake.on('GET /callbacks/61/form', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    const p = pageOf(TASK);
    call(p, 'onLoad', { id: '61' });
    await settle();
    expect([p.data.state, p.data.errorMessage]).toEqual(['error', '您无权执行该操作']);

    const bare = pageOf(TASK);
    call(bare, 'onLoad', {});
    await settle();
    expect([bare.data.state, bare.data.errorMessage]).toEqual(['error', '缺少回访任务编号']);
  });
});
