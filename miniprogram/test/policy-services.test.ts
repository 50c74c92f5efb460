// The policy services against the fake `wx`: what each sends (method, path, query, body, token,
// Idempotency-Key) and what it returns or throws.
import { beforeEach, describe, expect, it } from '@jest/globals';

import { acknowledgePolicy, getPolicy, listMatchedPolicies, searchPolicies } from '../src/services/policies';
import type { MatchedPolicy, Policy } from '../src/types/api';
import { ApiError } from '../src/utils/api-error';
import * as session from '../src/utils/session';
import { errorReply, installFakeWx, userFixture, type FakeWx, type SentRequest } from './helpers/fake-wx';

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

const matched: MatchedPolicy = {
  id: '12',
  title: '高新技术企业认定奖励',
  issuer: '青岛市科技局',
  publishedOn: '2026-10-01',
  applyBy: '2026-12-31',
  forWhom: '通过高新技术企业认定的企业',
  reasons: [{ kind: 'qualification', held: true, text: '具备高新技术企业资质' }],
  sharedTags: ['科技创新'],
};

const policy: Policy = {
  id: '12',
  title: '高新技术企业认定奖励',
  issuer: '青岛市科技局',
  docNumber: '青科字〔2026〕8号',
  publishedOn: '2026-10-01',
  effectiveOn: '2026-10-15',
  expiresOn: null,
  applyBy: '2026-12-31',
  explainer: { forWhom: '高新技术企业', benefits: '一次性奖励 20 万元', howToApply: '线上申报', contact: '市科技局 0532-85911234' },
  fullText: '第一条 为鼓励……',
  tags: ['科技创新'],
  conditions: {},
  attachments: [],
  status: 'published',
};

describe('listMatchedPolicies', () => {
  it('gets the first page of the matched list with the bearer token and no query by default', async () => {
    wxFake.on('GET /policies/matched', () => ({ statusCode: 200, data: { items: [matched], nextCursor: 'c2' } }));

    const page = await listMatchedPolicies();

    const sent = only('GET /policies/matched');
    expect(sent.method).toBe('GET');
    expect(sent.url).toBe('http://127.0.0.1:8080/api/v1/policies/matched');
    expect(sent.query).toEqual({});
    expect(sent.header.Authorization).toBe('Bearer access-a');
    expect(page.items.map((p) => p.title)).toEqual(['高新技术企业认定奖励']);
    expect(page.nextCursor).toBe('c2');
  });

  it('names the enterprise when given one', async () => {
    wxFake.on('GET /policies/matched', () => ({ statusCode: 200, data: { items: [], nextCursor: null } }));

    await listMatchedPolicies('7');

    expect(only('GET /policies/matched').url).toBe('http://127.0.0.1:8080/api/v1/policies/matched?enterpriseId=7');
  });

  it('asks for the page after a cursor, with the enterprise and a page size', async () => {
    wxFake.on('GET /policies/matched', () => ({ statusCode: 200, data: { items: [matched], nextCursor: null } }));

    const page = await listMatchedPolicies('7', { cursor: 'c2/+=', limit: 20 });

    expect(only('GET /policies/matched').url).toBe(
      'http://127.0.0.1:8080/api/v1/policies/matched?enterpriseId=7&cursor=c2%2F%2B%3D&limit=20',
    );
    expect(page).toEqual({ items: [matched], nextCursor: null });
  });

  it('turns 403 not_an_enterprise_member into an ApiError', async () => {
    wxFake.on('GET /policies/matched', () => errorReply(403, 'not_an_enterprise_member', '请先绑定企业'));

    const err = (await listMatchedPolicies().catch((e: unknown) => e)) as ApiError;

    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('not_an_enterprise_member');
    expect(err.status).toBe(403);
  });
});

describe('searchPolicies', () => {
  it('encodes Chinese query text and keeps the given order, leaving out absent filters', async () => {
    wxFake.on('GET /policies/search', () => ({
      statusCode: 200,
      data: [{ id: '12', issuer: '青岛市科技局', status: 'published', publishedOn: '2026-10-01', score: 1.5, title: [], snippet: [] }],
    }));

    const hits = await searchPolicies({ q: '高新 补贴&税', limit: 20 });

    const sent = only('GET /policies/search');
    expect(sent.url).toBe(
      'http://127.0.0.1:8080/api/v1/policies/search?q=%E9%AB%98%E6%96%B0%20%E8%A1%A5%E8%B4%B4%26%E7%A8%8E&limit=20',
    );
    expect(sent.query).toEqual({ q: '高新 补贴&税', limit: '20' });
    expect(sent.data).toBeUndefined();
    expect(hits[0]?.score).toBe(1.5);
  });

  it('sends the optional filters when set', async () => {
    wxFake.on('GET /policies/search', () => ({ statusCode: 200, data: [] }));

    await searchPolicies({ q: '人才', limit: 5, issuer: '市人社局', tag: '人才', status: 'published', from: '2026-01-01', to: '2026-12-31' });

    expect(only('GET /policies/search').query).toEqual({
      q: '人才',
      limit: '5',
      issuer: '市人社局',
      tag: '人才',
      status: 'published',
      from: '2026-01-01',
      to: '2026-12-31',
    });
  });

  it('passes the 422 of an empty query on', async () => {
    wxFake.on('GET /policies/search', () => errorReply(422, 'validation_failed', '请输入搜索内容'));

    const err = (await searchPolicies({ q: ' ' }).catch((e: unknown) => e)) as ApiError;

    expect(err.code).toBe('validation_failed');
    expect(err.status).toBe(422);
  });
});

describe('getPolicy', () => {
  it('gets one policy by its encoded id', async () => {
    wxFake.on('GET /policies/a%2Fb', () => ({ statusCode: 200, data: policy }));

    const got = await getPolicy('a/b');

    const sent = only('GET /policies/a%2Fb');
    expect(sent.method).toBe('GET');
    expect(got.explainer.contact).toBe('市科技局 0532-85911234');
  });

  it('turns 404 policy_not_found into an ApiError', async () => {
    wxFake.on('GET /policies/99', () => errorReply(404, 'policy_not_found', '政策不存在'));

    const err = (await getPolicy('99').catch((e: unknown) => e)) as ApiError;

    expect(err.code).toBe('policy_not_found');
    expect(err.status).toBe(404);
  });
});

describe('acknowledgePolicy', () => {
  it('posts an empty JSON body with an Idempotency-Key and resolves to nothing on 204', async () => {
    wxFake.on('POST /policies/12/ack', () => ({ statusCode: 204 }));

    await expect(acknowledgePolicy('12')).resolves.toBeUndefined();

    const sent = only('POST /policies/12/ack');
    expect(sent.data).toEqual({});
    expect(sent.header['Content-Type']).toBe('application/json');
    expect(sent.header.Authorization).toBe('Bearer access-a');
    expect(sent.header['Idempotency-Key']).toMatch(UUID);
  });

  it('sends the key it is given', async () => {
    wxFake.on('POST /policies/12/ack', () => ({ statusCode: 204 }));

    await acknowledgePolicy('12', 'key-of-this-tap');

    expect(only('POST /policies/12/ack').header['Idempotency-Key']).toBe('key-of-this-tap');
  });
});
