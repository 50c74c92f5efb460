// Action-plan supervision (任务督办) as a unit's handler works it: the plans, their items (the
// server gives a handler their own unit's), and progress notes with evidence.
import type { PlanDetail, PlanItem, PlanList, PlanNoteRequest } from '../types/api';
import { newIdempotencyKey } from '../utils/idempotency';
import { request } from '../utils/request';

/** `GET /plans` (admins and handlers). */
export function listPlans(): Promise<PlanList> {
  return request<PlanList>({ method: 'GET', path: '/plans' });
}

/** `GET /plans/{id}`: the plan with its items by deadline (a handler's unit's only). */
export function getPlan(id: string): Promise<PlanDetail> {
  return request<PlanDetail>({ method: 'GET', path: `/plans/${encodeURIComponent(id)}` });
}

/**
 * `POST /plan-items/{id}/notes` `{text, progress?, fileIds?}` → 201 the item with the note:
 * progress (0–100) moves the item's; files are evidence (from `POST /files`).
 */
export function addPlanNote(itemId: string, body: PlanNoteRequest, idempotencyKey: string = newIdempotencyKey()): Promise<PlanItem> {
  return request<PlanItem>({ method: 'POST', path: `/plan-items/${encodeURIComponent(itemId)}/notes`, data: { ...body }, idempotencyKey });
}
