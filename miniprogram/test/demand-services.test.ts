// The demand-related services against the fake `wx`: what each sends (method, path, query, body,
// token, Idempotency-Key) and what it returns; uploads and downloads through the request module.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import {
  accept,
  approveExtension,
  assign,
  comment,
  createDemand,
  extend,
  flagUnreasonable,
  getDemand,
  listDemands,
  merge,
  rate,
  reject,
  reply,
  returnDemand,
  sign,
  supervise,
} from '../src/services/demands';
import { downloadFile, uploadFile } from '../src/services/files';
import { listNotifications, markAllRead, markRead, reportSubscriptions } from '../src/services/notifications';
import { listReplyTemplates } from '../src/services/reply-templates';
import { listUnits } from '../src/services/units';
import type { Demand } from '../src/types/api';
import { ApiError } from '../src/utils/api-error';
import { ActionKeys } from '../src/utils/idempotency';
import { setSessionRenewer } from '../src/utils/request';
import * as session from '../src/utils/session';
import { installSessionRenewal } from '../src/utils/signin';
import { demandFixture, errorReply, installFakeWx, tokensFixture, userFixture, type FakeWx, type SentRequest } from './helpers/fake-wx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

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

const demandReply = (overrides: Partial<Demand> = {}) => () => ({ statusCode: 200, data: demandFixture(overrides) });

describe('createDemand', () => {
  it('posts the demand with the bearer token and an Idempotency-Key, and returns the 201 body', async () => {
    wxFake.on('POST /demands', () => ({ statusCode: 201, data: demandFixture({ id: '99', number: 'SQ20261128-0099' }) }));

    const created = await createDemand({
      kind: 'problem',
      environment: 'market',
      title: '招标门槛过高',
      content: '某项目要求注册资本过亿',
      anonymous: true,
      attachments: ['11', '12'],
    });

    const sent = only('POST /demands');
    expect(sent.data).toEqual({
      kind: 'problem',
      environment: 'market',
      title: '招标门槛过高',
      content: '某项目要求注册资本过亿',
      anonymous: true,
      attachments: ['11', '12'],
    });
    expect(sent.header.Authorization).toBe('Bearer access-a');
    expect(sent.header['Idempotency-Key']).toMatch(UUID);
    expect(sent.header['Content-Type']).toBe('application/json');
    expect(created.number).toBe('SQ20261128-0099');
  });

  it('leaves out an empty attachment list and sends the key it is given', async () => {
    wxFake.on('POST /demands', () => ({ statusCode: 201, data: demandFixture() }));

    await createDemand(
      { kind: 'demand', environment: 'policy', title: 't', content: 'c', anonymous: false, attachments: [] },
      'key-of-this-tap',
    );

    const sent = only('POST /demands');
    expect(sent.data).toEqual({ kind: 'demand', environment: 'policy', title: 't', content: 'c', anonymous: false });
    expect(sent.header['Idempotency-Key']).toBe('key-of-this-tap');
  });

  it('makes a new key for each call that is given none', async () => {
    wxFake.on('POST /demands', () => ({ statusCode: 201, data: demandFixture() }));
    const body = { kind: 'demand', environment: 'policy', title: 't', content: 'c', anonymous: false } as const;

    await createDemand(body);
    await createDemand(body);

    const [first, second] = wxFake.calls('POST /demands').map((r) => r.header['Idempotency-Key']);
    expect(first).toMatch(UUID);
    expect(second).toMatch(UUID);
    expect(first).not.toBe(second);
  });

  it('turns 403 no_enterprise and 422 field errors into ApiErrors', async () => {
    wxFake.on('POST /demands', () => errorReply(403, 'no_enterprise', '请先绑定企业'));
    const noEnterprise = (await createDemand({ kind: 'demand', environment: 'policy', title: 't', content: 'c', anonymous: false }).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(noEnterprise).toBeInstanceOf(ApiError);
    expect(noEnterprise.code).toBe('no_enterprise');
    expect(noEnterprise.status).toBe(403);

    wxFake.on('POST /demands', () =>
      errorReply(422, 'validation_failed', '请检查填写的内容', [{ field: 'title', code: 'too_long', message: '不能超过 50 个字' }]),
    );
    const invalid = (await createDemand({ kind: 'demand', environment: 'policy', title: 't', content: 'c', anonymous: false }).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(invalid.fieldMessage('title')).toBe('不能超过 50 个字');
  });
});

describe('Idempotency-Key across retries', () => {
  it('goes unchanged with the retry after a session renewal', async () => {
    installSessionRenewal();
    wxFake.on('POST /auth/refresh', () => tokensFixture('b'));
    wxFake.on('POST /demands/42/accept', (req) =>
      req.header.Authorization === 'Bearer access-b' ? demandReply({ status: 'accepted' })() : errorReply(401, 'token_expired', '登录已过期'),
    );

    const d = await accept('42');

    const calls = wxFake.calls('POST /demands/42/accept');
    expect(calls.map((r) => r.header.Authorization)).toEqual(['Bearer access-a', 'Bearer access-b']);
    expect(calls[0]!.header['Idempotency-Key']).toMatch(UUID);
    expect(calls[1]!.header['Idempotency-Key']).toBe(calls[0]!.header['Idempotency-Key']);
    expect(d.status).toBe('accepted');
  });

  it('is reused when the same action is retried after a network failure, and only then', async () => {
    const keys = new ActionKeys();
    const body = { kind: 'demand', environment: 'policy', title: '标题', content: '内容', anonymous: false } as const;
    let answers = 0;
    wxFake.on('POST /demands', () => {
      answers += 1;
      // The first answer is lost on the way back.
      return answers === 1 ? { failWith: 'request:fail timeout' } : { statusCode: 201, data: demandFixture() };
    });
    const submit = (payload: typeof body) => keys.run('create', payload, (key) => createDemand(payload, key));

    const lost = (await submit(body).catch((e: unknown) => e)) as ApiError;
    expect(lost.code).toBe('network_error');
    await submit(body); // the person taps 提交 again
    await submit(body); // and files a second, separate demand

    const sentKeys = wxFake.calls('POST /demands').map((r) => r.header['Idempotency-Key']);
    expect(sentKeys).toHaveLength(3);
    expect(sentKeys[1]).toBe(sentKeys[0]);
    expect(sentKeys[2]).not.toBe(sentKeys[0]);
  });

  it('is not reused once the server has answered, even with an error', async () => {
    const keys = new ActionKeys();
    wxFake.on('POST /demands/42/sign', () => errorReply(409, 'invalid_transition', '诉求当前状态为「办理中」，不能签收'));

    await keys.run('sign:42', {}, (key) => sign('42', key)).catch(() => undefined);
    await keys.run('sign:42', {}, (key) => sign('42', key)).catch(() => undefined);

    const [first, second] = wxFake.calls('POST /demands/42/sign').map((r) => r.header['Idempotency-Key']);
    expect(first).not.toBe(second);
  });

  it('is not reused when the retry carries a different payload', async () => {
    const keys = new ActionKeys();
    wxFake.on('POST /demands/42/reject', () => ({ failWith: 'request:fail' }));

    await keys.run('reject:42', { reason: '重复' }, (key) => reject('42', { reason: '重复' }, key)).catch(() => undefined);
    await keys.run('reject:42', { reason: '不属于受理范围' }, (key) => reject('42', { reason: '不属于受理范围' }, key)).catch(
      () => undefined,
    );

    const [first, second] = wxFake.calls('POST /demands/42/reject').map((r) => r.header['Idempotency-Key']);
    expect(first).not.toBe(second);
  });
});

describe('listDemands and getDemand', () => {
  it('gets /demands with only the filters given, and returns items and nextCursor', async () => {
    wxFake.on('GET /demands', () => ({ statusCode: 200, data: { items: [demandFixture()], nextCursor: '41' } }));

    const page = await listDemands({ todo: true, cursor: 'abc=', limit: 20, q: undefined });

    const sent = only('GET /demands');
    expect(sent.query).toEqual({ todo: 'true', cursor: 'abc=', limit: '20' });
    expect(sent.url).toBe('http://127.0.0.1:8080/api/v1/demands?todo=true&cursor=abc%3D&limit=20');
    expect(sent.data).toBeUndefined();
    expect(sent.header['Idempotency-Key']).toBeUndefined();
    expect(page.items.map((d) => d.number)).toEqual(['SQ20261128-0007']);
    expect(page.nextCursor).toBe('41');
  });

  it('sends no query at all without filters', async () => {
    wxFake.on('GET /demands', () => ({ statusCode: 200, data: { items: [], nextCursor: null } }));

    const page = await listDemands();

    expect(only('GET /demands').url).toBe('http://127.0.0.1:8080/api/v1/demands');
    expect(page.nextCursor).toBeNull();
  });

  it('gets one demand with its timeline', async () => {
    wxFake.on('GET /demands/42', demandReply({ timeline: [] }));

    const d = await getDemand('42');

    expect(only('GET /demands/42').header.Authorization).toBe('Bearer access-a');
    expect(d.timeline).toEqual([]);
  });
});

describe('moves', () => {
  // [what the test calls, the path it must post to, the body it must send]
  const cases: [string, (key: string) => Promise<Demand>, string, unknown][] = [
    ['accept', (k) => accept('42', k), '/demands/42/accept', {}],
    ['reject', (k) => reject('42', { reason: '不属于受理范围' }, k), '/demands/42/reject', { reason: '不属于受理范围' }],
    ['assign', (k) => assign('42', { unitId: '3' }, k), '/demands/42/assign', { unitId: '3' }],
    [
      'assign with a deadline',
      (k) => assign('42', { unitId: '3', dueAt: '2026-12-05T23:59:59+08:00' }, k),
      '/demands/42/assign',
      { unitId: '3', dueAt: '2026-12-05T23:59:59+08:00' },
    ],
    ['sign', (k) => sign('42', k), '/demands/42/sign', {}],
    ['returnDemand', (k) => returnDemand('42', { reason: '非本单位职责' }, k), '/demands/42/return', { reason: '非本单位职责' }],
    ['reply', (k) => reply('42', { content: '已办理', attachments: [] }, k), '/demands/42/reply', { content: '已办理' }],
    ['reply with files', (k) => reply('42', { content: '见附件', attachments: ['8'] }, k), '/demands/42/reply', { content: '见附件', attachments: ['8'] }],
    ['rate', (k) => rate('42', { satisfied: true, comment: '  ' }, k), '/demands/42/rate', { satisfied: true }],
    ['rate with a comment', (k) => rate('42', { satisfied: false, comment: ' 没解决 ' }, k), '/demands/42/rate', { satisfied: false, comment: '没解决' }],
    ['extend', (k) => extend('42', { workingDays: 3, reason: '需现场核查' }, k), '/demands/42/extend', { workingDays: 3, reason: '需现场核查' }],
    ['approveExtension', (k) => approveExtension('42', k), '/demands/42/approve-extension', {}],
    ['flagUnreasonable', (k) => flagUnreasonable('42', { reason: '重复诉求' }, k), '/demands/42/flag-unreasonable', { reason: '重复诉求' }],
    ['merge', (k) => merge('42', { intoId: '40' }, k), '/demands/42/merge', { intoId: '40' }],
    ['supervise', (k) => supervise('42', { note: '请加快办理' }, k), '/demands/42/supervise', { note: '请加快办理' }],
    ['comment', (k) => comment('42', { content: '补充材料已上传' }, k), '/demands/42/comment', { content: '补充材料已上传' }],
  ];

  it.each(cases)('%s posts its body with the key and returns the demand', async (_name, call, path, body) => {
    wxFake.on(`POST ${path}`, demandReply({ status: 'accepted', timeline: [] }));

    const d = await call('the-key');

    const sent = only(`POST ${path}`);
    expect(sent.data).toEqual(body);
    expect(sent.header['Idempotency-Key']).toBe('the-key');
    expect(sent.header.Authorization).toBe('Bearer access-a');
    expect(d.status).toBe('accepted');
  });

  it('sends a fresh key when the caller gives none', async () => {
    wxFake.on('POST /demands/42/supervise', demandReply());

    await supervise('42', { note: '请加快' });

    expect(only('POST /demands/42/supervise').header['Idempotency-Key']).toMatch(UUID);
  });

  it('reports a 409 with the server\'s message', async () => {
    wxFake.on('POST /demands/42/accept', () => errorReply(409, 'invalid_transition', '诉求当前状态为「已受理」，不能受理'));

    const err = (await accept('42').catch((e: unknown) => e)) as ApiError;

    expect(err.status).toBe(409);
    expect(err.code).toBe('invalid_transition');
    expect(err.message).toBe('诉求当前状态为「已受理」，不能受理');
  });
});

describe('uploadFile', () => {
  it('goes through wx.uploadFile with the bearer token, the field name and a key, and parses the JSON text', async () => {
    wxFake.on('POST /files', () => ({
      statusCode: 201,
      data: { id: '11', contentType: 'image/jpeg', size: 2048, createdAt: '2026-11-28T09:00:00+08:00' },
    }));

    const file = await uploadFile('wxfile://tmp/photo.jpg');

    const sent = only('POST /files');
    expect(sent.via).toBe('uploadFile');
    expect(sent.url).toBe('http://127.0.0.1:8080/api/v1/files');
    expect(sent.filePath).toBe('wxfile://tmp/photo.jpg');
    expect(sent.name).toBe('file');
    expect(sent.header.Authorization).toBe('Bearer access-a');
    expect(sent.header['Idempotency-Key']).toMatch(UUID);
    // The platform writes the multipart Content-Type itself.
    expect(sent.header['Content-Type']).toBeUndefined();
    expect(sent.timeout).toBe(60_000);
    expect(file).toEqual({ id: '11', contentType: 'image/jpeg', size: 2048, createdAt: '2026-11-28T09:00:00+08:00' });
  });

  it('decides by the status: a 422 body becomes an ApiError with its fields', async () => {
    wxFake.on('POST /files', () =>
      errorReply(422, 'unsupported_type', '仅支持图片或 PDF', [{ field: 'file', code: 'unsupported_type', message: '仅支持图片或 PDF' }]),
    );

    const err = (await uploadFile('wxfile://tmp/a.txt').catch((e: unknown) => e)) as ApiError;

    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.code).toBe('unsupported_type');
    expect(err.fieldMessage('file')).toBe('仅支持图片或 PDF');
  });

  it('keeps the status of a body that is not JSON', async () => {
    wxFake.on('POST /files', () => ({ statusCode: 413, data: '<html>Request Entity Too Large</html>', offContract: 'a proxy in front of the server' }));

    const err = (await uploadFile('wxfile://tmp/big.jpg').catch((e: unknown) => e)) as ApiError;

    expect(err.code).toBe('unexpected_response');
    expect(err.status).toBe(413);
  });

  it('rejects a 2xx whose body is not JSON rather than resolve with garbage', async () => {
    wxFake.on('POST /files', () => ({ statusCode: 201, data: 'ok', offContract: 'a broken answer the client must refuse' }));

    const err = (await uploadFile('wxfile://tmp/a.jpg').catch((e: unknown) => e)) as ApiError;

    expect(err.code).toBe('unexpected_response');
  });

  it('renews the session once on 401 and retries with the new token and the same key', async () => {
    installSessionRenewal();
    wxFake.on('POST /auth/refresh', () => tokensFixture('b'));
    wxFake.on('POST /files', (req) =>
      req.header.Authorization === 'Bearer access-b'
        ? { statusCode: 201, data: { id: '12', contentType: 'image/png', size: 1, createdAt: '2026-11-28T09:00:00+08:00' } }
        : errorReply(401, 'token_expired', '登录已过期'),
    );

    const file = await uploadFile('wxfile://tmp/b.png');

    const calls = wxFake.calls('POST /files');
    expect(calls.map((r) => r.header.Authorization)).toEqual(['Bearer access-a', 'Bearer access-b']);
    expect(calls[1]!.header['Idempotency-Key']).toBe(calls[0]!.header['Idempotency-Key']);
    expect(file.id).toBe('12');
  });

  it('reports a failed upload as network_error', async () => {
    wxFake.on('POST /files', () => ({ failWith: 'uploadFile:fail timeout' }));

    const err = (await uploadFile('wxfile://tmp/c.jpg').catch((e: unknown) => e)) as ApiError;

    expect(err.code).toBe('network_error');
    expect(err.message).toBe('请求超时，请检查网络后重试');
  });
});

describe('downloadFile', () => {
  it('downloads /files/{id} with the bearer token and resolves to the temporary path', async () => {
    wxFake.on('GET /files/11', () => ({ statusCode: 200, data: 'wxfile://tmp/11.jpg' }));

    const path = await downloadFile('11');

    const sent = only('GET /files/11');
    expect(sent.via).toBe('downloadFile');
    expect(sent.header.Authorization).toBe('Bearer access-a');
    expect(path).toBe('wxfile://tmp/11.jpg');
  });

  it('turns a non-2xx into an ApiError with the status', async () => {
    wxFake.on('GET /files/12', () => ({ statusCode: 403, data: 'wxfile://tmp/error-body' }));

    const err = (await downloadFile('12').catch((e: unknown) => e)) as ApiError;

    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(403);
  });
});

describe('units, notifications, subscriptions, reply templates', () => {
  it('listUnits gets a page of /units', async () => {
    wxFake.on('GET /units', () => ({
      statusCode: 200,
      data: {
        items: [{ id: '3', code: 'tax', name: '青岛市税务局', contactPhone: null, description: null, createdAt: '2026-01-01T00:00:00+08:00' }],
        nextCursor: null,
      },
    }));

    const page = await listUnits({ limit: 100 });

    expect(only('GET /units').query).toEqual({ limit: '100' });
    expect(page.items.map((u) => u.name)).toEqual(['青岛市税务局']);
  });

  it('listNotifications passes unread and the cursor', async () => {
    wxFake.on('GET /notifications', () => ({ statusCode: 200, data: { items: [], nextCursor: null } }));

    await listNotifications({ unread: true, cursor: '9' });

    expect(only('GET /notifications').query).toEqual({ unread: 'true', cursor: '9' });
  });

  it('markRead and markAllRead post with a key and accept a 204', async () => {
    wxFake.on('POST /notifications/5/read', () => ({ statusCode: 204 }));
    wxFake.on('POST /notifications/read-all', () => ({ statusCode: 204 }));

    await expect(markRead('5')).resolves.toBeUndefined();
    await expect(markAllRead()).resolves.toBeUndefined();

    expect(wxFake.calls('POST /notifications/5/read')[0]!.header['Idempotency-Key']).toMatch(UUID);
    expect(wxFake.calls('POST /notifications/read-all')[0]!.header['Idempotency-Key']).toMatch(UUID);
  });

  it('reportSubscriptions posts the accepted template ids', async () => {
    wxFake.on('POST /me/subscriptions', () => ({ statusCode: 200, data: { demandCredits: 2, demandTemplateId: 'tpl-1', policyCredits: 0, templates: [] } }));

    const state = await reportSubscriptions(['tpl-1']);

    const sent = only('POST /me/subscriptions');
    expect(sent.data).toEqual({ accepted: ['tpl-1'] });
    expect(sent.header['Idempotency-Key']).toMatch(UUID);
    expect(state).toEqual({ demandCredits: 2, demandTemplateId: 'tpl-1', policyCredits: 0, templates: [] });
  });

  it('listReplyTemplates filters by environment when given one', async () => {
    wxFake.on('GET /reply-templates', () => ({
      statusCode: 200,
      data: [{ id: '1', environment: 'policy', unitId: null, title: '政策咨询答复', content: '您好，……' }],
    }));

    const templates = await listReplyTemplates('policy');
    await listReplyTemplates();

    expect(wxFake.calls('GET /reply-templates').map((r) => r.url)).toEqual([
      'http://127.0.0.1:8080/api/v1/reply-templates?environment=policy',
      'http://127.0.0.1:8080/api/v1/reply-templates',
    ]);
    expect(templates[0]?.title).toBe('政策咨询答复');
  });
});
