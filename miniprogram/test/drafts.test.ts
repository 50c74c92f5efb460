// Drafts that survive a killed app: saved in wx storage as the person types, offered back when the
// page opens again, and the pending write's Idempotency-Key kept with them, so the retry after a
// restart reuses it. A restart is simulated by loading the page's module again in a fresh module
// registry (no memory of the first run) over the same fake wx storage.
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { DemandFormDraft } from '../src/subpackages/demand/components/demand-form/index';
import { ApiError } from '../src/utils/api-error';
import { Draft, DRAFT_MAX_AGE_MS } from '../src/utils/drafts';
import * as session from '../src/utils/session';
import {
  assignmentFixture,
  demandFixture,
  formTemplateFixture,
  installFakeWx,
  userFixture,
  type FakeWx,
} from './helpers/fake-wx';
import { call, loadPage, page, settle, type PageInstance } from './helpers/pages';

let wxFake: FakeWx;

beforeEach(() => {
  wxFake = installFakeWx();
  session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
});

/** Starts the app afresh: the page module and everything it imports loaded anew; storage kept. */
function launch(path: string): PageInstance {
  jest.isolateModules(() => loadPage(path));
  return page(path);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Draft', () => {
  it('saves, loads and clears a value; keeps pending keys when the value is cleared', async () => {
    const d = new Draft<{ title: string }>('t');
    expect(d.load()).toBeNull();
    d.save({ title: '申请补贴' });
    expect(new Draft<{ title: string }>('t').load()).toEqual({ title: '申请补贴' });

    // A lost answer: the key is held in storage, so another ActionKeys over the draft (a restart) reuses it.
    let made = 0;
    const makeKey = () => `k-${(made += 1)}`;
    await expect(d.actionKeys(makeKey).run('create', { a: 1 }, () => Promise.reject(ApiError.network(true)))).rejects.toThrow();
    expect(new Draft('t').actionKeys(makeKey).pendingKey('create')).toBe('k-1');

    d.clear();
    expect(d.load()).toBeNull();
    expect(wxFake.storage.has('draft:t')).toBe(true);
    // Any answer from the server ends the action: nothing is held any more, and nothing is stored.
    await expect(new Draft('t').actionKeys(makeKey).run('create', { a: 1 }, () => Promise.reject(new ApiError('conflict', '冲突', 409)))).rejects.toThrow();
    expect(wxFake.storage.has('draft:t')).toBe(false);
  });

  it('does not offer back a draft older than two weeks', () => {
    let now = Date.parse('2026-11-01T00:00:00Z');
    const d = new Draft<string>('old', () => now);
    d.save('旧内容');
    now += DRAFT_MAX_AGE_MS + 1;
    expect(d.load()).toBeNull();
  });
});

describe('提交诉求 after WeChat killed the app', () => {
  const SUBMIT = 'subpackages/demand/submit/index';
  const typed: DemandFormDraft = {
    kind: 'demand',
    environment: 'policy',
    title: '申请稳岗补贴',
    content: '请问稳岗补贴如何申请？',
    anonymous: false,
    photos: [{ url: 'wxfile://tmp/a.jpg', fileId: '11' }],
  };
  const body = { kind: 'demand', environment: 'policy', title: '申请稳岗补贴', content: '请问稳岗补贴如何申请？', anonymous: false, attachments: ['11'] };

  it('restores what was typed, and the retry after the restart carries the same Idempotency-Key', async () => {
    // First run: the person types, taps 提交, and the answer is lost.
    const first = launch(SUBMIT);
    call(first, 'onLoad');
    await settle();
    expect(first.data.restored).toBe(false);
    call(first, 'onFormChange', { detail: typed });
    wxFake.on('POST /demands', () => ({ failWith: 'request:fail timeout' }));
    call(first, 'onSubmit', { detail: body });
    await settle();
    const [lost] = wxFake.calls('POST /demands');
    const key = lost!.header['Idempotency-Key'];
    expect(key).toMatch(UUID);

    // WeChat kills the app (the camera opened on a low-end phone); the person opens it again.
    const second = launch(SUBMIT);
    call(second, 'onLoad');
    await settle();
    expect(second.data.restored).toBe(true);
    expect(second.data.draft).toEqual(typed);

    wxFake.on('POST /demands', () => ({ statusCode: 201, data: demandFixture() }));
    call(second, 'onSubmit', { detail: body });
    await settle();
    const retried = wxFake.calls('POST /demands')[1]!;
    expect(retried.header['Idempotency-Key']).toBe(key);
    expect(retried.data).toEqual(body);
    expect(second.data.state).toBe('done');

    // Filed: nothing is offered back on the next launch, and a new demand gets a new key.
    const third = launch(SUBMIT);
    call(third, 'onLoad');
    await settle();
    expect([third.data.restored, third.data.draft]).toEqual([false, null]);
    expect(wxFake.storage.has('draft:demand-submit')).toBe(false);
    call(third, 'onSubmit', { detail: body });
    await settle();
    expect(wxFake.calls('POST /demands')[2]!.header['Idempotency-Key']).not.toBe(key);
  });

  it('sends a changed demand under a new key after the restart', async () => {
    const first = launch(SUBMIT);
    call(first, 'onLoad');
    wxFake.on('POST /demands', () => ({ failWith: 'request:fail timeout' }));
    call(first, 'onSubmit', { detail: body });
    await settle();

    const second = launch(SUBMIT);
    call(second, 'onLoad');
    wxFake.on('POST /demands', () => ({ statusCode: 201, data: demandFixture() }));
    call(second, 'onSubmit', { detail: { ...body, title: '申请稳岗补贴（补充）' } });
    await settle();
    const [a, b] = wxFake.calls('POST /demands');
    expect(b!.header['Idempotency-Key']).not.toBe(a!.header['Idempotency-Key']);
  });

  it('清空 drops the restored draft', async () => {
    const first = launch(SUBMIT);
    call(first, 'onLoad');
    call(first, 'onFormChange', { detail: typed });
    const second = launch(SUBMIT);
    call(second, 'onLoad');
    expect(second.data.restored).toBe(true);
    call(second, 'onDiscardDraft');
    expect(second.data.restored).toBe(false);
    expect(launch(SUBMIT).data.draft).toBeNull();
    expect(new Draft('demand-submit').load()).toBeNull();
  });
});

describe('暗访检查表 after WeChat killed the app', () => {
  const REPORT = 'subpackages/event/report/index';
  const checkedIn = assignmentFixture({ checkedInAt: '2026-11-28T10:00:00+08:00' });
  const answers = { queue: true, attitude: 4, wait: 12, photos: [{ fileId: '31', capturedAt: '2026-11-28T10:05:00+08:00' }] };

  function serveAssignment(): void {
    wxFake.on('GET /me/assignments', () => ({ statusCode: 200, data: [checkedIn] }));
    wxFake.on('GET /forms/9', () => ({
      statusCode: 200,
      data: { id: '9', key: 'mystery', version: 1, title: '窗口暗访检查表', body: formTemplateFixture(), createdAt: '2026-11-01T09:00:00+08:00' },
    }));
  }

  it('restores the answers (photos by file id) and resends the report under the same key', async () => {
    serveAssignment();
    const first = launch(REPORT);
    call(first, 'onLoad', { id: '71' });
    await settle();
    call(first, 'onFormChange', { detail: { answers } });
    wxFake.on('POST /assignments/71/report', () => ({ failWith: 'request:fail timeout' }));
    await call(first, 'onSubmit', { detail: { answers, findings: [] } });
    const key = wxFake.calls('POST /assignments/71/report')[0]!.header['Idempotency-Key'];

    const second = launch(REPORT);
    call(second, 'onLoad', { id: '71' });
    await settle();
    expect(second.data.restored).toBe(true);
    expect(second.data.value).toEqual(answers);

    wxFake.on('POST /assignments/71/report', () => ({
      statusCode: 201,
      data: { id: '501', target: checkedIn.target, visitedOn: '2026-11-28', answers, findings: [], demands: [] },
    }));
    await call(second, 'onSubmit', { detail: { answers, findings: [] } });
    expect(wxFake.calls('POST /assignments/71/report')[1]!.header['Idempotency-Key']).toBe(key);
    expect(second.data.state).toBe('done');
    expect(new Draft('report:71').load()).toBeNull();
  });
});

describe('出卷 (scorecard) and 吐槽 after WeChat killed the app', () => {
  const SCORECARD = 'subpackages/event/scorecard/index';
  const COMPLAINT = 'subpackages/event/complaint/index';

  it('restores the scorecard answers and resends them under the same key', async () => {
    wxFake.on('GET /events/5', () => ({
      statusCode: 200,
      data: { id: '5', kind: 'scorecard_round', kindLabel: '出卷', title: '政策服务出卷', opensAt: '2026-11-28T09:00:00+08:00', closesAt: '2026-12-05T18:00:00+08:00', status: 'open', statusLabel: '进行中', formId: '9' },
    }));
    wxFake.on('GET /forms/9', () => ({
      statusCode: 200,
      data: { id: '9', key: 'scorecard', version: 1, title: '政策服务评价', body: formTemplateFixture(), createdAt: '2026-11-01T09:00:00+08:00' },
    }));
    const answers = { queue: true, attitude: 5, wait: 3 };
    const first = launch(SCORECARD);
    call(first, 'onLoad', { id: '5' });
    await settle();
    call(first, 'onFormChange', { detail: { answers } });
    wxFake.on('POST /events/5/submissions', () => ({ failWith: 'request:fail timeout' }));
    await call(first, 'onSubmit', { detail: { answers, findings: [] } });
    const key = wxFake.calls('POST /events/5/submissions')[0]!.header['Idempotency-Key'];

    const second = launch(SCORECARD);
    call(second, 'onLoad', { id: '5' });
    await settle();
    expect(second.data.value).toEqual(answers);
    wxFake.on('POST /events/5/submissions', () => ({ statusCode: 201, data: { id: '801', findings: [], demandIds: [] } }));
    await call(second, 'onSubmit', { detail: { answers, findings: [] } });
    expect(wxFake.calls('POST /events/5/submissions')[1]!.header['Idempotency-Key']).toBe(key);
    expect(new Draft('scorecard:5').load()).toBeNull();
  });

  it('restores a complaint being typed', async () => {
    const first = launch(COMPLAINT);
    call(first, 'onLoad', { eventId: '5' });
    await settle();
    call(first, 'onFormChange', { detail: { answers: { content: '办事大厅停车难', environment: 'service', anonymous: 'yes' } } });

    const second = launch(COMPLAINT);
    call(second, 'onLoad', { eventId: '5' });
    await settle();
    expect(second.data.value).toEqual({ content: '办事大厅停车难', environment: 'service', anonymous: 'yes' });
  });
});
