// Notices (消息): the tab's list, opening and marking read, 全部已读, the unread count on the tab
// badge, and the subscribe prompts (受理, 答复, 评价提醒 in one; new and overdue work for staff).
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Notification } from '../src/types/api';
import { badgeText, MESSAGES_TAB_INDEX, noticeUrl, refreshUnreadBadge } from '../src/utils/notices';
import * as session from '../src/utils/session';
import { demandTemplateIds, resetTemplateIds, workTemplateIds, loadWorkTemplateIds } from '../src/utils/subscribe';
import { signInOnLaunch } from '../src/utils/signin';
import { installFakeWx, tokensFixture, userFixture, type FakeWx } from './helpers/fake-wx';
import { call, loadPage, page, settle, tap } from './helpers/pages';

const MESSAGES = 'pages/messages/index';
let wxFake: FakeWx;

function notice(overrides: Partial<Notification> = {}): Notification {
  return {
    id: '5',
    kind: 'demand_replied',
    title: '您的诉求已答复',
    body: 'SQ20261128-0007 申请稳岗补贴：税务局已答复，请评价',
    demandId: '42',
    page: 'subpackages/demand/detail/index?id=42',
    read: false,
    createdAt: '2026-11-28T10:00:00+08:00',
    ...overrides,
  };
}

beforeAll(() => {
  installFakeWx();
  loadPage(MESSAGES);
});

beforeEach(() => {
  wxFake = installFakeWx();
  resetTemplateIds();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
});

describe('rules', () => {
  it('opens the page the server names, else the demand, else nothing', () => {
    expect(noticeUrl({ page: 'subpackages/policy/detail/index?id=12', demandId: null })).toBe('/subpackages/policy/detail/index?id=12');
    expect(noticeUrl({ page: null, demandId: '42' })).toBe('/subpackages/demand/detail/index?id=42');
    expect(noticeUrl({ page: 'https://evil.example/x', demandId: null })).toBe('');
    expect(noticeUrl({ page: 'subpackages/clue/mine/index', demandId: null })).toBe('/subpackages/clue/mine/index');
    expect(noticeUrl({ page: undefined, demandId: undefined })).toBe('');
  });

  it('writes the badge: nothing for none, 99+ past 99', () => {
    expect([badgeText(0), badgeText(3), badgeText(99), badgeText(100)]).toEqual(['', '3', '99', '99+']);
  });

  it('puts the unread count on the 消息 tab, and takes it off at zero', async () => {
    wxFake.on('GET /notifications/unread-count', () => ({ statusCode: 200, data: { count: 4 } }));
    expect(await refreshUnreadBadge()).toBe(4);
    expect(wxFake.tabBadges.get(MESSAGES_TAB_INDEX)).toBe('4');

    wxFake.on('GET /notifications/unread-count', () => ({ statusCode: 200, data: { count: 0 } }));
    await refreshUnreadBadge();
    expect(wxFake.tabBadges.has(MESSAGES_TAB_INDEX)).toBe(false);
  });

  it('leaves the badge alone when the count cannot be had', async () => {
    wxFake.tabBadges.set(MESSAGES_TAB_INDEX, '2');
    wxFake.on('GET /notifications/unread-count', () => ({ failWith: 'request:fail timeout' }));
    expect(await refreshUnreadBadge()).toBeNull();
    expect(wxFake.tabBadges.get(MESSAGES_TAB_INDEX)).toBe('2');
  });
});

describe('消息 tab', () => {
  function serve(items: Notification[], unread: number): void {
    wxFake.on('GET /notifications', () => ({ statusCode: 200, data: { items, nextCursor: null } }));
    wxFake.on('GET /notifications/unread-count', () => ({ statusCode: 200, data: { count: unread } }));
    wxFake.on('POST /me/subscriptions', () => ({ statusCode: 200, data: { demandCredits: 0, policyCredits: 0, templates: [] } }));
  }

  it('lists the notices, unread ones marked, and shows the count on the tab', async () => {
    serve([notice(), notice({ id: '4', read: true, title: '新政策', page: null, demandId: null })], 1);
    const p = page(MESSAGES);
    call(p, 'onShow');
    await settle();
    expect((p.data.items as { id: string; unread: boolean; url: string }[]).map((n) => [n.id, n.unread, n.url])).toEqual([
      ['5', true, '/subpackages/demand/detail/index?id=42'],
      ['4', false, ''],
    ]);
    expect(wxFake.tabBadges.get(MESSAGES_TAB_INDEX)).toBe('1');
  });

  it('opens a notice: marks it read, opens its object, and the badge follows', async () => {
    serve([notice()], 1);
    const p = page(MESSAGES);
    call(p, 'onShow');
    await settle();
    wxFake.on('POST /notifications/5/read', () => ({ statusCode: 204 }));
    wxFake.on('GET /notifications/unread-count', () => ({ statusCode: 200, data: { count: 0 } }));

    call(p, 'onOpen', tap({ id: '5' }));
    await settle();

    expect(wxFake.calls('POST /notifications/5/read')).toHaveLength(1);
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/demand/detail/index?id=42']);
    expect((p.data.items as { unread: boolean }[])[0]!.unread).toBe(false);
    expect(wxFake.tabBadges.has(MESSAGES_TAB_INDEX)).toBe(false);
  });

  it('全部已读 marks every notice read and clears the badge', async () => {
    serve([notice(), notice({ id: '6' })], 2);
    const p = page(MESSAGES);
    call(p, 'onShow');
    await settle();
    wxFake.on('POST /notifications/read-all', () => ({ statusCode: 204 }));
    wxFake.on('GET /notifications/unread-count', () => ({ statusCode: 200, data: { count: 0 } }));

    await call(p, 'onReadAll');

    expect((p.data.items as { unread: boolean }[]).map((n) => n.unread)).toEqual([false, false]);
    expect(wxFake.tabBadges.has(MESSAGES_TAB_INDEX)).toBe(false);
  });

  it('keeps the notices unread when 全部已读 fails, and says why', async () => {
    serve([notice()], 1);
    const p = page(MESSAGES);
    call(p, 'onShow');
    await settle();
    wxFake.on('POST /notifications/read-all', () => ({ failWith: 'request:fail timeout' }));
    await call(p, 'onReadAll');
    expect((p.data.items as { unread: boolean }[])[0]!.unread).toBe(true);
    expect(wxFake.toasts).toEqual(['请求超时，请检查网络后重试']);
  });
});

describe('subscribe prompts', () => {
  const templates = [
    { kind: 'demand_accepted', templateId: 'tpl-acc', credits: 0 },
    { kind: 'demand_replied', templateId: 'tpl-rep', credits: 1 },
    { kind: 'rate_reminder', templateId: 'tpl-rate', credits: 0 },
    { kind: 'work_new', templateId: 'tpl-new', credits: 0 },
    { kind: 'work_overdue', templateId: 'tpl-over', credits: 0 },
  ];

  it('asks 受理, 答复 and 评价提醒 in one prompt when the server has them', async () => {
    wxFake.on('POST /me/subscriptions', () => ({ statusCode: 200, data: { demandCredits: 0, demandTemplateId: 'tpl-rep', policyCredits: 0, templates } }));
    await loadWorkTemplateIds();
    expect(demandTemplateIds()).toEqual(['tpl-acc', 'tpl-rep', 'tpl-rate']);
    expect(workTemplateIds()).toEqual(['tpl-new', 'tpl-over']);
  });

  it('falls back to the single demand template of a server without the list', async () => {
    wxFake.on('POST /me/subscriptions', () => ({ statusCode: 200, data: { demandCredits: 0, demandTemplateId: 'tpl-demand', policyCredits: 0, templates: [] } }));
    await loadWorkTemplateIds();
    expect(demandTemplateIds()).toEqual(['tpl-demand']);
    expect(workTemplateIds()).toEqual([]);
  });

  it('staff ask for new and overdue work from the 消息 tab, in the tap', async () => {
    wxFake.on('GET /notifications', () => ({ statusCode: 200, data: { items: [], nextCursor: null } }));
    wxFake.on('GET /notifications/unread-count', () => ({ statusCode: 200, data: { count: 0 } }));
    wxFake.on('POST /me/subscriptions', () => ({ statusCode: 200, data: { demandCredits: 0, policyCredits: 0, templates } }));
    wxFake.subscribeAnswers = { 'tpl-new': 'accept', 'tpl-over': 'reject' };
    // Signed in as a butler (the demo persona of development mode).
    session.setPersona({ code: 'dev:demo-butler', name: '演示服务管家' });
    wxFake.on('POST /auth/wechat', () => tokensFixture('b', userFixture({ roles: [{ id: '9', role: 'butler' }] })));
    await signInOnLaunch();
    const p = page(MESSAGES);
    call(p, 'onShow');
    await settle();

    call(p, 'onSubscribeWork');
    expect(wxFake.subscribeRequests).toEqual([['tpl-new', 'tpl-over']]);
    await settle();
    expect(wxFake.calls('POST /me/subscriptions').map((r) => r.data)).toContainEqual({ accepted: ['tpl-new'] });
    expect(wxFake.toasts).toContain('已订阅，将在有新工单或超期时提醒您');
    expect(p.data.staff).toBe(true);
  });
});
