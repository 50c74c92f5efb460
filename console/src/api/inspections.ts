// 涉企检查: inspections registered before entering an enterprise, and the list of them.
import { api, idempotencyKey, unwrap } from './client';
import type { Inspection, InspectionRequest } from './types';

const idem = () => ({ 'Idempotency-Key': idempotencyKey() });

/** Newest first: all for admins, a handler's units'. */
export async function listInspections(cursor?: string, limit = 50) {
  return await unwrap(api.GET('/api/v1/inspections', { params: { query: { cursor, limit } } }));
}

export async function registerInspection(body: InspectionRequest): Promise<Inspection> {
  return await unwrap(api.POST('/api/v1/inspections', { params: { header: idem() }, body }));
}
