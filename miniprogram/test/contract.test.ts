// The fake server's contract check: the schemas of the OpenAPI document really refuse what the
// real server would never send or accept, and a test that makes the fake server break the
// contract fails.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { listDemands } from '../src/services/demands';
import * as session from '../src/utils/session';
import { contract, takeViolations } from './helpers/contract';
import { demandFixture, installFakeWx, userFixture, type FakeWx } from './helpers/fake-wx';

let wxFake: FakeWx;

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'a', refreshToken: 'r', expiresIn: 900, user: userFixture() });
});

const get = (path: string, query: Record<string, string> = {}) => ({ method: 'GET', path, query, header: {}, data: undefined, via: 'request' as const });

describe('schemas of the document', () => {
  it('accept a demand as the server sends it', () => {
    expect(contract().checkSchema('DemandResponse', demandFixture())).toEqual([]);
  });

  it('refuse a demand without a required field, with a wrong type, or a time without its offset', () => {
    const { status: _dropped, ...noStatus } = demandFixture();
    expect(contract().checkSchema('DemandResponse', noStatus)).toEqual(["DemandResponse must have required property 'status'"]);
    expect(contract().checkSchema('DemandResponse', demandFixture({ anonymous: 'no' as unknown as boolean }))).toEqual([
      'DemandResponse/anonymous must be boolean',
    ]);
    expect(contract().checkSchema('DemandResponse', demandFixture({ createdAt: '2026-11-28 09:30' }))).toEqual([
      'DemandResponse/createdAt must match format "date-time"',
    ]);
    expect(contract().checkSchema('DemandResponse', demandFixture({ status: 'done' as 'closed' }))[0]).toMatch(/^DemandResponse\/status must be equal to one of the allowed values/);
  });
});

describe('requests and answers', () => {
  it('flags a path, a method or a query parameter the server does not have', () => {
    expect(contract().checkRequest(get('/nowhere'))).toEqual(['GET /nowhere: no such path in the API contract']);
    expect(contract().checkRequest({ ...get('/me'), method: 'PUT' })).toEqual(['PUT /me: /api/v1/me has no PUT in the API contract']);
    expect(contract().checkRequest(get('/demands', { colour: 'red' }))).toEqual(['GET /demands: query parameter `colour` is not in the contract']);
    expect(contract().checkRequest(get('/demands', { limit: 'ten' }))).toEqual(['GET /demands ?limit must be integer']);
    expect(contract().checkRequest(get('/demands', { todo: 'true', limit: '20' }))).toEqual([]);
  });

  it('flags a body the server would refuse, and reads a PATCH sent as a POST with the override', () => {
    const post = (path: string, data: unknown, header: Record<string, string> = {}) => ({ method: 'POST', path, query: {}, header, data, via: 'request' as const });
    expect(contract().checkRequest(post('/demands/42/reject', {}))).toEqual(["POST /demands/42/reject body must have required property 'reason'"]);
    expect(contract().checkRequest(post('/demands/42/reject', { reason: '不属于受理范围' }))).toEqual([]);
    expect(contract().checkRequest(post('/enterprises/7', { scale: 'huge' }, { 'X-HTTP-Method-Override': 'PATCH' }))[0]).toMatch(/^PATCH \/enterprises\/7 body\/scale/);
  });

  it('flags an answer the operation does not document: a wrong success status, or an error not in the server shape', () => {
    const req = get('/me');
    expect(contract().checkResponse(req, 201, userFixture())).toEqual(['GET /me → 201: the contract documents no 201 for this operation']);
    expect(contract().checkResponse(req, 200, userFixture())).toEqual([]);
    expect(contract().checkResponse(req, 401, { error: 'token_expired', message: '登录已过期' })).toEqual([
      "GET /me → 401 body must have required property 'fields'",
    ]);
  });

  it('checks the pending endpoints (not on the server yet) against the supplement, and lists them', () => {
    expect(contract().pending.sort()).toEqual([]);
    expect(contract().checkResponse(get('/notifications/unread-count'), 200, { count: 3 })).toEqual([]);
    // A replaced operation (API-NEEDS.md 3): the call-back queue a page at a time, no more a bare array.
    expect(contract().checkRequest(get('/callbacks', { status: 'open', cursor: 'c2', limit: '20' }))).toEqual([]);
    expect(contract().checkResponse(get('/callbacks'), 200, [])).toEqual(['GET /callbacks → 200 body must be object']);
    expect(contract().checkResponse(get('/notifications/unread-count'), 200, { unread: 3 })).toEqual([
      "GET /notifications/unread-count → 200 body must have required property 'count'",
    ]);
    expect(contract().checkResponse(get('/auth/console-tickets/ABCDEFGHIJKLMNOP'), 200, { ticket: 'x', status: 'waiting', browser: 'Chrome', createdAt: '2026-12-04T10:00:00+08:00', expiresAt: '2026-12-04T10:02:00+08:00' })).toEqual([
      'GET /auth/console-tickets/ABCDEFGHIJKLMNOP → 200 body/ticket must match pattern "^[A-Z2-7]{16}$"',
    ]);
  });
});

describe('the fake server', () => {
  it('records a fixture the real server would never send, which fails the test that served it', async () => {
    wxFake.on('GET /demands', () => ({ statusCode: 200, data: { items: [{ ...demandFixture(), status: 'done' }], nextCursor: null } }));

    await listDemands({});

    const found = takeViolations();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^GET \/demands → 200 body\/items\/0\/status must be equal to one of the allowed values/);
  });
});
