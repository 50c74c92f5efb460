/**
 * @jest-environment jsdom
 */
// A weak network: reads tried again with a growing pause, Retry-After honoured on 429 and 503
// (writes with the same idempotency key), a long wait said in words, and the offline banner.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import simulate from 'miniprogram-simulate';
import { config, configFor } from '../src/config';
import { ApiError, errorMessage } from '../src/utils/api-error';
import { installNetworkWatch, resetNetwork } from '../src/utils/network';
import { request, retryDelayMs } from '../src/utils/request';
import { errorReply, installFakeWx, userFixture, type FakeWx } from './helpers/fake-wx';

let wxFake: FakeWx;
let bannerId: string;

beforeAll(() => {
  bannerId = simulate.load(`${__dirname}/../src/components/offline-banner/index`, 'offline-banner', { compiler: 'simulate' });
});

beforeEach(() => {
  wxFake = installFakeWx();
});

const lost = ApiError.network(true);
const busy = (status: number, retryAfter: number | null) => new ApiError('busy', '服务繁忙', status, [], retryAfter);

describe('when to try again', () => {
  beforeEach(() => {
    Object.assign(config, configFor('release'));
  });

  it('a read lost on the network or refused by a gateway: twice, after 0.5 s then 1 s', () => {
    expect([0, 1, 2].map((n) => retryDelayMs('GET', lost, n))).toEqual([500, 1000, null]);
    expect(retryDelayMs('GET', busy(502, null), 0)).toBe(500);
    expect(retryDelayMs('GET', busy(504, null), 1)).toBe(1000);
    expect(retryDelayMs('GET', busy(500, null), 0)).toBeNull();
    expect(retryDelayMs('GET', busy(404, null), 0)).toBeNull();
  });

  it('a write lost on the network: never here (the page retries with the same key)', () => {
    expect(retryDelayMs('POST', lost, 0)).toBeNull();
    expect(retryDelayMs('POST', busy(502, null), 0)).toBeNull();
  });

  it('a 429 or 503 with a short Retry-After: waited out once, for reads and writes', () => {
    expect(retryDelayMs('POST', busy(429, 3), 0)).toBe(3000);
    expect(retryDelayMs('GET', busy(503, 5), 0)).toBe(5000);
    expect(retryDelayMs('POST', busy(429, 3), 1)).toBeNull();
    expect(retryDelayMs('POST', busy(429, 6), 0)).toBeNull();
  });

  it('says when to come back after a long one', () => {
    expect(errorMessage(busy(429, 30))).toBe('服务繁忙，请 30 秒后重试');
    expect(errorMessage(busy(503, 120))).toBe('服务繁忙，请 2 分钟后重试');
    expect(errorMessage(busy(409, 30))).toBe('服务繁忙');
  });
});

describe('request on a weak network', () => {
  it('tries a read again after lost answers and returns the answer that came', async () => {
    let calls = 0;
    wxFake.on('GET /me', () => ((calls += 1) < 3 ? { failWith: 'request:fail timeout' } : { statusCode: 200, data: userFixture() }));
    await expect(request({ method: 'GET', path: '/me', auth: false })).resolves.toMatchObject({ id: '1' });
    expect(wxFake.calls('GET /me')).toHaveLength(3);
  });

  it('gives up on a read after the retries, with the network error', async () => {
    wxFake.on('GET /me', () => ({ failWith: 'request:fail' }));
    const err = (await request({ method: 'GET', path: '/me', auth: false }).catch((e: unknown) => e)) as ApiError;
    expect([err.code, wxFake.calls('GET /me').length]).toEqual(['network_error', 1 + config.readRetries]);
  });

  it('sends a lost write once (the page decides)', async () => {
    wxFake.on('POST /demands/42/accept', () => ({ failWith: 'request:fail timeout' }));
    await expect(request({ method: 'POST', path: '/demands/42/accept', data: {}, idempotencyKey: 'k-1' })).rejects.toBeInstanceOf(ApiError);
    expect(wxFake.calls('POST /demands/42/accept')).toHaveLength(1);
  });

  it('waits out a 503 Retry-After and sends the write again with the same key', async () => {
    let calls = 0;
    wxFake.on('POST /demands/42/accept', () =>
      (calls += 1) === 1
        ? { ...errorReply(503, 'database_unavailable', '服务暂时不可用，请稍后重试'), header: { 'Retry-After': '0' } }
        : { statusCode: 200, data: { id: '42', number: 'SQ20261128-0007', kind: 'demand', environment: 'policy', channel: 'miniprogram', title: 't', content: 'c', anonymous: false, status: 'accepted', statusLabel: '已受理', unreasonable: false, overdue: false, extensions: 0, returns: 0, reopenCount: 0, attachments: [], version: 1, createdAt: '2026-11-28T09:30:00+08:00', updatedAt: '2026-11-28T09:40:00+08:00' } },
    );
    await request({ method: 'POST', path: '/demands/42/accept', data: {}, idempotencyKey: 'k-1' });
    expect(wxFake.calls('POST /demands/42/accept').map((r) => r.header['Idempotency-Key'])).toEqual(['k-1', 'k-1']);
  });

  it('hands a long 429 to the caller, with when to try again', async () => {
    wxFake.on('POST /demands', () => ({ ...errorReply(429, 'rate_limited', '操作太频繁'), header: { 'retry-after': '60' } }));
    const err = (await request({ method: 'POST', path: '/demands', data: { kind: 'demand', environment: 'policy', title: 't', content: 'c' } }).catch((e: unknown) => e)) as ApiError;
    expect([err.status, err.retryAfter, errorMessage(err)]).toEqual([429, 60, '操作太频繁，请 1 分钟后重试']);
    expect(wxFake.calls('POST /demands')).toHaveLength(1);
  });
});

describe('offline banner', () => {
  beforeEach(() => {
    resetNetwork();
  });

  it('shows while the phone is offline and goes when it is back', async () => {
    wxFake.networkType = 'none';
    installNetworkWatch();
    const comp = simulate.render(bannerId, {});
    comp.attach(document.createElement('parent-wrapper'));
    await simulate.sleep(0);
    expect(comp.querySelector('.banner')?.dom?.textContent).toContain('网络已断开');

    wxFake.setNetwork('4g');
    await simulate.sleep(0);
    expect(comp.querySelector('.banner')).toBeUndefined();

    wxFake.setNetwork('none');
    await simulate.sleep(0);
    expect(comp.querySelector('.banner')).toBeDefined();
  });
});
