/**
 * @jest-environment jsdom
 */
// The inspection pages' handlers (涉企检查, one inspection and its rating, 免罚清单), run against
// the fake `wx` through the page harness (`helpers/pages.ts`): the list and its paging, the
// rating's checks and the body sent, the server's 409 in its words, my rating and the demand a
// complaint became, also as the WXML draws them (miniprogram-simulate); the invited observers and
// the observation form (only for one invited who has not observed; no rating for them), its body
// and its 409; the leniency search and its filter. Then the entries on 我的.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import simulate from 'miniprogram-simulate';

import * as session from '../src/utils/session';
import { errorReply, inspectionFixture, installFakeWx, leniencyFixture, userFixture, type FakeWx } from './helpers/fake-wx';
import { call, loadPage, page, settle, tap, type PageInstance } from './helpers/pages';
import { tdesignStubs } from './helpers/tdesign-stubs';

interface Fs {
  readFileSync(path: string, encoding: 'utf8'): string;
}
// `require` is typed by the mini-program's globals (node types clash with them): cast once here.
const fs = require('fs') as Fs;

const LIST = 'subpackages/inspection/list/index';
const DETAIL = 'subpackages/inspection/detail/index';
const LENIENCY = 'subpackages/inspection/leniency/index';
const ME = 'pages/me/index';

const PAST = '2026-01-15';
const FUTURE = '2999-01-01';

let wxFake: FakeWx;

beforeAll(() => {
  installFakeWx();
  for (const p of [LIST, DETAIL, LENIENCY, ME]) loadPage(p);
});

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
});

/** The page's WXML drawn with `data`: TDesign as stubs, our own components drawing nothing. */
function render(path: string, data: Record<string, unknown>) {
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

const texts = (comp: ReturnType<typeof render>, selector: string) =>
  comp.querySelectorAll(selector).map((n) => (n.dom?.textContent ?? '').replace(/\s+/g, ''));

describe('涉企检查', () => {
  it('lists my enterprise\'s inspections with the day, units, joint, why and the state; loads more; opens one', async () => {
    const rated = inspectionFixture({
      id: '30',
      units: [{ id: '4', name: '青岛市市场监督管理局' }],
      joint: false,
      purpose: '双随机抽查',
      inspectedOn: '2026-01-02',
      myRating: { proper: true, comment: null, demandId: null, createdAt: '2026-01-03T09:00:00+08:00' },
    });
    wxFake.on('GET /inspections', (req) =>
      req.query.cursor === 'c2'
        ? { statusCode: 200, data: { items: [rated], nextCursor: null } }
        : { statusCode: 200, data: { items: [inspectionFixture({ id: '32', inspectedOn: FUTURE }), inspectionFixture({ inspectedOn: PAST })], nextCursor: 'c2' } },
    );
    const p = page(LIST);
    call(p, 'onShow');
    await settle();
    expect(p.data.state).toBe('ready');
    call(p, 'onReachBottom');
    await settle();
    expect(wxFake.calls('GET /inspections').map((r) => r.query)).toEqual([{ limit: '20' }, { cursor: 'c2', limit: '20' }]);
    const rows = p.data.items as { id: string; date: string; units: string; joint: boolean; purpose: string; stateLabel: string }[];
    expect(rows.map((r) => [r.id, r.date, r.units, r.joint, r.purpose, r.stateLabel])).toEqual([
      ['32', FUTURE, '青岛市市场监督管理局、青岛市消防救援支队', true, '食品经营许可现场核查', '检查后可评价'],
      ['31', PAST, '青岛市市场监督管理局、青岛市消防救援支队', true, '食品经营许可现场核查', '待评价'],
      ['30', '2026-01-02', '青岛市市场监督管理局', false, '双随机抽查', '已评价'],
    ]);

    const comp = render(LIST, p.data);
    expect(texts(comp, '.item__state')).toEqual(['检查后可评价', '待评价', '已评价']);
    expect(comp.querySelectorAll('.item__joint')).toHaveLength(2);

    call(p, 'onItemTap', tap({ id: '31' }));
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/inspection/detail/index?id=31']);
  });

  it('says so when there is none, and shows a refusal with a retry', async () => {
    wxFake.on('GET /inspections', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    const p = page(LIST);
    call(p, 'onShow');
    await settle();
    expect([p.data.state, p.data.errorMessage]).toEqual(['error', '您无权执行该操作']);
    wxFake.on('GET /inspections', () => ({ statusCode: 200, data: { items: [], nextCursor: null } }));
    call(p, 'onRetry');
    await settle();
    expect(p.data.state).toBe('ready');
    expect(render(LIST, p.data).querySelector('.empty')).toBeTruthy();
  });
});

const MEMBER = userFixture({ enterprise: { id: '7', name: '海纳智能科技有限公司', uscc: '91350100M000100Y43' } });
const OFFICER = userFixture({
  id: '9',
  nickname: '体验官李四',
  roles: [{ id: '19', role: 'officer', enterpriseId: null, enterpriseName: null, unitId: null, unitName: null, termEnds: null }],
});

describe('one inspection', () => {
  beforeEach(() => {
    wxFake.on('GET /me', () => ({ statusCode: 200, data: MEMBER }));
  });

  async function opened(overrides = {}): Promise<PageInstance> {
    wxFake.on('GET /inspections/31', () => ({ statusCode: 200, data: inspectionFixture({ inspectedOn: PAST, ...overrides }) }));
    const p = page(DETAIL);
    call(p, 'onLoad', { id: '31' });
    await settle();
    expect(p.data.state).toBe('ready');
    return p;
  }

  const errorsOf = (p: PageInstance) => p.data.errors as Record<string, string>;
  const change = (p: PageInstance, handler: string, value: unknown) => call(p, handler, { detail: { value } });

  it('shows who, why, on what basis, the day and the units, and the rating form', async () => {
    const p = await opened();
    const comp = render(DETAIL, p.data);
    expect(texts(comp, '.head__date')).toEqual([`检查日期：${PAST}`]);
    expect(texts(comp, '.units')).toEqual(['青岛市市场监督管理局、青岛市消防救援支队']);
    expect(texts(comp, '.inspectors')).toEqual(['王五（执法证号37020001）、赵六（执法证号37020002）']);
    expect(texts(comp, '.purpose')).toEqual(['食品经营许可现场核查']);
    expect(texts(comp, '.basis')).toEqual(['《食品安全法》第八十七条']);
    expect(texts(comp, '.choice')).toEqual(['规范', '不规范']);
    expect(comp.querySelector('.upcoming')).toBeFalsy();
  });

  it('checks the choice, and that a complaint has a comment, sending nothing meanwhile', async () => {
    const p = await opened();
    await call(p, 'onSubmit');
    expect(p.data.errors).toEqual({ proper: '请选择检查是否规范', comment: '' });
    call(p, 'onChoiceTap', tap({ value: 'improper' }));
    change(p, 'onComplaintChange', true);
    await call(p, 'onSubmit');
    expect(p.data.errors).toEqual({ proper: '', comment: '投诉请说明情况' });
    expect(wxFake.calls('POST /inspections/31/rating')).toHaveLength(0);
    change(p, 'onCommentChange', ' 未出示执法证件 ');
    expect([errorsOf(p).comment, p.data.commentCount]).toEqual(['', 7]);
  });

  it('sends a plain rating, then shows it in place of the form', async () => {
    wxFake.on('POST /inspections/31/rating', () => ({
      statusCode: 201,
      data: { proper: true, comment: null, demandId: null, createdAt: '2026-01-15T10:00:00+08:00' },
    }));
    const p = await opened();
    call(p, 'onChoiceTap', tap({ value: 'proper' }));
    await call(p, 'onSubmit');
    const [sent] = wxFake.calls('POST /inspections/31/rating');
    expect(sent!.data).toEqual({ proper: true, complaint: false });
    expect(sent!.header['Idempotency-Key']).toBeTruthy();
    expect(wxFake.toasts).toEqual(['感谢评价']);
    const comp = render(DETAIL, p.data);
    expect(texts(comp, '.rated__choice')).toEqual(['规范']);
    expect(comp.querySelector('.rated__demand')).toBeFalsy();
    expect(comp.querySelector('.choices')).toBeFalsy();
  });

  it('files a complaint with its comment and links the demand it became', async () => {
    wxFake.on('POST /inspections/31/rating', () => ({
      statusCode: 201,
      data: { proper: false, comment: '未出示执法证件', demandId: '42', createdAt: '2026-01-15T10:00:00+08:00' },
    }));
    const p = await opened();
    call(p, 'onChoiceTap', tap({ value: 'improper' }));
    change(p, 'onCommentChange', ' 未出示执法证件 ');
    change(p, 'onComplaintChange', true);
    await call(p, 'onSubmit');
    expect(wxFake.calls('POST /inspections/31/rating').map((r) => r.data)).toEqual([
      { proper: false, complaint: true, comment: '未出示执法证件' },
    ]);
    expect(wxFake.toasts).toEqual(['已提交投诉']);
    const comp = render(DETAIL, p.data);
    expect(texts(comp, '.rated__choice')).toEqual(['不规范']);
    expect(texts(comp, '.rated__comment')).toEqual(['未出示执法证件']);
    expect(texts(comp, '.rated__demand')).toEqual(['已转为诉求，查看办理进展']);
    call(p, 'onDemandTap');
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/demand/detail/index?id=42']);
  });

  it('shows a 409 in the server\'s words; already_rated then shows my rating', async () => {
    const p = await opened();
    wxFake.on('POST /inspections/31/rating', () => errorReply(409, 'not_yet_inspected', '检查尚未进行，检查后再评价'));
    call(p, 'onChoiceTap', tap({ value: 'proper' }));
    await call(p, 'onSubmit');
    expect(p.data.formError).toBe('检查尚未进行，检查后再评价');
    expect(wxFake.toasts).toEqual(['检查尚未进行，检查后再评价']);
    expect(texts(render(DETAIL, p.data), '.form-error')).toEqual(['检查尚未进行，检查后再评价']);

    wxFake.on('POST /inspections/31/rating', () => errorReply(409, 'already_rated', '您已评价过这次检查'));
    wxFake.on('GET /inspections/31', () => ({
      statusCode: 200,
      data: inspectionFixture({ inspectedOn: PAST, myRating: { proper: true, comment: null, demandId: null, createdAt: '2026-01-15T08:00:00+08:00' } }),
    }));
    await call(p, 'onSubmit');
    await settle();
    expect(wxFake.toasts).toEqual(['检查尚未进行，检查后再评价', '您已评价过这次检查']);
    expect((p.data.inspection as { state: string }).state).toBe('rated');
  });

  it('puts the server\'s 422 on the comment, and retries a lost answer with the same key', async () => {
    const p = await opened();
    wxFake.on('POST /inspections/31/rating', () =>
      errorReply(422, 'validation_failed', '提交的内容有误', [{ field: 'comment', code: 'invalid_characters', message: '不能包含控制字符或改变文字方向的字符' }]),
    );
    call(p, 'onChoiceTap', tap({ value: 'proper' }));
    change(p, 'onCommentChange', '好');
    await call(p, 'onSubmit');
    expect([errorsOf(p).comment, p.data.formError]).toEqual(['不能包含控制字符或改变文字方向的字符', '']);

    wxFake.on('POST /inspections/31/rating', () => ({ failWith: 'request:fail timeout' }));
    await call(p, 'onSubmit');
    wxFake.on('POST /inspections/31/rating', () => ({ statusCode: 201, data: { proper: true, comment: '好', demandId: null, createdAt: '2026-01-15T10:00:00+08:00' } }));
    await call(p, 'onSubmit');
    const keys = wxFake.calls('POST /inspections/31/rating').map((r) => r.header['Idempotency-Key']);
    expect(keys).toHaveLength(3);
    expect(keys[1]).toBe(keys[2]);
  });

  it('before its day says 检查后可评价 and offers no form', async () => {
    const p = await opened({ inspectedOn: FUTURE });
    const comp = render(DETAIL, p.data);
    expect(texts(comp, '.upcoming .card__title')).toEqual(['检查后可评价']);
    expect(comp.querySelector('.choices')).toBeFalsy();
    await call(p, 'onSubmit');
    expect(wxFake.calls('POST /inspections/31/rating')).toHaveLength(0);
  });

  it('shows a missing inspection in the server\'s words', async () => {
    wxFake.on('GET /inspections/9', () => errorReply(404, 'not_found', '检查不存在'));
    const p = page(DETAIL);
    call(p, 'onLoad', { id: '9' });
    await settle();
    expect([p.data.state, p.data.errorMessage]).toEqual(['error', '检查不存在']);
  });
});

describe('one inspection, for an invited observer', () => {
  const invited = { userId: '9', name: '体验官李四', observation: null, observedAt: null };
  const other = { userId: '8', name: '媒体观察员王五', observation: '现场秩序良好', observedAt: '2026-01-15T10:00:00+08:00' };

  async function opened(user = OFFICER, observers = [other, invited]): Promise<PageInstance> {
    wxFake.on('GET /me', () => ({ statusCode: 200, data: user }));
    wxFake.on('GET /inspections/31', () => ({ statusCode: 200, data: inspectionFixture({ inspectedOn: PAST, observers }) }));
    const p = page(DETAIL);
    call(p, 'onLoad', { id: '31' });
    await settle();
    expect(p.data.state).toBe('ready');
    return p;
  }

  const change = (p: PageInstance, value: string) => call(p, 'onObservationChange', { detail: { value } });

  it('shows the observers and the observation form, and no rating, to an invited officer who has not observed', async () => {
    const p = await opened();
    const comp = render(DETAIL, p.data);
    expect(texts(comp, '.observer__name')).toEqual(['媒体观察员王五', '体验官李四']);
    expect(texts(comp, '.observer__text')).toEqual(['现场秩序良好']);
    expect(texts(comp, '.observer__date')).toEqual(['2026-01-1510:00', '尚未反馈']);
    expect(comp.querySelector('.observe')).toBeTruthy();
    expect(comp.querySelector('.choices')).toBeFalsy();
    expect(comp.querySelector('.rated')).toBeFalsy();
    expect(comp.querySelector('.upcoming')).toBeFalsy();
    await call(p, 'onSubmit');
    expect(wxFake.calls('POST /inspections/31/rating')).toHaveLength(0);
  });

  it('offers no form to one who observed already, nor to one not invited; the members see the observers and rate', async () => {
    const done = await opened(OFFICER, [other, { ...invited, observation: '规范', observedAt: '2026-01-15T11:00:00+08:00' }]);
    expect(render(DETAIL, done.data).querySelector('.observe')).toBeFalsy();
    await call(done, 'onObserve');
    expect(wxFake.calls('POST /inspections/31/observations')).toHaveLength(0);

    const member = await opened(MEMBER);
    const comp = render(DETAIL, member.data);
    expect(comp.querySelector('.observe')).toBeFalsy();
    expect(texts(comp, '.observer__name')).toEqual(['媒体观察员王五', '体验官李四']);
    expect(texts(comp, '.choice')).toEqual(['规范', '不规范']);
  });

  it('checks the observation, counts it live, sends it trimmed with a key, then shows the updated observers', async () => {
    const p = await opened();
    await call(p, 'onObserve');
    expect(p.data.observationError).toBe('请填写您观察到的情况');
    expect(wxFake.calls('POST /inspections/31/observations')).toHaveLength(0);
    change(p, ' 执法人员出示了证件 ');
    expect([p.data.observationError, p.data.observationCount]).toEqual(['', 9]);
    expect(texts(render(DETAIL, p.data), '.observe__count')).toEqual(['已输入9/2000字']);

    wxFake.on('POST /inspections/31/observations', () => ({
      statusCode: 200,
      data: inspectionFixture({
        inspectedOn: PAST,
        observers: [other, { ...invited, observation: '执法人员出示了证件', observedAt: '2026-01-15T12:00:00+08:00' }],
      }),
    }));
    await call(p, 'onObserve');
    const [sent] = wxFake.calls('POST /inspections/31/observations');
    expect(sent!.data).toEqual({ observation: '执法人员出示了证件' });
    expect(sent!.header['Idempotency-Key']).toBeTruthy();
    const comp = render(DETAIL, p.data);
    expect(texts(comp, '.observer__text')).toEqual(['现场秩序良好', '执法人员出示了证件']);
    expect(comp.querySelector('.observe')).toBeFalsy();
    expect(comp.querySelector('.choices')).toBeFalsy();
  });

  it('shows 409 already_observed in the server\'s words, then what was observed', async () => {
    const p = await opened();
    wxFake.on('POST /inspections/31/observations', () => errorReply(409, 'already_observed', '您已反馈过这次检查'));
    wxFake.on('GET /inspections/31', () => ({
      statusCode: 200,
      data: inspectionFixture({ inspectedOn: PAST, observers: [other, { ...invited, observation: '在另一台手机上提交', observedAt: '2026-01-15T12:00:00+08:00' }] }),
    }));
    change(p, '规范');
    await call(p, 'onObserve');
    await settle();
    expect(p.data.observeFormError).toBe('您已反馈过这次检查');
    expect(wxFake.toasts).toEqual(['您已反馈过这次检查']);
    const comp = render(DETAIL, p.data);
    expect(texts(comp, '.observe-error')).toEqual(['您已反馈过这次检查']);
    expect(texts(comp, '.observer__text')).toEqual(['现场秩序良好', '在另一台手机上提交']);
    expect(comp.querySelector('.observe')).toBeFalsy();
  });
});

describe('免罚清单查询', () => {
  async function opened(): Promise<PageInstance> {
    const p = page(LENIENCY);
    call(p, 'onLoad');
    await settle();
    return p;
  }

  it('opens on every entry, pages on, and shows the offence, basis, conditions and unit', async () => {
    wxFake.on('GET /leniency-items', (req) =>
      req.query.cursor === 'c2'
        ? { statusCode: 200, data: { items: [leniencyFixture({ id: '52', list: 'first', listLabel: '首违不罚', item: '未按规定张贴价格标签' })], nextCursor: null } }
        : { statusCode: 200, data: { items: [leniencyFixture()], nextCursor: 'c2' } },
    );
    const p = await opened();
    call(p, 'onReachBottom');
    await settle();
    expect(wxFake.calls('GET /leniency-items').map((r) => r.query)).toEqual([{ limit: '20' }, { cursor: 'c2', limit: '20' }]);
    const comp = render(LENIENCY, p.data);
    expect(texts(comp, '.item__title')).toEqual(['未按规定公示营业执照', '未按规定张贴价格标签']);
    expect(texts(comp, '.item__unit')).toEqual(['青岛市市场监督管理局', '青岛市市场监督管理局']);
    expect(texts(comp, '.item__row')[0]).toBe('法律依据：《市场主体登记管理条例》第四十八条');
    expect(texts(comp, '.item__row')[1]).toBe('适用条件：首次被发现且在责令期限内改正');
  });

  it('searches the words typed and filters by list, each page of the search carrying both', async () => {
    wxFake.on('GET /leniency-items', () => ({ statusCode: 200, data: { items: [leniencyFixture()], nextCursor: 'c2' } }));
    const p = await opened();
    call(p, 'onChange', { detail: { value: ' 营业执照 ' } });
    call(p, 'onSearchTap');
    await settle();
    call(p, 'onListTap', tap({ value: 'first' }));
    await settle();
    call(p, 'onReachBottom');
    await settle();
    call(p, 'onSubmit', { detail: { value: '价格' } });
    await settle();
    call(p, 'onListTap', tap({ value: '' }));
    await settle();
    expect(wxFake.calls('GET /leniency-items').map((r) => r.query)).toEqual([
      { limit: '20' },
      { q: '营业执照', limit: '20' },
      { q: '营业执照', list: 'first', limit: '20' },
      { q: '营业执照', list: 'first', cursor: 'c2', limit: '20' },
      { q: '价格', list: 'first', limit: '20' },
      { q: '价格', limit: '20' },
    ]);
    // Clearing the box shows every entry again.
    call(p, 'onClear');
    await settle();
    const calls = wxFake.calls('GET /leniency-items');
    expect(calls[calls.length - 1]!.query).toEqual({ limit: '20' });
    expect([p.data.value, p.data.searched]).toEqual(['', '']);
  });

  it('says when nothing matches, and shows a failure with a retry', async () => {
    wxFake.on('GET /leniency-items', () => ({ statusCode: 200, data: { items: [], nextCursor: null } }));
    const p = await opened();
    call(p, 'onSubmit', { detail: { value: '不存在的行为' } });
    await settle();
    expect([p.data.state, p.data.searched]).toEqual(['ready', '不存在的行为']);
    expect(render(LENIENCY, p.data).querySelector('.empty')).toBeTruthy();

    wxFake.on('GET /leniency-items', () => errorReply(401, 'unauthorized', '请先登录'));
    call(p, 'onRetry');
    await settle();
    expect([p.data.state, p.data.errorMessage]).toEqual(['error', '请先登录']);
  });
});

describe('我的', () => {
  async function me(user = userFixture()): Promise<PageInstance> {
    session.setPersona({ code: 'dev:demo-enterprise', name: '演示企业' });
    wxFake.on('GET /me', () => ({ statusCode: 200, data: user }));
    wxFake.on('GET /notifications/unread-count', () => ({ statusCode: 200, data: { count: 0 } }));
    const p = page(ME);
    call(p, 'onShow');
    await settle();
    expect(p.data.state).toBe('ready');
    return p;
  }

  it('offers 涉企检查 to an enterprise member and 免罚清单 to anyone signed in', async () => {
    const member = await me(userFixture({ enterprise: { id: '7', name: '海纳智能科技有限公司', uscc: '91350100M000100Y43' } }));
    call(member, 'onInspections');
    call(member, 'onLeniency');
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/inspection/list/index', 'navigateTo /subpackages/inspection/leniency/index']);

    const wxml = fs.readFileSync(`${__dirname}/../src/${ME}.wxml`, 'utf8');
    expect(wxml).toMatch(/wx:if="\{\{inspections\}\}"\s+title="\{\{inspections.title\}\}"/);
    expect(wxml).toContain('title="免罚清单"');
    expect(member.data.inspections).toEqual({ title: '涉企检查', description: '查看本企业接受的检查，评价是否规范' });

    const other = await me();
    expect(other.data.inspections).toBeNull();
    call(other, 'onInspections');
    expect(wxFake.navigations).toHaveLength(2);
  });

  it('offers 受邀检查 to experience officers and media observers', async () => {
    for (const role of ['officer', 'media'] as const) {
      const p = await me(userFixture({ roles: [{ id: '20', role, enterpriseId: null, enterpriseName: null, unitId: null, unitName: null, termEnds: null }] }));
      expect((p.data.inspections as { title: string }).title).toBe('受邀检查');
      call(p, 'onInspections');
    }
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/inspection/list/index', 'navigateTo /subpackages/inspection/list/index']);
  });
});
