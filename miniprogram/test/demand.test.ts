// The pure rules of the demand pages (labels, form checks, moves offered, timeline lines, times),
// idempotency keys, and the subscribe-message helpers against the fake `wx`.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { config } from '../src/config';
import type { DemandStatus, RoleCode } from '../src/types/api';
import {
  actorRoleLabel,
  availableMoves,
  canRate,
  charCount,
  checkSheet,
  createRequest,
  demandDetailView,
  demandListItem,
  timelineItems,
  validateDemandForm,
  type DemandFormValues,
  type SheetValues,
} from '../src/subpackages/demand/utils/demand';
import { ApiError } from '../src/utils/api-error';
import { ActionKeys, newIdempotencyKey, outcomeUnknown } from '../src/utils/idempotency';
import * as session from '../src/utils/session';
import { askSubscriptions, demandTemplateId, loadDemandTemplateId, reportAccepted, resetTemplateIds } from '../src/utils/subscribe';
import { endOfChinaDay, formatDate, formatTime } from '../src/utils/time';
import { demandFixture, errorReply, eventFixture, installFakeWx, userFixture, type FakeWx } from './helpers/fake-wx';

function form(overrides: Partial<DemandFormValues> = {}): DemandFormValues {
  return { kind: 'demand', environment: 'policy', title: '标题', content: '内容', anonymous: false, attachments: [], ...overrides };
}

describe('validateDemandForm', () => {
  it('accepts a complete form', () => {
    expect(validateDemandForm(form())).toEqual({});
  });

  it('requires a title, content and an environment, ignoring blanks', () => {
    expect(validateDemandForm(form({ title: '   ', content: '\n', environment: '' }))).toEqual({
      title: '请填写标题',
      content: '请填写诉求内容',
      environment: '请选择所属环境',
    });
  });

  it('counts characters as the server does (code points) against 50 and 2000', () => {
    expect(validateDemandForm(form({ title: '字'.repeat(50), content: '𠀀'.repeat(2000) }))).toEqual({});
    expect(validateDemandForm(form({ title: '字'.repeat(51), content: '字'.repeat(2001) }))).toEqual({
      title: '标题不能超过 50 个字',
      content: '内容不能超过 2000 个字',
    });
    // A character outside the BMP is two UTF-16 units but one character.
    expect('𠀀'.length).toBe(2);
    expect(charCount('𠀀')).toBe(1);
  });

  it('allows at most 9 photos', () => {
    const ids = Array.from({ length: 10 }, (_, i) => String(i));
    expect(validateDemandForm(form({ attachments: ids }))).toEqual({ attachments: '最多上传 9 张图片' });
  });
});

describe('createRequest', () => {
  it('trims the texts and leaves out an empty attachment list', () => {
    expect(createRequest(form({ title: ' 标题 ', content: ' 内容\n', anonymous: true }))).toEqual({
      kind: 'demand',
      environment: 'policy',
      title: '标题',
      content: '内容',
      anonymous: true,
    });
    expect(createRequest(form({ attachments: ['3', '1'] })).attachments).toEqual(['3', '1']);
  });
});

describe('availableMoves', () => {
  const moves = (status: DemandStatus, roles: RoleCode[], extensionPending = false) =>
    availableMoves({ status, extensionPending: extensionPending ? { workingDays: 3, reason: '核查' } : null }, roles);

  it('offers the butler and the admin acceptance, dispatch, approval and supervision', () => {
    expect(moves('submitted', ['butler'])).toEqual(['accept', 'reject', 'supervise']);
    expect(moves('accepted', ['butler'])).toEqual(['assign', 'supervise']);
    expect(moves('reopened', ['admin'])).toEqual(['assign', 'supervise']);
    expect(moves('in_progress', ['admin'], true)).toEqual(['approveExtension', 'supervise']);
    expect(moves('in_progress', ['butler'])).toEqual(['supervise']);
    expect(moves('closed', ['butler'])).toEqual([]);
  });

  it('offers the handler signing, reply, return and extension', () => {
    expect(moves('assigned', ['handler'])).toEqual(['sign', 'return', 'extend']);
    expect(moves('in_progress', ['handler'])).toEqual(['reply', 'return', 'extend']);
    expect(moves('in_progress', ['handler'], true)).toEqual(['reply', 'return']);
    expect(moves('submitted', ['handler'])).toEqual([]);
    expect(moves('replied', ['handler'])).toEqual([]);
  });

  it('offers nothing to the enterprise', () => {
    const all: DemandStatus[] = ['submitted', 'accepted', 'rejected', 'assigned', 'in_progress', 'replied', 'reopened', 'closed', 'merged'];
    for (const status of all) expect(moves(status, ['enterprise'])).toEqual([]);
  });
});

describe('canRate', () => {
  it('lets only the submitter rate, and only a replied demand', () => {
    const replied = demandFixture({ status: 'replied', submitter: { id: '1', name: '张三' } });
    expect(canRate(replied, '1')).toBe(true);
    expect(canRate(replied, '2')).toBe(false);
    expect(canRate({ ...replied, status: 'closed' }, '1')).toBe(false);
    expect(canRate({ ...replied, submitter: null }, '1')).toBe(false);
  });
});

describe('timelineItems', () => {
  it('names the actor by role, unit and name, and keeps the note', () => {
    const items = timelineItems([
      eventFixture({ id: '1', actionLabel: '提交', actorRole: 'enterprise', createdAt: '2026-11-28T09:30:00+08:00' }),
      eventFixture({
        id: '2',
        action: 'reply',
        actionLabel: '答复',
        actorRole: 'handler',
        actorUnit: { id: '3', name: '青岛市税务局' },
        actorName: '李四',
        note: '已办理',
        createdAt: '2026-11-29T01:05:00Z',
      }),
      eventFixture({ id: '3', action: 'supervise', actionLabel: '督办', actorRole: 'system' }),
      eventFixture({ id: '4', action: 'comment', actionLabel: '', actorRole: 'butler', actorName: '王五' }),
    ]);

    expect(items).toEqual([
      { id: '1', title: '提交', actor: '企业', note: '', time: '2026-11-28 09:30' },
      { id: '2', title: '答复', actor: '单位经办人 · 青岛市税务局 · 李四', note: '已办理', time: '2026-11-29 09:05' },
      { id: '3', title: '督办', actor: '系统', note: '', time: '2026-11-28 09:30' },
      { id: '4', title: 'comment', actor: '服务管家 · 王五', note: '', time: '2026-11-28 09:30' },
    ]);
  });

  it('labels every actor role', () => {
    expect(['enterprise', 'butler', 'handler', 'admin', 'system', 'officer', 'robot'].map(actorRoleLabel)).toEqual([
      '企业',
      '服务管家',
      '单位经办人',
      '管理员',
      '系统',
      '营商环境体验官',
      '其他',
    ]);
  });
});

describe('demand views', () => {
  it('shows a list row with status, number, title and China time', () => {
    expect(demandListItem(demandFixture({ status: 'replied', statusLabel: '已答复', overdue: true }))).toEqual({
      id: '42',
      number: 'SQ20261128-0007',
      title: '申请稳岗补贴',
      statusLabel: '已答复',
      statusTheme: 'warning',
      overdue: true,
      environment: '政策环境',
      time: '2026-11-28 09:30',
    });
  });

  it('shows the deadline that matters in the current status, the rating and a pending extension', () => {
    const view = demandDetailView(
      demandFixture({
        status: 'in_progress',
        kind: 'suggestion',
        environment: 'humanistic',
        unit: { id: '3', name: '青岛市税务局' },
        replyDueAt: '2026-12-05T18:00:00+08:00',
        extensionPending: { workingDays: 3, reason: '需现场核查' },
        rating: { satisfied: false, comment: '没解决', ratedAt: null, source: 'miniprogram' },
        enterprise: null,
        submitter: null,
        anonymous: true,
      }),
    );
    expect(view.kind).toBe('意见建议');
    expect(view.environment).toBe('人文环境');
    expect(view.unit).toBe('青岛市税务局');
    expect(view.due).toEqual({ label: '答复期限', time: '2026-12-05 18:00' });
    expect(view.extensionPending).toBe('申请延期 3 个工作日：需现场核查');
    expect(view.rating).toEqual({ text: '不满意', comment: '没解决' });
    expect(view.enterprise).toBe('');
    expect(view.anonymous).toBe(true);
    expect(demandDetailView(demandFixture()).due).toEqual({ label: '受理期限', time: '2026-11-30 18:00' });
    expect(demandDetailView(demandFixture({ status: 'closed' })).due).toBeNull();
  });
});

describe('checkSheet', () => {
  const values = (overrides: Partial<SheetValues> = {}): SheetValues => ({
    reason: '',
    note: '',
    content: '',
    unitId: '',
    dueDate: '',
    workingDays: 3,
    ...overrides,
  });

  it('requires the text of each move', () => {
    expect(checkSheet('reject', values())).toEqual({ reason: '请填写不予受理的理由' });
    expect(checkSheet('return', values({ reason: ' ' }))).toEqual({ reason: '请填写退回原因' });
    expect(checkSheet('supervise', values())).toEqual({ note: '请填写督办意见' });
    expect(checkSheet('reply', values())).toEqual({ content: '请填写答复内容' });
    expect(checkSheet('reply', values({ content: '字'.repeat(2001) }))).toEqual({ content: '不能超过 2000 个字' });
    expect(checkSheet('reply', values({ content: '已办结' }))).toEqual({});
  });

  it('requires a unit to dispatch to; the deadline is optional', () => {
    expect(checkSheet('assign', values())).toEqual({ unitId: '请选择承办单位' });
    expect(checkSheet('assign', values({ unitId: '3' }))).toEqual({});
    expect(checkSheet('assign', values({ unitId: '3', dueDate: '2026-12-05' }))).toEqual({});
  });

  it('keeps an extension between 1 and 10 working days, with a reason', () => {
    expect(checkSheet('extend', values({ workingDays: 0 }))).toEqual({
      workingDays: '延期天数应为 1 到 10 个工作日',
      reason: '请填写延期原因',
    });
    expect(checkSheet('extend', values({ workingDays: 11, reason: '核查' }))).toEqual({ workingDays: '延期天数应为 1 到 10 个工作日' });
    expect(checkSheet('extend', values({ workingDays: 10, reason: '核查' }))).toEqual({});
  });
});

describe('time', () => {
  it('shows any offset in China time', () => {
    expect(formatTime('2026-11-28T09:30:00+08:00')).toBe('2026-11-28 09:30');
    expect(formatTime('2026-11-28T16:30:00Z')).toBe('2026-11-29 00:30');
    expect(formatDate('2026-11-28T16:30:00Z')).toBe('2026-11-29');
    expect(formatTime(null)).toBe('');
    expect(formatTime('not a time')).toBe('');
  });

  it('turns a chosen date into the end of that day in China', () => {
    expect(endOfChinaDay('2026-12-05')).toBe('2026-12-05T23:59:59+08:00');
  });
});

describe('idempotency keys', () => {
  it('are version-4 UUIDs, different each time', () => {
    const a = newIdempotencyKey();
    const b = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    // Even from the highest and lowest random numbers.
    expect(newIdempotencyKey(() => 0.9999999)).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(newIdempotencyKey(() => 0)).toBe('00000000-0000-4000-8000-000000000000');
  });

  it('are kept only while the outcome of the write is unknown', () => {
    expect(outcomeUnknown(ApiError.network(true))).toBe(true);
    expect(outcomeUnknown(new ApiError('internal_error', '服务器错误', 500))).toBe(true);
    expect(outcomeUnknown(new ApiError('invalid_transition', '状态已变化', 409))).toBe(false);
    expect(outcomeUnknown(new Error('bug'))).toBe(false);
  });

  it('are held per action: another action gets its own key', async () => {
    let n = 0;
    const keys = new ActionKeys(() => `k${++n}`);
    const lost = () => Promise.reject(ApiError.network(false));

    await keys.run('accept:1', {}, lost).catch(() => undefined);
    await keys.run('accept:2', {}, lost).catch(() => undefined);

    expect(keys.pendingKey('accept:1')).toBe('k1');
    expect(keys.pendingKey('accept:2')).toBe('k2');
    const used: string[] = [];
    await keys.run('accept:1', {}, async (key) => {
      used.push(key);
    });
    expect(used).toEqual(['k1']);
    expect(keys.pendingKey('accept:1')).toBeNull();
  });
});

describe('subscribe messages', () => {
  let wxFake: FakeWx;

  beforeEach(() => {
    wxFake = installFakeWx();
    session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
    resetTemplateIds();
  });

  afterEach(() => {
    config.demandTemplateId = null;
  });

  it('learns the template from the server once, by an empty report', async () => {
    wxFake.on('POST /me/subscriptions', () => ({ statusCode: 200, data: { demandCredits: 0, demandTemplateId: 'tpl-server', policyCredits: 0, templates: [] } }));

    expect(demandTemplateId()).toBeNull();
    expect(await loadDemandTemplateId()).toBe('tpl-server');
    expect(await loadDemandTemplateId()).toBe('tpl-server');

    expect(wxFake.calls('POST /me/subscriptions').map((r) => r.data)).toEqual([{ accepted: [] }]);
    expect(demandTemplateId()).toBe('tpl-server');
  });

  it('prefers the configured template and then asks the server nothing', async () => {
    config.demandTemplateId = 'tpl-config';

    expect(await loadDemandTemplateId()).toBe('tpl-config');
    expect(demandTemplateId()).toBe('tpl-config');
    expect(wxFake.sent).toHaveLength(0);
  });

  it('asks again next time when the server could not be reached', async () => {
    wxFake.on('POST /me/subscriptions', () => ({ failWith: 'request:fail' }));
    expect(await loadDemandTemplateId()).toBeNull();

    wxFake.on('POST /me/subscriptions', () => ({ statusCode: 200, data: { demandCredits: 0, demandTemplateId: null, policyCredits: 0, templates: [] } }));
    expect(await loadDemandTemplateId()).toBeNull();
    expect(wxFake.calls('POST /me/subscriptions')).toHaveLength(2);
  });

  it('resolves to the accepted templates only, and to none when the prompt fails', async () => {
    wxFake.subscribeAnswers = { 'tpl-1': 'accept', 'tpl-2': 'reject' };
    expect(await askSubscriptions(['tpl-1', 'tpl-2'])).toEqual(['tpl-1']);

    wxFake.subscribeAnswers = null;
    expect(await askSubscriptions(['tpl-1'])).toEqual([]);

    expect(await askSubscriptions([])).toEqual([]);
    expect(wxFake.subscribeRequests).toEqual([['tpl-1', 'tpl-2'], ['tpl-1']]);
  });

  it('reports accepted templates, and swallows a refusal', async () => {
    wxFake.on('POST /me/subscriptions', () => errorReply(422, 'validation_failed', '包含未知的订阅消息模板'));

    await expect(reportAccepted(['tpl-x'])).resolves.toBeUndefined();
    await reportAccepted([]);

    expect(wxFake.calls('POST /me/subscriptions').map((r) => r.data)).toEqual([{ accepted: ['tpl-x'] }]);
  });
});
