// 我的企业 (butlers): binding requests approved or rejected with a reason, invite codes issued,
// replaced (asked first) and copied.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { BindingRequest } from '../src/types/api';
import { checkRejectReason } from '../src/subpackages/butler/utils/enterprises';
import { tilesFor } from '../src/utils/roles';
import * as session from '../src/utils/session';
import { enterpriseFixture, errorReply, installFakeWx, userFixture, type FakeWx } from './helpers/fake-wx';
import { call, loadPage, page, settle, tap, type PageInstance } from './helpers/pages';

const PAGE = 'subpackages/butler/enterprises/index';
let wxFake: FakeWx;

beforeAll(() => {
  installFakeWx();
  loadPage(PAGE);
});

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
});

function request(overrides: Partial<BindingRequest> = {}): BindingRequest {
  return {
    id: '15',
    status: 'pending',
    userId: '21',
    userNickname: '王五',
    userPhone: '139****0001',
    enterpriseId: '7',
    enterpriseName: '海纳智能科技有限公司',
    enterpriseUscc: '91350100M000100Y43',
    reason: null,
    createdAt: '2026-11-28T09:00:00+08:00',
    decidedAt: null,
    ...overrides,
  };
}

async function opened(requests: BindingRequest[] = [request()]): Promise<PageInstance> {
  wxFake.on('GET /binding-requests', () => ({ statusCode: 200, data: { items: requests, nextCursor: null } }));
  wxFake.on('GET /enterprises', () => ({
    statusCode: 200,
    data: { items: [enterpriseFixture({ inviteCode: 'K7Q2M9' }), enterpriseFixture({ id: '8', name: '青岛某某有限公司', inviteCode: null })], nextCursor: null },
  }));
  const p = page(PAGE);
  call(p, 'onLoad', {});
  await settle();
  return p;
}

describe('我的企业', () => {
  it('is a tile of the butler that opens this page (no more 建设中)', () => {
    expect(tilesFor(['butler']).find((t) => t.key === 'butler.enterprises')?.url).toBe('/subpackages/butler/enterprises/index');
  });

  it('lists the pending requests and the served enterprises with their codes', async () => {
    const p = await opened();
    expect(wxFake.calls('GET /binding-requests')[0]!.query).toEqual({ status: 'pending', limit: '20' });
    expect((p.data.requests as { person: string; phone: string }[]).map((r) => [r.person, r.phone])).toEqual([['王五', '139****0001']]);
    expect((p.data.enterprises as { name: string; inviteCode: string }[]).map((e) => [e.name, e.inviteCode])).toEqual([
      ['海纳智能科技有限公司', 'K7Q2M9'],
      ['青岛某某有限公司', ''],
    ]);
  });

  it('approves a request after confirmation; it leaves the list', async () => {
    const p = await opened();
    wxFake.on('POST /binding-requests/15/approve', () => ({ statusCode: 200, data: request({ status: 'approved', decidedAt: '2026-11-28T10:00:00+08:00' }) }));
    call(p, 'onApprove', tap({ id: '15' }));
    await settle();
    expect(wxFake.modals[0]).toContain('王五（139****0001）是「海纳智能科技有限公司」的员工吗');
    expect(wxFake.calls('POST /binding-requests/15/approve')).toHaveLength(1);
    expect(p.data.requests).toEqual([]);
  });

  it('rejects with the reason typed, and refuses to without one', async () => {
    const p = await opened();
    wxFake.modalInputs = ['   '];
    call(p, 'onReject', tap({ id: '15' }));
    await settle();
    expect(wxFake.calls('POST /binding-requests/15/reject')).toHaveLength(0);
    expect(wxFake.toasts).toEqual(['请填写不通过的原因，申请人会看到']);

    wxFake.modalInputs = ['未在该企业任职'];
    wxFake.on('POST /binding-requests/15/reject', () => ({ statusCode: 200, data: request({ status: 'rejected', reason: '未在该企业任职' }) }));
    call(p, 'onReject', tap({ id: '15' }));
    await settle();
    expect(wxFake.calls('POST /binding-requests/15/reject').map((r) => r.data)).toEqual([{ reason: '未在该企业任职' }]);
    expect(p.data.requests).toEqual([]);
    expect(checkRejectReason('x'.repeat(201))).toBe('原因不能超过 200 个字');
  });

  it('reloads the requests when another butler decided first (409)', async () => {
    const p = await opened();
    wxFake.on('POST /binding-requests/15/approve', () => errorReply(409, 'already_decided', '该申请已处理'));
    call(p, 'onApprove', tap({ id: '15' }));
    await settle();
    expect(wxFake.toasts).toContain('该申请已处理');
    expect(wxFake.calls('GET /binding-requests')).toHaveLength(2);
  });

  it('issues a first code at once, shows it, and copies it', async () => {
    const p = await opened();
    wxFake.on('POST /enterprises/8/invite-code', () => ({ statusCode: 200, data: { inviteCode: 'P3X8D2' } }));
    call(p, 'onIssueCode', tap({ id: '8' }));
    await settle();
    expect(wxFake.modals[0]).toContain('「青岛某某有限公司」的邀请码：P3X8D2');
    expect(wxFake.clipboard).toEqual(['P3X8D2']);
    expect((p.data.enterprises as { inviteCode: string }[])[1]!.inviteCode).toBe('P3X8D2');
  });

  it('asks before replacing a code (the old one stops working), and keeps it when cancelled', async () => {
    const p = await opened();
    wxFake.modalConfirms = false;
    call(p, 'onIssueCode', tap({ id: '7' }));
    await settle();
    expect(wxFake.modals[0]).toBe('更换邀请码: 更换后，「海纳智能科技有限公司」原邀请码 K7Q2M9 将失效。确定更换吗？');
    expect(wxFake.calls('POST /enterprises/7/invite-code')).toHaveLength(0);
  });
});
