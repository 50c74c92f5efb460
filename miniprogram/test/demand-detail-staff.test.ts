// The demand detail page's staff steps beside the state machine: 标记不合理, 合并重复诉求 (by the
// target's SQ number), 留言 for anyone who may read it, and 答复 with files.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { checkSheet, demandNumberOf, sideMoves } from '../src/subpackages/demand/utils/demand';
import * as session from '../src/utils/session';
import { demandFixture, errorReply, installFakeWx, userFixture, type FakeWx } from './helpers/fake-wx';
import { call, loadPage, page, settle, tap, type PageInstance } from './helpers/pages';

const DETAIL = 'subpackages/demand/detail/index';
let wxFake: FakeWx;

beforeAll(() => {
  installFakeWx();
  loadPage(DETAIL);
});

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
});

const butler = userFixture({ id: '3', roles: [{ id: '1', role: 'butler' }] });
const handler = userFixture({ id: '4', roles: [{ id: '2', role: 'handler', unitId: '3', unitName: '青岛市税务局' }] });
const values = { reason: '', note: '', content: '', unitId: '', dueDate: '', workingDays: 3 };

async function opened(viewer = butler, demand = demandFixture({ status: 'accepted', statusLabel: '已受理' })): Promise<PageInstance> {
  wxFake.on('GET /me', () => ({ statusCode: 200, data: viewer }));
  wxFake.on('GET /demands/42', () => ({ statusCode: 200, data: demand }));
  const p = page(DETAIL);
  call(p, 'onLoad', { id: '42' });
  await settle();
  return p;
}

describe('rules', () => {
  it('offers 标记不合理 and 合并 to butlers and admins only, where the server allows them', () => {
    expect(sideMoves({ status: 'accepted', unreasonable: false }, ['butler'])).toEqual(['flagUnreasonable', 'merge']);
    expect(sideMoves({ status: 'closed', unreasonable: false }, ['admin'])).toEqual(['flagUnreasonable']);
    expect(sideMoves({ status: 'accepted', unreasonable: true }, ['admin'])).toEqual(['merge']);
    expect(sideMoves({ status: 'merged', unreasonable: false }, ['admin'])).toEqual([]);
    expect(sideMoves({ status: 'accepted', unreasonable: false }, ['handler', 'enterprise'])).toEqual([]);
  });

  it('reads a demand number as people type it', () => {
    expect(demandNumberOf(' sq20261128-0007 ')).toBe('SQ20261128-0007');
    expect(demandNumberOf('20261128-0007')).toBe('');
  });

  it('checks the new sheets before sending', () => {
    expect(checkSheet('flagUnreasonable', values)).toEqual({ reason: '请填写认定为不合理诉求的理由' });
    expect(checkSheet('merge', { ...values, intoNumber: '7' })).toEqual({ intoId: '请填写要合并到的诉求编号，如 SQ20261128-0007' });
    expect(checkSheet('comment', values)).toEqual({ content: '请填写留言内容' });
    expect(checkSheet('comment', { ...values, content: '请补充材料' })).toEqual({});
  });
});

describe('staff on a demand', () => {
  it('flags it unreasonable with a reason', async () => {
    const p = await opened();
    expect((p.data.sideMoves as { key: string }[]).map((m) => m.key)).toEqual(['flagUnreasonable', 'merge']);
    call(p, 'onSideMoveTap', tap({ move: 'flagUnreasonable' }));
    call(p, 'onReasonChange', { detail: { value: '同一企业重复提交，已多次答复' } });
    wxFake.on('POST /demands/42/flag-unreasonable', () => ({ statusCode: 200, data: demandFixture({ status: 'accepted', unreasonable: true }) }));
    call(p, 'onSheetSubmit');
    await settle();
    expect(wxFake.calls('POST /demands/42/flag-unreasonable').map((r) => r.data)).toEqual([{ reason: '同一企业重复提交，已多次答复' }]);
    expect(wxFake.toasts).toContain('已标记为不合理诉求');
    expect((p.data.sideMoves as { key: string }[]).map((m) => m.key)).toEqual(['merge']);
  });

  it('merges it into the demand whose number is typed', async () => {
    const p = await opened();
    call(p, 'onSideMoveTap', tap({ move: 'merge' }));
    call(p, 'onIntoNumberChange', { detail: { value: 'sq20261127-0003' } });
    wxFake.on('GET /demands', () => ({ statusCode: 200, data: { items: [demandFixture({ id: '40', number: 'SQ20261127-0003' })], nextCursor: null } }));
    wxFake.on('POST /demands/42/merge', () => ({ statusCode: 200, data: demandFixture({ status: 'merged', statusLabel: '已合并', mergedInto: '40' }) }));
    call(p, 'onSheetSubmit');
    await settle();
    expect(wxFake.calls('GET /demands')[0]!.query).toEqual({ q: 'SQ20261127-0003', limit: '5' });
    expect(wxFake.calls('POST /demands/42/merge').map((r) => r.data)).toEqual([{ intoId: '40' }]);
    expect(p.data.sheet).toBe('');
  });

  it('says so when no demand has that number, and sends no merge', async () => {
    const p = await opened();
    call(p, 'onSideMoveTap', tap({ move: 'merge' }));
    call(p, 'onIntoNumberChange', { detail: { value: 'SQ20261127-0099' } });
    wxFake.on('GET /demands', () => ({ statusCode: 200, data: { items: [], nextCursor: null } }));
    call(p, 'onSheetSubmit');
    await settle();
    expect((p.data.sheetErrors as Record<string, string>).intoId).toBe('未找到编号为 SQ20261127-0099 的诉求');
    expect(wxFake.calls('POST /demands/42/merge')).toHaveLength(0);
  });

  it('shows a 409 merge_target_closed in the server words and reloads', async () => {
    const p = await opened();
    call(p, 'onSideMoveTap', tap({ move: 'merge' }));
    call(p, 'onIntoNumberChange', { detail: { value: 'SQ20261127-0003' } });
    wxFake.on('GET /demands', () => ({ statusCode: 200, data: { items: [demandFixture({ id: '40', number: 'SQ20261127-0003' })], nextCursor: null } }));
    wxFake.on('POST /demands/42/merge', () => errorReply(409, 'merge_target_closed', '目标诉求已办结，不能合并'));
    call(p, 'onSheetSubmit');
    await settle();
    expect(wxFake.toasts).toContain('目标诉求已办结，不能合并');
    expect(wxFake.calls('GET /demands/42')).toHaveLength(2);
  });

  it('lets anyone who reads it leave a comment', async () => {
    const p = await opened(userFixture({ id: '1', roles: [{ id: '1', role: 'enterprise' }] }), demandFixture());
    expect(p.data.sideMoves).toEqual([]);
    call(p, 'onCommentTap');
    call(p, 'onContentChange', { detail: { value: '已补充营业执照复印件' } });
    wxFake.on('POST /demands/42/comment', () => ({ statusCode: 200, data: demandFixture() }));
    call(p, 'onSheetSubmit');
    await settle();
    expect(wxFake.calls('POST /demands/42/comment').map((r) => [r.data, typeof r.header['Idempotency-Key']])).toEqual([
      [{ content: '已补充营业执照复印件' }, 'string'],
    ]);
  });
});

describe('答复 with files', () => {
  it('uploads the pictures picked and sends their ids with the reply', async () => {
    const p = await opened(handler, demandFixture({ status: 'in_progress', statusLabel: '办理中', unit: { id: '3', name: '青岛市税务局' } }));
    wxFake.on('GET /reply-templates', () => ({ statusCode: 200, data: [] }));
    call(p, 'onMoveTap', tap({ move: 'reply' }));
    await settle();
    wxFake.mediaAnswers = [['wxfile://tmp/letter-1.jpg', 'wxfile://tmp/letter-2.jpg']];
    let next = 60;
    wxFake.on('POST /files', () => ({ statusCode: 201, data: { id: String((next += 1)), contentType: 'image/jpeg', size: 1000, createdAt: '2026-11-28T10:00:00+08:00' } }));
    call(p, 'onAddReplyFile');
    await settle();
    expect((p.data.replyFiles as { fileId: string; status: string }[]).map((f) => [f.fileId, f.status])).toEqual([
      ['61', 'done'],
      ['62', 'done'],
    ]);

    call(p, 'onContentChange', { detail: { value: '已按政策办理，详见附件。' } });
    wxFake.on('POST /demands/42/reply', () => ({ statusCode: 200, data: demandFixture({ status: 'replied', statusLabel: '已答复' }) }));
    call(p, 'onSheetSubmit');
    await settle();
    expect(wxFake.calls('POST /demands/42/reply').map((r) => r.data)).toEqual([{ content: '已按政策办理，详见附件。', attachments: ['61', '62'] }]);
  });

  it('waits for files still uploading, and sends none that failed', async () => {
    const p = await opened(handler, demandFixture({ status: 'in_progress', statusLabel: '办理中' }));
    wxFake.on('GET /reply-templates', () => ({ statusCode: 200, data: [] }));
    call(p, 'onMoveTap', tap({ move: 'reply' }));
    wxFake.mediaAnswers = [['wxfile://tmp/a.jpg']];
    wxFake.on('POST /files', () => errorReply(413, 'file_too_large', '文件过大'));
    call(p, 'onAddReplyFile');
    await settle();
    call(p, 'onContentChange', { detail: { value: '答复' } });
    call(p, 'onSheetSubmit');
    await settle();
    expect((p.data.sheetErrors as Record<string, string>).attachments).toBe('有附件上传失败，请删除后重试');
    expect(wxFake.calls('POST /demands/42/reply')).toHaveLength(0);
  });
});

describe('the staff queue', () => {
  const LIST = 'subpackages/demand/list/index';
  beforeAll(() => {
    loadPage(LIST);
  });

  it('filters by status and overdue, and finds a demand by its SQ number', async () => {
    wxFake.on('GET /demands', () => ({ statusCode: 200, data: { items: [demandFixture()], nextCursor: null } }));
    const p = page(LIST);
    call(p, 'onLoad', { mode: 'todo' });
    call(p, 'onShow');
    await settle();
    expect(wxFake.calls('GET /demands')[0]!.query).toEqual({ limit: '20', todo: 'true' });

    call(p, 'onStatusChange', { detail: { value: '5' } });
    await settle();
    expect(wxFake.calls('GET /demands')[1]!.query).toEqual({ limit: '20', todo: 'true', status: 'in_progress' });

    call(p, 'onOverdueToggle');
    await settle();
    expect(wxFake.calls('GET /demands')[2]!.query).toEqual({ limit: '20', todo: 'true', status: 'in_progress', overdue: 'true' });

    call(p, 'onStatusChange', { detail: { value: '0' } });
    call(p, 'onOverdueToggle');
    call(p, 'onScopeChange', { detail: { value: 'all' } });
    call(p, 'onSearchChange', { detail: { value: ' sq20261128-0007 ' } });
    call(p, 'onSearchSubmit');
    await settle();
    const last = wxFake.calls('GET /demands').pop()!;
    expect(last.query).toEqual({ limit: '20', q: 'SQ20261128-0007' });

    call(p, 'onSearchClear');
    await settle();
    expect(wxFake.calls('GET /demands').pop()!.query).toEqual({ limit: '20' });
  });

  it('keeps 我的诉求 free of the staff filters', async () => {
    wxFake.on('GET /demands', () => ({ statusCode: 200, data: { items: [], nextCursor: null } }));
    const p = page(LIST);
    call(p, 'onLoad', { mode: 'mine' });
    p.data.overdueOnly = true;
    call(p, 'onShow');
    await settle();
    expect(wxFake.calls('GET /demands')[0]!.query).toEqual({ limit: '20' });
  });
});
