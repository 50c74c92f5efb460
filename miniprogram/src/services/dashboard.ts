// The admins' dashboard (数据看板): one function per panel, each over the same period
// (`from`/`to`, YYYY-MM-DD; the server takes the last 30 days when they are absent).
import type {
  CallbackDashboard,
  DashboardRange,
  DemandDashboard,
  PlansDashboard,
  PoliciesDashboard,
  ProgramsDashboard,
  PublicityDashboard,
  UnitsDashboard,
} from '../types/api';
import { request } from '../utils/request';

function panel<T>(name: string, range: DashboardRange): Promise<T> {
  return request<T>({ method: 'GET', path: `/dashboard/${name}`, query: { from: range.from, to: range.to } });
}

/** `GET /dashboard/demands`: totals, by channel, by environment, by week. */
export function getDemandPanel(range: DashboardRange = {}): Promise<DemandDashboard> {
  return panel<DemandDashboard>('demands', range);
}

/** `GET /dashboard/callbacks`: the new-enterprise call-backs. */
export function getCallbackPanel(range: DashboardRange = {}): Promise<CallbackDashboard> {
  return panel<CallbackDashboard>('callbacks', range);
}

/** `GET /dashboard/publicity`: publicity items by level and by month. */
export function getPublicityPanel(range: DashboardRange = {}): Promise<PublicityDashboard> {
  return panel<PublicityDashboard>('publicity', range);
}

/** `GET /dashboard/plans`: action-plan items as they stand today, by status and by unit (no period). */
export function getPlansPanel(): Promise<PlansDashboard> {
  return request<PlansDashboard>({ method: 'GET', path: '/dashboard/plans' });
}

/** `GET /dashboard/policies`: published, reached, read, understood. */
export function getPoliciesPanel(range: DashboardRange = {}): Promise<PoliciesDashboard> {
  return panel<PoliciesDashboard>('policies', range);
}

/** `GET /dashboard/programs`: the engagement programs' counts. */
export function getProgramsPanel(range: DashboardRange = {}): Promise<ProgramsDashboard> {
  return panel<ProgramsDashboard>('programs', range);
}

/** `GET /dashboard/units`: the unit league table. */
export function getUnitsPanel(range: DashboardRange = {}): Promise<UnitsDashboard> {
  return panel<UnitsDashboard>('units', range);
}
