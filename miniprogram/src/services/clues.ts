// Conduct clues (问题线索): anyone signed in reports one and follows it in general terms; staff
// refer a demand (线索移送); everyone signed in reads the published typical cases (典型案例通报).
// Only discipline staff read the clues themselves, on the console. Writes carry an
// `Idempotency-Key`: pass the key of the user action, or a fresh one is made for this call.
import type {
  ClueCase,
  CursorPage,
  MyClue,
  PageQuery,
  ReferClueRequest,
  ReferClueResponse,
  ReportClueRequest,
} from '../types/api';
import { newIdempotencyKey } from '../utils/idempotency';
import { request } from '../utils/request';

/** `POST /clues` → 201 with the clue as its reporter sees it (422 names `content`, `official`, ...). */
export function reportClue(body: ReportClueRequest, idempotencyKey: string = newIdempotencyKey()): Promise<MyClue> {
  const data: ReportClueRequest = { category: body.category, content: body.content, anonymous: body.anonymous === true };
  if (body.unitId) data.unitId = body.unitId;
  if (body.official) data.official = body.official;
  if (body.happenedOn) data.happenedOn = body.happenedOn;
  if (body.fileIds && body.fileIds.length > 0) data.fileIds = [...body.fileIds];
  return request<MyClue>({ method: 'POST', path: '/clues', data, idempotencyKey });
}

/** `GET /me/clues`: the clues I reported (or that were referred from my demands), newest first. */
export function listMyClues(): Promise<MyClue[]> {
  return request<MyClue[]>({ method: 'GET', path: '/me/clues' });
}

/** `GET /cases`: the published typical cases, newest first, a page at a time. */
export function listCases(query: PageQuery = {}): Promise<CursorPage<ClueCase>> {
  return request<CursorPage<ClueCase>>({ method: 'GET', path: '/cases', query: { ...query } });
}

/** `GET /cases/{id}`: one typical case. */
export function getCase(id: string): Promise<ClueCase> {
  return request<ClueCase>({ method: 'GET', path: `/cases/${encodeURIComponent(id)}` });
}

/**
 * 线索移送 `POST /demands/{id}/clue` (the demand's butler, admins) → 201 with the new clue's id,
 * which the referrer cannot read. Once per demand: 409 `already_referred` after that.
 */
export function referDemand(
  demandId: string,
  body: ReferClueRequest,
  idempotencyKey: string = newIdempotencyKey(),
): Promise<ReferClueResponse> {
  const data: ReferClueRequest = { category: body.category };
  const note = body.note?.trim();
  if (note) data.note = note;
  return request<ReferClueResponse>({
    method: 'POST',
    path: `/demands/${encodeURIComponent(demandId)}/clue`,
    data,
    idempotencyKey,
  });
}
