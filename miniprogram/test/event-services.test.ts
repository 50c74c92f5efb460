// The engagement-program services against the fake `wx`: events, the complaint wall, forms,
// scorecards, mystery-shopper assignments, supervision activities and the enterprise search.
// Each: method, path, query, body, token, and an Idempotency-Key on every write.
import { beforeEach, describe, expect, it } from '@jest/globals';

import { checkIn, listMyAssignments, submitReport } from '../src/services/assignments';
import { searchEnterprises } from '../src/services/enterprises';
import {
  getEvent,
  getEventSummary,
  getScorecardResults,
  hideComplaint,
  listComplaints,
  listEvents,
  metoo,
  postComplaint,
  submitScorecard,
} from '../src/services/events';
import { getForm } from '../src/services/forms';
import { createActivity, fileActivityDemand, listActivities } from '../src/services/supervision';
import { ApiError } from '../src/utils/api-error';
import { ActionKeys } from '../src/utils/idempotency';
import * as session from '../src/utils/session';
import {
  activityFixture,
  assignmentFixture,
  complaintFixture,
  demandFixture,
  engagementEventFixture,
  enterpriseFixture,
  errorReply,
  formTemplateFixture,
  installFakeWx,
  userFixture,
  type FakeWx,
  type SentRequest,
} from './helpers/fake-wx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let wxFake: FakeWx;

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
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

describe('events', () => {
  it('listEvents gets a page of /events with the cursor and limit given', async () => {
    wxFake.on('GET /events', () => ({ statusCode: 200, data: { items: [engagementEventFixture()], nextCursor: 'n2' } }));

    const page = await listEvents({ cursor: 'c1', limit: 20 });

    const sent = only('GET /events');
    expect(sent.url).toBe('http://127.0.0.1:8080/api/v1/events?cursor=c1&limit=20');
    expectRead(sent);
    expect(page.items.map((e) => e.title)).toEqual(['政策服务吐槽日']);
    expect(page.nextCursor).toBe('n2');
  });

  it('listEvents sends no query without one', async () => {
    wxFake.on('GET /events', () => ({ statusCode: 200, data: { items: [], nextCursor: null } }));
    await listEvents();
    expect(only('GET /events').url).toBe('http://127.0.0.1:8080/api/v1/events');
  });

  it('getEvent gets /events/{id}, and a 404 outside the audience is an ApiError', async () => {
    wxFake.on('GET /events/5', () => ({ statusCode: 200, data: engagementEventFixture({ kind: 'scorecard_round', formId: '9' }) }));
    const e = await getEvent('5');
    expectRead(only('GET /events/5'));
    expect(e.formId).toBe('9');

    wxFake.on('GET /events/6', () => errorReply(404, 'event_not_found', '活动不存在'));
    const err = await failure(getEvent('6'));
    expect(err.code).toBe('event_not_found');
    expect(err.status).toBe(404);
  });

  it('escapes the id in the path', async () => {
    wxFake.on('GET /events/a%2Fb', () => ({ statusCode: 200, data: engagementEventFixture() }));
    await getEvent('a/b');
    expect(only('GET /events/a%2Fb').url).toBe('http://127.0.0.1:8080/api/v1/events/a%2Fb');
  });
});

describe('the complaint wall', () => {
  it('listComplaints gets the wall with the sort, cursor and limit', async () => {
    wxFake.on('GET /events/5/complaints', () => ({ statusCode: 200, data: { items: [complaintFixture()], nextCursor: 'YXQ6MjA' } }));

    const page = await listComplaints('5', { sort: 'metoo', cursor: 'YXQ6MjA', limit: 20 });

    const sent = only('GET /events/5/complaints');
    expect(sent.query).toEqual({ sort: 'metoo', cursor: 'YXQ6MjA', limit: '20' });
    expectRead(sent);
    expect(page.items.map((c) => c.id)).toEqual(['31']);
  });

  it('postComplaint posts the complaint with the key, photos only when there are some', async () => {
    wxFake.on('POST /events/5/complaints', () => ({ statusCode: 201, data: complaintFixture({ id: '32', mine: true }) }));

    const posted = await postComplaint('5', { content: '办事窗口太少', environment: 'service', anonymous: true, photos: ['11', '12'] }, 'k1');
    await postComplaint('5', { content: '网上办理常卡顿', environment: 'service', anonymous: false, photos: [] });

    const [first, second] = wxFake.calls('POST /events/5/complaints');
    expect(first!.data).toEqual({ content: '办事窗口太少', environment: 'service', anonymous: true, photos: ['11', '12'] });
    expect(first!.header['Idempotency-Key']).toBe('k1');
    expect(first!.header.Authorization).toBe('Bearer access-a');
    expect(second!.data).toEqual({ content: '网上办理常卡顿', environment: 'service', anonymous: false });
    expect(second!.header['Idempotency-Key']).toMatch(UUID);
    expect(posted.mine).toBe(true);
  });

  it('postComplaint reports 409 event_not_open with the server\'s message', async () => {
    wxFake.on('POST /events/5/complaints', () => errorReply(409, 'event_not_open', '吐槽日未开始或已结束'));
    const err = await failure(postComplaint('5', { content: 'x', environment: 'policy', anonymous: false }));
    expect([err.status, err.code, err.message]).toEqual([409, 'event_not_open', '吐槽日未开始或已结束']);
  });

  it('metoo posts to /complaints/{id}/metoo with a key and returns the count', async () => {
    wxFake.on('POST /complaints/31/metoo', () => ({ statusCode: 200, data: { metooCount: 4 } }));

    const res = await metoo('31', 'k-metoo');

    const sent = only('POST /complaints/31/metoo');
    expect(sent.header['Idempotency-Key']).toBe('k-metoo');
    expect(sent.header.Authorization).toBe('Bearer access-a');
    expect(res).toEqual({ metooCount: 4 });
  });

  it('metoo on one\'s own post is a 409 own_complaint', async () => {
    wxFake.on('POST /complaints/31/metoo', () => errorReply(409, 'own_complaint', '不能为自己的吐槽点同感'));
    const err = await failure(metoo('31'));
    expect(err.code).toBe('own_complaint');
    expect(wxFake.calls('POST /complaints/31/metoo')[0]!.header['Idempotency-Key']).toMatch(UUID);
  });

  it('hideComplaint posts the reason with a key and returns the post', async () => {
    wxFake.on('POST /complaints/31/hide', () => ({ statusCode: 200, data: complaintFixture({ hidden: true, hiddenReason: '含人身攻击' }) }));

    const c = await hideComplaint('31', { reason: '含人身攻击' }, 'k-hide');

    const sent = only('POST /complaints/31/hide');
    expect(sent.data).toEqual({ reason: '含人身攻击' });
    expect(sent.header['Idempotency-Key']).toBe('k-hide');
    expect(c.hidden).toBe(true);
  });

  it('getEventSummary gets the summary, and 409 event_not_closed before the end', async () => {
    const summary = { complaints: 12, participants: 8, hidden: 1, metoos: 30, topTopics: [{ word: '补贴', count: 5 }], demandsClosed: 6, demandsSatisfied: 5 };
    wxFake.on('GET /events/5/summary', () => ({ statusCode: 200, data: summary }));
    expect(await getEventSummary('5')).toEqual(summary);
    expectRead(only('GET /events/5/summary'));

    wxFake.on('GET /events/5/summary', () => errorReply(409, 'event_not_closed', '活动结束后才能查看总结'));
    expect((await failure(getEventSummary('5'))).code).toBe('event_not_closed');
  });
});

describe('forms and scorecards', () => {
  it('getForm gets /forms/{id}', async () => {
    wxFake.on('GET /forms/9', () => ({
      statusCode: 200,
      data: { id: '9', key: 'tax-window', version: 2, title: '窗口检查表', body: formTemplateFixture(), createdAt: '2026-11-01T09:00:00+08:00' },
    }));

    const form = await getForm('9');

    expectRead(only('GET /forms/9'));
    expect(form.body.sections[0]!.questions.map((q) => q.id)).toContain('queue');
  });

  it('submitScorecard posts {answers} with the key and returns findings and demands', async () => {
    wxFake.on('POST /events/5/submissions', () => ({ statusCode: 201, data: { id: '61', findings: ['queue'], demandIds: ['101'] } }));

    const res = await submitScorecard('5', { answers: { queue: false, attitude: 4 } }, 'k-sub');

    const sent = only('POST /events/5/submissions');
    expect(sent.data).toEqual({ answers: { queue: false, attitude: 4 } });
    expect(sent.header['Idempotency-Key']).toBe('k-sub');
    expect(res).toEqual({ id: '61', findings: ['queue'], demandIds: ['101'] });
  });

  it('submitScorecard reports 422 answer fields and 409 already_submitted', async () => {
    wxFake.on('POST /events/5/submissions', () =>
      errorReply(422, 'validation_failed', '请检查填写的内容', [{ field: 'answers.attitude', code: 'required', message: '此项为必填项' }]),
    );
    const invalid = await failure(submitScorecard('5', { answers: {} }));
    expect(invalid.fieldMessage('answers.attitude')).toBe('此项为必填项');

    wxFake.on('POST /events/5/submissions', () => errorReply(409, 'already_submitted', '贵企业已提交过本轮出卷'));
    expect((await failure(submitScorecard('5', { answers: {} }))).code).toBe('already_submitted');
  });

  it('getScorecardResults gets the results, and 409 results_not_published before they are', async () => {
    const results = {
      findings: [],
      submissions: 3,
      invited: 4,
      responseRate: 0.75,
      environments: [{ environment: 'service', score: 82.5, submissions: 3 }],
      units: [{ unitCode: 'tax', unitName: '青岛市税务局', score: 80 }],
      questions: [{ id: 'attitude', title: '工作人员态度', answered: 3, distribution: [{ label: '5', count: 2 }], mean: 4.3 }],
      published: true,
    };
    wxFake.on('GET /events/5/results', () => ({ statusCode: 200, data: results }));
    expect(await getScorecardResults('5')).toEqual(results);
    expectRead(only('GET /events/5/results'));

    wxFake.on('GET /events/5/results', () => errorReply(409, 'results_not_published', '结果尚未公布'));
    expect((await failure(getScorecardResults('5'))).code).toBe('results_not_published');
  });
});

describe('mystery-shopper assignments', () => {
  it('listMyAssignments gets /me/assignments as a plain list', async () => {
    wxFake.on('GET /me/assignments', () => ({ statusCode: 200, data: [assignmentFixture()] }));

    const list = await listMyAssignments();

    expectRead(only('GET /me/assignments'));
    expect(list.map((a) => a.target.name)).toEqual(['市民中心税务窗口']);
  });

  it('checkIn posts the position with a key', async () => {
    wxFake.on('POST /assignments/71/check-in', () => ({ statusCode: 200, data: assignmentFixture({ checkedInAt: '2026-11-28T10:00:00+08:00' }) }));

    const a = await checkIn('71', { latitude: 36.0671, longitude: 120.3826 }, 'k-in');

    const sent = only('POST /assignments/71/check-in');
    expect(sent.data).toEqual({ latitude: 36.0671, longitude: 120.3826 });
    expect(sent.header['Idempotency-Key']).toBe('k-in');
    expect(a.checkedInAt).toBe('2026-11-28T10:00:00+08:00');
  });

  it('checkIn without a position sends an empty body', async () => {
    wxFake.on('POST /assignments/71/check-in', () => ({ statusCode: 200, data: assignmentFixture() }));
    await checkIn('71', {});
    const sent = only('POST /assignments/71/check-in');
    expect(sent.data).toEqual({});
    expect(sent.header['Idempotency-Key']).toMatch(UUID);
  });

  it('checkIn reports 409 outside_radius with the server\'s message', async () => {
    wxFake.on('POST /assignments/71/check-in', () => errorReply(409, 'outside_radius', '距离暗访点 1200 米，超出 300 米签到范围'));
    const err = await failure(checkIn('71', { latitude: 36, longitude: 120 }));
    expect([err.code, err.message]).toEqual(['outside_radius', '距离暗访点 1200 米，超出 300 米签到范围']);
  });

  it('submitReport posts {answers} with a key and returns the report', async () => {
    const answers = { queue: true, photos: [{ fileId: '11', capturedAt: '2026-11-28T02:00:00.000Z' }] };
    wxFake.on('POST /assignments/71/report', () => ({
      statusCode: 201,
      data: { id: '91', target: assignmentFixture().target, visitedAt: '2026-11-28T10:00:00+08:00', answers, findings: [], demands: [] },
    }));

    const report = await submitReport('71', { answers }, 'k-rep');

    const sent = only('POST /assignments/71/report');
    expect(sent.data).toEqual({ answers });
    expect(sent.header['Idempotency-Key']).toBe('k-rep');
    expect(report.id).toBe('91');
  });
});

describe('supervision activities and the enterprise search', () => {
  it('createActivity posts the activity with a key, photos only when there are some', async () => {
    wxFake.on('POST /supervision-activities', () => ({ statusCode: 201, data: activityFixture() }));
    const body = { kind: 'forum', date: '2026-11-27', place: '市工商联', enterpriseIds: ['7', '8'], notes: '' } as const;

    await createActivity({ ...body, enterpriseIds: [...body.enterpriseIds], photos: ['11'] }, 'k-act');
    await createActivity({ ...body, enterpriseIds: [...body.enterpriseIds], photos: [] });

    const [first, second] = wxFake.calls('POST /supervision-activities');
    expect(first!.data).toEqual({ kind: 'forum', date: '2026-11-27', place: '市工商联', enterpriseIds: ['7', '8'], notes: '', photos: ['11'] });
    expect(first!.header['Idempotency-Key']).toBe('k-act');
    expect(second!.data).toEqual({ kind: 'forum', date: '2026-11-27', place: '市工商联', enterpriseIds: ['7', '8'], notes: '' });
    expect(second!.header['Idempotency-Key']).toMatch(UUID);
  });

  it('listActivities gets a page of my activities', async () => {
    wxFake.on('GET /supervision-activities', () => ({ statusCode: 200, data: { items: [activityFixture()], nextCursor: null } }));

    const page = await listActivities({ limit: 20 });

    const sent = only('GET /supervision-activities');
    expect(sent.query).toEqual({ limit: '20' });
    expectRead(sent);
    expect(page.items[0]!.enterprises.map((e) => e.name)).toEqual(['青岛某某有限公司', '海纳智能']);
  });

  it('fileActivityDemand posts the demand for an enterprise met, with a key', async () => {
    wxFake.on('POST /supervision-activities/81/demands', () => ({ statusCode: 201, data: demandFixture({ channel: 'supervision' }) }));
    const body = { enterpriseId: '7', kind: 'demand', environment: 'factor', title: '用工难', content: '招不到熟练技工' } as const;

    const d = await fileActivityDemand('81', body, 'k-dem');

    const sent = only('POST /supervision-activities/81/demands');
    expect(sent.data).toEqual(body);
    expect(sent.header['Idempotency-Key']).toBe('k-dem');
    expect(d.channel).toBe('supervision');
  });

  it('searchEnterprises gets /enterprises with q and limit, leaving an empty q out', async () => {
    wxFake.on('GET /enterprises', () => ({ statusCode: 200, data: { items: [enterpriseFixture({ id: '8', name: '海纳智能', uscc: '91370200MA3C000000' })], nextCursor: null } }));

    const page = await searchEnterprises({ q: '海纳', limit: 20 });
    await searchEnterprises({ q: '', limit: 20 });

    const [first, second] = wxFake.calls('GET /enterprises');
    expect(first!.url).toBe(`http://127.0.0.1:8080/api/v1/enterprises?q=${encodeURIComponent('海纳')}&limit=20`);
    expect(second!.query).toEqual({ limit: '20' });
    expect(page.items.map((e) => e.name)).toEqual(['海纳智能']);
  });
});

describe('Idempotency-Key per user action', () => {
  it('is reused for a 同感 retried after a lost answer, and new for the next action', async () => {
    const keys = new ActionKeys();
    let n = 0;
    wxFake.on('POST /complaints/31/metoo', () => {
      n += 1;
      return n === 1 ? { failWith: 'request:fail timeout' } : { statusCode: 200, data: { metooCount: 4 } };
    });
    const tap = () => keys.run('metoo:31', {}, (key) => metoo('31', key));

    await tap().catch(() => undefined);
    await tap();
    await tap();

    const sent = wxFake.calls('POST /complaints/31/metoo').map((r) => r.header['Idempotency-Key']);
    expect(sent).toHaveLength(3);
    expect(sent[1]).toBe(sent[0]);
    expect(sent[2]).not.toBe(sent[0]);
  });
});
