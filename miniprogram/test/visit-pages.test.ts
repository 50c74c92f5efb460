/**
 * @jest-environment jsdom
 */
// The visit pages (三上门走访) run against the fake `wx` through the page harness
// (`helpers/pages.ts`), and drawn from their WXML (miniprogram-simulate, TDesign stubbed): the due
// list (most overdue first, 逾期 N 天 / 今日到期, 从未走访, a row opens the form, the message left by
// the form); the record form (kind, day, people met, policies searched and picked, needs added and
// removed, the client checks, the body sent, the server's indexed field errors on their need and
// policy, a lost answer retried with the same key, the draft); 我的企业's 走访记录 and 登记走访; and
// the member's 管家走访 on 企业画像.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import simulate from 'miniprogram-simulate';

import type { PolicySearchHit } from '../src/types/api';
import { leaveRecordedNotice, takeRecordedNotice } from '../src/subpackages/butler/utils/visits';
import { chinaToday } from '../src/utils/roles';
import * as session from '../src/utils/session';
import { dueVisitFixture, enterpriseFixture, errorReply, installFakeWx, userFixture, visitFixture, type FakeWx } from './helpers/fake-wx';
import { call, loadPage, page, settle, tap, wait, type PageInstance } from './helpers/pages';
import { tdesignStubs } from './helpers/tdesign-stubs';

interface Fs {
  readFileSync(path: string, encoding: 'utf8'): string;
}
// `require` is typed by the mini-program's globals (node types clash with them): cast once here.
const fs = require('fs') as Fs;

const DUE = 'subpackages/butler/visits-due/index';
const FORM = 'subpackages/butler/visit-new/index';
const ENTERPRISES = 'subpackages/butler/enterprises/index';
const PROFILE = 'subpackages/me/enterprise-profile/index';

let wxFake: FakeWx;

beforeAll(() => {
  installFakeWx();
  for (const p of [DUE, FORM, ENTERPRISES, PROFILE]) loadPage(p);
});

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
  takeRecordedNotice();
  // The form was opened from another page (the due list): it goes back to it.
  Object.defineProperty(globalThis, 'getCurrentPages', { value: () => [{ route: DUE }, { route: FORM }], configurable: true, writable: true });
});

afterEach(() => {
  delete (globalThis as { getCurrentPages?: unknown }).getCurrentPages;
});

type Rendered = ReturnType<typeof simulate.render>;

/** The page's WXML drawn with `data` (TDesign stubbed, our components as empty views). */
function render(path: string, data: Record<string, unknown>): Rendered {
  const base = `${__dirname}/../src/${path}`;
  const json = JSON.parse(fs.readFileSync(`${base}.json`, 'utf8')) as { usingComponents: Record<string, string> };
  const own = Object.keys(json.usingComponents).filter((tag) => !json.usingComponents[tag]!.startsWith('tdesign-miniprogram/'));
  const id = simulate.load({
    template: fs.readFileSync(`${base}.wxml`, 'utf8'),
    usingComponents: {
      ...tdesignStubs(json.usingComponents),
      ...Object.fromEntries(own.map((tag) => [tag, String(simulate.load({ template: '<view />' }))])),
    },
    data: JSON.parse(JSON.stringify(data)) as Record<string, unknown>,
  });
  const comp = simulate.render(id);
  comp.attach(document.createElement('parent-wrapper'));
  return comp;
}

const texts = (r: Rendered, selector: string) => r.querySelectorAll(selector).map((n) => (n.dom?.textContent ?? '').replace(/\s+/g, ''));
const change = (p: PageInstance, handler: string, value: unknown, dataset: Record<string, unknown> = {}) =>
  call(p, handler, tap(dataset, { value }));

// ---- The due list ----

const INTERVALS = [
  { tier: 'key', tierLabel: '重点', days: 30 },
  { tier: 'growth', tierLabel: '成长', days: 60 },
  { tier: 'general', tierLabel: '一般', days: 90 },
];

async function dueList(): Promise<PageInstance> {
  wxFake.on('GET /visit-intervals', () => ({ statusCode: 200, data: INTERVALS }));
  const p = page(DUE);
  call(p, 'onShow');
  await settle();
  return p;
}

describe('待走访', () => {
  beforeEach(() => {
    wxFake.on('GET /visits/due', () => ({
      statusCode: 200,
      data: [
        dueVisitFixture({ enterpriseId: '8', enterpriseName: '青岛某某有限公司', serviceTier: 'general', serviceTierLabel: '一般', daysOverdue: 0 }),
        dueVisitFixture({ enterpriseId: '9', enterpriseName: '新注册科技有限公司', serviceTier: 'growth', serviceTierLabel: '成长', lastVisit: null, daysOverdue: 12 }),
        dueVisitFixture(),
      ],
    }));
  });

  it('lists the enterprises due, most overdue first, with the tiers\' intervals above', async () => {
    const p = await dueList();
    expect(wxFake.calls('GET /visits/due')).toHaveLength(1);
    expect(p.data.state).toBe('ready');
    expect(p.data.intervals).toBe('走访周期：重点 30 天 · 成长 60 天 · 一般 90 天');
    expect(p.data.overdue).toBe(2);
    expect((p.data.items as { name: string; status: string }[]).map((i) => [i.name, i.status])).toEqual([
      ['新注册科技有限公司', '逾期 12 天'],
      ['海纳智能科技有限公司', '逾期 3 天'],
      ['青岛某某有限公司', '今日到期'],
    ]);
  });

  it('draws each row: the tier, the last visit or 从未走访, 逾期 N 天 in red or 今日到期', async () => {
    const p = await dueList();
    const r = render(DUE, p.data);
    expect(texts(r, '.item__name')).toEqual(['新注册科技有限公司', '海纳智能科技有限公司', '青岛某某有限公司']);
    expect(texts(r, '.item__tier')).toEqual(['成长', '重点', '一般']);
    expect(texts(r, '.item__meta')).toEqual(['从未走访逾期12天', '上次走访：2026-10-01逾期3天', '上次走访：2026-10-01今日到期']);
    expect(texts(r, '.item__status--overdue')).toEqual(['逾期12天', '逾期3天']);
    expect(texts(r, '.item__never')).toEqual(['从未走访']);
    expect(r.querySelectorAll('.item--overdue')).toHaveLength(2);
    expect(texts(r, '.hint')).toEqual(['走访周期：重点30天·成长60天·一般90天', '共3家企业待走访，其中2家已逾期，请尽快上门']);
  });

  it('opens the record form for the enterprise tapped', async () => {
    const p = await dueList();
    call(p, 'onItemTap', tap({ id: '9' }));
    expect(wxFake.navigations).toEqual([
      `navigateTo /subpackages/butler/visit-new/index?enterpriseId=9&enterpriseName=${encodeURIComponent('新注册科技有限公司')}`,
    ]);
  });

  it('says when nothing is due, and shows a failure with 重试', async () => {
    wxFake.on('GET /visits/due', () => ({ statusCode: 200, data: [] }));
    const empty = await dueList();
    expect(render(DUE, empty.data).querySelector('#empty')?.data).toMatchObject({ description: '暂无待走访的企业' });

    wxFake.on('GET /visits/due', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    wxFake.on('GET /visit-intervals', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    const p = page(DUE);
    call(p, 'onShow');
    await settle();
    expect([p.data.state, p.data.errorMessage, p.data.intervals]).toEqual(['error', '您无权执行该操作', '']);
  });

  it('back from the form: says what was recorded and reads the list again, quietly', async () => {
    const p = await dueList();
    leaveRecordedNotice('已登记走访，1 项企业诉求已转为诉求');
    call(p, 'onShow');
    expect(p.data.state).toBe('ready');
    await settle();
    expect(wxFake.toasts).toEqual(['已登记走访，1 项企业诉求已转为诉求']);
    expect(wxFake.calls('GET /visits/due')).toHaveLength(2);
    // The intervals are read once.
    expect(wxFake.calls('GET /visit-intervals')).toHaveLength(1);
  });
});

// ---- The record form ----

function hit(id: string, title: string): PolicySearchHit {
  return {
    id,
    issuer: '青岛市人社局',
    status: 'published',
    publishedOn: '2026-10-01',
    score: 1,
    title: [
      { text: title.slice(0, 2), hit: true },
      { text: title.slice(2), hit: false },
    ],
    snippet: [],
  };
}

function form(enterpriseName: string | undefined = '海纳智能科技有限公司'): PageInstance {
  const p = page(FORM);
  call(p, 'onLoad', enterpriseName === undefined ? { enterpriseId: '7' } : { enterpriseId: '7', enterpriseName: encodeURIComponent(enterpriseName) });
  return p;
}

type NeedView = { key: number; environment: string; environmentText: string; title: string; content: string; errors: Record<string, string> };
const needsOf = (p: PageInstance) => p.data.needs as NeedView[];

/** Fills need `index`: environment (through the picker), title, content. */
function fillNeed(p: PageInstance, index: number, environment: string, title: string, content: string): void {
  call(p, 'onNeedEnvironmentTap', tap({ index }));
  call(p, 'onEnvironmentConfirm', { detail: { value: [environment] } });
  change(p, 'onNeedTitleChange', title, { index });
  change(p, 'onNeedContentChange', content, { index });
}

describe('登记走访: the form', () => {
  it('starts as a 政策上门 today for the enterprise named, and says what each kind is for', () => {
    const p = form();
    expect([p.data.state, p.data.enterpriseId, p.data.enterpriseName, p.data.kind, p.data.visitedOn]).toEqual([
      'ready',
      '7',
      '海纳智能科技有限公司',
      'policy',
      chinaToday(),
    ]);
    const r = render(FORM, p.data);
    expect(texts(r, '.segment')).toEqual(['政策上门', '关爱上门', '问计上门']);
    expect(texts(r, '.segment--on')).toEqual(['政策上门']);
    expect(texts(r, '.group__hint')[0]).toBe('上门宣讲惠企政策，讲解的政策将记为企业已知晓');

    call(p, 'onKindTap', tap({ value: 'care' }));
    call(p, 'onKindTap', tap({ value: 'nonsense' }));
    expect(p.data.kind).toBe('care');
    expect(texts(render(FORM, p.data), '.segment--on')).toEqual(['关爱上门']);
  });

  it('cannot be used without an enterprise, and reads the name when only the id is given', async () => {
    const none = page(FORM);
    call(none, 'onLoad', {});
    expect([none.data.state, none.data.errorMessage]).toEqual(['error', '缺少企业信息，请从待走访列表进入']);

    wxFake.on('GET /enterprises/7', () => ({ statusCode: 200, data: enterpriseFixture() }));
    const p = form(undefined);
    await settle();
    expect(p.data.enterpriseName).toBe('海纳智能科技有限公司');
  });

  it('adds needs, removes an empty one at once and a filled one after asking, at most 10', async () => {
    const p = form();
    expect(needsOf(p)).toEqual([]);
    call(p, 'onAddNeed');
    call(p, 'onAddNeed');
    call(p, 'onAddNeed');
    fillNeed(p, 0, 'factor', '扩产用地', '希望协调用地指标');
    fillNeed(p, 2, 'service', '办证慢', '消防验收排队');
    expect(needsOf(p).map((n) => [n.environmentText, n.title])).toEqual([
      ['要素环境', '扩产用地'],
      ['', ''],
      ['服务环境', '办证慢'],
    ]);
    let r = render(FORM, p.data);
    expect(texts(r, '.need__title')).toEqual(['诉求1', '诉求2', '诉求3']);

    // The empty one goes without a question.
    call(p, 'onRemoveNeed', tap({ index: 1 }));
    expect(wxFake.modals).toEqual([]);
    expect(needsOf(p).map((n) => n.title)).toEqual(['扩产用地', '办证慢']);

    // A filled one is asked about first; declined, it stays.
    wxFake.modalConfirms = false;
    call(p, 'onRemoveNeed', tap({ index: 0 }));
    await settle();
    expect(wxFake.modals).toEqual(['删除诉求: 确定删除第 1 项诉求吗？已填写的内容将不保留。']);
    expect(needsOf(p)).toHaveLength(2);
    wxFake.modalConfirms = true;
    call(p, 'onRemoveNeed', tap({ index: 0 }));
    await settle();
    expect(needsOf(p).map((n) => [n.environment, n.title, n.content])).toEqual([['service', '办证慢', '消防验收排队']]);
    r = render(FORM, p.data);
    expect(texts(r, '.need__title')).toEqual(['诉求1']);

    for (let i = 0; i < 12; i += 1) call(p, 'onAddNeed');
    expect(needsOf(p)).toHaveLength(10);
    expect(wxFake.toasts).toEqual(Array.from({ length: 3 }, () => '一次走访最多登记 10 项诉求'));
    // At ten, 添加企业诉求 is gone.
    expect(render(FORM, p.data).querySelector('#add-need')).toBeUndefined();
  });

  it('searches published policies, and picks and unpicks them', async () => {
    wxFake.on('GET /policies/search', () => ({ statusCode: 200, data: [hit('12', '人才住房补贴'), hit('15', '稳岗返还')] }));
    const p = form();
    change(p, 'onPolicyQueryChange', '  补贴 ');
    await wait(350);
    expect(wxFake.calls('GET /policies/search').map((r) => r.query)).toEqual([{ q: '补贴', status: 'published', limit: '20' }]);
    expect((p.data.policyResults as { title: string; selected: boolean }[]).map((r) => [r.title, r.selected])).toEqual([
      ['人才住房补贴', false],
      ['稳岗返还', false],
    ]);

    call(p, 'onPolicyResultTap', tap({ id: '15' }));
    call(p, 'onPolicyResultTap', tap({ id: '12' }));
    expect(p.data.policies).toEqual([
      { id: '15', title: '稳岗返还' },
      { id: '12', title: '人才住房补贴' },
    ]);
    expect((p.data.policyResults as { selected: boolean }[]).map((r) => r.selected)).toEqual([true, true]);
    expect(texts(render(FORM, p.data), '.selected__tag')).toEqual(['稳岗返还', '人才住房补贴']);

    call(p, 'onPolicyResultTap', tap({ id: '15' }));
    call(p, 'onPolicyRemove', tap({ id: '12' }));
    expect(p.data.policies).toEqual([]);

    // Nothing found, a query too long for the server, a cleared box.
    wxFake.on('GET /policies/search', () => ({ statusCode: 200, data: [] }));
    call(p, 'onPolicyQuerySubmit');
    await settle();
    expect(p.data.policyMessage).toBe('未找到相关的已发布政策');
    change(p, 'onPolicyQueryChange', '字'.repeat(51));
    call(p, 'onPolicyQuerySubmit');
    await settle();
    expect(p.data.policyMessage).toBe('关键词不能超过 50 个字');
    expect(wxFake.calls('GET /policies/search')).toHaveLength(2);
    call(p, 'onPolicyQueryClear');
    expect([p.data.policyQuery, p.data.policyResults, p.data.policyMessage]).toEqual(['', [], '']);
  });

  it('checks the form as the server would and sends nothing while it fails', async () => {
    const p = form();
    call(p, 'onAddNeed');
    call(p, 'onAddNeed');
    change(p, 'onNeedTitleChange', '题'.repeat(51), { index: 1 });
    change(p, 'onDateConfirm', '2999-01-01');
    await call(p, 'onSubmit');

    expect(wxFake.sent).toHaveLength(0);
    expect(wxFake.toasts).toEqual(['请检查填写内容']);
    expect(p.data.errors).toEqual({ kind: '', visitedOn: '走访日期不能晚于今天', peopleMet: '请填写见到的企业人员', policyIds: '', notes: '', needs: '' });
    expect(needsOf(p).map((n) => n.errors)).toEqual([
      { environment: '请选择所属环境', title: '请填写诉求标题', content: '请填写诉求内容' },
      { environment: '请选择所属环境', title: '标题不能超过 50 个字', content: '请填写诉求内容' },
    ]);

    // Editing a field clears its message, and only its.
    change(p, 'onNeedTitleChange', '办证慢', { index: 1 });
    expect(needsOf(p)[1]!.errors).toEqual({ environment: '请选择所属环境', title: '', content: '请填写诉求内容' });
    change(p, 'onPeopleMetChange', '张总');
    expect((p.data.errors as Record<string, string>).peopleMet).toBe('');
  });

  it('sends the visit: kind, day, people met, policies, notes and needs, trimmed; then back to the due list', async () => {
    wxFake.on('GET /policies/search', () => ({ statusCode: 200, data: [hit('12', '人才住房补贴'), hit('15', '稳岗返还')] }));
    wxFake.on('POST /enterprises/7/visits', () => ({
      statusCode: 201,
      data: visitFixture({ kind: 'advice', kindLabel: '问计上门', policyIds: ['12'], demandIds: ['301', '302'] }),
    }));
    const p = form();
    call(p, 'onKindTap', tap({ value: 'advice' }));
    call(p, 'onDateTap');
    change(p, 'onDateConfirm', '2026-11-20');
    change(p, 'onPeopleMetChange', ' 张总（总经理）、李会计 ');
    change(p, 'onPolicyQueryChange', '补贴');
    call(p, 'onPolicyQuerySubmit');
    await settle();
    call(p, 'onPolicyResultTap', tap({ id: '12' }));
    change(p, 'onNotesChange', ' 企业计划明年扩产 ');
    call(p, 'onAddNeed');
    call(p, 'onAddNeed');
    fillNeed(p, 0, 'factor', ' 扩产用地 ', ' 希望协调用地指标 ');
    fillNeed(p, 1, 'service', '办证慢', '消防验收排队');
    await call(p, 'onSubmit');

    const [sent] = wxFake.calls('POST /enterprises/7/visits');
    expect(sent!.data).toEqual({
      kind: 'advice',
      visitedOn: '2026-11-20',
      peopleMet: '张总（总经理）、李会计',
      policyIds: ['12'],
      notes: '企业计划明年扩产',
      needs: [
        { environment: 'factor', title: '扩产用地', content: '希望协调用地指标' },
        { environment: 'service', title: '办证慢', content: '消防验收排队' },
      ],
    });
    expect(sent!.header['Idempotency-Key']).toBeTruthy();
    expect(wxFake.navigations).toEqual(['navigateBack 1']);
    expect(p.data.submitting).toBe(false);
    // The due list says it when shown again.
    expect(takeRecordedNotice()).toBe('已登记走访，2 项企业诉求已转为诉求');
    // The draft is gone.
    expect([...wxFake.storage.keys()].filter((k) => k.startsWith('draft:'))).toEqual([]);
  });

  it('goes to the due list when it was opened on its own', async () => {
    Object.defineProperty(globalThis, 'getCurrentPages', { value: () => [{ route: FORM }], configurable: true, writable: true });
    wxFake.on('POST /enterprises/7/visits', () => ({ statusCode: 201, data: visitFixture() }));
    const p = form();
    change(p, 'onPeopleMetChange', '张总');
    await call(p, 'onSubmit');
    expect(wxFake.calls('POST /enterprises/7/visits')[0]!.data).toEqual({ kind: 'policy', visitedOn: chinaToday(), peopleMet: '张总' });
    expect(wxFake.navigations).toEqual(['redirectTo /subpackages/butler/visits-due/index']);
    expect(takeRecordedNotice()).toBe('已登记走访');
  });

  it('shows the server\'s field errors on their fields, indexed ones on their need and policy', async () => {
    wxFake.on('GET /policies/search', () => ({ statusCode: 200, data: [hit('12', '人才住房补贴'), hit('15', '稳岗返还')] }));
    wxFake.on('POST /enterprises/7/visits', () =>
      errorReply(422, 'validation_failed', '提交的内容有误', [
        { field: 'visitedOn', code: 'in_future', message: '走访日期不能晚于今天' },
        { field: 'policyIds[1]', code: 'not_published', message: '只能讲解已发布的政策' },
        { field: 'needs[1].title', code: 'invalid_characters', message: '不能包含控制字符或改变文字方向的字符' },
        { field: 'needs[0].content', code: 'too_long', message: '不能超过 2000 个字' },
      ]),
    );
    const p = form();
    change(p, 'onPeopleMetChange', '张总');
    change(p, 'onPolicyQueryChange', '补贴');
    call(p, 'onPolicyQuerySubmit');
    await settle();
    call(p, 'onPolicyResultTap', tap({ id: '12' }));
    call(p, 'onPolicyResultTap', tap({ id: '15' }));
    call(p, 'onAddNeed');
    call(p, 'onAddNeed');
    fillNeed(p, 0, 'factor', '扩产用地', '希望协调用地指标');
    fillNeed(p, 1, 'service', '办证慢', '消防验收排队');
    await call(p, 'onSubmit');

    expect(wxFake.toasts).toEqual(['请检查填写内容']);
    expect(wxFake.navigations).toEqual([]);
    expect((p.data.errors as Record<string, string>).visitedOn).toBe('走访日期不能晚于今天');
    expect(p.data.policyErrors).toEqual(['', '只能讲解已发布的政策']);
    expect(needsOf(p).map((n) => n.errors)).toEqual([
      { environment: '', title: '', content: '不能超过 2000 个字' },
      { environment: '', title: '不能包含控制字符或改变文字方向的字符', content: '' },
    ]);
    expect(p.data.formError).toBe('');

    // As drawn: under the day, under the second policy's tag, under each need's field.
    const r = render(FORM, p.data);
    expect(texts(r, '.field-error')).toEqual(['走访日期不能晚于今天', '「稳岗返还」只能讲解已发布的政策', '不能超过2000个字']);
    expect(r.querySelector('#need-title-1')?.data).toMatchObject({ tips: '不能包含控制字符或改变文字方向的字符', status: 'error' });
    expect(r.querySelector('#need-title-0')?.data).toMatchObject({ tips: '', status: 'default' });

    // Another refusal goes below the form.
    wxFake.on('POST /enterprises/7/visits', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    await call(p, 'onSubmit');
    expect(p.data.formError).toBe('您无权执行该操作');
    expect(texts(render(FORM, p.data), '.form-error')).toEqual(['您无权执行该操作']);
  });

  it('retries a record whose answer was lost with the same key, even after the app was killed', async () => {
    wxFake.on('POST /enterprises/7/visits', () => ({ failWith: 'request:fail timeout' }));
    const p = form();
    change(p, 'onPeopleMetChange', '张总');
    call(p, 'onAddNeed');
    fillNeed(p, 0, 'legal', '合同纠纷', '需要法律援助');
    await call(p, 'onSubmit');
    expect(p.data.formError).toBe('请求超时，请检查网络后重试');

    // Opened again (the module is the same; the draft and the key are in storage).
    const again = form();
    expect(again.data.restored).toBe(true);
    expect([again.data.peopleMet, needsOf(again).map((n) => [n.environmentText, n.title])]).toEqual(['张总', [['法治环境', '合同纠纷']]]);
    expect(texts(render(FORM, again.data), '.restored')).toEqual(['已恢复上次未提交的走访记录。清空']);
    wxFake.on('POST /enterprises/7/visits', () => ({ statusCode: 201, data: visitFixture({ demandIds: ['301'] }) }));
    await call(again, 'onSubmit');

    const keys = wxFake.calls('POST /enterprises/7/visits').map((r) => r.header['Idempotency-Key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(takeRecordedNotice()).toBe('已登记走访，1 项企业诉求已转为诉求');
    expect(form().data.restored).toBe(false);
  });

  it('offers the draft back, and 清空 starts afresh', () => {
    const p = form();
    change(p, 'onPeopleMetChange', '张总');
    call(p, 'onKindTap', tap({ value: 'care' }));
    const again = form();
    expect([again.data.restored, again.data.kind, again.data.peopleMet]).toEqual([true, 'care', '张总']);
    call(again, 'onDiscardDraft');
    expect([again.data.restored, again.data.kind, again.data.peopleMet, again.data.needs]).toEqual([false, 'policy', '', []]);
    expect(form().data.restored).toBe(false);
  });
});

// ---- 我的企业: 走访记录 and 登记走访 ----

async function enterprises(): Promise<PageInstance> {
  wxFake.on('GET /binding-requests', () => ({ statusCode: 200, data: { items: [], nextCursor: null } }));
  wxFake.on('GET /enterprises', () => ({ statusCode: 200, data: { items: [enterpriseFixture(), enterpriseFixture({ id: '8', name: '青岛某某有限公司' })], nextCursor: null } }));
  const p = page(ENTERPRISES);
  call(p, 'onLoad', { tab: 'enterprises' });
  await settle();
  return p;
}

describe('我的企业 → 走访记录', () => {
  it('opens an enterprise\'s newest visits, one enterprise at a time, and closes them', async () => {
    wxFake.on('GET /enterprises/7/visits', () => ({
      statusCode: 200,
      data: [visitFixture({ id: '82', visitedOn: '2026-11-25', kind: 'care', kindLabel: '关爱上门', demandIds: ['301'] }), visitFixture()],
    }));
    wxFake.on('GET /enterprises/8/visits', () => ({ statusCode: 200, data: [] }));
    const p = await enterprises();

    call(p, 'onToggleVisits', tap({ id: '7' }));
    await settle();
    expect([p.data.visitsId, p.data.visitsState]).toEqual(['7', 'ready']);
    const r = render(ENTERPRISES, p.data);
    expect(texts(r, '.visit__head')).toEqual(['2026-11-25·关爱上门', '2026-11-20·政策上门']);
    expect(texts(r, '.visit__text')).toEqual(['见到：张总（总经理）', '提出诉求1项', '见到：张总（总经理）']);
    expect(r.querySelectorAll('.visits')).toHaveLength(1);

    call(p, 'onToggleVisits', tap({ id: '8' }));
    await settle();
    expect(p.data.visitsId).toBe('8');
    expect(texts(render(ENTERPRISES, p.data), '.visits__status')).toEqual(['还没有走访记录']);

    call(p, 'onToggleVisits', tap({ id: '8' }));
    expect([p.data.visitsId, p.data.visits]).toEqual(['', []]);
  });

  it('shows a failure to read them, to tap again', async () => {
    wxFake.on('GET /enterprises/7/visits', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    const p = await enterprises();
    call(p, 'onToggleVisits', tap({ id: '7' }));
    await settle();
    expect([p.data.visitsState, p.data.visitsError]).toEqual(['error', '您无权执行该操作']);
    wxFake.on('GET /enterprises/7/visits', () => ({ statusCode: 200, data: [visitFixture()] }));
    call(p, 'onRetryVisits');
    await settle();
    expect([p.data.visitsState, (p.data.visits as unknown[]).length]).toEqual(['ready', 1]);
  });

  it('登记走访 opens the form; back from it, says what was recorded and reads the open record again', async () => {
    wxFake.on('GET /enterprises/7/visits', () => ({ statusCode: 200, data: [] }));
    const p = await enterprises();
    call(p, 'onNewVisit', tap({ id: '7' }));
    expect(wxFake.navigations).toEqual([
      `navigateTo /subpackages/butler/visit-new/index?enterpriseId=7&enterpriseName=${encodeURIComponent('海纳智能科技有限公司')}`,
    ]);

    call(p, 'onToggleVisits', tap({ id: '7' }));
    await settle();
    call(p, 'onShow');
    await settle();
    // Nothing recorded: nothing said, nothing read.
    expect([wxFake.toasts, wxFake.calls('GET /enterprises/7/visits').length]).toEqual([[], 1]);

    leaveRecordedNotice('已登记走访');
    wxFake.on('GET /enterprises/7/visits', () => ({ statusCode: 200, data: [visitFixture()] }));
    call(p, 'onShow');
    await settle();
    expect(wxFake.toasts).toEqual(['已登记走访']);
    expect(wxFake.calls('GET /enterprises/7/visits')).toHaveLength(2);
    expect((p.data.visits as unknown[]).length).toBe(1);
  });
});

// ---- 企业画像: 管家走访 ----

describe('企业画像 → 管家走访', () => {
  async function profile(): Promise<PageInstance> {
    wxFake.on('GET /enterprises/7', () => ({ statusCode: 200, data: enterpriseFixture() }));
    const p = page(PROFILE);
    call(p, 'onLoad', { id: '7' });
    await settle();
    return p;
  }

  it('lists the butler\'s newest visits: day, kind, whom they met', async () => {
    wxFake.on('GET /enterprises/7/visits', () => ({
      statusCode: 200,
      data: Array.from({ length: 6 }, (_, i) =>
        visitFixture({ id: String(90 - i), visitedOn: `2026-11-2${6 - i}`, kind: i === 0 ? 'advice' : 'policy', kindLabel: i === 0 ? '问计上门' : '政策上门' }),
      ),
    }));
    const p = await profile();
    expect(p.data.visitsState).toBe('ready');
    const r = render(PROFILE, p.data);
    expect(texts(r, '.visit__head')).toEqual(['2026-11-26问计上门', '2026-11-25政策上门', '2026-11-24政策上门', '2026-11-23政策上门', '2026-11-22政策上门']);
    expect(texts(r, '.visit__text')[0]).toBe('见到：张总（总经理）');
  });

  it('says when there are none, and a failure leaves the profile as it is', async () => {
    wxFake.on('GET /enterprises/7/visits', () => ({ statusCode: 200, data: [] }));
    const none = await profile();
    expect(texts(render(PROFILE, none.data), '.visits .empty-line')).toEqual(['服务管家还没有登记上门走访']);

    wxFake.on('GET /enterprises/7/visits', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    const failed = await profile();
    expect([failed.data.state, failed.data.visitsState, failed.data.visitsError]).toEqual(['ready', 'error', '您无权执行该操作']);
    wxFake.on('GET /enterprises/7/visits', () => ({ statusCode: 200, data: [visitFixture()] }));
    call(failed, 'onRetryVisits');
    await settle();
    expect([failed.data.visitsState, (failed.data.visits as unknown[]).length]).toEqual(['ready', 1]);
  });
});
