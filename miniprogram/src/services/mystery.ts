// Mystery-shopper reports as the assessed unit reads them: the reports and findings on its
// targets, never who visited.
import type { CursorPage, PageQuery, UnitMysteryReport } from '../types/api';
import { request } from '../utils/request';

/** `GET /mystery-reports` (PENDING on the server: API-NEEDS.md 1): newest first, across events. */
export function listUnitReports(query: PageQuery = {}): Promise<CursorPage<UnitMysteryReport>> {
  return request<CursorPage<UnitMysteryReport>>({ method: 'GET', path: '/mystery-reports', query: { ...query } });
}
