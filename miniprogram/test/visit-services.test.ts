// The services of butler visits (三上门) against the fake `wx`: method, path (the id escaped),
// body, token, an Idempotency-Key on the write (the action's, or a fresh one), the same key again
// for a retry after a lost answer, and the server's 403/422 as `ApiError`s in its words, indexed
// field names included.
import { beforeEach, describe, expect, it } from '@jest/globals';

import { listDueVisits, listEnterpriseVisits, listVisitIntervals, recordVisit } from '../src/services/visits';
import type { VisitRequest } from '../src/types/api';
import { ApiError } from '../src/utils/api-error';
import { ActionKeys } from '../src/utils/idempotency';
import * as session from '../src/utils/session';
import { dueVisitFixture, errorReply, installFakeWx, userFixture, visitFixture, type FakeWx, type SentRequest } from './helpers/fake-wx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const BASE = 'http://127.0.0.1:8080/api/v1';

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

/** A read: the token, no key, no body, no query. */
function expectRead(sent: SentRequest): void {
  expect(sent.header.Authorization).toBe('Bearer access-a');
  expect(sent.header['Idempotency-Key']).toBeUndefined();
  expect(sent.data).toBeUndefined();
  expect(sent.query).toEqual({});
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

const body: VisitRequest = {
  kind: 'advice',
  visitedOn: '2026-11-20',
  peopleMet: '张总（总经理）',
  policyIds: ['12', '15'],
  notes: '企业计划扩产，用地紧张',
  needs: [{ environment: 'factor', title: '扩产用地指标', content: '计划新建厂房，希望协调用地指标。' }],
};

describe('recordVisit', () => {
  it('posts the visit with the key given and returns it with the demands its needs became', async () => {
    wxFake.on('POST /enterprises/7/visits', () => ({
      statusCode: 201,
      data: visitFixture({ kind: 'advice', kindLabel: '问计上门', policyIds: ['12', '15'], demandIds: ['301'], notes: '企业计划扩产，用地紧张' }),
    }));

    const visit = await recordVisit('7', body, 'k-visit');

    const sent = only('POST /enterprises/7/visits');
    expect(sent.url).toBe(`${BASE}/enterprises/7/visits`);
    expect(sent.data).toEqual(body);
    expect(sent.header['Idempotency-Key']).toBe('k-visit');
    expect(sent.header.Authorization).toBe('Bearer access-a');
    expect([visit.kindLabel, visit.demandIds]).toEqual(['问计上门', ['301']]);
  });

  it('makes a fresh key for each record when none is given, and escapes the id', async () => {
    wxFake.on('POST /enterprises/a%2Fb/visits', () => ({ statusCode: 201, data: visitFixture() }));
    const plain: VisitRequest = { kind: 'care', visitedOn: '2026-11-20', peopleMet: '李会计' };
    await recordVisit('a/b', plain);
    await recordVisit('a/b', plain);
    const [first, second] = wxFake.calls('POST /enterprises/a%2Fb/visits');
    expect(first!.data).toEqual(plain);
    expect(first!.header['Idempotency-Key']).toMatch(UUID);
    expect(second!.header['Idempotency-Key']).toMatch(UUID);
    expect(first!.header['Idempotency-Key']).not.toBe(second!.header['Idempotency-Key']);
  });

  it('reports 403 and a 422 with indexed fields in the server\'s words', async () => {
    wxFake.on('POST /enterprises/7/visits', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    const refused = await failure(recordVisit('7', body));
    expect([refused.status, refused.code, refused.message]).toEqual([403, 'forbidden', '您无权执行该操作']);

    wxFake.on('POST /enterprises/7/visits', () =>
      errorReply(422, 'validation_failed', '提交的内容有误', [
        { field: 'policyIds[1]', code: 'not_published', message: '只能讲解已发布的政策' },
        { field: 'needs[0].title', code: 'too_long', message: '不能超过 50 个字' },
      ]),
    );
    const invalid = await failure(recordVisit('7', body));
    expect(invalid.status).toBe(422);
    expect(invalid.fieldMessage('policyIds[1]')).toBe('只能讲解已发布的政策');
    expect(invalid.fieldMessage('needs[0].title')).toBe('不能超过 50 个字');
  });

  it('keeps the key of a record whose answer was lost', async () => {
    let calls = 0;
    wxFake.on('POST /enterprises/7/visits', () => {
      calls += 1;
      return calls === 1 ? { failWith: 'request:fail timeout' } : { statusCode: 201, data: visitFixture() };
    });
    const keys = new ActionKeys();

    const lost = await failure(keys.run('record:7', body, (key) => recordVisit('7', body, key)));
    expect(lost.code).toBe('network_error');
    await keys.run('record:7', body, (key) => recordVisit('7', body, key));

    const sent = wxFake.calls('POST /enterprises/7/visits');
    expect(sent).toHaveLength(2);
    expect(sent[0]!.header['Idempotency-Key']).toBe(sent[1]!.header['Idempotency-Key']);
  });
});

describe('the reads', () => {
  it('listEnterpriseVisits gets an enterprise\'s visits, newest first as sent', async () => {
    wxFake.on('GET /enterprises/7/visits', () => ({
      statusCode: 200,
      data: [visitFixture({ id: '82', visitedOn: '2026-11-25' }), visitFixture()],
    }));
    const visits = await listEnterpriseVisits('7');
    expectRead(only('GET /enterprises/7/visits'));
    expect(visits.map((v) => [v.id, v.visitedOn])).toEqual([
      ['82', '2026-11-25'],
      ['81', '2026-11-20'],
    ]);

    wxFake.on('GET /enterprises/9/visits', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    expect((await failure(listEnterpriseVisits('9'))).status).toBe(403);
  });

  it('listDueVisits gets the due list; a never-visited enterprise has no last visit', async () => {
    wxFake.on('GET /visits/due', () => ({
      statusCode: 200,
      data: [dueVisitFixture(), dueVisitFixture({ enterpriseId: '8', lastVisit: null, daysOverdue: 0 })],
    }));
    const due = await listDueVisits();
    expectRead(only('GET /visits/due'));
    expect(due.map((d) => [d.enterpriseId, d.lastVisit ?? null, d.daysOverdue])).toEqual([
      ['7', '2026-10-01', 3],
      ['8', null, 0],
    ]);
  });

  it('listDueVisits refused to someone who is not a butler is a 403 ApiError', async () => {
    wxFake.on('GET /visits/due', () => errorReply(403, 'forbidden', '您无权执行该操作'));
    const err = await failure(listDueVisits());
    expect([err.status, err.message]).toEqual([403, '您无权执行该操作']);
  });

  it('listVisitIntervals gets each tier\'s days', async () => {
    wxFake.on('GET /visit-intervals', () => ({
      statusCode: 200,
      data: [
        { tier: 'key', tierLabel: '重点', days: 30 },
        { tier: 'growth', tierLabel: '成长', days: 60 },
        { tier: 'general', tierLabel: '一般', days: 90 },
      ],
    }));
    const intervals = await listVisitIntervals();
    expectRead(only('GET /visit-intervals'));
    expect(intervals.map((i) => [i.tier, i.days])).toEqual([
      ['key', 30],
      ['growth', 60],
      ['general', 90],
    ]);
  });
});
