// Shapes of the server's JSON (camelCase, string ids, RFC 3339 times), as `/api/v1` returns them.

export type RoleCode = 'enterprise' | 'officer' | 'media' | 'supervisor' | 'butler' | 'handler' | 'admin';

export interface RoleGrant {
  id: string;
  role: RoleCode;
  enterpriseId: string | null;
  enterpriseName: string | null;
  unitId: string | null;
  unitName: string | null;
  /** Last day of an appointment (YYYY-MM-DD), or null when open-ended. */
  termEnds: string | null;
}

export interface EnterpriseRef {
  id: string;
  name: string;
  uscc: string;
}

export interface PendingBinding {
  id: string;
  enterpriseName: string;
  status: 'pending';
  createdAt: string;
}

export interface User {
  id: string;
  nickname: string | null;
  /** Masked (`138****5678`) or whole, as the server decides. */
  phone: string | null;
  roles: RoleGrant[];
  enterprise: EnterpriseRef | null;
  pendingBinding: PendingBinding | null;
  createdAt: string;
}

export interface TokenResponse {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  user: User;
}

export interface BindEnterpriseRequest {
  uscc: string;
  inviteCode?: string;
}

export type BindEnterpriseResponse =
  | { status: 'bound'; requestId?: string | null; enterprise: { id: string; name: string } }
  | { status: 'pending'; requestId: string; enterprise: { id: string; name: string } };

export interface Persona {
  /** Send as the sign-in code, e.g. `dev:demo-admin`. */
  code: string;
  name: string;
  roles: RoleCode[];
}

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** The body of every non-2xx answer. */
export interface ErrorBody {
  error: string;
  message: string;
  fields?: FieldError[];
}

/** A page of a cursor-paged list: pass `nextCursor` back as `cursor`; null on the last page. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

// ---- Demands (诉求) ----

/** `demand` individual need of one enterprise / `problem` business-environment problem / `suggestion`. */
export type DemandKind = 'demand' | 'problem' | 'suggestion';

/** The six environments every demand is filed under. */
export type Environment = 'policy' | 'service' | 'factor' | 'market' | 'legal' | 'humanistic';

export type DemandStatus =
  | 'submitted'
  | 'accepted'
  | 'rejected'
  | 'assigned'
  | 'in_progress'
  | 'replied'
  | 'reopened'
  | 'closed'
  | 'merged';

/** Where a demand came from (`miniprogram`, `hotline`, ...); open-ended on purpose. */
export type DemandChannel = string;

/** What a timeline event records, as the server spells it (snake_case). */
export type DemandAction =
  | 'submit'
  | 'accept'
  | 'reject'
  | 'assign'
  | 'sign'
  | 'return'
  | 'reply'
  | 'rate'
  | 'auto_close'
  | 'extend'
  | 'approve_extension'
  | 'flag_unreasonable'
  | 'merge'
  | 'supervise'
  | 'comment';

export interface Named {
  id: string;
  name: string;
}

export interface DemandRating {
  satisfied: boolean;
  comment: string | null;
  ratedAt: string | null;
  /** `miniprogram` or `hotline`. */
  source: string | null;
}

export interface ExtensionRequest {
  workingDays: number;
  reason: string | null;
}

export interface DemandEvent {
  id: string;
  action: DemandAction;
  actionLabel: string;
  fromStatus: DemandStatus | null;
  toStatus: DemandStatus;
  /** A role code, or `system` for scheduled jobs. */
  actorRole: string;
  actorUnit: Named | null;
  /** Shown to staff only: never a handler's name to an enterprise. */
  actorName: string | null;
  note: string | null;
  data: unknown;
  createdAt: string;
}

export interface Demand {
  id: string;
  /** `SQ20261128-0007` */
  number: string;
  kind: DemandKind;
  environment: Environment;
  channel: DemandChannel;
  title: string;
  content: string;
  anonymous: boolean;
  status: DemandStatus;
  /** The status in Chinese, as the server labels it. */
  statusLabel: string;
  /** Null for those an anonymous demand is hidden from. */
  enterprise: Named | null;
  submitter: Named | null;
  callerPhone: string | null;
  unit: Named | null;
  acceptDueAt: string | null;
  signDueAt: string | null;
  replyDueAt: string | null;
  acceptedAt: string | null;
  assignedAt: string | null;
  signedAt: string | null;
  repliedAt: string | null;
  closedAt: string | null;
  replyContent: string | null;
  rating: DemandRating | null;
  unreasonable: boolean;
  mergedInto: string | null;
  overdue: boolean;
  /** `accept`, `sign` or `reply`. */
  overdueKind: string | null;
  extensionPending: ExtensionRequest | null;
  extensions: number;
  returns: number;
  reopenCount: number;
  /** File ids; read them with `GET /files/{id}`. */
  attachments: string[];
  createdAt: string;
  updatedAt: string;
  /** Detail and move answers only; lists leave it out. */
  timeline?: DemandEvent[];
}

export interface CreateDemandRequest {
  kind: DemandKind;
  environment: Environment;
  /** At most 50 characters. */
  title: string;
  /** At most 2000 characters. */
  content: string;
  anonymous: boolean;
  /** File ids from `POST /files`, at most 9. */
  attachments?: string[];
}

/** Filters of `GET /demands`; absent ones are not sent. */
export interface DemandListQuery {
  cursor?: string | null;
  limit?: number;
  status?: DemandStatus;
  environment?: Environment;
  channel?: DemandChannel;
  unitId?: string;
  enterpriseId?: string;
  overdue?: boolean;
  /** Words in the title or content, or a whole number `SQ…`. */
  q?: string;
  /** Only what waits for the caller's action (the staff workbench). */
  todo?: boolean;
}

export interface ReasonRequest {
  reason: string;
}

export interface AssignRequest {
  unitId: string;
  /** RFC 3339; the server's default reply deadline when absent. */
  dueAt?: string;
}

export interface ReplyRequest {
  content: string;
  attachments?: string[];
}

export interface RateRequest {
  satisfied: boolean;
  comment?: string;
}

export interface ExtendRequest {
  /** 1 to 10. */
  workingDays: number;
  reason: string;
}

export interface MergeRequest {
  /** The demand that survives. */
  intoId: string;
}

export interface SuperviseRequest {
  note: string;
}

export interface CommentRequest {
  content: string;
}

// ---- Units, files, notifications, reply templates ----

export interface Unit {
  id: string;
  code: string;
  name: string;
  contactPhone: string | null;
  description: string | null;
  createdAt: string;
}

export interface UploadedFile {
  id: string;
  contentType: string;
  size: number;
  createdAt: string;
}

export interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  demandId: string | null;
  /** Mini-program page to open, when there is one. */
  page: string | null;
  read: boolean;
  createdAt: string;
}

export interface NotificationQuery {
  unread?: boolean;
  cursor?: string | null;
  limit?: number;
}

export interface SubscriptionState {
  /** Demand-progress messages that may still be sent to the person. */
  demandCredits: number;
  /** The template to ask for with `wx.requestSubscribeMessage`; null when the server has none. */
  demandTemplateId: string | null;
}

export interface ReplyTemplate {
  id: string;
  /** Null for a template of every environment. */
  environment: Environment | null;
  /** Null for a template shared by every unit. */
  unitId: string | null;
  title: string;
  content: string;
}
