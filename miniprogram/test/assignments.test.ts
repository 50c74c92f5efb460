// Mystery-shopper assignments (utils/assignments.ts): status and what the officer may do, the
// wx.getLocation failures turned into clear messages, and the check-in against the fake `wx`.
import { beforeEach, describe, expect, it } from '@jest/globals';

import { ApiError } from '../src/utils/api-error';
import {
  LocationError,
  assignmentStatus,
  assignmentView,
  checkInBody,
  checkInHere,
  locate,
  locationError,
  needsPosition,
} from '../src/subpackages/event/utils/assignments';
import { ActionKeys } from '../src/utils/idempotency';
import * as session from '../src/utils/session';
import { assignmentFixture, errorReply, installFakeWx, userFixture, type FakeWx } from './helpers/fake-wx';

const at = (iso: string) => new Date(iso);
const noCoordinates = { ...assignmentFixture().target, latitude: null, longitude: null, radiusM: null };

describe('assignment status', () => {
  const a = assignmentFixture(); // window 2026-11-28 09:00–17:00 China time

  it('follows the window, the check-in and the report', () => {
    expect(assignmentStatus(a, at('2026-11-28T08:59:00+08:00'))).toBe('upcoming');
    expect(assignmentStatus(a, at('2026-11-28T09:00:00+08:00'))).toBe('open');
    expect(assignmentStatus(a, at('2026-11-28T17:00:01+08:00'))).toBe('expired');
    expect(assignmentStatus({ ...a, checkedInAt: '2026-11-28T10:00:00+08:00' }, at('2026-11-29T00:00:00+08:00'))).toBe('checked_in');
    expect(assignmentStatus({ ...a, checkedInAt: '2026-11-28T10:00:00+08:00', reportId: '91' })).toBe('reported');
  });

  it('draws the target, window and what may be done next', () => {
    expect(assignmentView(a, at('2026-11-28T10:00:00+08:00'))).toEqual({
      id: '71',
      eventTitle: '神秘客暗访周',
      targetName: '市民中心税务窗口',
      unitName: '青岛市税务局',
      address: '市南区某某路 1 号',
      window: '2026-11-28 09:00 至 17:00',
      status: 'open',
      statusLabel: '待签到',
      statusTheme: 'primary',
      checkedInAt: '',
      canCheckIn: true,
      canReport: false,
      radiusNote: '须在目标 300 米范围内签到',
    });
    const checkedIn = assignmentView({ ...a, checkedInAt: '2026-11-28T10:00:00+08:00' }, at('2026-11-28T10:05:00+08:00'));
    expect([checkedIn.statusLabel, checkedIn.canCheckIn, checkedIn.canReport, checkedIn.checkedInAt]).toEqual([
      '已签到，待提交',
      false,
      true,
      '2026-11-28 10:00',
    ]);
    // No checklist to fill in: nothing to report.
    expect(assignmentView({ ...a, formId: null, checkedInAt: '2026-11-28T10:00:00+08:00' }).canReport).toBe(false);
    expect(assignmentView(a, at('2026-11-29T10:00:00+08:00')).canCheckIn).toBe(false);
    const anywhere = assignmentView({ ...a, target: { ...noCoordinates, address: null } }, at('2026-11-28T10:00:00+08:00'));
    expect([anywhere.radiusNote, anywhere.address]).toEqual(['', '']);
  });

  it('needs a position only where the target has coordinates', () => {
    expect(needsPosition(a)).toBe(true);
    expect(needsPosition({ target: noCoordinates })).toBe(false);
  });
});

describe('location failures', () => {
  it('tell refusal, a switched-off location service and other failures apart', () => {
    for (const msg of ['getLocation:fail auth deny', 'getLocation:fail:auth denied', 'getLocation:fail authorize no response']) {
      expect(locationError(msg).problem).toBe('denied');
    }
    expect(locationError('getLocation:fail auth deny').message).toBe(
      '签到需要获取您的位置，用于核对是否到达暗访地点。请在设置中允许使用位置信息后重试',
    );
    for (const msg of ['getLocation:fail system permission denied', 'getLocation:fail:ERROR_NOCELL&WIFI_LOCATIONSWITCHOFF']) {
      expect(locationError(msg).problem).toBe('disabled');
    }
    expect(locationError('getLocation:fail timeout').problem).toBe('failed');
  });
});

describe('check-in', () => {
  let wxFake: FakeWx;

  beforeEach(() => {
    wxFake = installFakeWx();
    session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
  });

  it('asks wx.getLocation for WGS-84 and posts the position under the action\'s key', async () => {
    wxFake.location = { latitude: 36.068, longitude: 120.383 };
    wxFake.on('POST /assignments/71/check-in', () => ({ statusCode: 200, data: assignmentFixture({ checkedInAt: '2026-11-28T10:00:00+08:00' }) }));
    const keys = new ActionKeys(() => 'the-key');

    const a = await checkInHere(assignmentFixture(), keys);

    expect(wxFake.locationRequests).toEqual(['wgs84']);
    const sent = wxFake.calls('POST /assignments/71/check-in');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data).toEqual({ latitude: 36.068, longitude: 120.383 });
    expect(sent[0]!.header['Idempotency-Key']).toBe('the-key');
    expect(a.checkedInAt).toBe('2026-11-28T10:00:00+08:00');
  });

  it('sends nothing when the person refuses the position and the target needs one', async () => {
    wxFake.location = { errMsg: 'getLocation:fail auth deny' };

    const err = await checkInHere(assignmentFixture(), new ActionKeys()).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(LocationError);
    expect((err as LocationError).problem).toBe('denied');
    expect(wxFake.sent).toHaveLength(0);
  });

  it('checks in without a position where the target has no coordinates', async () => {
    wxFake.location = { errMsg: 'getLocation:fail auth deny' };
    wxFake.on('POST /assignments/71/check-in', () => ({ statusCode: 200, data: assignmentFixture() }));

    await checkInHere(assignmentFixture({ target: noCoordinates }), new ActionKeys());

    expect(wxFake.calls('POST /assignments/71/check-in')[0]!.data).toEqual({});
  });

  it('hands the server\'s 409 on with its message (outside the radius)', async () => {
    wxFake.on('POST /assignments/71/check-in', () => errorReply(409, 'outside_radius', '距离暗访点 1200 米，超出 300 米签到范围'));

    const err = (await checkInHere(assignmentFixture(), new ActionKeys()).catch((e: unknown) => e)) as ApiError;

    expect(err).toBeInstanceOf(ApiError);
    expect([err.code, err.message]).toEqual(['outside_radius', '距离暗访点 1200 米，超出 300 米签到范围']);
  });

  it('locate resolves the position; checkInBody rethrows what is not a location failure', async () => {
    expect(await locate()).toEqual({ latitude: 36.0671, longitude: 120.3826 });
    const boom = new Error('boom');
    await expect(checkInBody({ target: noCoordinates }, () => Promise.reject(boom))).rejects.toBe(boom);
  });
});
