// The call-back rules (utils/callbacks.ts): the filter, overdue tasks, the rows, what a recorded
// call says, the confirmations, and what a failed record turns into.
import { describe, expect, it } from '@jest/globals';

import { ApiError } from '../src/utils/api-error';
import {
  CALLBACK_FILTERS,
  callFailure,
  callRecordedMessage,
  callbackRows,
  callbackStatusLabel,
  callbackView,
  confirmOutcomeText,
  isCallbackFilter,
  isOverdue,
} from '../src/subpackages/butler/utils/callbacks';
import { validateAnswers } from '../src/utils/form';
import { callbackTaskFixture, callbackTemplateFixture } from './helpers/fake-wx';

describe('the queue', () => {
  it('filters by status, the open tasks first, then all', () => {
    expect(CALLBACK_FILTERS.map((f) => [f.value, f.label])).toEqual([
      ['open', '待回访'],
      ['reached', '已回访'],
      ['unreachable', '无法接通'],
      ['refused', '拒绝回访'],
      ['all', '全部'],
    ]);
    expect(isCallbackFilter('all')).toBe(true);
    expect(isCallbackFilter('closed')).toBe(false);
    expect(callbackStatusLabel('refused')).toBe('拒绝回访');
  });

  it('calls an open task overdue from the day after its due day, and never a finished one', () => {
    expect(isOverdue({ status: 'open', dueOn: '2026-12-03' }, '2026-12-03')).toBe(false);
    expect(isOverdue({ status: 'open', dueOn: '2026-12-03' }, '2026-12-04')).toBe(true);
    expect(isOverdue({ status: 'reached', dueOn: '2026-12-03' }, '2026-12-10')).toBe(false);
    expect(isOverdue({ status: 'unreachable', dueOn: '2026-12-03' }, '2026-12-10')).toBe(false);
  });

  it('shows a task: the enterprise, the due day, the status, the calls made', () => {
    expect(callbackView(callbackTaskFixture(), '2026-12-01')).toEqual({
      id: '61',
      enterpriseId: '7',
      enterpriseName: '海纳智能科技有限公司',
      due: '应回访日期：2026-12-03',
      overdue: false,
      open: true,
      statusLabel: '待回访',
      statusTheme: 'primary',
      attempts: '',
      attemptCount: 0,
      completedAt: '',
      demandId: '',
    });
    const late = callbackView(callbackTaskFixture({ attempts: 2, enterpriseName: null }), '2026-12-05');
    expect([late.overdue, late.statusLabel, late.statusTheme, late.attempts, late.enterpriseName]).toEqual([
      true,
      '已逾期',
      'danger',
      '已拨打 2 次',
      '（企业信息不可用）',
    ]);
    const done = callbackView(
      callbackTaskFixture({ status: 'reached', attempts: 1, demandId: '301', completedAt: '2026-12-02T02:00:00Z' }),
      '2026-12-05',
    );
    expect([done.overdue, done.open, done.statusLabel, done.statusTheme, done.completedAt, done.demandId]).toEqual([
      false,
      false,
      '已回访',
      'success',
      '2026-12-02 10:00',
      '301',
    ]);
  });

  it('puts the overdue tasks first, otherwise keeping the server\'s order', () => {
    const rows = callbackRows(
      [
        callbackTaskFixture({ id: '1', status: 'reached', dueOn: '2026-11-20' }),
        callbackTaskFixture({ id: '2', dueOn: '2026-11-25' }),
        callbackTaskFixture({ id: '3', dueOn: '2026-11-30' }),
        callbackTaskFixture({ id: '4', dueOn: '2026-12-03' }),
      ],
      '2026-12-01',
    );
    expect(rows.map((r) => [r.id, r.overdue])).toEqual([
      ['2', true],
      ['3', true],
      ['1', false],
      ['4', false],
    ]);
  });
});

describe('recording a call', () => {
  it('checks the server\'s form: the basics required, policies and needs optional', () => {
    const template = callbackTemplateFixture();
    expect(validateAnswers(template, {}).errors.map((e) => e.field)).toEqual([
      'answers.bank_account',
      'answers.tax_setup',
      'answers.invoices',
    ]);
    const check = validateAnswers(template, { bank_account: true, tax_setup: true, invoices: false, known_policies: ['12'], needs: ' 不会开发票 ' });
    expect(check.errors).toEqual([]);
    expect(check.answers).toEqual({ bank_account: true, tax_setup: true, invoices: false, known_policies: ['12'], needs: '不会开发票' });
  });

  it('says what was recorded, from the task the server sent back', () => {
    expect(callRecordedMessage('reached', { status: 'reached', attempts: 1 })).toBe('回访已完成');
    expect(callRecordedMessage('refused', { status: 'refused', attempts: 1 })).toBe('已记录：企业拒绝回访');
    expect(callRecordedMessage('not_reached', { status: 'open', attempts: 2 })).toBe('已记录未接通（第 2 次），请稍后再拨');
    expect(callRecordedMessage('not_reached', { status: 'unreachable', attempts: 3 })).toBe('已连续 3 次未接通，回访任务结束');
  });

  it('asks before recording a call without answers, and warns of the third try', () => {
    expect(confirmOutcomeText('refused', 0)).toEqual({ title: '拒绝回访', content: '确认企业拒绝本次回访？记录后任务即结束。' });
    expect(confirmOutcomeText('not_reached', 0)).toEqual({ title: '未接通', content: '记录第 1 次未接通？连续 3 次未接通后任务结束。' });
    expect(confirmOutcomeText('not_reached', 2)).toEqual({ title: '未接通', content: '这是第 3 次未接通，记录后任务将结束（无法接通）。' });
  });

  it('turns a failed record into what the page shows', () => {
    expect(callFailure(new ApiError('callback_closed', '该回访任务已结束', 409))).toEqual({ kind: 'closed', message: '该回访任务已结束' });
    const fields = [{ field: 'answers.tax_setup', code: 'required', message: '此项为必填项' }];
    expect(callFailure(new ApiError('validation_failed', '提交的内容有误', 422, fields))).toEqual({ kind: 'fields', fields });
    expect(callFailure(new ApiError('validation_failed', '未接通或拒访时不应填写回访内容', 422))).toEqual({
      kind: 'toast',
      message: '未接通或拒访时不应填写回访内容',
    });
    expect(callFailure(new ApiError('forbidden', '您无权执行该操作', 403))).toEqual({ kind: 'toast', message: '您无权执行该操作' });
    expect(callFailure(new ApiError('other_conflict', '冲突', 409))).toEqual({ kind: 'toast', message: '冲突' });
    expect(callFailure(new Error('boom'))).toEqual({ kind: 'toast', message: '操作失败，请稍后重试' });
  });
});
