// The enterprise directory, searched by supervisors (whom they met), butlers and admins.
import type { CursorPage, EnterpriseSearchQuery, EnterpriseSummary } from '../types/api';
import { request } from '../utils/request';

/** `GET /enterprises?q=`: part of a name or a whole USCC; newest first. */
export function searchEnterprises(query: EnterpriseSearchQuery = {}): Promise<CursorPage<EnterpriseSummary>> {
  return request<CursorPage<EnterpriseSummary>>({ method: 'GET', path: '/enterprises', query: { ...query } });
}
