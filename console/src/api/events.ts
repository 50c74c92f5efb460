// 活动: events, their forms (versions), mystery-shopper targets and assignments, the complaint
// wall's moderation, results and the export.
import { api, idempotencyKey, unwrap } from './client';
import { ApiError, type ErrorBody } from './http';
import type {
  Assignment,
  Complaint,
  CreateEventRequest,
  Event,
  EventResults,
  EventSummary,
  Form,
  FormSummary,
  FormTemplate,
  MysteryReport,
  Target,
  TargetRequest,
  UpdateEventRequest,
} from './types';

const idem = () => ({ 'Idempotency-Key': idempotencyKey() });

/** Every event (the list has no status filter: the console filters the pages it reads). */
export async function listAllEvents(): Promise<Event[]> {
  const all: Event[] = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(api.GET('/api/v1/events', { params: { query: { cursor, limit: 100 } } }));
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

export async function getEvent(id: string): Promise<Event> {
  return await unwrap(api.GET('/api/v1/events/{id}', { params: { path: { id } } }));
}

export async function createEvent(body: CreateEventRequest): Promise<Event> {
  return await unwrap(api.POST('/api/v1/events', { params: { header: idem() }, body }));
}

export async function updateEvent(id: string, body: UpdateEventRequest): Promise<Event> {
  return await unwrap(api.PATCH('/api/v1/events/{id}', { params: { path: { id }, header: idem() }, body }));
}

export async function deleteEvent(id: string): Promise<void> {
  await unwrap(api.DELETE('/api/v1/events/{id}', { params: { path: { id }, header: idem() } }));
}

export type EventMove = 'publish' | 'open' | 'close' | 'archive';

export async function moveEvent(id: string, move: EventMove): Promise<Event> {
  const params = { params: { path: { id }, header: idem() } };
  switch (move) {
    case 'publish':
      return await unwrap(api.POST('/api/v1/events/{id}/publish', params));
    case 'open':
      return await unwrap(api.POST('/api/v1/events/{id}/open', params));
    case 'close':
      return await unwrap(api.POST('/api/v1/events/{id}/close', params));
    case 'archive':
      return await unwrap(api.POST('/api/v1/events/{id}/archive', params));
  }
}

// ---- forms ----

export async function listAllForms(): Promise<FormSummary[]> {
  const all: FormSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(api.GET('/api/v1/forms', { params: { query: { cursor, limit: 100 } } }));
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

export async function getForm(id: string): Promise<Form> {
  return await unwrap(api.GET('/api/v1/forms/{id}', { params: { path: { id } } }));
}

/** A new form, or (with the key of an existing one) its next version. */
export async function saveForm(title: string, body: FormTemplate, key?: string | null): Promise<Form> {
  return await unwrap(api.POST('/api/v1/forms', { params: { header: idem() }, body: { title, body, key: key ?? null } }));
}

// ---- mystery-shopper weeks ----

export async function listTargets(eventId: string): Promise<Target[]> {
  return await unwrap(api.GET('/api/v1/events/{id}/targets', { params: { path: { id: eventId } } }));
}

export async function addTarget(eventId: string, body: TargetRequest): Promise<Target> {
  return await unwrap(api.POST('/api/v1/events/{id}/targets', { params: { path: { id: eventId }, header: idem() }, body }));
}

export async function updateTarget(id: string, body: TargetRequest): Promise<Target> {
  return await unwrap(api.PATCH('/api/v1/targets/{id}', { params: { path: { id }, header: idem() }, body }));
}

export async function deleteTarget(id: string): Promise<void> {
  await unwrap(api.DELETE('/api/v1/targets/{id}', { params: { path: { id }, header: idem() } }));
}

export async function listAssignments(eventId: string): Promise<Assignment[]> {
  return await unwrap(api.GET('/api/v1/events/{id}/assignments', { params: { path: { id: eventId } } }));
}

export async function addAssignment(
  eventId: string,
  body: { targetId: string; officerId: string; windowStart: string; windowEnd: string },
): Promise<Assignment> {
  return await unwrap(api.POST('/api/v1/events/{id}/assignments', { params: { path: { id: eventId }, header: idem() }, body }));
}

export async function withdrawAssignment(id: string): Promise<void> {
  await unwrap(api.DELETE('/api/v1/assignments/{id}', { params: { path: { id }, header: idem() } }));
}

export async function listMysteryReports(eventId: string): Promise<MysteryReport[]> {
  return await unwrap(api.GET('/api/v1/events/{id}/reports', { params: { path: { id: eventId } } }));
}

// ---- the complaint wall ----

/** `sort`: `time` (newest first) or `metoo` (most "me too" first). */
export async function listComplaints(eventId: string, sort: 'time' | 'metoo', cursor?: string) {
  return await unwrap(api.GET('/api/v1/events/{id}/complaints', { params: { path: { id: eventId }, query: { cursor, limit: 50, sort } } }));
}

export async function hideComplaint(id: string, reason: string): Promise<Complaint> {
  return await unwrap(api.POST('/api/v1/complaints/{id}/hide', { params: { path: { id }, header: idem() }, body: { reason } }));
}

export async function unhideComplaint(id: string): Promise<Complaint> {
  return await unwrap(api.POST('/api/v1/complaints/{id}/unhide', { params: { path: { id }, header: idem() } }));
}

export async function eventSummary(id: string): Promise<EventSummary> {
  return await unwrap(api.GET('/api/v1/events/{id}/summary', { params: { path: { id } } }));
}

// ---- results ----

export async function eventResults(id: string): Promise<EventResults> {
  return await unwrap(api.GET('/api/v1/events/{id}/results', { params: { path: { id } } }));
}

export async function publishResults(id: string): Promise<void> {
  await unwrap(api.POST('/api/v1/events/{id}/publish-results', { params: { path: { id }, header: idem() } }));
}

/** The event's Excel export as a blob. */
export async function exportEvent(id: string): Promise<Blob> {
  const { data, error, response } = await api.GET('/api/v1/events/{id}/export', { params: { path: { id } }, parseAs: 'blob' });
  if (!response.ok) throw new ApiError(response.status, (error as Partial<ErrorBody> | undefined) ?? null);
  return data as Blob;
}
