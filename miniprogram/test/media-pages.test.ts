// The media pages' handlers (媒体观察, 新建, 宣传登记), run against the fake `wx` through the page
// harness (`helpers/pages.ts`): the lists and their paging, the client checks, what is sent, and
// the server's 403/422 shown in its words.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import * as session from '../src/utils/session';
import { chinaToday } from '../src/utils/roles';
import { errorReply, installFakeWx, observationFixture, publicityFixture, userFixture, type FakeWx } from './helpers/fake-wx';
import { call, loadPage, page as pageOf, settle, tap, type PageInstance } from './helpers/pages';

const page = (name: string): PageInstance => pageOf(`subpackages/media/${name}/index`);

let wxFake: FakeWx;

beforeAll(() => {
  installFakeWx();
  loadPage('subpackages/media/observations/index');
  loadPage('subpackages/media/observation-new/index');
  loadPage('subpackages/media/publicity/index');
});

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
});

describe('媒体观察 list', () => {
  it('lists my observations, loads more, and opens 新建, 宣传登记 and a demand', async () => {
    wxFake.on('GET /media/observations', (req) =>
      req.query.cursor === 'n2'
        ? { statusCode: 200, data: { items: [observationFixture({ id: '90', kind: 'lead', demandId: null })], nextCursor: null } }
        : { statusCode: 200, data: { items: [observationFixture({ demandId: '301' })], nextCursor: 'n2' } },
    );
    const list = page('observations');
    call(list, 'onShow');
    await settle();

    expect(list.data.state).toBe('ready');
    expect((list.data.items as { id: string; kindLabel: string; demandId: string }[]).map((i) => [i.id, i.kindLabel, i.demandId])).toEqual([
      ['91', '问题发现', '301'],
    ]);
    call(list, 'onReachBottom');
    await settle();
    expect(wxFake.calls('GET /media/observations').map((r) => r.query)).toEqual([{ limit: '20' }, { cursor: 'n2', limit: '20' }]);
    expect((list.data.items as { id: string }[]).map((i) => i.id)).toEqual(['91', '90']);
    expect(list.data.nextCursor).toBeNull();

    call(list, 'onNew');
    call(list, 'onPublicity');
    call(list, 'onDemandTap', tap({ id: '301' }));
    expect(wxFake.navigations).toEqual([
      'navigateTo /subpackages/media/observation-new/index',
      'navigateTo /subpackages/media/publicity/index',
      'navigateTo /subpackages/demand/detail/index?id=301',
    ]);
  });

  it('shows a refusal (403) with a retry, and reloads quietly when shown again', async () => {
    wxFake.on('GET /media/observations', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    const list = page('observations');
    call(list, 'onShow');
    await settle();
    expect([list.data.state, list.data.errorMessage]).toEqual(['error', '您无权执行该操作']);

    wxFake.on('GET /media/observations', () => ({ statusCode: 200, data: { items: [], nextCursor: null } }));
    call(list, 'onRetry');
    await settle();
    expect(list.data.state).toBe('ready');
    expect(list.data.items).toEqual([]);

    // Back from 新建 with the network down: the list stays, a toast says why.
    wxFake.on('GET /media/observations', () => ({ failWith: 'request:fail' }));
    call(list, 'onShow');
    await settle();
    expect(list.data.state).toBe('ready');
    expect(wxFake.toasts).toEqual(['网络连接失败，请检查网络后重试']);
  });
});

describe('新建观察记录', () => {
  const change = (p: PageInstance, handler: string, value: string) => call(p, handler, { detail: { value } });

  it('checks the form as the server would and sends nothing while it fails', async () => {
    const form = page('observation-new');
    call(form, 'onLoad', {});
    change(form, 'onTitleChange', '标'.repeat(61));
    change(form, 'onContentChange', '   ');
    await call(form, 'onSubmit');

    expect(form.data.errors).toEqual({ kind: '', title: '标题不能超过 60 个字', content: '请填写内容' });
    expect(wxFake.sent).toHaveLength(0);

    // Editing a field clears its message.
    change(form, 'onTitleChange', '排队过长');
    expect((form.data.errors as Record<string, string>).title).toBe('');
  });

  it('sends the trimmed observation of the kind picked, then offers another', async () => {
    wxFake.on('POST /media/observations', () => ({ statusCode: 201, data: observationFixture({ kind: 'lead' }) }));
    const form = page('observation-new');
    call(form, 'onLoad', { eventId: '5' });
    call(form, 'onKindChange', { detail: { value: 'lead' } });
    change(form, 'onTitleChange', ' 政务大厅排队过长 ');
    change(form, 'onContentChange', ' 取号已到 120 号 ');
    await call(form, 'onSubmit');

    const [sent] = wxFake.calls('POST /media/observations');
    expect(sent!.data).toEqual({ kind: 'lead', title: '政务大厅排队过长', content: '取号已到 120 号', eventId: '5' });
    expect(sent!.header['Idempotency-Key']).toBeTruthy();
    expect(form.data.done).toBe(true);
    expect(form.data.submitting).toBe(false);

    call(form, 'onAnother');
    expect([form.data.done, form.data.title, form.data.content, form.data.kind]).toEqual([false, '', '', 'lead']);
    call(form, 'onBack');
    expect(wxFake.navigations).toEqual(['navigateBack 1']);
  });

  it('shows the server\'s 422 next to its field, and a 403 below the form', async () => {
    wxFake.on('POST /media/observations', () =>
      errorReply(422, 'validation_failed', '提交的内容有误', [{ field: 'content', code: 'content_risky', message: '内容含有违规信息，请修改后再提交' }]),
    );
    const form = page('observation-new');
    call(form, 'onLoad', {});
    change(form, 'onTitleChange', '标题');
    change(form, 'onContentChange', '内容');
    await call(form, 'onSubmit');

    expect(form.data.errors).toEqual({ kind: '', title: '', content: '内容含有违规信息，请修改后再提交' });
    expect(form.data.formError).toBe('');
    expect(wxFake.toasts).toEqual(['请检查填写内容']);
    expect(form.data.done).toBe(false);

    wxFake.on('POST /media/observations', () => errorReply(403, 'forbidden', '仅媒体观察员可以提交观察记录'));
    await call(form, 'onSubmit');
    expect(form.data.formError).toBe('仅媒体观察员可以提交观察记录');
    expect(wxFake.toasts).toEqual(['请检查填写内容', '仅媒体观察员可以提交观察记录']);
    // Two answers from the server: two actions, two keys.
    const keys = wxFake.calls('POST /media/observations').map((r) => r.header['Idempotency-Key']);
    expect(new Set(keys).size).toBe(2);
  });

  it('retries a submission whose answer was lost with the same key', async () => {
    wxFake.on('POST /media/observations', () => ({ failWith: 'request:fail timeout' }));
    const form = page('observation-new');
    call(form, 'onLoad', {});
    change(form, 'onTitleChange', '标题');
    change(form, 'onContentChange', '内容');
    await call(form, 'onSubmit');
    expect(form.data.formError).toBe('请求超时，请检查网络后重试');

    wxFake.on('POST /media/observations', () => ({ statusCode: 201, data: observationFixture() }));
    await call(form, 'onSubmit');
    const keys = wxFake.calls('POST /media/observations').map((r) => r.header['Idempotency-Key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(form.data.done).toBe(true);
  });
});

describe('宣传登记', () => {
  async function opened(): Promise<PageInstance> {
    wxFake.on('GET /media/publicity', () => ({ statusCode: 200, data: { items: [publicityFixture()], nextCursor: null } }));
    const p = page('publicity');
    call(p, 'onLoad');
    await settle();
    expect(p.data.state).toBe('ready');
    return p;
  }

  const field = (p: PageInstance, name: string, value: string) => call(p, 'onFieldChange', tap({ field: name }, { value }));

  it('lists the items and copies a link', async () => {
    const p = await opened();
    expect(p.data.items).toEqual([
      { id: '95', outlet: '青岛日报', levelLabel: '市级', title: '我市开展企业家吐槽日活动', link: 'https://example.com/news/1', publishedOn: '2026-11-27' },
    ]);
    expect(p.data.today).toBe(chinaToday());
    call(p, 'onLinkTap', tap({ link: 'https://example.com/news/1' }));
    await settle();
    expect(wxFake.clipboard).toEqual(['https://example.com/news/1']);
    expect(wxFake.toasts).toEqual(['链接已复制']);
  });

  it('checks the form, then records the item and puts it on top', async () => {
    const p = await opened();
    call(p, 'onOpenForm');
    field(p, 'link', 'http://example.com');
    await call(p, 'onSubmit');
    expect(p.data.errors).toEqual({
      outlet: '请填写媒体名称',
      level: '请选择媒体级别',
      title: '请填写稿件标题',
      link: '链接须以 https:// 开头',
      publishedOn: '请选择发布日期',
    });
    expect(wxFake.calls('POST /media/publicity')).toHaveLength(0);

    wxFake.on('POST /media/publicity', (req) => ({
      statusCode: 201,
      data: publicityFixture({ ...(req.data as object), id: '96', link: null }),
    }));
    field(p, 'outlet', ' 大众日报 ');
    call(p, 'onLevelTap');
    expect(p.data.levelPickerVisible).toBe(true);
    call(p, 'onLevelConfirm', { detail: { value: ['provincial'] } });
    field(p, 'title', '营商环境观察');
    field(p, 'link', '');
    call(p, 'onDateTap');
    call(p, 'onDateConfirm', { detail: { value: '2026-11-20' } });
    expect([p.data.levelText, p.data.levelPickerVisible, p.data.datePickerVisible]).toEqual(['省级', false, false]);
    await call(p, 'onSubmit');

    const [sent] = wxFake.calls('POST /media/publicity');
    expect(sent!.data).toEqual({ outlet: '大众日报', level: 'provincial', title: '营商环境观察', publishedOn: '2026-11-20' });
    expect(sent!.header['Idempotency-Key']).toBeTruthy();
    expect((p.data.items as { id: string; levelLabel: string }[]).map((i) => [i.id, i.levelLabel])).toEqual([
      ['96', '省级'],
      ['95', '市级'],
    ]);
    expect(p.data.formOpen).toBe(false);
    expect(p.data.draft).toEqual({ outlet: '', level: '', title: '', link: '', publishedOn: '' });
    expect(wxFake.toasts).toEqual(['已登记']);
  });

  it('shows the server\'s 422 next to its field and a 403 below the form', async () => {
    const p = await opened();
    call(p, 'onOpenForm');
    field(p, 'outlet', '青岛日报');
    call(p, 'onLevelConfirm', { detail: { value: ['municipal'] } });
    field(p, 'title', '标题');
    field(p, 'link', 'https://example.com/x');
    call(p, 'onDateConfirm', { detail: { value: '2026-11-27' } });

    wxFake.on('POST /media/publicity', () =>
      errorReply(422, 'validation_failed', '提交的内容有误', [{ field: 'publishedOn', code: 'in_future', message: '发布日期不能晚于今天' }]),
    );
    await call(p, 'onSubmit');
    expect((p.data.errors as Record<string, string>).publishedOn).toBe('发布日期不能晚于今天');
    expect(p.data.formOpen).toBe(true);

    wxFake.on('POST /media/publicity', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    await call(p, 'onSubmit');
    expect(p.data.formError).toBe('您无权执行该操作');
    expect(wxFake.toasts).toEqual(['请检查填写内容', '您无权执行该操作']);
    expect((p.data.items as unknown[]).length).toBe(1);

    call(p, 'onCloseForm');
    expect([p.data.formOpen, p.data.formError]).toEqual([false, '']);
  });
});
