// The conduct-clue services against the fake `wx`: what each sends (method, path, query, body,
// token, Idempotency-Key) and what it returns; the server's 409/422 as `ApiError`s in its words.
import { beforeEach, describe, expect, it } from '@jest/globals';

import { getCase, listCases, listMyClues, referDemand, reportClue } from '../src/services/clues';
import { ApiError } from '../src/utils/api-error';
import * as session from '../src/utils/session';
import { clueCaseFixture, errorReply, installFakeWx, myClueFixture, userFixture, type FakeWx, type SentRequest } from './helpers/fake-wx';

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

describe('reportClue', () => {
  it('posts the clue with the token and an Idempotency-Key, and returns the 201 body', async () => {
    wxFake.on('POST /clues', () => ({ statusCode: 201, data: myClueFixture({ anonymous: true }) }));

    const created = await reportClue({
      category: 'extortion',
      unitId: '3',
      official: '三号窗口',
      content: '办理税务登记时窗口人员暗示需要请客吃饭才能加快办理。',
      happenedOn: '2026-11-20',
      anonymous: true,
      fileIds: ['61', '62'],
    });

    const sent = only('POST /clues');
    expect(sent.data).toEqual({
      category: 'extortion',
      unitId: '3',
      official: '三号窗口',
      content: '办理税务登记时窗口人员暗示需要请客吃饭才能加快办理。',
      happenedOn: '2026-11-20',
      anonymous: true,
      fileIds: ['61', '62'],
    });
    expect(sent.header.Authorization).toBe('Bearer access-a');
    expect(sent.header['Idempotency-Key']).toMatch(UUID);
    expect(created.stage).toBe('已收到，等待受理');
  });

  it('leaves out what was not given, always says whether it is anonymous, and sends the key it is given', async () => {
    wxFake.on('POST /clues', () => ({ statusCode: 201, data: myClueFixture() }));

    await reportClue({ category: 'other', content: '十个字以上的情况说明文字', anonymous: false, fileIds: [] }, 'key-of-this-tap');

    const sent = only('POST /clues');
    expect(sent.data).toEqual({ category: 'other', content: '十个字以上的情况说明文字', anonymous: false });
    expect(sent.header['Idempotency-Key']).toBe('key-of-this-tap');
  });

  it('turns a 422 into an ApiError with its fields', async () => {
    wxFake.on('POST /clues', () =>
      errorReply(422, 'validation_failed', '提交的内容有误', [{ field: 'happenedOn', code: 'in_future', message: '发生日期不能晚于今天' }]),
    );
    const err = await failure(reportClue({ category: 'other', content: '十个字以上的情况说明文字', anonymous: false, happenedOn: '2099-01-01' }));
    expect([err.status, err.fieldMessage('happenedOn')]).toEqual([422, '发生日期不能晚于今天']);
  });
});

describe('listMyClues', () => {
  it('gets GET /me/clues and returns the list', async () => {
    wxFake.on('GET /me/clues', () => ({ statusCode: 200, data: [myClueFixture()] }));
    const clues = await listMyClues();
    const sent = only('GET /me/clues');
    expectRead(sent);
    expect(sent.query).toEqual({});
    expect(clues.map((c) => c.id)).toEqual(['11']);
  });
});

describe('typical cases', () => {
  it('listCases asks for a page, passing the cursor back', async () => {
    wxFake.on('GET /cases', () => ({ statusCode: 200, data: { items: [clueCaseFixture()], nextCursor: 'c2' } }));
    const page = await listCases({ cursor: 'c1', limit: 20 });
    const sent = only('GET /cases');
    expectRead(sent);
    expect(sent.query).toEqual({ cursor: 'c1', limit: '20' });
    expect([page.items.length, page.nextCursor]).toEqual([1, 'c2']);
  });

  it('getCase reads one case by its id', async () => {
    wxFake.on('GET /cases/3', () => ({ statusCode: 200, data: clueCaseFixture() }));
    const c = await getCase('3');
    expectRead(only('GET /cases/3'));
    expect(c.title).toBe('某局窗口工作人员吃拿卡要问题');
  });
});

describe('referDemand', () => {
  it('posts the category and the trimmed note to POST /demands/{id}/clue with a key', async () => {
    wxFake.on('POST /demands/42/clue', () => ({ statusCode: 201, data: { clueId: '12' } }));
    const answer = await referDemand('42', { category: 'buck_passing', note: '  多次推诿  ' });
    const sent = only('POST /demands/42/clue');
    expect(sent.data).toEqual({ category: 'buck_passing', note: '多次推诿' });
    expect(sent.header['Idempotency-Key']).toMatch(UUID);
    expect(answer.clueId).toBe('12');
  });

  it('leaves out a blank note, and gives 409 already_referred as an ApiError in the server words', async () => {
    wxFake.on('POST /demands/42/clue', () => errorReply(409, 'already_referred', '该诉求已移送纪检监察'));
    const err = await failure(referDemand('42', { category: 'other', note: '   ' }, 'refer-key'));
    const sent = only('POST /demands/42/clue');
    expect(sent.data).toEqual({ category: 'other' });
    expect(sent.header['Idempotency-Key']).toBe('refer-key');
    expect([err.status, err.code, err.message]).toEqual([409, 'already_referred', '该诉求已移送纪检监察']);
  });
});
