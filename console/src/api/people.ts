// People and their roles, units, the calendar.
import { api, unwrap } from './client';
import type { components } from './schema';
import type { User } from './types';

type S = components['schemas'];
type Role = S['Role'];
export type { User };
export type Unit = S['UnitResponse'];
export type CalendarDay = S['CalendarDayResponse'];

/** `q` by nickname, phone or openid (docs/console-api.md); without it the newest first; with
 * `role`, only those who hold it today. */
export async function listUsers(q: string | undefined, cursor?: string, role?: Role) {
  return await unwrap(api.GET('/api/v1/users', { params: { query: { q, cursor, role, limit: 20 } } }));
}

export async function getUser(id: string): Promise<User> {
  return await unwrap(api.GET('/api/v1/users/{id}', { params: { path: { id } } }));
}

export async function grantRole(id: string, body: S['GrantRoleRequest']) {
  return await unwrap(api.POST('/api/v1/users/{id}/roles', { params: { path: { id } }, body }));
}

export async function revokeRole(id: string, grantId: string) {
  await unwrap(api.DELETE('/api/v1/users/{id}/roles/{grantId}', { params: { path: { id, grantId } } }));
}

/** `""` clears it. */
export async function setExtension(id: string, extension: string): Promise<User> {
  return await unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body: { extension } }));
}

export async function listUnits(): Promise<Unit[]> {
  const all: Unit[] = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(api.GET('/api/v1/units', { params: { query: { cursor, limit: 100 } } }));
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

export async function createUnit(body: S['CreateUnitRequest']): Promise<Unit> {
  return await unwrap(api.POST('/api/v1/units', { body }));
}

export async function updateUnit(id: string, body: S['UpdateUnitRequest']): Promise<Unit> {
  return await unwrap(api.PATCH('/api/v1/units/{id}', { params: { path: { id } }, body }));
}

export async function getCalendar() {
  return await unwrap(api.GET('/api/v1/calendar'));
}

export async function putCalendarDay(date: string, kind: 'off' | 'work', name: string | null) {
  await unwrap(api.PUT('/api/v1/calendar/{date}', { params: { path: { date } }, body: { kind, name } }));
}

export async function deleteCalendarDay(date: string) {
  await unwrap(api.DELETE('/api/v1/calendar/{date}', { params: { path: { date } } }));
}
