// The staff's 媒体观察 page (admins and butlers), run against the fake `wx` through the page
// harness (`helpers/pages.ts`): every observation listed; 「转为诉求」 on a finding asks first, sends
// `POST /media/observations/{id}/demand` and updates that row in place; the server's 409 and 403
// are shown in its words, and an `already_converted` loads the list again.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import type { Observation } from '../src/types/api';
import * as session from '../src/utils/session';
import { errorReply, installFakeWx, observationFixture, userFixture, type FakeWx } from './helpers/fake-wx';
import { call, loadPage, page as pageOf, settle, tap, type PageInstance } from './helpers/pages';

const PAGE = 'subpackages/admin/observations/index';

let wxFake: FakeWx;

beforeAll(() => {
  installFakeWx();
  loadPage(PAGE);
});

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
});

interface Row {
  id: string;
  kindLabel: string;
  demandId: string;
  convertible: boolean;
}

const rows = (p: PageInstance) => (p.data.items as Row[]).map((r) => [r.id, r.kindLabel, r.demandId, r.convertible]);

// A finding to convert, a lead, and a finding converted before.
function serveList(items: Observation[] = [
  observationFixture(),
  observationFixture({ id: '90', kind: 'lead', title: '营商环境报道线索' }),
  observationFixture({ id: '89', demandId: '300' }),
]): void {
  wxFake.on('GET /media/observations', () => ({ statusCode: 200, data: { items, nextCursor: null } }));
}

async function opened(): Promise<PageInstance> {
  const p = pageOf(PAGE);
  call(p, 'onShow');
  await settle();
  return p;
}

const CONFIRM = '转为诉求: 将「政务大厅排队过长」转为诉求（所属环境默认为服务环境），进入诉求办理流程？';

describe('媒体观察 (staff)', () => {
  it('lists every observation and offers 转为诉求 on a finding without a demand only', async () => {
    serveList();
    const p = await opened();

    expect(wxFake.calls('GET /media/observations').map((r) => r.query)).toEqual([{ limit: '20' }]);
    expect(p.data.state).toBe('ready');
    expect(rows(p)).toEqual([
      ['91', '问题发现', '', true],
      ['90', '报道线索', '', false],
      ['89', '问题发现', '300', false],
    ]);

    // A lead, or a finding converted before, is not offered: no question, nothing sent.
    call(p, 'onConvert', tap({ id: '90' }));
    call(p, 'onConvert', tap({ id: '89' }));
    await settle();
    expect(wxFake.modals).toEqual([]);
    expect(wxFake.calls('POST /media/observations/90/demand')).toHaveLength(0);

    call(p, 'onDemandTap', tap({ id: '300' }));
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/demand/detail/index?id=300']);
  });

  it('converts a finding after confirmation and shows 已转为诉求 on that row', async () => {
    serveList();
    wxFake.on('POST /media/observations/91/demand', () => ({
      statusCode: 201,
      data: { observation: { ...observationFixture({ demandId: '302' }), kindLabel: '问题发现' }, demandId: '302' },
    }));
    const p = await opened();

    call(p, 'onConvert', tap({ id: '91' }));
    await settle();

    expect(wxFake.modals).toEqual([CONFIRM]);
    const sent = wxFake.calls('POST /media/observations/91/demand');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.header['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(rows(p)).toEqual([
      ['91', '问题发现', '302', false],
      ['90', '报道线索', '', false],
      ['89', '问题发现', '300', false],
    ]);
    expect(p.data.converting).toBe('');
    expect(wxFake.toasts).toEqual(['已转为诉求']);
    // Updated in place: the list was not loaded again.
    expect(wxFake.calls('GET /media/observations')).toHaveLength(1);

    call(p, 'onDemandTap', tap({ id: '302' }));
    expect(wxFake.navigations).toEqual(['navigateTo /subpackages/demand/detail/index?id=302']);
  });

  it('sends nothing when the confirmation is cancelled', async () => {
    serveList();
    const p = await opened();
    wxFake.modalConfirms = false;

    call(p, 'onConvert', tap({ id: '91' }));
    await settle();

    expect(wxFake.modals).toEqual([CONFIRM]);
    expect(wxFake.calls('POST /media/observations/91/demand')).toHaveLength(0);
    expect(rows(p)[0]).toEqual(['91', '问题发现', '', true]);
    expect([p.data.converting, wxFake.toasts]).toEqual(['', []]);
  });

  it('shows a 409 not_a_finding in the server\'s words and keeps the row', async () => {
    serveList();
    wxFake.on('POST /media/observations/91/demand', () => errorReply(409, 'not_a_finding', '只有“问题发现”类的观察可以转为诉求'));
    const p = await opened();

    call(p, 'onConvert', tap({ id: '91' }));
    await settle();

    expect(wxFake.toasts).toEqual(['只有“问题发现”类的观察可以转为诉求']);
    expect(rows(p)[0]).toEqual(['91', '问题发现', '', true]);
    expect(p.data.converting).toBe('');
    expect(wxFake.calls('GET /media/observations')).toHaveLength(1);
  });

  it('shows a 409 already_converted and loads the list again, which shows the demand', async () => {
    serveList();
    wxFake.on('POST /media/observations/91/demand', () => errorReply(409, 'already_converted', '该观察已转为诉求'));
    const p = await opened();
    // Someone else converted it meanwhile.
    serveList([observationFixture({ demandId: '305' })]);

    call(p, 'onConvert', tap({ id: '91' }));
    await settle();

    expect(wxFake.toasts).toEqual(['该观察已转为诉求']);
    expect(wxFake.calls('GET /media/observations')).toHaveLength(2);
    expect(p.data.state).toBe('ready');
    expect(rows(p)).toEqual([['91', '问题发现', '305', false]]);
    expect(p.data.converting).toBe('');
  });

  it('shows a 403 in the server\'s words and keeps the row', async () => {
    serveList();
    wxFake.on('POST /media/observations/91/demand', () => errorReply(403, 'forbidden', '无权进行此操作'));
    const p = await opened();

    call(p, 'onConvert', tap({ id: '91' }));
    await settle();

    expect(wxFake.toasts).toEqual(['无权进行此操作']);
    expect(rows(p)[0]).toEqual(['91', '问题发现', '', true]);
    expect(p.data.converting).toBe('');
    expect(wxFake.calls('GET /media/observations')).toHaveLength(1);
  });
});
