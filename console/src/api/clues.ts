// Conduct clues (问题线索) for discipline staff: the queue, one clue and its stages, the audited
// reveal of who reported it, 突出问题反馈, 典型案例通报, the figures, the bulletins, the clue
// audit log; and 线索移送 of a demand by its butler or an admin. Every clue route but the
// referral answers 403 to anyone but discipline staff, admins included.
import { api, idempotencyKey, unwrap } from './client';
import { ApiError, type ErrorBody } from './http';
import type {
  AcceptClueRequest,
  CaseRequest,
  ClueBulletin,
  ClueCase,
  ClueDetail,
  ClueFeedbackRequest,
  ClueFeedbackResponse,
  ClueFigures,
  ClueQuery,
  ClueReporter,
  DisposeClueRequest,
  ReferRequest,
} from './types';

const idem = () => ({ 'Idempotency-Key': idempotencyKey() });

/** `GET /clues`, newest first; each clue listed is an audited read. */
export async function listClues(query: Omit<ClueQuery, 'cursor' | 'limit'>, cursor?: string, limit = 20) {
  return await unwrap(api.GET('/api/v1/clues', { params: { query: { ...query, cursor, limit } } }));
}

/** One clue with its reporter (named clues only) and history; an audited read. */
export async function getClue(id: string): Promise<ClueDetail> {
  return await unwrap(api.GET('/api/v1/clues/{id}', { params: { path: { id } } }));
}

/** 受理, on the fast track (问题速处) or the ordinary one. */
export async function acceptClue(id: string, body: AcceptClueRequest): Promise<ClueDetail> {
  return await unwrap(api.POST('/api/v1/clues/{id}/accept', { params: { path: { id }, header: idem() }, body }));
}

/** 初核. */
export async function checkClue(id: string, note?: string | null): Promise<ClueDetail> {
  return await unwrap(api.POST('/api/v1/clues/{id}/check', { params: { path: { id }, header: idem() }, body: { note: note || null } }));
}

/** 处置: the outcome (persons for a sanction, none for 予以了结). */
export async function disposeClue(id: string, body: DisposeClueRequest): Promise<ClueDetail> {
  return await unwrap(api.POST('/api/v1/clues/{id}/dispose', { params: { path: { id }, header: idem() }, body }));
}

/** Who reported the clue, for a stated reason: audited, and written on the clue's history. */
export async function revealReporter(id: string, reason: string): Promise<ClueReporter> {
  return await unwrap(api.POST('/api/v1/clues/{id}/reveal', { params: { path: { id }, header: idem() }, body: { reason } }));
}

/** 突出问题反馈: a problem sent to a unit as a demand naming neither the clue nor the reporter. */
export async function clueFeedback(id: string, body: ClueFeedbackRequest): Promise<ClueFeedbackResponse> {
  return await unwrap(api.POST('/api/v1/clues/{id}/feedback', { params: { path: { id }, header: idem() }, body }));
}

/** 典型案例通报 of a closed clue (409 `clue_open` otherwise). */
export async function publishCase(id: string, body: CaseRequest): Promise<ClueCase> {
  return await unwrap(api.POST('/api/v1/clues/{id}/cases', { params: { path: { id }, header: idem() }, body }));
}

/** The figures of a period and the sentence (线索 N 件，办结 N 件，正在办理 N 件；处分 N 人). */
export async function clueFigures(from: string, to: string): Promise<ClueFigures> {
  return await unwrap(api.GET('/api/v1/clues/figures', { params: { query: { from, to } } }));
}

/** Who read or revealed which clue, newest first. */
export async function clueAuditLog(q: { action?: string; from?: string; to?: string }, cursor?: string) {
  return await unwrap(
    api.GET('/api/v1/clues/audit-log', {
      params: { query: { action: q.action || undefined, from: q.from || undefined, to: q.to || undefined, cursor, limit: 50 } },
    }),
  );
}

// ---- 定期通报 ----

export async function listBulletins(): Promise<ClueBulletin[]> {
  return await unwrap(api.GET('/api/v1/clue-bulletins'));
}

/** Writes the figures of a period as the next numbered bulletin. */
export async function writeBulletin(from: string, to: string): Promise<ClueBulletin> {
  return await unwrap(api.POST('/api/v1/clue-bulletins', { params: { header: idem() }, body: { from, to } }));
}

export async function bulletinHtml(id: string): Promise<string> {
  const { data, error, response } = await api.GET('/api/v1/clue-bulletins/{id}/html', { params: { path: { id } }, parseAs: 'text' });
  if (!response.ok) throw new ApiError(response.status, (error as Partial<ErrorBody> | undefined) ?? null);
  return data as string;
}

// ---- 线索移送 (butlers, admins) ----

/** Refers a demand to discipline staff; 409 `already_referred` the second time. */
export async function referDemand(demandId: string, body: ReferRequest): Promise<string> {
  const r = await unwrap(api.POST('/api/v1/demands/{id}/clue', { params: { path: { id: demandId }, header: idem() }, body }));
  return r.clueId;
}
