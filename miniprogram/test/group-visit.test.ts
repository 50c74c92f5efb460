// The customer group behind a visit (issue 23): a launch from a group's card (a `shareTicket`)
// is entered after the launch sign-in (`wx.getGroupEnterInfo` → `POST /me/group-entries`), its
// visit id kept for the launch; a demand filed and a policy read then carry it. Failures never
// reach the person. Run against the fake `wx` and the page harness.
import { afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';

import { config } from '../src/config';
import { enterGroup } from '../src/services/me';
import { getPolicy } from '../src/services/policies';
import {
  enterGroupVisit,
  groupEntryKey,
  groupVisitId,
  resetGroupVisit,
  whenGroupVisit,
} from '../src/utils/group-visit';
import * as session from '../src/utils/session';
import { signInOnLaunch } from '../src/utils/signin';
import { resetTemplateIds } from '../src/utils/subscribe';
import {
  demandFixture,
  errorReply,
  installFakeWx,
  tokensFixture,
  userFixture,
  type FakeWx,
  type Reply,
} from './helpers/fake-wx';
import { call, loadPage, page, settle } from './helpers/pages';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SUBMIT = 'subpackages/demand/submit/index';
const DETAIL = 'subpackages/policy/detail/index';

let wxFake: FakeWx;
let warn: jest.SpiedFunction<typeof console.warn>;

/** A published policy as `GET /policies/12` sends it. */
const policy = {
  id: '12',
  title: '高新技术企业认定奖励',
  issuer: '青岛市科技局',
  explainer: { forWhom: '高新技术企业', benefits: '奖励 20 万元', howToApply: '线上申报', contact: '市科技局 0532-85911234' },
  fullText: '第一条',
  tags: [],
  conditions: {},
  attachments: [],
  status: 'published',
};
const entry = (visitId: string): Reply => ({ statusCode: 201, data: { visitId, group: { id: '3', name: '崂山科技园企业服务群' } } });
const invalid = (): Reply => errorReply(422, 'group_entry_invalid', '群信息无法解析，请重新打开');

beforeAll(() => {
  installFakeWx();
  loadPage(SUBMIT);
  loadPage(DETAIL);
});

beforeEach(() => {
  wxFake = installFakeWx();
  // A production build: the launch sign-in is a wx.login, whose session key the server keeps.
  config.devMode = false;
  wxFake.loginCodes = ['code-1', 'code-2'];
  let signIns = 0;
  wxFake.on('POST /auth/wechat', () => tokensFixture(['a', 'b', 'c'][signIns++] ?? 'z'));
  resetGroupVisit();
  resetTemplateIds();
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  config.devMode = true;
  warn.mockRestore();
});

/** The app's launch from a group's card: the sign-in, then the entry, as `App.onLaunch` does. */
function launchFromCard(shareTicket = 'ticket-1'): Promise<void> {
  void signInOnLaunch();
  return enterGroupVisit({ scene: 1044, shareTicket });
}

describe('entering the group of a launch from a card', () => {
  it('asks for the group after the sign-in, posts its data, and keeps the visit id for the launch', async () => {
    let signedIn: (reply: Reply) => void = () => undefined;
    wxFake.on('POST /auth/wechat', () => new Promise<Reply>((resolve) => (signedIn = resolve)));
    wxFake.groupEnterInfos = [{ encryptedData: 'enc-1', iv: 'iv-1' }];
    wxFake.on('POST /me/group-entries', () => entry('501'));

    const entered = launchFromCard();
    await settle();
    // The server decrypts with the sign-in's session key: nothing is asked before it is done.
    expect(wxFake.groupEnterInfoCalls).toBe(0);
    expect(wxFake.calls('POST /me/group-entries')).toEqual([]);

    signedIn(tokensFixture('a'));
    await entered;

    expect(wxFake.groupEnterInfoCalls).toBe(1);
    const [sent] = wxFake.calls('POST /me/group-entries');
    expect(sent?.data).toEqual({ encryptedData: 'enc-1', iv: 'iv-1' });
    expect(sent?.header.Authorization).toBe('Bearer access-a');
    expect(sent?.header['Idempotency-Key']).toMatch(UUID);
    expect(groupVisitId()).toBe('501');
    await expect(whenGroupVisit()).resolves.toBe('501');

    // The cold start's onShow repeats the ticket, and a later onShow without one changes nothing.
    await enterGroupVisit({ scene: 1044, shareTicket: 'ticket-1' });
    await enterGroupVisit({ scene: 1001 });
    expect(wxFake.groupEnterInfoCalls).toBe(1);
    expect(wxFake.calls('POST /me/group-entries')).toHaveLength(1);
    expect(groupVisitId()).toBe('501');
    expect(session.getAccessToken()).toBe('access-a');
    expect(warn).not.toHaveBeenCalled();
  });

  it('replaces the visit when another group\'s card brings the app back', async () => {
    wxFake.groupEnterInfos = [
      { encryptedData: 'enc-1', iv: 'iv-1' },
      { encryptedData: 'enc-2', iv: 'iv-2' },
    ];
    const visits = ['501', '502'];
    wxFake.on('POST /me/group-entries', () => entry(visits.shift() ?? '599'));
    await launchFromCard('ticket-1');

    await enterGroupVisit({ scene: 1044, shareTicket: 'ticket-2' });

    expect(wxFake.calls('POST /me/group-entries').map((r) => r.data)).toEqual([
      { encryptedData: 'enc-1', iv: 'iv-1' },
      { encryptedData: 'enc-2', iv: 'iv-2' },
    ]);
    expect(groupVisitId()).toBe('502');
    // One sign-in for the launch: the entry does not sign in again.
    expect(wxFake.loginCalls).toBe(1);
  });

  it('enters from a group card that carries no ticket (a mass-send card in a WeCom group)', async () => {
    wxFake.groupEnterInfos = [{ encryptedData: 'enc-card', iv: 'iv-card' }];
    wxFake.on('POST /me/group-entries', () => entry('601'));
    const card = { scene: 1008, chatType: 4, path: 'subpackages/policy/detail/index', query: { id: '7' } };
    void signInOnLaunch();
    await enterGroupVisit(card);
    // The cold start's onShow repeats the same card: not entered twice.
    await enterGroupVisit({ ...card });
    expect(wxFake.groupEnterInfoCalls).toBe(1);
    expect(wxFake.calls('POST /me/group-entries')).toHaveLength(1);
    expect(groupVisitId()).toBe('601');
    // Opened in a group by its chat type alone (another scene) is a group entry too; a direct
    // chat (1, 2) is not.
    expect(groupEntryKey({ scene: 1007, chatType: 3 })).not.toBeNull();
    expect(groupEntryKey({ scene: 1007, chatType: 2 })).toBeNull();
    expect(groupEntryKey({ scene: 1160 })).not.toBeNull();
  });

  it('does nothing at all without a share ticket', async () => {
    await enterGroupVisit({ scene: 1001 });
    await enterGroupVisit({ scene: 1044, shareTicket: '' });
    await enterGroupVisit(undefined);

    expect(wxFake.groupEnterInfoCalls).toBe(0);
    expect(wxFake.sent).toEqual([]);
    expect(wxFake.loginCalls).toBe(0);
    expect(groupVisitId()).toBeNull();
    await expect(whenGroupVisit()).resolves.toBeNull();
  });

  it('on 422 group_entry_invalid signs in again with wx.login and tries once more with fresh data', async () => {
    wxFake.groupEnterInfos = [
      { encryptedData: 'enc-1', iv: 'iv-1' },
      { encryptedData: 'enc-2', iv: 'iv-2' },
    ];
    const replies = [invalid(), entry('502')];
    wxFake.on('POST /me/group-entries', () => replies.shift() ?? invalid());

    await launchFromCard();

    expect(wxFake.loginCalls).toBe(2);
    expect(wxFake.calls('POST /auth/wechat').map((r) => r.data)).toEqual([{ code: 'code-1' }, { code: 'code-2' }]);
    expect(wxFake.groupEnterInfoCalls).toBe(2);
    const sent = wxFake.calls('POST /me/group-entries');
    expect(sent.map((r) => r.data)).toEqual([
      { encryptedData: 'enc-1', iv: 'iv-1' },
      { encryptedData: 'enc-2', iv: 'iv-2' },
    ]);
    // The retry goes with the new sign-in's token, under a key of its own (another body).
    expect(sent[1]?.header.Authorization).toBe('Bearer access-b');
    expect(sent[1]?.header['Idempotency-Key']).not.toBe(sent[0]?.header['Idempotency-Key']);
    expect(groupVisitId()).toBe('502');
    expect(warn).not.toHaveBeenCalled();
  });

  it('signs in again only once: a second 422 leaves the launch without a visit', async () => {
    wxFake.groupEnterInfos = [{ encryptedData: 'enc-1', iv: 'iv-1' }];
    wxFake.on('POST /me/group-entries', invalid);

    await expect(launchFromCard()).resolves.toBeUndefined();

    expect(wxFake.loginCalls).toBe(2);
    expect(wxFake.calls('POST /me/group-entries')).toHaveLength(2);
    expect(groupVisitId()).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('swallows any other failure: no group info, a lost answer, a failed sign-in', async () => {
    // Outside a group WeChat refuses (40097 场景错误): nothing is posted.
    wxFake.groupEnterInfos = [{ errMsg: 'getGroupEnterInfo:fail scene error', errCode: 40097 }];
    await expect(launchFromCard('ticket-1')).resolves.toBeUndefined();
    expect(wxFake.calls('POST /me/group-entries')).toEqual([]);
    expect(groupVisitId()).toBeNull();

    // The answer is lost on the network: no re-login, no visit.
    wxFake.groupEnterInfos = [{ encryptedData: 'enc-2', iv: 'iv-2' }];
    wxFake.on('POST /me/group-entries', () => ({ failWith: 'request:fail timeout' }));
    await expect(enterGroupVisit({ scene: 1044, shareTicket: 'ticket-2' })).resolves.toBeUndefined();
    expect(wxFake.calls('POST /me/group-entries')).toHaveLength(1);
    expect(wxFake.loginCalls).toBe(1);
    expect(groupVisitId()).toBeNull();

    // Another server error is not a reason to sign in again either.
    wxFake.on('POST /me/group-entries', () => errorReply(422, 'validation_failed', '参数不合法', [{ field: 'iv', code: 'required', message: '必填' }]));
    await expect(enterGroupVisit({ scene: 1044, shareTicket: 'ticket-3' })).resolves.toBeUndefined();
    expect(wxFake.loginCalls).toBe(1);
    expect(groupVisitId()).toBeNull();
    expect(warn).toHaveBeenCalledTimes(3);
  });

  it('asks nothing when the launch sign-in failed', async () => {
    wxFake.loginCodes = [null];

    await expect(launchFromCard()).resolves.toBeUndefined();

    expect(wxFake.groupEnterInfoCalls).toBe(0);
    expect(wxFake.sent).toEqual([]);
    expect(groupVisitId()).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('lets a page wait for the entry in flight, but not for ever', async () => {
    wxFake.groupEnterInfos = [{ encryptedData: 'enc-1', iv: 'iv-1' }];
    wxFake.on('POST /me/group-entries', () => new Promise<Reply>(() => undefined));
    void launchFromCard();

    await expect(whenGroupVisit(20)).resolves.toBeNull();
  });
});

describe('the services', () => {
  beforeEach(() => {
    session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
  });

  it('enterGroup posts the encrypted data and iv to /me/group-entries', async () => {
    wxFake.on('POST /me/group-entries', () => entry('509'));

    await expect(enterGroup('enc', 'iv', 'key-1')).resolves.toEqual({ visitId: '509', group: { id: '3', name: '崂山科技园企业服务群' } });

    const [sent] = wxFake.calls('POST /me/group-entries');
    expect(sent?.data).toEqual({ encryptedData: 'enc', iv: 'iv' });
    expect(sent?.header['Idempotency-Key']).toBe('key-1');
  });

  it('getPolicy names the group visit only when given one', async () => {
    wxFake.on('GET /policies/12', () => ({ statusCode: 200, data: policy }));

    await getPolicy('12');
    await getPolicy('12', null);
    await getPolicy('12', '501');

    expect(wxFake.calls('GET /policies/12').map((r) => r.query)).toEqual([{}, {}, { groupVisit: '501' }]);
  });
});

describe('the pages of a visit', () => {
  const body = { kind: 'demand', environment: 'policy', title: '申请稳岗补贴', content: '请问稳岗补贴如何申请？', anonymous: false };

  beforeEach(() => {
    wxFake.groupEnterInfos = [{ encryptedData: 'enc-1', iv: 'iv-1' }];
    wxFake.on('POST /me/group-entries', () => entry('501'));
    wxFake.on('POST /demands', () => ({ statusCode: 201, data: demandFixture() }));
    wxFake.on('GET /policies/12', () => ({ statusCode: 200, data: policy }));
    wxFake.on('POST /me/subscriptions', () => ({
      statusCode: 200,
      data: { demandCredits: 0, demandTemplateId: null, policyCredits: 0, policyTemplateId: null, templates: [] },
    }));
  });

  async function submitDemand(): Promise<unknown> {
    const submit = page(SUBMIT);
    call(submit, 'onLoad');
    await settle();
    call(submit, 'onSubmit', { detail: body });
    await settle();
    expect(submit.data.state).toBe('done');
    const sent = wxFake.calls('POST /demands');
    return sent[sent.length - 1]?.data;
  }

  it('提交诉求 sends the group visit id only when the launch has one', async () => {
    await signInOnLaunch();
    await expect(submitDemand()).resolves.toEqual(body);

    await enterGroupVisit({ scene: 1044, shareTicket: 'ticket-1' });
    await expect(submitDemand()).resolves.toEqual({ ...body, groupVisitId: '501' });
  });

  it('政策详情 counts the read for the group only when the launch has a visit, and shares with a ticket', async () => {
    await signInOnLaunch();
    const plain = page(DETAIL);
    call(plain, 'onLoad', { id: '12' });
    await settle();
    expect(plain.data.state).toBe('ready');

    await enterGroupVisit({ scene: 1044, shareTicket: 'ticket-1' });
    const visited = page(DETAIL);
    call(visited, 'onLoad', { id: '12' });
    await settle();

    expect(wxFake.calls('GET /policies/12').map((r) => r.query)).toEqual([{}, { groupVisit: '501' }]);
    expect(wxFake.shareMenus).toEqual([{ withShareTicket: true }, { withShareTicket: true }]);
  });

  it('forgets a visit the server refuses, and files the demand and reads the policy without it', async () => {
    const refused = (field: string) => errorReply(422, 'validation_failed', '请求参数有误', [{ field, code: 'not_found', message: '群访问记录不存在' }]);
    wxFake.on('POST /demands', (req) =>
      (req.data as { groupVisitId?: string }).groupVisitId ? refused('groupVisitId') : { statusCode: 201, data: demandFixture() },
    );
    wxFake.on('GET /policies/12', (req) => (req.query.groupVisit ? refused('groupVisit') : { statusCode: 200, data: policy }));
    await launchFromCard('ticket-1');

    await expect(submitDemand()).resolves.toEqual(body);
    expect(wxFake.calls('POST /demands').map((r) => r.data)).toEqual([{ ...body, groupVisitId: '501' }, body]);
    expect(groupVisitId()).toBeNull();

    await enterGroupVisit({ scene: 1044, shareTicket: 'ticket-2' });
    const detail = page(DETAIL);
    call(detail, 'onLoad', { id: '12' });
    await settle();
    expect(detail.data.state).toBe('ready');
    expect(wxFake.calls('GET /policies/12').map((r) => r.query)).toEqual([{ groupVisit: '501' }, {}]);
    expect(groupVisitId()).toBeNull();
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('政策详情 opened by the card itself waits for the launch\'s entry', async () => {
    void launchFromCard();
    const detail = page(DETAIL);
    call(detail, 'onLoad', { id: '12' });
    await settle();
    await settle();

    expect(detail.data.state).toBe('ready');
    expect(wxFake.calls('GET /policies/12').map((r) => r.query)).toEqual([{ groupVisit: '501' }]);
  });
});
