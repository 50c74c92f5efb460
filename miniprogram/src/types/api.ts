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

/** `POST /me/wecom-binding`: the WeCom user id now bound to the signed-in person. */
export interface BindWecomResponse {
  wecomUserId: string;
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
  /** Where it came from: a complaint, a scorecard submission, a mystery-shopper report, ... */
  origin?: { type: string; id: string } | null;
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
  /** New-policy messages that may still be sent to the person. */
  policyCredits: number;
  /** The template to ask for to be told of new policies; null when the server has none. */
  policyTemplateId: string | null;
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

// ---- Forms of the engagement programs (checklists, scorecards) ----
// The server sends absent optional fields as null; both are accepted here.

export type QuestionType = 'yes_no' | 'single_choice' | 'multiple_choice' | 'rating' | 'number' | 'text' | 'photo';

export interface FormOption {
  value: string;
  label: string;
  /** Used for scores; the best option's score is the full mark. */
  score?: number | null;
}

/** A yes/no, an option value, or a number, as an answer compared by skip logic. */
export type AnswerScalar = string | number | boolean;

/** Show the question only when an earlier question's answer equals `equals` or is in `in`. */
export interface ShowIf {
  questionId: string;
  equals?: AnswerScalar | null;
  in?: AnswerScalar[] | null;
}

/** Which answer to a question is a finding (it becomes a demand). */
export type FindingRule =
  | { when: 'no' }
  | { when: 'rating_at_most'; value: number }
  | { when: 'any_text' }
  | { when: 'option_in'; values: string[] };

export interface FormQuestion {
  /** Unique in the template; answers are keyed by it. */
  id: string;
  type: QuestionType;
  title: string;
  help?: string | null;
  required: boolean;
  environment?: Environment | null;
  /** The unit the question assesses (its code, e.g. `tax`), for per-unit results. */
  unitCode?: string | null;
  weight?: number | null;
  /** single_choice and multiple_choice. */
  options?: FormOption[] | null;
  minSelected?: number | null;
  maxSelected?: number | null;
  /** number: bounds, whole numbers only, unit shown after the input (e.g. 分钟). */
  min?: number | null;
  max?: number | null;
  integer?: boolean | null;
  unit?: string | null;
  /** text: characters after trimming; 500 when absent. */
  maxLength?: number | null;
  /** photo: 0 and 9 when absent. */
  minCount?: number | null;
  maxCount?: number | null;
  requireCaptureTime?: boolean | null;
  showIf?: ShowIf | null;
  finding?: FindingRule | null;
}

export interface FormSection {
  id: string;
  title: string;
  description?: string | null;
  questions: FormQuestion[];
}

export interface FormTemplate {
  sections: FormSection[];
}

/** A photo answer: a file from `POST /files` and when it was taken (RFC 3339). */
export interface PhotoAnswer {
  fileId: string;
  capturedAt?: string | null;
}

/**
 * yes_no: boolean; single_choice: option value; multiple_choice: option values; rating: 1–5;
 * number: a number; text: a string; photo: photos.
 */
export type FormAnswer = boolean | string | string[] | number | PhotoAnswer[];

/** Answers keyed by question id, as sent to the server; hidden and unanswered questions are left out. */
export type FormAnswers = Record<string, FormAnswer>;

// ---- Engagement programs (events; DESIGN.md section 4) ----

export type EventKind = 'complaint_day' | 'mystery_shopper_week' | 'scorecard_round' | 'supervision_activity';

export type EventStatus = 'draft' | 'published' | 'open' | 'closed' | 'archived';

/** An event of the engagement programs (named so as not to shadow the DOM's `Event` in tests). */
export interface EngagementEvent {
  id: string;
  kind: EventKind;
  /** The kind in Chinese, as the server labels it. */
  kindLabel: string;
  title: string;
  /** e.g. 政策服务, 商业秘密; null when the event has none. */
  theme: string | null;
  description: string | null;
  opensAt: string;
  closesAt: string;
  status: EventStatus;
  statusLabel: string;
  /** The form it collects answers with (scorecards, checklists); null when none. */
  formId: string | null;
  publishedAt: string | null;
}

export interface PageQuery {
  cursor?: string | null;
  limit?: number;
}

/** A form as `GET /forms/{id}` returns it: one version of a template. */
export interface FormDefinition {
  id: string;
  key: string;
  version: number;
  title: string;
  body: FormTemplate;
  createdAt: string;
}

// Complaint day (企业家吐槽日).

export type ComplaintSort = 'metoo' | 'time';

/** The demand a complaint became, as the wall shows it next to the post. */
export interface OfficialReply {
  demandId: string;
  number: string;
  status: DemandStatus;
  statusLabel: string;
  /** The unit's answer, once replied. */
  reply: string | null;
  repliedAt: string | null;
  unitName: string | null;
}

export interface Complaint {
  id: string;
  content: string;
  environment: Environment;
  anonymous: boolean;
  /** Null when anonymous (moderators excepted). */
  enterpriseName: string | null;
  /** File ids; read them with `GET /files/{id}`. */
  photos: string[];
  metooCount: number;
  metooByMe: boolean;
  mine: boolean;
  /** Moderators only see hidden posts. */
  hidden: boolean;
  hiddenReason: string | null;
  official: OfficialReply | null;
  createdAt: string;
}

export interface ComplaintListQuery extends PageQuery {
  sort?: ComplaintSort;
}

export interface CreateComplaintRequest {
  /** 1–1000 characters. */
  content: string;
  environment: Environment;
  anonymous: boolean;
  /** File ids from `POST /files`, at most 9. */
  photos?: string[];
}

export interface MetooResponse {
  metooCount: number;
}

export interface TopicCount {
  word: string;
  count: number;
}

export interface EventSummary {
  complaints: number;
  participants: number;
  hidden: number;
  metoos: number;
  topTopics: TopicCount[];
  demandsClosed: number;
  demandsSatisfied: number;
}

// Scorecard round (出卷).

export interface SubmitAnswersRequest {
  answers: FormAnswers;
}

export interface SubmissionResult {
  id: string;
  /** Ids of the questions whose answer was a finding. */
  findings: string[];
  /** The demands the findings became. */
  demandIds: string[];
}

export interface EnvironmentScore {
  environment: Environment;
  /** 0–100. */
  score: number;
  submissions: number;
}

export interface UnitScore {
  unitCode: string;
  unitName: string;
  score: number;
}

export interface AnswerBucket {
  label: string;
  count: number;
}

export interface QuestionResult {
  id: string;
  title: string;
  answered: number;
  distribution: AnswerBucket[];
  mean: number | null;
}

export interface ScorecardResults {
  submissions: number;
  invited: number;
  /** 0–1; null when nobody was invited by name. */
  responseRate: number | null;
  environments: EnvironmentScore[];
  units: UnitScore[];
  questions: QuestionResult[];
  published: boolean;
}

// Mystery-shopper week (神秘客暗访周).

export interface AssignmentTarget {
  id: string;
  name: string;
  unitId: string;
  unitName: string;
  address: string | null;
  /** WGS-84; null when the target has no position (then none is checked). */
  latitude: number | null;
  longitude: number | null;
  radiusM: number | null;
}

export interface Assignment {
  id: string;
  eventId: string;
  eventTitle: string;
  formId: string | null;
  target: AssignmentTarget;
  windowStart: string;
  windowEnd: string;
  checkedInAt: string | null;
  reportId: string | null;
}

export interface CheckInRequest {
  latitude?: number;
  longitude?: number;
}

export interface ReportDemand {
  id: string;
  number: string;
  status: DemandStatus;
}

export interface MysteryReport {
  id: string;
  target: AssignmentTarget;
  /** The day of the visit. */
  visitedOn: string | null;
  /** The exact check-in time: admins only. */
  visitedAt?: string | null;
  answers: FormAnswers;
  findings: string[];
  demands: ReportDemand[];
}

// Supervision activity (督导活动).

/** `visit` 走访, `forum` 座谈, `inspection` 检查. */
export type ActivityKind = 'visit' | 'forum' | 'inspection';

export interface SupervisionActivity {
  id: string;
  kind: ActivityKind;
  /** YYYY-MM-DD. */
  date: string;
  place: string;
  enterprises: Named[];
  notes: string;
  photos: string[];
  /** Demands filed from the activity. */
  demandIds: string[];
  createdAt: string;
}

export interface CreateActivityRequest {
  kind: ActivityKind;
  /** YYYY-MM-DD, not after today. */
  date: string;
  /** At most 100 characters. */
  place: string;
  /** At least one. */
  enterpriseIds: string[];
  /** At most 2000 characters; may be empty. */
  notes: string;
  photos?: string[];
}

export interface ActivityDemandRequest {
  /** One of the enterprises met. */
  enterpriseId: string;
  kind: DemandKind;
  environment: Environment;
  /** At most 50 characters. */
  title: string;
  /** At most 2000 characters. */
  content: string;
}

/** An enterprise as `GET /enterprises` lists it (the fields the pickers use). */
export interface EnterpriseSummary {
  id: string;
  name: string;
  uscc: string;
}

export interface EnterpriseSearchQuery extends PageQuery {
  /** Part of the name, or a whole USCC. */
  q?: string;
}

// ---- The enterprise and its profile (企业画像), which policy matching reads ----

/** 微型 / 小型 / 中型 / 大型. */
export type EnterpriseScale = 'micro' | 'small' | 'medium' | 'large';

/** `GET /enterprises/{id}`: for its members, its butler and admins. */
export interface Enterprise {
  id: string;
  name: string;
  uscc: string;
  /** A GB/T 4754-2017 class with its section letter, e.g. `I6513`. */
  industryCode: string;
  /** The class's name; null when the code is not in the table. */
  industryName: string | null;
  scale: EnterpriseScale;
  /** YYYY-MM-DD. */
  registeredAt: string;
  qualifications: string[];
  tags: string[];
  district: string | null;
  serviceTier: string;
  butlerId: string | null;
  /** Shown to its butler and admins only. */
  inviteCode: string | null;
  needsCallback: boolean;
  createdAt: string;
  updatedAt: string;
}

/**
 * `PATCH /enterprises/{id}` as a member may send it: the profile fields only, each optional
 * (absent ones are left as they are). At most 20 qualifications and tags, each at most 30
 * characters; the district at most 50, and `""` clears it.
 */
export interface EnterpriseProfilePatch {
  industryCode?: string;
  scale?: EnterpriseScale;
  qualifications?: string[];
  tags?: string[];
  district?: string;
}

/** One GB/T 4754-2017 class of `GET /industries`. */
export interface Industry {
  /** With its section letter, e.g. `I6513`. */
  code: string;
  name: string;
  /** 4: a class (小类), the only level listed. */
  level: number;
  /** The names from the section down, joined by ` › `. */
  path: string;
}

export interface IndustrySearchQuery {
  /** The start of a code (`I65`, `6513`) or part of a name (`软件`); blank gives none. */
  q: string;
  /** 20 by default, at most 50. */
  limit?: number;
}

// ---- Policies (政策): matched to the enterprise, searched, read, acknowledged ----

/** Why a policy was matched: one condition of the policy, and whether the enterprise meets it. */
export type MatchReasonKind = 'everyone' | 'industry' | 'scale' | 'age' | 'qualification' | 'district' | 'tag';

export interface MatchReason {
  kind: MatchReasonKind;
  /** True when the enterprise meets the condition. */
  held: boolean;
  /** The condition in Chinese, e.g. 「具备高新技术企业资质」. */
  text: string;
}

/** One entry of `GET /policies/matched`, best match first. */
export interface MatchedPolicy {
  id: string;
  title: string;
  issuer: string;
  /** YYYY-MM-DD. */
  publishedOn: string | null;
  /** Last day to apply (YYYY-MM-DD), when the policy has one. */
  applyBy: string | null;
  /** 适用对象, as the policy's explainer says it. */
  forWhom: string;
  reasons: MatchReason[];
  /** Tags both the policy and the enterprise carry. */
  sharedTags: string[];
}

/** A piece of a search hit's text; `hit` pieces matched the query. */
export interface Segment {
  text: string;
  hit: boolean;
}

/** One entry of `GET /policies/search`, best first. */
export interface PolicySearchHit {
  id: string;
  issuer: string;
  status: string;
  publishedOn: string | null;
  score: number;
  title: Segment[];
  snippet: Segment[];
}

export interface PolicySearchQuery {
  q: string;
  limit?: number;
  issuer?: string;
  tag?: string;
  status?: string;
  /** Published on or after (YYYY-MM-DD). */
  from?: string;
  /** Published on or before (YYYY-MM-DD). */
  to?: string;
}

/** The 明白纸: the policy explained in four parts. */
export interface PolicyExplainer {
  forWhom: string;
  benefits: string;
  howToApply: string;
  /** Who to ask, usually with a phone number. */
  contact: string;
}

/** `GET /policies/{id}`. */
export interface Policy {
  id: string;
  title: string;
  issuer: string;
  docNumber: string | null;
  publishedOn: string | null;
  effectiveOn: string | null;
  expiresOn: string | null;
  applyBy: string | null;
  explainer: PolicyExplainer;
  fullText: string;
  tags: string[];
  /** The matching conditions, as the server stores them (not shown as such). */
  conditions: Record<string, unknown>;
  /** Files attached to the policy (the full document, application forms), in order. */
  attachments?: PolicyAttachment[];
  status: string;
}

/** A file attached to a policy, read with `GET /files/{id}`. */
export interface PolicyAttachment {
  id: string;
  /** The name it was uploaded under, when it had one. */
  name: string | null;
  contentType: string;
  /** Bytes. */
  size: number;
  createdAt: string;
}

// ---- New-enterprise call-backs (新企业回访; butlers, admins) ----

export type CallbackStatus = 'open' | 'reached' | 'refused' | 'unreachable';

/** `GET /callbacks?status=`: one status, or `all`; `open` when absent. */
export type CallbackStatusFilter = CallbackStatus | 'all';

export interface CallbackTask {
  id: string;
  enterpriseId: string;
  /** Null when the enterprise is gone. */
  enterpriseName: string | null;
  butlerId: string | null;
  /** YYYY-MM-DD: the day the call is due by. */
  dueOn: string;
  status: CallbackStatus;
  /** Calls made so far (a third unanswered one ends the task as `unreachable`). */
  attempts: number;
  /** The answers of the reached call, by question id. */
  answers: Record<string, FormAnswer> | null;
  /** The demand the stated need became. */
  demandId: string | null;
  completedAt: string | null;
}

/** `GET /callbacks/{id}/form`: the task and the form to fill in once the enterprise answers. */
export interface CallbackForm {
  task: CallbackTask;
  template: FormTemplate;
}

/** `reached` 已接通 / `not_reached` 未接通 / `refused` 拒绝回访. */
export type CallOutcome = 'reached' | 'not_reached' | 'refused';

export interface RecordCallRequest {
  outcome: CallOutcome;
  /** Only with `reached`: `bank_account`, `tax_setup`, `invoices`, `known_policies`, `needs`. */
  answers?: FormAnswers;
}

// ---- Media (媒体观察员) ----

/** `finding` 问题发现 / `lead` 报道线索 / `comment` 评论建议. */
export type ObservationKind = 'finding' | 'lead' | 'comment';

export interface Observation {
  id: string;
  kind: ObservationKind;
  title: string;
  content: string;
  eventId: string | null;
  fileIds: string[];
  authorId: string;
  authorName: string | null;
  /** The demand a finding became (staff turn it into one). */
  demandId: string | null;
  createdAt: string;
}

export interface CreateObservationRequest {
  kind: ObservationKind;
  /** 1–60 characters. */
  title: string;
  /** 1–2000 characters. */
  content: string;
  eventId?: string;
  fileIds?: string[];
}

/** `POST /media/observations/{id}/demand`. */
export interface ObservationDemandResponse {
  observation: Observation;
  demandId: string;
}

/** 国家级 / 省级 / 市级 / 网络媒体 / 自有渠道. */
export type PublicityLevel = 'national' | 'provincial' | 'municipal' | 'online' | 'own';

export interface Publicity {
  id: string;
  outlet: string;
  level: PublicityLevel;
  title: string;
  link: string | null;
  /** YYYY-MM-DD. */
  publishedOn: string;
  eventId: string | null;
  authorId: string;
  createdAt: string;
}

export interface CreatePublicityRequest {
  /** 1–60 characters. */
  outlet: string;
  level: PublicityLevel;
  /** 1–100 characters. */
  title: string;
  /** `https://…` */
  link?: string;
  /** YYYY-MM-DD. */
  publishedOn: string;
  eventId?: string;
}

// ---- Reports (「企业之声」周报 / 月报; admins) ----

export type ReportKind = 'weekly' | 'monthly';

export interface ReportHeadline {
  received: number;
  /** 0–1, or null when nothing could be counted. */
  completionRate: number | null;
  satisfactionRate: number | null;
  overdue: number;
}

export interface ReportSummary {
  id: string;
  kind: ReportKind;
  number: number;
  /** 「企业之声」周报 第3期 */
  title: string;
  /** YYYY-MM-DD. */
  periodFrom: string;
  periodTo: string;
  generatedAt: string;
  headline: ReportHeadline;
}

// ---- Dashboard (数据看板; admins) ----

/** Every panel's period (YYYY-MM-DD, both days included); the last 30 days when absent. */
export interface DashboardRange {
  from?: string;
  to?: string;
}

/** Demand figures of a period or a group; rates 0–1, null when there is nothing to divide by. */
export interface DemandFigures {
  received: number;
  closed: number;
  overdue: number;
  completionRate: number | null;
  satisfactionRate: number | null;
  onTimeRate: number | null;
  responseRate: number | null;
}

export interface DemandGroup {
  key: string;
  label: string;
  figures: DemandFigures;
}

export interface DemandDashboard {
  total: DemandFigures;
  byChannel: DemandGroup[];
  byEnvironment: DemandGroup[];
  /** Weeks start on Monday (YYYY-MM-DD). */
  byWeek: { weekStart: string; received: number }[];
}

export interface CallbackDashboard {
  new: number;
  calledBackInTime: number;
  coverage: number | null;
  reached: number;
  refused: number;
  unreachable: number;
  open: number;
  problemsFound: number;
  /** Needs that became demands. */
  demandsCreated: number;
  awareness: number | null;
}

export interface PublicityDashboard {
  total: number;
  byLevel: { level: PublicityLevel; label: string; count: number }[];
  /** `2026-11`. */
  byMonth: { month: string; count: number }[];
}

export interface PlansDashboard {
  byStatus: { done: number; inProgress: number; overdue: number; notStarted: number };
  byUnit: { unitId: string; unitName: string; done: number; inProgress: number; overdue: number }[];
}

export interface PoliciesDashboard {
  published: number;
  reached: number;
  read: number;
  understood: number;
}

export interface ProgramsDashboard {
  /** Events open at some time in the period. */
  events: number;
  /** Checklists and scorecards submitted. */
  submissions: number;
  /** Complaint-day posts. */
  complaints: number;
  /** 同感 given. */
  metoos: number;
}

/** One unit of the league table; each rate goes with the count it was computed over. */
export interface UnitLeagueRow {
  unitId: string;
  unitName: string;
  /** Demands dispatched to the unit: the response rate's sample. */
  dispatched: number;
  responseRate: number | null;
  /** Received − merged: the completion rate's sample. */
  completionSample: number;
  completionRate: number | null;
  /** Replied: the on-time rate's sample. */
  replied: number;
  onTimeRate: number | null;
  satisfactionRate: number | null;
  /** Rated demands: the satisfaction rate's sample. */
  rated: number;
  /** 0–100. */
  scorecardScore: number | null;
  scorecardSamples: number;
  mysteryScore: number | null;
  mysterySamples: number;
  /** At least `minSample` demands dispatched; the others are listed after, unranked. */
  ranked: boolean;
}

export interface UnitsDashboard {
  /** The fewest dispatched demands for a unit to be ranked. */
  minSample: number;
  items: UnitLeagueRow[];
}
