// The inspection and leniency services against the fake `wx`: what each sends (method, path,
// query, body, token, Idempotency-Key) and what it returns; the server's 409 as an `ApiError`
// in its words.
import { beforeEach, describe, expect, it } from '@jest/globals';

import { getInspection, listInspections, observeInspection, rateInspection, searchLeniency } from '../src/services/inspections';
import { ApiError } from '../src/utils/api-error';
import * as session from '../src/utils/session';
import { errorReply, inspectionFixture, installFakeWx, leniencyFixture, userFixture, type FakeWx, type SentRequest } from './helpers/fake-wx';

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

function expectRead(sent: SentRequest): void {
  expect(sent.header.Authorization).toBe('Bearer access-a');
  expect(sent.header['Idempotency-Key']).toBeUndefined();
  expect(sent.data).toBeUndefined();
}

describe('inspections', () => {
  it('listInspections asks for a page, passing the cursor back', async () => {
    wxFake.on('GET /inspections', () => ({ statusCode: 200, data: { items: [inspectionFixture()], nextCursor: 'c2' } }));
    const page = await listInspections({ cursor: 'c1', limit: 20 });
    const sent = only('GET /inspections');
    expectRead(sent);
    expect(sent.query).toEqual({ cursor: 'c1', limit: '20' });
    expect([page.items.map((i) => i.id), page.nextCursor]).toEqual([['31'], 'c2']);
  });

  it('getInspection reads one by its id', async () => {
    wxFake.on('GET /inspections/31', () => ({ statusCode: 200, data: inspectionFixture() }));
    const i = await getInspection('31');
    expectRead(only('GET /inspections/31'));
    expect(i.purpose).toBe('食品经营许可现场核查');
  });
});

describe('rateInspection', () => {
  it('posts the choice, the complaint and the trimmed comment with a key, and returns the rating', async () => {
    wxFake.on('POST /inspections/31/rating', () => ({
      statusCode: 201,
      data: { proper: false, comment: '未出示执法证件', demandId: '42', createdAt: '2026-11-28T10:00:00+08:00' },
    }));
    const r = await rateInspection('31', { proper: false, comment: '  未出示执法证件 ', complaint: true });
    const sent = only('POST /inspections/31/rating');
    expect(sent.data).toEqual({ proper: false, comment: '未出示执法证件', complaint: true });
    expect(sent.header.Authorization).toBe('Bearer access-a');
    expect(sent.header['Idempotency-Key']).toMatch(UUID);
    expect(r.demandId).toBe('42');
  });

  it('leaves out a blank comment, always says whether it is a complaint, and sends the key it is given', async () => {
    wxFake.on('POST /inspections/31/rating', () => ({ statusCode: 201, data: { proper: true, comment: null, demandId: null, createdAt: '2026-11-28T10:00:00+08:00' } }));
    await rateInspection('31', { proper: true, comment: '   ' }, 'key-of-this-tap');
    const sent = only('POST /inspections/31/rating');
    expect(sent.data).toEqual({ proper: true, complaint: false });
    expect(sent.header['Idempotency-Key']).toBe('key-of-this-tap');
  });

  it('gives 409 already_rated as an ApiError in the server\'s words', async () => {
    wxFake.on('POST /inspections/31/rating', () => errorReply(409, 'already_rated', '您已评价过这次检查'));
    const err = await rateInspection('31', { proper: true }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect([e.status, e.code, e.message]).toEqual([409, 'already_rated', '您已评价过这次检查']);
  });
});

describe('observeInspection', () => {
  const observed = inspectionFixture({
    observers: [{ userId: '1', name: '体验官张三', observation: '执法人员出示了证件', observedAt: '2026-11-28T10:00:00+08:00' }],
  });

  it('posts the trimmed observation with a key and returns the inspection, its observers updated', async () => {
    wxFake.on('POST /inspections/31/observations', () => ({ statusCode: 200, data: observed }));
    const i = await observeInspection('31', { observation: '  执法人员出示了证件 ' });
    const sent = only('POST /inspections/31/observations');
    expect(sent.data).toEqual({ observation: '执法人员出示了证件' });
    expect(sent.header.Authorization).toBe('Bearer access-a');
    expect(sent.header['Idempotency-Key']).toMatch(UUID);
    expect(i.observers.map((o) => o.observation)).toEqual(['执法人员出示了证件']);
  });

  it('sends the key it is given, and gives 409 already_observed in the server\'s words', async () => {
    wxFake.on('POST /inspections/31/observations', () => errorReply(409, 'already_observed', '您已反馈过这次检查'));
    const err = await observeInspection('31', { observation: '好' }, 'key-of-this-tap').then(
      () => null,
      (e: unknown) => e,
    );
    expect(only('POST /inspections/31/observations').header['Idempotency-Key']).toBe('key-of-this-tap');
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect([e.status, e.code, e.message]).toEqual([409, 'already_observed', '您已反馈过这次检查']);
  });
});

describe('searchLeniency', () => {
  it('sends the trimmed words, the list and the page', async () => {
    wxFake.on('GET /leniency-items', () => ({ statusCode: 200, data: { items: [leniencyFixture()], nextCursor: null } }));
    const page = await searchLeniency({ q: '  营业执照 ', list: 'minor', cursor: 'c1', limit: 20 });
    const sent = only('GET /leniency-items');
    expectRead(sent);
    expect(sent.query).toEqual({ q: '营业执照', list: 'minor', cursor: 'c1', limit: '20' });
    expect(page.items.map((i) => i.item)).toEqual(['未按规定公示营业执照']);
  });

  it('leaves out blank words and absent filters', async () => {
    wxFake.on('GET /leniency-items', () => ({ statusCode: 200, data: { items: [], nextCursor: null } }));
    await searchLeniency({ q: '  ', limit: 20 });
    expect(only('GET /leniency-items').query).toEqual({ limit: '20' });
  });
});
