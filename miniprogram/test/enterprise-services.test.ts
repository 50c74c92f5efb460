// The enterprise-profile services against the fake `wx`: what each sends (method, path, query,
// body, token; PATCH as a POST with the override header, the changed fields only) and what it
// returns or throws.
import { beforeEach, describe, expect, it } from '@jest/globals';

import { getEnterprise, searchIndustries, updateEnterpriseProfile } from '../src/services/enterprises';
import type { EnterpriseProfilePatch } from '../src/types/api';
import { ApiError } from '../src/utils/api-error';
import * as session from '../src/utils/session';
import { enterpriseFixture, errorReply, installFakeWx, userFixture, type FakeWx, type SentRequest } from './helpers/fake-wx';

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

describe('getEnterprise', () => {
  it('gets one enterprise by its encoded id with the bearer token', async () => {
    wxFake.on('GET /enterprises/7', () => ({ statusCode: 200, data: enterpriseFixture() }));

    const e = await getEnterprise('7');

    const sent = only('GET /enterprises/7');
    expect(sent.url).toBe('http://127.0.0.1:8080/api/v1/enterprises/7');
    expect(sent.header.Authorization).toBe('Bearer access-a');
    expect(sent.data).toBeUndefined();
    expect(e.industryName).toBe('应用软件开发');
    expect(e.qualifications).toEqual(['高新技术企业']);
  });

  it('encodes the id and passes 403 and 404 on as ApiErrors', async () => {
    wxFake.on('GET /enterprises/a%2Fb', () => errorReply(404, 'enterprise_not_found', '企业不存在'));
    wxFake.on('GET /enterprises/8', () => errorReply(403, 'forbidden', '无权查看该企业'));

    const gone = (await getEnterprise('a/b').catch((e: unknown) => e)) as ApiError;
    const other = (await getEnterprise('8').catch((e: unknown) => e)) as ApiError;

    expect(gone).toBeInstanceOf(ApiError);
    expect([gone.code, gone.status]).toEqual(['enterprise_not_found', 404]);
    expect([other.code, other.status]).toEqual(['forbidden', 403]);
  });
});

describe('updateEnterpriseProfile', () => {
  it('sends PATCH as a POST with X-HTTP-Method-Override and only the fields given', async () => {
    wxFake.on('POST /enterprises/7', () => ({ statusCode: 200, data: enterpriseFixture({ scale: 'medium', tags: [] }) }));

    const updated = await updateEnterpriseProfile('7', { scale: 'medium', tags: [] });

    const sent = only('POST /enterprises/7');
    expect(sent.header['X-HTTP-Method-Override']).toBe('PATCH');
    expect(sent.header['Content-Type']).toBe('application/json');
    expect(sent.header.Authorization).toBe('Bearer access-a');
    expect(sent.data).toEqual({ scale: 'medium', tags: [] });
    expect(updated.scale).toBe('medium');
  });

  it('leaves out absent and unknown fields, and sends an empty district to clear it', async () => {
    wxFake.on('POST /enterprises/7', () => ({ statusCode: 200, data: enterpriseFixture({ district: null }) }));
    // What a careless caller might pass: fields a member may not send are never put on the wire.
    const patch = { district: '', industryCode: undefined, name: '改名', butlerId: '3' } as EnterpriseProfilePatch;

    await updateEnterpriseProfile('7', patch);

    expect(only('POST /enterprises/7').data).toEqual({ district: '' });
  });

  it('sends every profile field when all changed', async () => {
    wxFake.on('POST /enterprises/7', () => ({ statusCode: 200, data: enterpriseFixture() }));

    await updateEnterpriseProfile('7', {
      industryCode: 'I6511',
      scale: 'large',
      qualifications: ['专精特新'],
      tags: ['人工智能'],
      district: '崂山区',
    });

    expect(only('POST /enterprises/7').data).toEqual({
      industryCode: 'I6511',
      scale: 'large',
      qualifications: ['专精特新'],
      tags: ['人工智能'],
      district: '崂山区',
    });
  });

  it('turns a 422 into an ApiError with its field errors', async () => {
    wxFake.on('POST /enterprises/7', () =>
      errorReply(422, 'validation_failed', '提交的内容有误', [
        { field: 'industryCode', code: 'unknown_industry', message: '行业代码应为 GB/T 4754-2017 小类代码（含门类字母），如 I6513' },
        { field: 'tags', code: 'too_many', message: '最多 20 项，每项不超过 30 个字' },
      ]),
    );

    const err = (await updateEnterpriseProfile('7', { industryCode: 'Z9999' }).catch((e: unknown) => e)) as ApiError;

    expect(err.code).toBe('validation_failed');
    expect(err.status).toBe(422);
    expect(err.fieldMessage('industryCode')).toBe('行业代码应为 GB/T 4754-2017 小类代码（含门类字母），如 I6513');
    expect(err.fieldMessage('tags')).toBe('最多 20 项，每项不超过 30 个字');
  });
});

describe('searchIndustries', () => {
  it('gets /industries with the encoded query and the limit', async () => {
    wxFake.on('GET /industries', () => ({
      statusCode: 200,
      data: [{ code: 'I6513', name: '应用软件开发', level: 4, path: '信息传输、软件和信息技术服务业 › 软件和信息技术服务业 › 软件开发 › 应用软件开发' }],
    }));

    const found = await searchIndustries({ q: '软件', limit: 20 });

    const sent = only('GET /industries');
    expect(sent.url).toBe('http://127.0.0.1:8080/api/v1/industries?q=%E8%BD%AF%E4%BB%B6&limit=20');
    expect(sent.query).toEqual({ q: '软件', limit: '20' });
    expect(sent.header.Authorization).toBe('Bearer access-a');
    expect(found.map((i) => `${i.code} ${i.name}`)).toEqual(['I6513 应用软件开发']);
  });

  it('leaves the limit out when not given (the server defaults to 20)', async () => {
    wxFake.on('GET /industries', () => ({ statusCode: 200, data: [] }));

    await searchIndustries({ q: '6513' });

    expect(only('GET /industries').query).toEqual({ q: '6513' });
  });
});
