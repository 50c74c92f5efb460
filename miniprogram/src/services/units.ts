// The unit directory (承办单位), for the dispatch picker.
import type { CursorPage, Unit } from '../types/api';
import { request } from '../utils/request';

/** `GET /units`: one page of units, in creation order. */
export function listUnits(query: { cursor?: string | null; limit?: number } = {}): Promise<CursorPage<Unit>> {
  return request<CursorPage<Unit>>({ method: 'GET', path: '/units', query: { ...query } });
}
