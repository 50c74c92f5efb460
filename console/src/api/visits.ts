// 三上门: the enterprises due for a butler's visit, recording a visit, the tiers' intervals.
import { api, idempotencyKey, unwrap } from './client';
import type { DueVisit, ServiceTier, Visit, VisitInterval, VisitRequest } from './types';

const idem = () => ({ 'Idempotency-Key': idempotencyKey() });

/** A butler's own enterprises due today (every served one for admins), most overdue first. */
export async function dueVisits(): Promise<DueVisit[]> {
  return await unwrap(api.GET('/api/v1/visits/due'));
}

export async function recordVisit(enterpriseId: string, body: VisitRequest): Promise<Visit> {
  return await unwrap(api.POST('/api/v1/enterprises/{id}/visits', { params: { path: { id: enterpriseId }, header: idem() }, body }));
}

export async function enterpriseVisits(enterpriseId: string): Promise<Visit[]> {
  return await unwrap(api.GET('/api/v1/enterprises/{id}/visits', { params: { path: { id: enterpriseId } } }));
}

export async function visitIntervals(): Promise<VisitInterval[]> {
  return await unwrap(api.GET('/api/v1/visit-intervals'));
}

/** Admins: answers every tier's interval as it now stands. */
export async function setVisitInterval(tier: ServiceTier, days: number): Promise<VisitInterval[]> {
  return await unwrap(api.PUT('/api/v1/visit-intervals/{tier}', { params: { path: { tier }, header: idem() }, body: { days } }));
}
