// HAND-TYPED, TEMPORARY. The endpoints of docs/console-api.md that the committed OpenAPI
// snapshot (../api/openapi.json) does not describe yet — new ones, and the new parameters of
// existing ones — typed by hand from that page, as openapi-typescript would: `PendingPaths`
// at the end is the `paths` of the second openapi-fetch client (`pendingApi` in client.ts).
// When the server implements them and the snapshot is refreshed (`npm run gen:api`), each call
// moves to `api` and its types here go; this module shrinks to nothing.
import type { components } from './schema';

type S = components['schemas'];

// ---- 扫码登录 -------------------------------------------------------------------------
export interface ConsoleTicket {
  ticket: string;
  secret: string;
  expiresAt: string;
  qrText: string;
  /** A `data:image/png;base64,…` mini-program code in production; null in development. */
  qrImage: string | null;
}

export interface ConsoleSession {
  accessToken: string;
  expiresIn: number;
  user: S['UserResponse'];
}

export type TicketPoll = { status: 'waiting' } | ({ status: 'signed_in' } & ConsoleSession);

// ---- 工作台 ---------------------------------------------------------------------------
export type QueueTab =
  | 'to_accept'
  | 'to_assign'
  | 'to_sign'
  | 'in_progress'
  | 'to_rate'
  | 'due_soon'
  | 'overdue'
  | 'to_call_back';

export interface QueueCounts {
  toAccept: number;
  toAssign: number;
  toSign: number;
  inProgress: number;
  toRate: number;
  dueSoon: number;
  overdue: number;
  toCallBack: number;
}

export interface NextDeadline {
  kind: 'accept' | 'sign' | 'reply';
  at: string;
  /** Negative when overdue. */
  workingDaysLeft: number;
}

/** A demand as the console's queue and detail see it: the generated type plus the fields
 * docs/console-api.md adds (optional until every server sends them). */
export type Demand = S['DemandResponse'] & {
  nextDeadline?: NextDeadline | null;
  version?: number;
};

export type BulkResult =
  | { id: string; ok: true; status: S['Status'] }
  | { id: string; ok: false; error: string; message: string };

export interface BulkResponse {
  results: BulkResult[];
}

export interface Viewer {
  id: string;
  name: string;
  role: string;
  since: string;
}

// ---- 热线受理 -------------------------------------------------------------------------
export interface RecentDemand {
  id: string;
  number: string;
  title: string;
  status: S['Status'];
  statusLabel: string;
  createdAt: string;
}

export interface LookupEnterprise {
  id: string;
  name: string;
  uscc: string;
  butler: { id: string; name: string } | null;
  serviceTier: string;
  scale: string;
  district: string | null;
  recentDemands: RecentDemand[];
}

export type CallStatus = 'ringing' | 'answered' | 'missed' | 'done';

export interface Call {
  id: string;
  callId: string;
  from: string;
  direction: 'in' | 'out';
  agent: { id: string; name: string } | null;
  enterprise: { id: string; name: string } | null;
  status: CallStatus;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  demandId: string | null;
}

export interface CallRinging {
  call: Call;
  enterprise: LookupEnterprise | { id: string; name: string } | null;
  recentDemands: RecentDemand[];
}

// ---- 企业, 人员 ----------------------------------------------------------------------
/** The import report: the generated one plus what docs/console-api.md adds. */
export type ImportReport = S['EnterpriseImportReport'] & {
  updated?: number;
  errors: (S['ImportRowError'] & { value?: string | null })[];
};

/** `GET /users?q=` gives each person with their roles (docs/console-api.md). */
export type UserWithRoles = S['UserSummary'] & {
  roles?: S['RoleGrantResponse'][];
  extension?: string | null;
};

/** An enterprise with its butler named ("Requested by the console" 2). */
export type EnterpriseWithButler = S['EnterpriseResponse'] & { butler?: { id: string; name: string } | null };

// ---- the paths, in openapi-typescript's shape ------------------------------------------------
type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type Empty = { headers: { [name: string]: unknown }; content?: never };
type Failure = Json<S['ErrorBody']>;
type Body<T> = { content: { 'application/json': T } };
type Form = { content: { 'multipart/form-data': FormData } };
type Idem = { 'Idempotency-Key'?: string };
type Params<Q = never, P = never, H = never> = {
  query?: Q;
  header?: [H] extends [never] ? never : H;
  path: P;
  cookie?: never;
};
type NoPath<Q = never, H = never> = Omit<Params<Q, never, H>, 'path'> & { path?: never };

/** The queue's parameters of GET /demands (and, without tab/sort/cursor/limit, the counts'). */
export interface DemandQuery {
  status?: string;
  unitId?: string;
  environment?: string;
  channel?: string;
  enterpriseId?: string;
  overdue?: boolean;
  unreasonable?: boolean;
  q?: string;
  todo?: boolean;
  tab?: QueueTab;
  kind?: string;
  from?: string;
  to?: string;
  sort?: 'new' | 'deadline';
  cursor?: string;
  limit?: number;
}

/** Every move's body gains `expectedVersion`. */
type Move<B> = {
  parameters: Params<never, { id: string }, Idem>;
  requestBody: Body<B & { expectedVersion?: number }>;
  responses: { 200: Json<Demand>; default: Failure };
};

export interface PendingPaths {
  '/api/v1/auth/console-tickets': {
    post: { parameters: NoPath; requestBody: Body<Record<string, never>>; responses: { 201: Json<ConsoleTicket>; default: Failure } };
  };
  '/api/v1/auth/console-tickets/{ticket}/session': {
    post: {
      parameters: Params<never, { ticket: string }>;
      requestBody: Body<{ secret: string }>;
      responses: { 200: Json<ConsoleSession>; 202: Json<{ status: 'waiting' }>; default: Failure };
    };
  };
  '/api/v1/auth/console/refresh': {
    post: { parameters: NoPath; requestBody: Body<Record<string, never>>; responses: { 200: Json<ConsoleSession>; default: Failure } };
  };
  '/api/v1/auth/console/logout': {
    post: { parameters: NoPath; requestBody: Body<Record<string, never>>; responses: { 204: Empty; default: Failure } };
  };
  '/api/v1/auth/console/dev': {
    post: { parameters: NoPath; requestBody: Body<{ openid: string }>; responses: { 200: Json<ConsoleSession>; default: Failure } };
  };
  '/api/v1/demands': {
    get: { parameters: NoPath<DemandQuery>; requestBody?: never; responses: { 200: Json<{ items: Demand[]; nextCursor?: string | null }>; default: Failure } };
  };
  '/api/v1/demands/queue-counts': {
    get: { parameters: NoPath<Omit<DemandQuery, 'tab' | 'sort' | 'cursor' | 'limit'>>; requestBody?: never; responses: { 200: Json<QueueCounts>; default: Failure } };
  };
  '/api/v1/demands/bulk/accept': {
    post: { parameters: NoPath<never, Idem>; requestBody: Body<{ ids: string[] }>; responses: { 200: Json<BulkResponse>; default: Failure } };
  };
  '/api/v1/demands/bulk/assign': {
    post: {
      parameters: NoPath<never, Idem>;
      requestBody: Body<{ ids: string[]; unitId: string; dueAt?: string }>;
      responses: { 200: Json<BulkResponse>; default: Failure };
    };
  };
  '/api/v1/demands/{id}/presence': {
    post: { parameters: Params<never, { id: string }>; requestBody: Body<Record<string, never>>; responses: { 200: Json<{ viewers: Viewer[] }>; default: Failure } };
  };
  '/api/v1/demands/{id}/accept': { post: Move<S['EmptyBody']> };
  '/api/v1/demands/{id}/reject': { post: Move<S['ReasonBody']> };
  '/api/v1/demands/{id}/assign': { post: Move<S['AssignBody']> };
  '/api/v1/demands/{id}/sign': { post: Move<S['EmptyBody']> };
  '/api/v1/demands/{id}/return': { post: Move<S['ReasonBody']> };
  '/api/v1/demands/{id}/reply': { post: Move<S['ReplyBody']> };
  '/api/v1/demands/{id}/extend': { post: Move<S['ExtendBody']> };
  '/api/v1/demands/{id}/approve-extension': { post: Move<S['EmptyBody']> };
  '/api/v1/demands/{id}/flag-unreasonable': { post: Move<S['ReasonBody']> };
  '/api/v1/demands/{id}/merge': { post: Move<S['MergeBody']> };
  '/api/v1/demands/{id}/supervise': { post: Move<S['NoteBody']> };
  '/api/v1/demands/{id}/comment': { post: Move<S['CommentBody']> };
  '/api/v1/demands/{id}/callback-rating': { post: Move<S['RateBody']> };
  '/api/v1/enterprises/lookup': {
    get: { parameters: NoPath<{ q: string }>; requestBody?: never; responses: { 200: Json<LookupEnterprise[]>; default: Failure } };
  };
  '/api/v1/enterprises/import': {
    post: {
      parameters: NoPath<{ dryRun?: boolean; onError?: 'reject' | 'skip' }>;
      requestBody: Form;
      responses: { 200: Json<ImportReport>; default: Failure };
    };
  };
  '/api/v1/users': {
    get: { parameters: NoPath<{ q?: string; cursor?: string; limit?: number }>; requestBody?: never; responses: { 200: Json<{ items: UserWithRoles[]; nextCursor?: string | null }>; default: Failure } };
  };
  '/api/v1/users/{id}': {
    patch: { parameters: Params<never, { id: string }>; requestBody: Body<{ extension: string }>; responses: { 200: Json<S['UserResponse'] & { extension?: string | null }>; default: Failure } };
  };
  '/api/v1/calls': {
    get: { parameters: NoPath<{ status?: string; cursor?: string; limit?: number }>; requestBody?: never; responses: { 200: Json<{ items: Call[]; nextCursor?: string | null }>; default: Failure } };
  };
  '/api/v1/calls/{id}/resolve': {
    post: { parameters: Params<never, { id: string }>; requestBody: Body<{ demandId?: string }>; responses: { 200: Json<Call>; default: Failure } };
  };
  '/api/v1/calls/stream': {
    get: { parameters: NoPath; requestBody?: never; responses: { 200: { headers: { [name: string]: unknown }; content: { 'text/event-stream': string } }; default: Failure } };
  };
}
