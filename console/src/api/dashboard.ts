// 数据看板, 企业之声, 群, 审计: figures for a period, the reports, the bot groups and their
// pushes, the audit log.
import { api, idempotencyKey, unwrap } from './client';
import { ApiError, type ErrorBody } from './http';
import type { BotGroup, BotGroupRequest, ReportKind, ReportSummary } from './types';

const idem = () => ({ 'Idempotency-Key': idempotencyKey() });

export async function dashboard(from: string, to: string) {
  const query = { from, to };
  const [demands, units, callbacks, programs, policies, publicity, plans, visits, inspections] = await Promise.all([
    unwrap(api.GET('/api/v1/dashboard/demands', { params: { query } })),
    unwrap(api.GET('/api/v1/dashboard/units', { params: { query } })),
    unwrap(api.GET('/api/v1/dashboard/callbacks', { params: { query } })),
    unwrap(api.GET('/api/v1/dashboard/programs', { params: { query } })),
    unwrap(api.GET('/api/v1/dashboard/policies', { params: { query } })),
    unwrap(api.GET('/api/v1/dashboard/publicity', { params: { query } })),
    // The plans' figures are as of today: the panel takes no period.
    unwrap(api.GET('/api/v1/dashboard/plans')),
    unwrap(api.GET('/api/v1/dashboard/visits', { params: { query } })),
    unwrap(api.GET('/api/v1/dashboard/inspections', { params: { query } })),
  ]);
  return { demands, units, callbacks, programs, policies, publicity, plans, visits, inspections };
}

// ---- 企业之声 ----

/** `GET /reports`, newest first. */
export async function listReports(kind?: ReportKind | ''): Promise<ReportSummary[]> {
  const answer = await unwrap(api.GET('/api/v1/reports', { params: { query: { kind: kind || undefined } } }));
  return answer.items;
}

export async function reportHtml(id: string): Promise<string> {
  const { data, error, response } = await api.GET('/api/v1/reports/{id}/html', { params: { path: { id } }, parseAs: 'text' });
  if (!response.ok) throw new ApiError(response.status, (error as Partial<ErrorBody> | undefined) ?? null);
  return data as string;
}

export async function reportXlsx(id: string): Promise<Blob> {
  const { data, error, response } = await api.GET('/api/v1/reports/{id}/xlsx', { params: { path: { id } }, parseAs: 'blob' });
  if (!response.ok) throw new ApiError(response.status, (error as Partial<ErrorBody> | undefined) ?? null);
  return data as Blob;
}

/** Writes the report of the period starting `periodFrom` (again, if it exists). */
export async function generateReport(kind: ReportKind, periodFrom: string) {
  return await unwrap(api.POST('/api/v1/reports', { params: { header: idem() }, body: { kind, periodFrom } }));
}

// ---- 群 ----

export async function listGroups(): Promise<BotGroup[]> {
  return await unwrap(api.GET('/api/v1/bot/groups'));
}

export async function createGroup(body: BotGroupRequest): Promise<BotGroup> {
  return await unwrap(api.POST('/api/v1/bot/groups', { params: { header: idem() }, body }));
}

export async function updateGroup(id: string, body: BotGroupRequest): Promise<BotGroup> {
  return await unwrap(api.PATCH('/api/v1/bot/groups/{id}', { params: { path: { id }, header: idem() }, body }));
}

export async function groupPushes(id: string, cursor?: string) {
  return await unwrap(api.GET('/api/v1/bot/groups/{id}/pushes', { params: { path: { id }, query: { cursor, limit: 20 } } }));
}

// ---- 审计 ----

export async function auditLog(q: { actorId?: string; action?: string; from?: string; to?: string }, cursor?: string) {
  return await unwrap(
    api.GET('/api/v1/audit-log', {
      params: { query: { actorId: q.actorId || undefined, action: q.action || undefined, from: q.from || undefined, to: q.to || undefined, cursor, limit: 50 } },
    }),
  );
}
