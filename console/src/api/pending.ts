// HAND-TYPED, TEMPORARY. The endpoints of docs/console-api.md that the committed OpenAPI
// snapshot (../api/openapi.json) does not describe yet, typed by hand from that page. When the
// server implements them and the snapshot is refreshed (`npm run gen:api`), these types move
// to `components['schemas'][...]` in schema.d.ts and this module shrinks to nothing.
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
