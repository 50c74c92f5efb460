// Events of the engagement programs (docs/design.md section 4): the list and one event; the
// complaint-day wall (post, 同感, hide, summary); the scorecard round (submit once, results).
// Every write carries an `Idempotency-Key`: pass the key of the user action (see
// `utils/idempotency`), or a fresh one is made for this call.
import type {
  Complaint,
  ComplaintListQuery,
  CreateComplaintRequest,
  CursorPage,
  EngagementEvent,
  EventSummary,
  MetooResponse,
  PageQuery,
  ReasonRequest,
  ScorecardResults,
  SubmissionResult,
  SubmitAnswersRequest,
} from '../types/api';
import { newIdempotencyKey } from '../utils/idempotency';
import { request } from '../utils/request';

const eventPath = (id: string) => `/events/${encodeURIComponent(id)}`;
const complaintPath = (id: string) => `/complaints/${encodeURIComponent(id)}`;

/** `GET /events`: the events whose audience the caller is in. */
export function listEvents(query: PageQuery = {}): Promise<CursorPage<EngagementEvent>> {
  return request<CursorPage<EngagementEvent>>({ method: 'GET', path: '/events', query: { ...query } });
}

/** `GET /events/{id}` (404 `event_not_found` outside the audience). */
export function getEvent(id: string): Promise<EngagementEvent> {
  return request<EngagementEvent>({ method: 'GET', path: eventPath(id) });
}

/** `GET /events/{id}/complaints`: the wall, by 同感 (`metoo`) or newest first (`time`). */
export function listComplaints(eventId: string, query: ComplaintListQuery = {}): Promise<CursorPage<Complaint>> {
  return request<CursorPage<Complaint>>({ method: 'GET', path: `${eventPath(eventId)}/complaints`, query: { ...query } });
}

/** `POST /events/{id}/complaints` → 201 with the post (409 `event_not_open`). */
export function postComplaint(
  eventId: string,
  body: CreateComplaintRequest,
  idempotencyKey: string = newIdempotencyKey(),
): Promise<Complaint> {
  const data: CreateComplaintRequest = { content: body.content, environment: body.environment, anonymous: body.anonymous };
  if (body.photos && body.photos.length > 0) data.photos = [...body.photos];
  return request<Complaint>({ method: 'POST', path: `${eventPath(eventId)}/complaints`, data, idempotencyKey });
}

/** `POST /complaints/{id}/metoo`: 同感, once per person (409 `own_complaint`, `event_not_open`). */
export function metoo(complaintId: string, idempotencyKey: string = newIdempotencyKey()): Promise<MetooResponse> {
  return request<MetooResponse>({ method: 'POST', path: `${complaintPath(complaintId)}/metoo`, idempotencyKey });
}

/** `POST /complaints/{id}/hide` with a reason (butler, admin): the post as moderators now see it. */
export function hideComplaint(complaintId: string, body: ReasonRequest, idempotencyKey: string = newIdempotencyKey()): Promise<Complaint> {
  return request<Complaint>({ method: 'POST', path: `${complaintPath(complaintId)}/hide`, data: { reason: body.reason }, idempotencyKey });
}

/** `GET /events/{id}/summary`: the complaint day's summary (409 `event_not_closed` before it ends). */
export function getEventSummary(eventId: string): Promise<EventSummary> {
  return request<EventSummary>({ method: 'GET', path: `${eventPath(eventId)}/summary` });
}

/**
 * `POST /events/{id}/submissions`: the enterprise's answers to a scorecard round, once
 * (422 `answers.<questionId>`; 409 `already_submitted`, `event_not_open`).
 */
export function submitScorecard(
  eventId: string,
  body: SubmitAnswersRequest,
  idempotencyKey: string = newIdempotencyKey(),
): Promise<SubmissionResult> {
  return request<SubmissionResult>({
    method: 'POST',
    path: `${eventPath(eventId)}/submissions`,
    data: { answers: body.answers },
    idempotencyKey,
  });
}

/** `GET /events/{id}/results`: the round's published results (409 `results_not_published`). */
export function getScorecardResults(eventId: string): Promise<ScorecardResults> {
  return request<ScorecardResults>({ method: 'GET', path: `${eventPath(eventId)}/results` });
}
