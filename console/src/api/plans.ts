// 督办: action plans and their items (tasks and problem-list items), progress and notes with
// evidence, the sheet import (previewed first) and the export.
import { api, idempotencyKey, unwrap } from './client';
import { ApiError, type ErrorBody } from './http';
import type { Plan, PlanDetail, PlanImportReport, PlanItem, PlanItemPatch, PlanItemRequest } from './types';

const idem = () => ({ 'Idempotency-Key': idempotencyKey() });

export async function listPlans(): Promise<Plan[]> {
  return (await unwrap(api.GET('/api/v1/plans'))).items;
}

export async function getPlan(id: string): Promise<PlanDetail> {
  return await unwrap(api.GET('/api/v1/plans/{id}', { params: { path: { id } } }));
}

export async function createPlan(title: string): Promise<Plan> {
  return await unwrap(api.POST('/api/v1/plans', { params: { header: idem() }, body: { title } }));
}

export async function addItem(planId: string, body: PlanItemRequest): Promise<PlanItem> {
  return await unwrap(api.POST('/api/v1/plans/{id}/items', { params: { path: { id: planId }, header: idem() }, body }));
}

export async function updateItem(id: string, body: PlanItemPatch): Promise<PlanItem> {
  return await unwrap(api.PATCH('/api/v1/plan-items/{id}', { params: { path: { id }, header: idem() }, body }));
}

export async function addNote(id: string, text: string, progress: number | null, fileIds: string[]): Promise<PlanItem> {
  return await unwrap(api.POST('/api/v1/plan-items/{id}/notes', { params: { path: { id }, header: idem() }, body: { text, progress, fileIds } }));
}

/** A sheet of items: `dryRun` reports every row's problems and writes nothing. */
export async function importItems(planId: string, file: File, dryRun: boolean): Promise<PlanImportReport> {
  const form = new FormData();
  form.append('file', file, file.name);
  return await unwrap(api.POST('/api/v1/plans/{id}/import', { params: { path: { id: planId }, query: { dryRun }, header: idem() }, body: form as never }));
}

export async function exportPlan(id: string): Promise<Blob> {
  const { data, error, response } = await api.GET('/api/v1/plans/{id}/export', { params: { path: { id } }, parseAs: 'blob' });
  if (!response.ok) throw new ApiError(response.status, (error as Partial<ErrorBody> | undefined) ?? null);
  return data as Blob;
}
