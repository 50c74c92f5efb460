// The services of the call-backs, the media pages, the dashboard and the reports against the
// fake `wx`: method, path, query, body, token, an Idempotency-Key on every write (the action's,
// or a fresh one), the same key again for a retry after a lost answer, and the server's
// 403/409/422 as `ApiError`s in its words.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { getCallbackForm, listCallbacks, recordCall } from '../src/services/callbacks';
import {
  getCallbackPanel,
  getDemandPanel,
  getPlansPanel,
  getPoliciesPanel,
  getProgramsPanel,
  getPublicityPanel,
  getUnitsPanel,
} from '../src/services/dashboard';
import { createObservation, createPublicity, listObservations, listPublicity, observationToDemand } from '../src/services/media';
import { downloadReportXlsx, listReports } from '../src/services/reports';
import { ApiError } from '../src/utils/api-error';
import { ActionKeys } from '../src/utils/idempotency';
import { setSessionRenewer } from '../src/utils/request';
import * as session from '../src/utils/session';
import { installSessionRenewal } from '../src/utils/signin';
import {
  callbackTaskFixture,
  callbackTemplateFixture,
  dashboardPanelFixtures,
  errorReply,
  installFakeWx,
  observationFixture,
  publicityFixture,
  reportFixture,
  tokensFixture,
  userFixture,
  type FakeWx,
  type SentRequest,
} from './helpers/fake-wx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const BASE = 'http://127.0.0.1:8080/api/v1';

let wxFake: FakeWx;

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
});

afterEach(() => {
  setSessionRenewer(null);
});

function only(key: string): SentRequest {
  const calls = wxFake.calls(key);
  expect(calls).toHaveLength(1);
  expect(wxFake.sent).toHaveLength(1);
  return calls[0]!;
}

/** A read: the token, no key, no body. */
function expectRead(sent: SentRequest): void {
  expect(sent.header.Authorization).toBe('Bearer access-a');
  expect(sent.header['Idempotency-Key']).toBeUndefined();
  expect(sent.data).toBeUndefined();
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('call-backs', () => {
  it('listCallbacks gets the open queue by default, the status asked for, a page at a time', async () => {
    wxFake.on('GET /callbacks', () => ({ statusCode: 200, data: { items: [callbackTaskFixture()], nextCursor: 'c2' } }));

    const open = await listCallbacks();
    expectRead(only('GET /callbacks'));
    expect(wxFake.sent[0]!.url).toBe(`${BASE}/callbacks`);
    expect([open.items.map((t) => t.enterpriseName), open.nextCursor]).toEqual([['海纳智能科技有限公司'], 'c2']);

    await listCallbacks({ status: 'all', limit: 20 });
    await listCallbacks({ status: 'unreachable', cursor: 'c2', limit: 20 });
    expect(wxFake.calls('GET /callbacks').map((r) => r.query)).toEqual([
      {},
      { status: 'all', limit: '20' },
      { status: 'unreachable', cursor: 'c2', limit: '20' },
    ]);
  });

  it('listCallbacks refused to someone who is not a butler is a 403 ApiError', async () => {
    wxFake.on('GET /callbacks', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    const err = await failure(listCallbacks());
    expect([err.status, err.code, err.message]).toEqual([403, 'forbidden', '您无权执行该操作']);
  });

  it('getCallbackForm gets the task and the template, the id escaped', async () => {
    wxFake.on('GET /callbacks/61/form', () => ({ statusCode: 200, data: { task: callbackTaskFixture(), template: callbackTemplateFixture() } }));
    const form = await getCallbackForm('61');
    expectRead(only('GET /callbacks/61/form'));
    expect(form.task.id).toBe('61');
    expect(form.template.sections.map((s) => s.id)).toEqual(['basics', 'policies', 'needs']);

    wxFake.on('GET /callbacks/a%2Fb/form', () => errorReply(404, 'not_found', '回访任务不存在'));
    expect((await failure(getCallbackForm('a/b'))).status).toBe(404);
  });

  it('recordCall posts a reached call with its answers and the key, and returns the task', async () => {
    wxFake.on('POST /callbacks/61/calls', () => ({
      statusCode: 200,
      data: callbackTaskFixture({ status: 'reached', attempts: 1, demandId: '301', completedAt: '2026-11-30T10:00:00+08:00' }),
    }));
    const answers = { bank_account: true, tax_setup: true, invoices: false, known_policies: ['12'], needs: '不会开发票' };

    const task = await recordCall('61', { outcome: 'reached', answers }, 'k-call');

    const sent = only('POST /callbacks/61/calls');
    expect(sent.data).toEqual({ outcome: 'reached', answers });
    expect(sent.header['Idempotency-Key']).toBe('k-call');
    expect(sent.header.Authorization).toBe('Bearer access-a');
    expect([task.status, task.demandId]).toEqual(['reached', '301']);
  });

  it('recordCall sends no answers with not_reached or refused, and a fresh key each time', async () => {
    wxFake.on('POST /callbacks/61/calls', () => ({ statusCode: 200, data: callbackTaskFixture({ attempts: 1 }) }));

    await recordCall('61', { outcome: 'not_reached', answers: { needs: '不该发出' } });
    await recordCall('61', { outcome: 'refused' });

    const [first, second] = wxFake.calls('POST /callbacks/61/calls');
    expect(first!.data).toEqual({ outcome: 'not_reached' });
    expect(second!.data).toEqual({ outcome: 'refused' });
    expect(first!.header['Idempotency-Key']).toMatch(UUID);
    expect(second!.header['Idempotency-Key']).toMatch(UUID);
    expect(first!.header['Idempotency-Key']).not.toBe(second!.header['Idempotency-Key']);
  });

  it('recordCall reports 409 callback_closed and 422 answers.<id> in the server\'s words', async () => {
    wxFake.on('POST /callbacks/61/calls', () => errorReply(409, 'callback_closed', '该回访任务已结束'));
    const closed = await failure(recordCall('61', { outcome: 'refused' }));
    expect([closed.status, closed.code, closed.message]).toEqual([409, 'callback_closed', '该回访任务已结束']);

    wxFake.on('POST /callbacks/61/calls', () =>
      errorReply(422, 'validation_failed', '提交的内容有误', [{ field: 'answers.tax_setup', code: 'required', message: '此项为必填项' }]),
    );
    const invalid = await failure(recordCall('61', { outcome: 'reached', answers: { bank_account: true } }));
    expect(invalid.status).toBe(422);
    expect(invalid.fieldMessage('answers.tax_setup')).toBe('此项为必填项');
  });

  it('keeps the key of a call whose answer was lost, and the renewal retry carries it too', async () => {
    installSessionRenewal();
    wxFake.on('POST /auth/refresh', () => tokensFixture('b'));
    let calls = 0;
    wxFake.on('POST /callbacks/61/calls', (req) => {
      calls += 1;
      if (calls === 1) return { failWith: 'request:fail timeout' };
      if (req.header.Authorization !== 'Bearer access-b') return errorReply(401, 'token_expired', '登录已过期');
      return { statusCode: 200, data: callbackTaskFixture({ status: 'refused', attempts: 1 }) };
    });
    const keys = new ActionKeys();
    const body = { outcome: 'refused' as const };

    const lost = await failure(keys.run('call:61', body, (key) => recordCall('61', body, key)));
    expect(lost.code).toBe('network_error');
    const task = await keys.run('call:61', body, (key) => recordCall('61', body, key));

    const sent = wxFake.calls('POST /callbacks/61/calls');
    expect(sent.map((r) => r.header.Authorization)).toEqual(['Bearer access-a', 'Bearer access-a', 'Bearer access-b']);
    expect(new Set(sent.map((r) => r.header['Idempotency-Key'])).size).toBe(1);
    expect(sent[0]!.header['Idempotency-Key']).toMatch(UUID);
    expect(task.status).toBe('refused');
    // Answered: the next call is a new action with a new key.
    expect(keys.pendingKey('call:61')).toBeNull();
  });
});

describe('media', () => {
  it('createObservation posts the observation with the key, the optional fields only when given', async () => {
    wxFake.on('POST /media/observations', () => ({ statusCode: 201, data: observationFixture() }));

    const created = await createObservation({ kind: 'finding', title: '政务大厅排队过长', content: '取号 120', eventId: '5', fileIds: ['11'] }, 'k-obs');
    await createObservation({ kind: 'lead', title: '线索', content: '内容', fileIds: [] });

    const [first, second] = wxFake.calls('POST /media/observations');
    expect(first!.data).toEqual({ kind: 'finding', title: '政务大厅排队过长', content: '取号 120', eventId: '5', fileIds: ['11'] });
    expect(first!.header['Idempotency-Key']).toBe('k-obs');
    expect(first!.header.Authorization).toBe('Bearer access-a');
    expect(second!.data).toEqual({ kind: 'lead', title: '线索', content: '内容' });
    expect(second!.header['Idempotency-Key']).toMatch(UUID);
    expect(created.id).toBe('91');
  });

  it('createObservation reports the server\'s 422 fields and 403', async () => {
    wxFake.on('POST /media/observations', () =>
      errorReply(422, 'validation_failed', '提交的内容有误', [{ field: 'title', code: 'too_long', message: '标题不能超过 60 个字' }]),
    );
    const invalid = await failure(createObservation({ kind: 'comment', title: 'x', content: 'y' }));
    expect(invalid.fieldMessage('title')).toBe('标题不能超过 60 个字');

    wxFake.on('POST /media/observations', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    expect((await failure(createObservation({ kind: 'comment', title: 'x', content: 'y' }))).message).toBe('您无权执行该操作');
  });

  it('listObservations gets a page with the cursor and limit', async () => {
    wxFake.on('GET /media/observations', () => ({ statusCode: 200, data: { items: [observationFixture()], nextCursor: 'n2' } }));

    const page = await listObservations({ cursor: 'c1', limit: 20 });

    const sent = only('GET /media/observations');
    expect(sent.url).toBe(`${BASE}/media/observations?cursor=c1&limit=20`);
    expectRead(sent);
    expect([page.items.length, page.nextCursor]).toEqual([1, 'n2']);
  });

  it('observationToDemand posts to /media/observations/{id}/demand with a key; 409 for a non-finding', async () => {
    wxFake.on('POST /media/observations/91/demand', () => ({
      statusCode: 201,
      data: { observation: observationFixture({ demandId: '301' }), demandId: '301' },
    }));
    const res = await observationToDemand('91', 'k-dem');
    const sent = only('POST /media/observations/91/demand');
    expect(sent.header['Idempotency-Key']).toBe('k-dem');
    // No environment chosen: an empty body, which the server files under 服务环境.
    expect(sent.data).toEqual({});
    expect(res.demandId).toBe('301');
    expect(res.observation.demandId).toBe('301');

    wxFake.on('POST /media/observations/92/demand', () => errorReply(409, 'not_a_finding', '只有问题发现可以转为诉求'));
    const err = await failure(observationToDemand('92'));
    expect([err.status, err.code]).toEqual([409, 'not_a_finding']);
  });

  it('createPublicity posts the item with the key, the link only when given', async () => {
    wxFake.on('POST /media/publicity', () => ({ statusCode: 201, data: publicityFixture() }));

    await createPublicity(
      { outlet: '青岛日报', level: 'municipal', title: '吐槽日活动', link: 'https://example.com/1', publishedOn: '2026-11-27' },
      'k-pub',
    );
    await createPublicity({ outlet: '公众号', level: 'own', title: '推文', link: '', publishedOn: '2026-11-28', eventId: '5' });

    const [first, second] = wxFake.calls('POST /media/publicity');
    expect(first!.data).toEqual({ outlet: '青岛日报', level: 'municipal', title: '吐槽日活动', publishedOn: '2026-11-27', link: 'https://example.com/1' });
    expect(first!.header['Idempotency-Key']).toBe('k-pub');
    expect(second!.data).toEqual({ outlet: '公众号', level: 'own', title: '推文', publishedOn: '2026-11-28', eventId: '5' });
    expect(second!.header['Idempotency-Key']).toMatch(UUID);
  });

  it('listPublicity gets a page, no query without one', async () => {
    wxFake.on('GET /media/publicity', () => ({ statusCode: 200, data: { items: [publicityFixture()], nextCursor: null } }));
    const page = await listPublicity();
    const sent = only('GET /media/publicity');
    expect(sent.url).toBe(`${BASE}/media/publicity`);
    expectRead(sent);
    expect(page.items[0]!.outlet).toBe('青岛日报');
  });
});

describe('dashboard', () => {
  const panels = [
    ['demands', getDemandPanel],
    ['callbacks', getCallbackPanel],
    ['publicity', getPublicityPanel],
    ['policies', getPoliciesPanel],
    ['programs', getProgramsPanel],
    ['units', getUnitsPanel],
  ] as const;

  it.each(panels)('GET /dashboard/%s sends the period, or none for the default', async (name, fn) => {
    const body = dashboardPanelFixtures()[name];
    wxFake.on(`GET /dashboard/${name}`, () => ({ statusCode: 200, data: body }));

    expect(await fn({ from: '2026-11-01', to: '2026-11-30' })).toEqual(body);
    await fn();

    const [ranged, plain] = wxFake.calls(`GET /dashboard/${name}`);
    expect(ranged!.url).toBe(`${BASE}/dashboard/${name}?from=2026-11-01&to=2026-11-30`);
    expect(plain!.url).toBe(`${BASE}/dashboard/${name}`);
    expectRead(ranged!);
  });

  it('GET /dashboard/plans sends no period: the plan items as they stand today', async () => {
    wxFake.on('GET /dashboard/plans', () => ({ statusCode: 200, data: dashboardPanelFixtures().plans }));
    expect(await getPlansPanel()).toEqual(dashboardPanelFixtures().plans);
    expect(wxFake.sent[0]!.url).toBe(`${BASE}/dashboard/plans`);
  });

  it('a panel refused to a non-admin is a 403 ApiError', async () => {
    wxFake.on('GET /dashboard/units', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    const err = await failure(getUnitsPanel({ from: '2026-11-01' }));
    expect([err.status, err.message]).toEqual([403, '您无权执行该操作']);
    expect(wxFake.sent[0]!.query).toEqual({ from: '2026-11-01' });
  });

  it('getUnitsPanel returns the league as sent', async () => {
    wxFake.on('GET /dashboard/units', () => ({ statusCode: 200, data: dashboardPanelFixtures().units }));
    expect((await getUnitsPanel()).items.map((u) => u.unitName)).toEqual(['青岛市税务局']);
  });
});

describe('reports', () => {
  it('listReports gets /reports of the kind and returns the items', async () => {
    wxFake.on('GET /reports', (req) => ({ statusCode: 200, data: { items: [reportFixture({ kind: req.query.kind as 'weekly' })] } }));

    const weekly = await listReports('weekly');
    const sent = only('GET /reports');
    expect(sent.url).toBe(`${BASE}/reports?kind=weekly`);
    expectRead(sent);
    expect(weekly.map((r) => r.title)).toEqual(['「企业之声」周报 第3期']);

    await listReports('monthly');
    expect(wxFake.calls('GET /reports').map((r) => r.query.kind)).toEqual(['weekly', 'monthly']);
  });

  it('downloadReportXlsx downloads /reports/{id}/xlsx with the token and returns the local path', async () => {
    wxFake.on('GET /reports/201/xlsx', () => ({ statusCode: 200, data: 'wxfile://tmp/report-201.xlsx' }));

    const path = await downloadReportXlsx('201');

    const sent = only('GET /reports/201/xlsx');
    expect(sent.via).toBe('downloadFile');
    expect(sent.header.Authorization).toBe('Bearer access-a');
    expect(path).toBe('wxfile://tmp/report-201.xlsx');
  });

  it('a refused download is an ApiError with the status (the body went to a file)', async () => {
    wxFake.on('GET /reports/201/xlsx', () => ({ statusCode: 403, data: 'wxfile://tmp/error.json' }));
    const err = await failure(downloadReportXlsx('201'));
    expect([err.status, err.code]).toEqual([403, 'unexpected_response']);

    wxFake.on('GET /reports/202/xlsx', () => ({ failWith: 'downloadFile:fail timeout' }));
    expect((await failure(downloadReportXlsx('202'))).code).toBe('network_error');
  });
});
