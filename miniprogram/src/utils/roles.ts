// What each role may do from the home page, and which of a person's grants are in force.
import type { RoleCode, RoleGrant } from '../types/api';

export const ROLE_LABELS: Record<RoleCode, string> = {
  enterprise: '企业用户',
  officer: '营商环境体验官',
  media: '媒体观察员',
  supervisor: '企业家督导委员',
  butler: '企业服务管家',
  handler: '单位经办人',
  admin: '管理员',
  discipline: '纪检监察',
};

/** Display order of roles (and so of their tiles). */
export const ROLE_ORDER: readonly RoleCode[] = ['enterprise', 'officer', 'media', 'supervisor', 'butler', 'handler', 'admin', 'discipline'];

export interface Tile {
  /** Stable id of the feature, e.g. `demand.submit`. */
  key: string;
  label: string;
  role: RoleCode;
  /** Page to open. Every tile leads somewhere real: reviewers reject placeholders. */
  url: string;
}

type TileSpec = Omit<Tile, 'role'>;

/** Pages behind the built tiles. */
export const DEMAND_SUBMIT_PAGE = '/subpackages/demand/submit/index';
export const MY_DEMANDS_PAGE = '/subpackages/demand/list/index?mode=mine';
export const DEMAND_QUEUE_PAGE = '/subpackages/demand/list/index?mode=todo';
export const EVENTS_PAGE = '/subpackages/event/list/index';
export const MY_ASSIGNMENTS_PAGE = '/subpackages/event/assignments/index';
export const ACTIVITIES_PAGE = '/subpackages/event/activities/index';
export const POLICY_FEED_PAGE = '/subpackages/policy/feed/index';
export const OBSERVATIONS_PAGE = '/subpackages/media/observations/index';
export const PUBLICITY_PAGE = '/subpackages/media/publicity/index';
export const CALLBACKS_PAGE = '/subpackages/butler/callbacks/index';
export const MY_ENTERPRISES_PAGE = '/subpackages/butler/enterprises/index';
/** 三上门走访: the enterprises due for a butler's visit, each opening the record form. */
export const VISITS_DUE_PAGE = '/subpackages/butler/visits-due/index';
export const UNIT_PLANS_PAGE = '/subpackages/handler/plans/index';
export const UNIT_REPORTS_PAGE = '/subpackages/handler/reports/index';
export const DASHBOARD_PAGE = '/subpackages/admin/dashboard/index';
export const REPORTS_PAGE = '/subpackages/admin/reports/index';
/** Every observation, for staff to turn findings into demands (observers keep their own list). */
export const STAFF_OBSERVATIONS_PAGE = '/subpackages/admin/observations/index';
/** Conduct clues (问题线索): reporting one and following mine are for anyone signed in (我的 tab). */
export const CLUE_REPORT_PAGE = '/subpackages/clue/report/index';
export const MY_CLUES_PAGE = '/subpackages/clue/mine/index';
/** 典型案例通报: published to everyone signed in. */
export const CLUE_CASES_PAGE = '/subpackages/clue/cases/index';
/** 涉企检查: my enterprise's on-site inspections, each rated once (enterprise members, 我的 tab). */
export const INSPECTIONS_PAGE = '/subpackages/inspection/list/index';
/** 免罚清单: the 轻微违法免罚 / 首违不罚 lists, searched by anyone signed in (我的 tab). */
export const LENIENCY_PAGE = '/subpackages/inspection/leniency/index';

const TILES: Record<RoleCode, TileSpec[]> = {
  enterprise: [
    { key: 'demand.submit', label: '提交诉求', url: DEMAND_SUBMIT_PAGE },
    { key: 'demand.mine', label: '我的诉求', url: MY_DEMANDS_PAGE },
    { key: 'event.list', label: '活动', url: EVENTS_PAGE },
    { key: 'policy.recommended', label: '政策推荐', url: POLICY_FEED_PAGE },
  ],
  officer: [
    { key: 'mystery.assignments', label: '暗访任务', url: MY_ASSIGNMENTS_PAGE },
    { key: 'scorecard.answer', label: '出卷', url: EVENTS_PAGE },
  ],
  media: [
    { key: 'media.observations', label: '媒体观察', url: OBSERVATIONS_PAGE },
    { key: 'media.publicity', label: '宣传登记', url: PUBLICITY_PAGE },
  ],
  supervisor: [{ key: 'supervision.activities', label: '督导活动', url: ACTIVITIES_PAGE }],
  butler: [
    { key: 'butler.workbench', label: '工作台', url: DEMAND_QUEUE_PAGE },
    { key: 'butler.callbacks', label: '新企业回访', url: CALLBACKS_PAGE },
    { key: 'butler.visits', label: '三上门走访', url: VISITS_DUE_PAGE },
    { key: 'butler.observations', label: '媒体观察', url: STAFF_OBSERVATIONS_PAGE },
    { key: 'butler.enterprises', label: '我的企业', url: MY_ENTERPRISES_PAGE },
  ],
  handler: [
    { key: 'handler.todo', label: '待办诉求', url: DEMAND_QUEUE_PAGE },
    { key: 'handler.plans', label: '督办任务', url: UNIT_PLANS_PAGE },
    { key: 'handler.reports', label: '暗访报告', url: UNIT_REPORTS_PAGE },
  ],
  admin: [
    { key: 'admin.todo', label: '待办诉求', url: DEMAND_QUEUE_PAGE },
    { key: 'admin.dashboard', label: '数据看板', url: DASHBOARD_PAGE },
    { key: 'admin.reports', label: '企业之声', url: REPORTS_PAGE },
    { key: 'admin.observations', label: '媒体观察', url: STAFF_OBSERVATIONS_PAGE },
  ],
  // Discipline staff read and handle clues on the console (扫码登录); here, what they publish.
  discipline: [{ key: 'discipline.cases', label: '典型案例通报', url: CLUE_CASES_PAGE }],
};

export function isRoleCode(value: unknown): value is RoleCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ROLE_LABELS, value);
}

/** Today's date in China as YYYY-MM-DD, which is how the server writes `termEnds`. */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** Grants whose term has not ended (the last day of a term still counts). */
export function activeGrants(grants: RoleGrant[], today: string = chinaToday()): RoleGrant[] {
  return grants.filter((g) => g.termEnds == null || g.termEnds >= today);
}

/** The distinct roles of those grants, in display order. */
export function activeRoles(grants: RoleGrant[], today: string = chinaToday()): RoleCode[] {
  const held = new Set(activeGrants(grants, today).map((g) => g.role));
  return ROLE_ORDER.filter((r) => held.has(r));
}

/**
 * The home-page tiles for a set of roles: each role's tiles once, in display order. Tiles of
 * several roles that open the same page (the staff queue and the staff's 媒体观察; the events
 * list, which is the enterprise's 活动 and the officer's 出卷) show once, as the first role's tile.
 */
export function tilesFor(roles: readonly string[]): Tile[] {
  const held = new Set(roles.filter(isRoleCode));
  const opened = new Set<string>();
  return ROLE_ORDER.filter((r) => held.has(r))
    .flatMap((role) => TILES[role].map((t) => ({ ...t, role })))
    .filter((t) => {
      if (opened.has(t.url)) return false;
      opened.add(t.url);
      return true;
    });
}

/** A grant as one short line: the role, and the enterprise or unit it is for. */
export function grantLabel(grant: RoleGrant): string {
  const where = grant.enterpriseName ?? grant.unitName;
  return where ? `${ROLE_LABELS[grant.role]} · ${where}` : ROLE_LABELS[grant.role];
}
