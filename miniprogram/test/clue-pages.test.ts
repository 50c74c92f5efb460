/**
 * @jest-environment jsdom
 */
// The clue pages' handlers (问题线索反映, 我反映的线索, 典型案例通报, a case), run against the fake
// `wx` through the page harness (`helpers/pages.ts`): the form's checks, what is sent (the
// anonymity said every time), the server's field errors on their fields; the stage and outcome of
// my clues, also as the page's WXML draws them (miniprogram-simulate); the cases and their paging.
// Then the entries: 我的 opens the pages, and the demand detail's 移送纪检监察 is offered to a
// butler or an admin only and sends `POST /demands/{id}/clue`.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import simulate from 'miniprogram-simulate';

import { chinaToday } from '../src/utils/roles';
import * as session from '../src/utils/session';
import { clueCaseFixture, demandFixture, errorReply, installFakeWx, myClueFixture, userFixture, type FakeWx } from './helpers/fake-wx';
import { call, loadPage, page, settle, tap, type PageInstance } from './helpers/pages';
import { tdesignStubs } from './helpers/tdesign-stubs';

interface Fs {
  readFileSync(path: string, encoding: 'utf8'): string;
}
// `require` is typed by the mini-program's globals (node types clash with them): cast once here.
const fs = require('fs') as Fs;

const REPORT = 'subpackages/clue/report/index';
const MINE = 'subpackages/clue/mine/index';
const CASES = 'subpackages/clue/cases/index';
const CASE = 'subpackages/clue/case/index';
const ME = 'pages/me/index';
const DETAIL = 'subpackages/demand/detail/index';

let wxFake: FakeWx;

beforeAll(() => {
  installFakeWx();
  for (const p of [REPORT, MINE, CASES, CASE, ME, DETAIL]) loadPage(p);
});

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
});

const change = (p: PageInstance, handler: string, value: unknown) => call(p, handler, { detail: { value } });
const errorsOf = (p: PageInstance) => p.data.errors as Record<string, string>;

function opened(): PageInstance {
  const p = page(REPORT);
  call(p, 'onLoad');
  return p;
}

/** A report with the kind and a situation of enough words: all the server requires. */
function filled(): PageInstance {
  const p = opened();
  change(p, 'onCategoryConfirm', ['buck_passing']);
  change(p, 'onContentChange', ' 办理开办手续时窗口和科室互相推诿，跑了三次仍未办成。 ');
  return p;
}

describe('问题线索反映', () => {
  it('offers the five kinds and says that only discipline staff read clues', () => {
    const p = opened();
    expect((p.data.categoryOptions as { label: string }[]).map((o) => o.label)).toEqual(['吃拿卡要', '推诿扯皮', '冷硬横推', '违规收费', '其他']);
    expect(p.data.today).toBe(chinaToday());
    const text = (data: Record<string, unknown>, selector: string) =>
      (render(REPORT, data).querySelector(selector)?.dom?.textContent ?? '').replace(/\s+/g, '');
    expect(text(p.data, '.notice')).toContain('问题线索只由纪检监察人员阅看和办理');
    expect(text(p.data, '.anonymous-note')).toContain('实名反映');
    expect(text(p.data, '.count')).toBe('已输入0/2000字，至少10字');

    change(p, 'onAnonymousChange', true);
    change(p, 'onContentChange', '窗口人员暗示需要请客吃饭才能加快办理');
    expect(text(p.data, '.anonymous-note')).toContain('匿名反映：纪检监察人员看不到是谁反映的');
    expect(text(p.data, '.count')).toBe('已输入18/2000字');
  });

  it('checks the form as the server would and sends nothing while it fails', async () => {
    const p = opened();
    await call(p, 'onSubmit');
    expect(p.data.errors).toEqual({ category: '请选择问题类型', unitId: '', official: '', happenedOn: '', content: '请填写情况说明', fileIds: '' });

    change(p, 'onCategoryConfirm', ['extortion']);
    expect([p.data.category, p.data.categoryText, errorsOf(p).category]).toEqual(['extortion', '吃拿卡要', '']);
    change(p, 'onContentChange', ' 要求请吃饭 ');
    // The count is live, as the server counts: trimmed, by character.
    expect(p.data.contentCount).toBe(5);
    change(p, 'onOfficialChange', '窗'.repeat(61));
    change(p, 'onDateConfirm', '2999-01-01 00:00:00');
    await call(p, 'onSubmit');
    expect(p.data.errors).toEqual({
      category: '',
      unitId: '',
      official: '涉及人员或岗位不能超过 60 个字',
      happenedOn: '发生日期不能晚于今天',
      content: '请至少用 10 个字说明情况',
      fileIds: '',
    });
    expect(wxFake.sent).toHaveLength(0);

    // Editing a field clears its message.
    change(p, 'onContentChange', '窗口人员暗示需要请客吃饭才能加快办理');
    expect([errorsOf(p).content, p.data.contentCount]).toEqual(['', 18]);
  });

  it('sends a named report: anonymous false, the optional parts left out, then opens 我反映的线索', async () => {
    wxFake.on('POST /clues', () => ({ statusCode: 201, data: myClueFixture({ category: 'buck_passing', categoryLabel: '推诿扯皮' }) }));
    const p = filled();
    await call(p, 'onSubmit');

    const [sent] = wxFake.calls('POST /clues');
    expect(sent!.data).toEqual({ category: 'buck_passing', content: '办理开办手续时窗口和科室互相推诿，跑了三次仍未办成。', anonymous: false });
    expect(sent!.header['Idempotency-Key']).toBeTruthy();
    expect(wxFake.toasts).toEqual(['已提交']);
    expect(wxFake.navigations).toEqual(['redirectTo /subpackages/clue/mine/index']);
    expect(p.data.submitting).toBe(false);
  });

  it('sends an anonymous report with the unit, who, when and the photos', async () => {
    wxFake.on('GET /units', () => ({
      statusCode: 200,
      data: { items: [{ id: '3', code: 'tax', name: '青岛市税务局', createdAt: '2026-11-01T09:00:00+08:00' }], nextCursor: null },
    }));
    let next = 60;
    wxFake.on('POST /files', () => ({ statusCode: 201, data: { id: String((next += 1)), contentType: 'image/jpeg', size: 1000, createdAt: '2026-11-28T10:00:00+08:00' } }));
    wxFake.on('POST /clues', () => ({ statusCode: 201, data: myClueFixture({ anonymous: true }) }));
    const p = filled();

    await call(p, 'onUnitTap');
    expect([wxFake.calls('GET /units')[0]!.query, p.data.unitPickerVisible]).toEqual([{ limit: '100' }, true]);
    change(p, 'onUnitConfirm', ['3']);
    change(p, 'onOfficialChange', ' 三号窗口 ');
    call(p, 'onDateTap');
    change(p, 'onDateConfirm', '2026-11-20');
    change(p, 'onAnonymousChange', true);
    call(p, 'onPhotosAdd', { detail: { files: [{ url: 'wxfile://tmp/a.jpg' }, { url: 'wxfile://tmp/b.jpg' }] } });
    await settle();
    expect((p.data.photos as { fileId: string; status: string }[]).map((f) => [f.fileId, f.status])).toEqual([
      ['61', 'done'],
      ['62', 'done'],
    ]);
    expect([p.data.unitName, p.data.happenedOn, p.data.datePickerVisible]).toEqual(['青岛市税务局', '2026-11-20', false]);
    await call(p, 'onSubmit');

    expect(wxFake.calls('POST /clues').map((r) => r.data)).toEqual([
      {
        category: 'buck_passing',
        unitId: '3',
        official: '三号窗口',
        content: '办理开办手续时窗口和科室互相推诿，跑了三次仍未办成。',
        happenedOn: '2026-11-20',
        anonymous: true,
        fileIds: ['61', '62'],
      },
    ]);
    expect(wxFake.navigations).toEqual(['redirectTo /subpackages/clue/mine/index']);
  });

  it('lets the unit and the date be taken back', async () => {
    const p = filled();
    p.data.units = [{ value: '3', label: '青岛市税务局' }];
    change(p, 'onUnitConfirm', ['3']);
    change(p, 'onDateConfirm', '2026-11-20');
    call(p, 'onUnitClear');
    call(p, 'onDateClear');
    expect([p.data.unitId, p.data.unitName, p.data.happenedOn]).toEqual(['', '', '']);
  });

  it('waits for photos still uploading and asks to retry failed ones', async () => {
    wxFake.on('POST /files', () => errorReply(413, 'file_too_large', '文件过大'));
    const p = filled();
    call(p, 'onPhotosAdd', { detail: { files: [{ url: 'wxfile://tmp/a.jpg' }] } });
    await call(p, 'onSubmit');
    expect(errorsOf(p).fileIds).toBe('图片上传中，请稍候');
    await settle();
    expect(wxFake.toasts).toEqual(['文件过大']);
    await call(p, 'onSubmit');
    expect(errorsOf(p).fileIds).toBe('有图片上传失败，请点击重试或删除');
    expect(wxFake.calls('POST /clues')).toHaveLength(0);

    call(p, 'onPhotoRemove', { detail: { index: 0 } });
    expect([p.data.photos, errorsOf(p).fileIds]).toEqual([[], '']);
  });

  it('shows the server\'s 422 on its fields, and another refusal below the form', async () => {
    wxFake.on('POST /clues', () =>
      errorReply(422, 'validation_failed', '提交的内容有误', [
        { field: 'content', code: 'invalid_characters', message: '不能包含控制字符或改变文字方向的字符' },
        { field: 'unitId', code: 'not_found', message: '单位不存在' },
      ]),
    );
    const p = filled();
    await call(p, 'onSubmit');
    expect([errorsOf(p).content, errorsOf(p).unitId, p.data.formError]).toEqual(['不能包含控制字符或改变文字方向的字符', '单位不存在', '']);
    expect(wxFake.toasts).toEqual(['请检查填写内容']);
    expect(wxFake.navigations).toEqual([]);

    wxFake.on('POST /clues', () => errorReply(401, 'unauthorized', '请先登录'));
    await call(p, 'onSubmit');
    expect(p.data.formError).toBe('请先登录');
  });

  it('retries a report whose answer was lost with the same key', async () => {
    wxFake.on('POST /clues', () => ({ failWith: 'request:fail timeout' }));
    const p = filled();
    await call(p, 'onSubmit');
    expect(p.data.formError).toBe('请求超时，请检查网络后重试');
    wxFake.on('POST /clues', () => ({ statusCode: 201, data: myClueFixture() }));
    await call(p, 'onSubmit');
    const keys = wxFake.calls('POST /clues').map((r) => r.header['Idempotency-Key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });
});

describe('我反映的线索', () => {
  const closed = myClueFixture({
    id: '10',
    category: 'illegal_fees',
    categoryLabel: '违规收费',
    unitName: null,
    anonymous: true,
    stage: '已办结',
    closed: true,
    outcomeText: '您反映的问题已核查处理完毕，相关单位和人员已依规依纪作出处理。感谢您的监督。',
    createdAt: '2026-11-02T09:00:00+08:00',
    closedAt: '2026-11-25T16:00:00+08:00',
  });

  async function shown(): Promise<PageInstance> {
    const p = page(MINE);
    call(p, 'onShow');
    await settle();
    return p;
  }

  it('lists each clue with its kind, unit, day and stage, and the outcome once closed', async () => {
    wxFake.on('GET /me/clues', () => ({ statusCode: 200, data: [myClueFixture({ stage: '已受理，正在核查' }), closed] }));
    const p = await shown();
    expect(p.data.state).toBe('ready');
    expect(
      (p.data.items as { categoryLabel: string; unit: string; date: string; stage: string; outcomeText: string }[]).map((i) => [
        i.categoryLabel,
        i.unit,
        i.date,
        i.stage,
        i.outcomeText,
      ]),
    ).toEqual([
      ['吃拿卡要', '青岛市税务局', '2026-11-28', '已受理，正在核查', ''],
      ['违规收费', '', '2026-11-02', '已办结', '您反映的问题已核查处理完毕，相关单位和人员已依规依纪作出处理。感谢您的监督。'],
    ]);
    call(p, 'onReport');
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/clue/report/index']);
  });

  it('draws the stage and, for a closed clue, the outcome text', async () => {
    wxFake.on('GET /me/clues', () => ({ statusCode: 200, data: [myClueFixture(), closed] }));
    const p = await shown();
    const comp = render(MINE, p.data);
    const texts = (selector: string) => comp.querySelectorAll(selector).map((n) => n.dom?.textContent?.trim() ?? '');
    expect(texts('.item__stage')).toEqual(['已收到，等待受理', '已办结']);
    expect(texts('.item__outcome-text')).toEqual(['您反映的问题已核查处理完毕，相关单位和人员已依规依纪作出处理。感谢您的监督。']);
    expect(texts('.item__meta')).toEqual(['青岛市税务局 · 反映于 2026-11-28', '反映于 2026-11-02']);
  });

  it('says so when there is none, shows a failure with a retry, and reloads quietly when shown again', async () => {
    wxFake.on('GET /me/clues', () => errorReply(401, 'unauthorized', '请先登录'));
    const p = await shown();
    expect([p.data.state, p.data.errorMessage]).toEqual(['error', '请先登录']);

    wxFake.on('GET /me/clues', () => ({ statusCode: 200, data: [] }));
    call(p, 'onRetry');
    await settle();
    expect([p.data.state, p.data.items]).toEqual(['ready', []]);
    const comp = render(MINE, p.data);
    expect(comp.querySelector('.empty')).not.toBeNull();

    // Back from 问题线索反映 with the network down: the list stays, a toast says why.
    wxFake.on('GET /me/clues', () => ({ failWith: 'request:fail' }));
    call(p, 'onShow');
    await settle();
    expect(p.data.state).toBe('ready');
    expect(wxFake.toasts).toEqual(['网络连接失败，请检查网络后重试']);
  });
});

/**
 * The page's WXML drawn with `data`, as the platform would draw it: TDesign as stubs, our own
 * components (the offline banner, the privacy prompt) drawing nothing.
 */
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

describe('典型案例通报', () => {
  it('lists the cases, loads more, and opens one', async () => {
    wxFake.on('GET /cases', (req) =>
      req.query.cursor === 'c2'
        ? { statusCode: 200, data: { items: [clueCaseFixture({ id: '2', title: '某中心违规收费问题' })], nextCursor: null } }
        : { statusCode: 200, data: { items: [clueCaseFixture()], nextCursor: 'c2' } },
    );
    const p = page(CASES);
    call(p, 'onLoad');
    await settle();
    expect(p.data.state).toBe('ready');
    expect((p.data.items as { id: string; title: string; date: string }[]).map((i) => [i.id, i.title, i.date])).toEqual([
      ['3', '某局窗口工作人员吃拿卡要问题', '2026-11-30'],
    ]);

    call(p, 'onReachBottom');
    await settle();
    expect(wxFake.calls('GET /cases').map((r) => r.query)).toEqual([{ limit: '20' }, { cursor: 'c2', limit: '20' }]);
    expect((p.data.items as { id: string }[]).map((i) => i.id)).toEqual(['3', '2']);
    expect(p.data.nextCursor).toBeNull();

    call(p, 'onCaseTap', tap({ id: '2' }));
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/clue/case/index?id=2']);
  });

  it('says so when none is published', async () => {
    wxFake.on('GET /cases', () => ({ statusCode: 200, data: { items: [], nextCursor: null } }));
    const p = page(CASES);
    call(p, 'onLoad');
    await settle();
    expect([p.data.state, p.data.items]).toEqual(['ready', []]);
    const comp = render(CASES, p.data);
    expect(comp.querySelector('.empty')).not.toBeNull();
  });

  it('shows one case in full, and a missing one in the server\'s words', async () => {
    wxFake.on('GET /cases/3', () => ({ statusCode: 200, data: clueCaseFixture() }));
    const p = page(CASE);
    call(p, 'onLoad', { id: '3' });
    await settle();
    expect([p.data.state, p.data.title, p.data.date, p.data.body]).toEqual([
      'ready',
      '某局窗口工作人员吃拿卡要问题',
      '2026-11-30',
      '2026年10月，某局窗口工作人员在办理业务过程中，向企业暗示索要好处。经核查属实，给予其党内警告处分。',
    ]);

    wxFake.on('GET /cases/9', () => errorReply(404, 'not_found', '案例不存在'));
    const missing = page(CASE);
    call(missing, 'onLoad', { id: '9' });
    await settle();
    expect([missing.data.state, missing.data.errorMessage]).toEqual(['error', '案例不存在']);
  });
});

describe('我的', () => {
  it('opens 问题线索反映, 我反映的线索 and 典型案例通报 for anyone signed in', async () => {
    session.setPersona({ code: 'dev:demo-enterprise', name: '演示企业' });
    wxFake.on('GET /me', () => ({ statusCode: 200, data: userFixture() }));
    wxFake.on('GET /notifications/unread-count', () => ({ statusCode: 200, data: { count: 0 } }));
    const p = page(ME);
    call(p, 'onShow');
    await settle();
    expect(p.data.state).toBe('ready');
    call(p, 'onReportClue');
    call(p, 'onMyClues');
    call(p, 'onClueCases');
    expect(wxFake.navigations).toEqual([
      'navigateTo /subpackages/clue/report/index',
      'navigateTo /subpackages/clue/mine/index',
      'navigateTo /subpackages/clue/cases/index',
    ]);
    const wxml = fs.readFileSync(`${__dirname}/../src/${ME}.wxml`, 'utf8');
    for (const title of ['问题线索反映', '我反映的线索', '典型案例通报']) expect(wxml).toContain(`title="${title}"`);
  });
});

describe('移送纪检监察 on the demand detail', () => {
  const butler = userFixture({ id: '3', roles: [{ id: '1', role: 'butler' }] });
  const admin = userFixture({ id: '2', roles: [{ id: '5', role: 'admin' }] });

  async function detail(viewer = butler): Promise<PageInstance> {
    wxFake.on('GET /me', () => ({ statusCode: 200, data: viewer }));
    wxFake.on('GET /demands/42', () => ({ statusCode: 200, data: demandFixture({ status: 'accepted', statusLabel: '已受理' }) }));
    const p = page(DETAIL);
    call(p, 'onLoad', { id: '42' });
    await settle();
    expect(p.data.state).toBe('ready');
    return p;
  }

  it('is offered to a butler or an admin only', async () => {
    expect((await detail(butler)).data.canRefer).toBe(true);
    expect((await detail(admin)).data.canRefer).toBe(true);
    const handler = userFixture({ id: '4', roles: [{ id: '2', role: 'handler', unitId: '3', unitName: '青岛市税务局' }] });
    expect((await detail(handler)).data.canRefer).toBe(false);
    expect((await detail(userFixture())).data.canRefer).toBe(false);
    const wxml = fs.readFileSync(`${__dirname}/../src/${DETAIL}.wxml`, 'utf8');
    expect(wxml).toMatch(/wx:if="\{\{canRefer && !referred\}\}"[^>]*bind:tap="onReferTap"[^>]*>移送纪检监察</);
  });

  it('asks for the kind, sends it with the note to POST /demands/{id}/clue, then says 已移送纪检监察', async () => {
    const p = await detail();
    call(p, 'onReferTap');
    expect([p.data.sheet, p.data.sheetTitle]).toEqual(['refer', '移送纪检监察']);
    expect((p.data.clueCategoryOptions as { label: string }[]).map((o) => o.label)).toEqual(['吃拿卡要', '推诿扯皮', '冷硬横推', '违规收费', '其他']);
    call(p, 'onSheetSubmit');
    expect((p.data.sheetErrors as Record<string, string>).category).toBe('请选择问题类型');
    expect(wxFake.calls('POST /demands/42/clue')).toHaveLength(0);

    wxFake.on('POST /demands/42/clue', () => ({ statusCode: 201, data: { clueId: '12' } }));
    call(p, 'onReferCategoryChange', { detail: { value: 'cold_hard' } });
    call(p, 'onNoteChange', { detail: { value: ' 企业反映窗口人员态度生硬、推脱不办 ' } });
    call(p, 'onSheetSubmit');
    await settle();
    const sent = wxFake.calls('POST /demands/42/clue');
    expect(sent.map((r) => r.data)).toEqual([{ category: 'cold_hard', note: '企业反映窗口人员态度生硬、推脱不办' }]);
    expect(sent[0]!.header['Idempotency-Key']).toBeTruthy();
    expect(wxFake.toasts).toContain('已移送纪检监察');
    expect([p.data.sheet, p.data.referred]).toEqual(['', true]);
    // Nothing is written on the demand: it is not reloaded.
    expect(wxFake.calls('GET /demands/42')).toHaveLength(1);
  });

  it('shows the server\'s message on 409 already_referred, and the action gives way', async () => {
    const p = await detail(admin);
    wxFake.on('POST /demands/42/clue', () => errorReply(409, 'already_referred', '该诉求已移送纪检监察'));
    call(p, 'onReferTap');
    call(p, 'onReferCategoryChange', { detail: { value: 'other' } });
    call(p, 'onSheetSubmit');
    await settle();
    expect(wxFake.calls('POST /demands/42/clue').map((r) => r.data)).toEqual([{ category: 'other' }]);
    expect(wxFake.toasts).toEqual(['该诉求已移送纪检监察']);
    expect([p.data.sheet, p.data.referred]).toEqual(['', true]);
  });

  it('shows a refusal (403) in the server\'s words and leaves the action there', async () => {
    const p = await detail();
    wxFake.on('POST /demands/42/clue', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    call(p, 'onReferTap');
    call(p, 'onReferCategoryChange', { detail: { value: 'extortion' } });
    call(p, 'onSheetSubmit');
    await settle();
    expect(wxFake.toasts).toEqual(['您无权执行该操作']);
    expect(p.data.referred).toBe(false);
  });
});
