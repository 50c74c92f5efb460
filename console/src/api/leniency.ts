// 免罚清单: the 轻微违法免罚 / 首违不罚 lists: the sheet import (previewed first), publishing the
// drafts, the search.
import { api, idempotencyKey, unwrap } from './client';
import type { LeniencyList, PlanImportReport } from './types';

const idem = () => ({ 'Idempotency-Key': idempotencyKey() });

export async function searchLeniency(q: { q?: string; list?: LeniencyList | ''; unitId?: string }, cursor?: string) {
  return await unwrap(
    api.GET('/api/v1/leniency-items', { params: { query: { q: q.q || undefined, list: q.list || undefined, unitId: q.unitId || undefined, cursor, limit: 50 } } }),
  );
}

/** A sheet of entries, imported as drafts: `dryRun` reports every row's problems and writes nothing. */
export async function importLeniency(file: File, dryRun: boolean): Promise<PlanImportReport> {
  const form = new FormData();
  form.append('file', file, file.name);
  return await unwrap(api.POST('/api/v1/leniency-items/import', { params: { query: { dryRun }, header: idem() }, body: form as never }));
}

/** Publishes every draft; answers how many. */
export async function publishLeniency(): Promise<number> {
  return (await unwrap(api.POST('/api/v1/leniency-items/publish', { params: { header: idem() } }))).published;
}
