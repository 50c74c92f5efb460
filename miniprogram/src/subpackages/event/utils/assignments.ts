// Mystery-shopper assignments as the officer sees them (status, what may be done next) and the
// check-in: the position from `wx.getLocation` (WGS-84, what the server measures against), with a
// clear message when the person or the phone refuses it. Everything but `locate` and
// `checkInHere` is pure.
import { isPrivacyRefusal } from '../../../utils/privacy';
import { checkIn } from '../../../services/assignments';
import type { Assignment, CheckInRequest } from '../../../types/api';
import type { TagTheme } from '../../../utils/events';
import { timeRange } from '../../../utils/events';
import type { ActionKeys } from '../../../utils/idempotency';
import { formatTime } from '../../../utils/time';

export type AssignmentStatus = 'reported' | 'checked_in' | 'upcoming' | 'open' | 'expired';

const STATUS: Record<AssignmentStatus, { label: string; theme: TagTheme }> = {
  reported: { label: '已提交报告', theme: 'success' },
  checked_in: { label: '已签到，待提交', theme: 'warning' },
  upcoming: { label: '未开始', theme: 'default' },
  open: { label: '待签到', theme: 'primary' },
  expired: { label: '已过期', theme: 'danger' },
};

export function assignmentStatus(a: Assignment, now: Date = new Date()): AssignmentStatus {
  if (a.reportId) return 'reported';
  if (a.checkedInAt) return 'checked_in';
  const t = now.getTime();
  if (t < Date.parse(a.windowStart)) return 'upcoming';
  if (t > Date.parse(a.windowEnd)) return 'expired';
  return 'open';
}

/** One assignment as the list draws it. */
export interface AssignmentView {
  id: string;
  eventTitle: string;
  targetName: string;
  unitName: string;
  address: string;
  window: string;
  status: AssignmentStatus;
  statusLabel: string;
  statusTheme: TagTheme;
  checkedInAt: string;
  /** Not checked in and the window not over: the server decides the rest (time, place). */
  canCheckIn: boolean;
  /** Checked in, no report yet, and there is a checklist. */
  canReport: boolean;
  /** Within a radius of the target: 「须在目标 300 米范围内签到」. */
  radiusNote: string;
}

export function assignmentView(a: Assignment, now: Date = new Date()): AssignmentView {
  const status = assignmentStatus(a, now);
  return {
    id: a.id,
    eventTitle: a.eventTitle,
    targetName: a.target.name,
    unitName: a.target.unitName,
    address: a.target.address ?? '',
    window: timeRange(a.windowStart, a.windowEnd),
    status,
    statusLabel: STATUS[status].label,
    statusTheme: STATUS[status].theme,
    checkedInAt: formatTime(a.checkedInAt),
    canCheckIn: status === 'open' || status === 'upcoming',
    canReport: status === 'checked_in' && a.formId != null,
    radiusNote: needsPosition(a) && a.target.radiusM ? `须在目标 ${a.target.radiusM} 米范围内签到` : '',
  };
}

/** True when the target has coordinates: the server then checks the position, which is required. */
export function needsPosition(a: Pick<Assignment, 'target'>): boolean {
  return typeof a.target.latitude === 'number' && typeof a.target.longitude === 'number';
}

/** `privacy`: the 隐私保护指引 was refused (not a permission, not the phone's location switch). */
export type LocationProblem = 'privacy' | 'denied' | 'disabled' | 'failed';

/** Why `wx.getLocation` failed, and what to tell the person. */
export class LocationError extends Error {
  constructor(
    readonly problem: LocationProblem,
    message: string,
  ) {
    super(message);
    this.name = 'LocationError';
  }
}

/** The problem behind a `wx.getLocation` failure's `errMsg`. */
export function locationError(errMsg: string, errno?: number): LocationError {
  // The privacy authorization was refused in the prompt: asking again shows the prompt again.
  if (isPrivacyRefusal(errMsg, errno)) {
    return new LocationError('privacy', '签到需要您同意《隐私保护指引》后才能获取位置。请再次点击「到场签到」，在提示中选择「同意」');
  }
  // The phone's location service (or WeChat's system permission) is off.
  if (/system permission|LOCATIONSWITCHOFF|location ?switch|locationEnabled/i.test(errMsg)) {
    return new LocationError('disabled', '无法获取位置：请在手机设置中开启定位服务，并允许微信使用位置信息');
  }
  // The person refused the mini-program (now, or earlier: then only the settings page helps).
  if (/auth|deny|denied|authorize/i.test(errMsg)) {
    return new LocationError('denied', '签到需要获取您的位置，用于核对是否到达暗访地点。请在设置中允许使用位置信息后重试');
  }
  return new LocationError('failed', '获取位置失败，请到信号较好的地方重试');
}

export interface Position {
  latitude: number;
  longitude: number;
}

/** The phone's position in WGS-84; rejects with a `LocationError`. */
export function locate(): Promise<Position> {
  return new Promise((resolve, reject) => {
    wx.getLocation({
      type: 'wgs84',
      success(res) {
        resolve({ latitude: res.latitude, longitude: res.longitude });
      },
      fail(err) {
        reject(locationError(err.errMsg, (err as { errno?: number }).errno));
      },
    });
  });
}

/**
 * The body of a check-in: the position when there is one. Without one (refused, or none to be
 * had) a target without coordinates may still be checked in; one with coordinates may not, and
 * the `LocationError` is rethrown.
 */
export async function checkInBody(a: Pick<Assignment, 'target'>, where: () => Promise<Position> = locate): Promise<CheckInRequest> {
  try {
    const p = await where();
    return { latitude: p.latitude, longitude: p.longitude };
  } catch (err) {
    if (needsPosition(a) || !(err instanceof LocationError)) throw err;
    return {};
  }
}

/**
 * Checks in at the target: the position first, then `POST /assignments/{id}/check-in` under the
 * key of this action (`keys`, the page's). Rejects with a `LocationError`, before sending
 * anything, when a required position cannot be had.
 */
export async function checkInHere(a: Pick<Assignment, 'id' | 'target'>, keys: ActionKeys, where: () => Promise<Position> = locate): Promise<Assignment> {
  const body = await checkInBody(a, where);
  return keys.run(`check-in:${a.id}`, body, (key) => checkIn(a.id, body, key));
}
