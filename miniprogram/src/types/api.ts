// The server's JSON shapes, by the names the code uses. Every server shape is an alias of the
// types generated from the OpenAPI document (`openapi.d.ts`, `npm run gen:api`): the one contract
// shared with the console. What is defined here by hand is client-side only (query parameters
// narrowed to the values the server documents in prose, the generic page) and is checked against
// the generated operation types where the document has them.
import type { components, operations } from './openapi';

type S = components['schemas'];
/** The query parameters of an operation, as the document declares them. */
type Query<Op extends keyof operations> = operations[Op] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

// ---- People and sign-in ----

export type RoleCode = S['Role'];
export type RoleGrant = S['RoleGrantResponse'];
export type EnterpriseRef = S['EnterpriseRef'];
export type PendingBinding = S['PendingBinding'];
export type User = S['UserResponse'];
export type TokenResponse = S['TokenResponse'];
export type BindEnterpriseRequest = S['BindEnterpriseRequest'];
export type BindEnterpriseResponse = S['BindEnterpriseResponse'];
export type BindWecomResponse = S['BindWecomResponse'];
export type Persona = S['Persona'];
export type PersonaList = S['PersonaList'];
export type BindingRequest = S['BindingRequestResponse'];
export type InviteCodeResponse = S['InviteCodeResponse'];
/** `GET /me/export`: everything the server holds about the person. */
export type MyDataExport = S['Export'];
/** `POST /me/group-entries`: the visit from a customer group's card, and the group when known. */
export type GroupEntry = S['GroupEntry'];

// ---- Errors and pages ----

export type FieldError = S['FieldError'];
export type ErrorBody = S['ErrorBody'];

/**
 * A page of a cursor-paged list (the document's `Page_*` schemas): pass `nextCursor` back as
 * `cursor`; absent or null on the last page.
 */
export interface CursorPage<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface PageQuery {
  cursor?: string | null;
  limit?: number;
}

// ---- Demands (诉求) ----

export type DemandKind = S['Kind'];
export type Environment = S['Environment'];
export type DemandStatus = S['Status'];
export type DemandChannel = S['Channel'];
export type DemandAction = S['Action'];
export type Named = S['Named'];
export type DemandRating = S['Rating'];
export type ExtensionRequest = S['ExtensionRequest'];
export type DemandEvent = S['DemandEventResponse'];
export type Demand = S['DemandResponse'];
export type CreateDemandRequest = S['CreateDemandRequest'];

/** Filters of `GET /demands`; absent ones are not sent. `status`, ... narrowed to the documented values. */
export type DemandListQuery = Omit<Query<'list_demands'>, 'cursor' | 'status' | 'environment' | 'channel'> & {
  cursor?: string | null;
  status?: DemandStatus;
  environment?: Environment;
  channel?: DemandChannel;
};

export type ReasonRequest = S['ReasonBody'];
export type AssignRequest = S['AssignBody'];
export type ReplyRequest = S['ReplyBody'];
export type RateRequest = S['RateBody'];
export type ExtendRequest = S['ExtendBody'];
export type MergeRequest = S['MergeBody'];
export type SuperviseRequest = S['NoteBody'];
export type CommentRequest = S['CommentBody'];
export type DecisionRequest = S['DecisionRequest'];

// ---- Units, files, notifications, reply templates ----

export type Unit = S['UnitResponse'];
export type UploadedFile = S['FileResponse'];
export type Notification = S['NotificationResponse'];
export type NotificationQuery = Omit<Query<'list_notifications'>, 'cursor'> & { cursor?: string | null };
export type UnreadCount = S['UnreadCount'];
/** PENDING (API-NEEDS.md): the templates the server has for the caller, by what they tell. */
export type SubscribeTemplate = S['SubscribeTemplate'];
export type SubscribeTemplateKind = SubscribeTemplate['kind'];
/** `templates` is PENDING (API-NEEDS.md); a server without it leaves it out. */
export type SubscriptionState = S['SubscriptionState'] & { templates?: SubscribeTemplate[] };
export type ReplyTemplate = S['ReplyTemplateResponse'];

// ---- Sign-in by scanning (the console's QR code) ----

export type ConsoleTicket = S['ConsoleTicket'];
export type ConsoleTicketConfirmed = S['ConsoleTicketConfirmed'];

// ---- Forms of the engagement programs (checklists, scorecards) ----
// The server sends absent optional fields as null; both are accepted.

export type QuestionType = S['QuestionType'];
export type FormOption = S['ChoiceOption'];
/** A yes/no, an option value, or a number, as an answer compared by skip logic. */
export type AnswerScalar = string | number | boolean;
export type ShowIf = S['ShowIf'];
export type FindingRule = S['FindingRule'];
export type FormQuestion = S['Question'];
export type FormSection = S['Section'];
export type FormTemplate = S['FormTemplate'];
export type PhotoAnswer = S['PhotoRef'];
export type FormAnswer = S['Answer'];
/** Answers keyed by question id; hidden and unanswered questions are left out. */
export type FormAnswers = Record<string, FormAnswer>;
export type FormDefinition = S['FormResponse'];

// ---- Engagement programs (events; docs/design.md section 4) ----

export type EventKind = S['EventKind'];
export type EventStatus = S['EventStatus'];
/** An event of the engagement programs (named so as not to shadow the DOM's `Event` in tests). */
export type EngagementEvent = S['EventResponse'];

export type ComplaintSort = 'metoo' | 'time';
export type OfficialReply = S['OfficialReply'];
export type Complaint = S['ComplaintResponse'];
export type ComplaintListQuery = Omit<Query<'list_complaints'>, 'cursor' | 'sort'> & { cursor?: string | null; sort?: ComplaintSort };
export type CreateComplaintRequest = S['PostComplaintRequest'];
export type MetooResponse = S['MetooResponse'];
export type TopicCount = S['ComplaintTopic'];
export type EventSummary = S['SummaryResponse'];

export type SubmitAnswersRequest = S['SubmissionRequest'];
export type SubmissionResult = S['SubmissionResponse'];
export type EnvironmentScore = S['EnvironmentResult'];
export type UnitScore = S['UnitResult'];
export type AnswerBucket = S['Bucket'];
export type QuestionResult = S['QuestionResultResponse'];
export type ScorecardResults = S['ResultsResponse'];

export type AssignmentTarget = S['TargetResponse'];
export type Assignment = S['AssignmentResponse'];
export type CheckInRequest = S['CheckInRequest'];
export type ReportDemand = S['ReportDemand'];
export type MysteryReport = Omit<S['MysteryReportResponse'], 'answers'> & { answers: FormAnswers };
/** PENDING (API-NEEDS.md): a report on the unit's target, with its event. */
export type UnitMysteryReport = Omit<S['UnitMysteryReport'], 'report'> & { report: MysteryReport };

/** `visit` 走访, `forum` 座谈, `inspection` 检查 (the document says string; the server checks these). */
export type ActivityKind = 'visit' | 'forum' | 'inspection';
export type SupervisionActivity = S['ActivityResponse'];
export type CreateActivityRequest = S['ActivityRequest'];
export type ActivityDemandRequest = S['ActivityDemandRequest'];

/** An enterprise as `GET /enterprises` lists it. */
export type EnterpriseSummary = S['Page_EnterpriseResponse']['items'][number];
export type EnterpriseSearchQuery = Omit<Query<'list_enterprises'>, 'cursor'> & { cursor?: string | null };

// ---- The enterprise and its profile (企业画像), which policy matching reads ----

export type EnterpriseScale = S['Scale'];
export type Enterprise = S['EnterpriseResponse'];
/** `PATCH /enterprises/{id}` as a member may send it: the profile fields only. */
export type EnterpriseProfilePatch = {
  [K in 'industryCode' | 'scale' | 'qualifications' | 'tags' | 'district']?: NonNullable<S['UpdateEnterpriseRequest'][K]>;
};
export type Industry = S['IndustryResponse'];
export type IndustrySearchQuery = Query<'search_industries'>;

// ---- Policies (政策) ----

export type MatchReasonKind = S['ConditionKind'];
export type MatchReason = S['Reason'];
export type MatchedPolicy = S['MatchedPolicy'];
export type Segment = S['Segment'];
export type PolicySearchHit = S['SearchHit'];
export type PolicySearchQuery = Query<'search_policies'>;
export type PolicyExplainer = S['Explainer'];
export type Policy = S['PolicyResponse'];
export type PolicyAttachment = S['FileResponse'];

// ---- New-enterprise call-backs (新企业回访; butlers, admins) ----

/** The document says string; these are the values the server sends. */
export type CallbackStatus = 'open' | 'reached' | 'refused' | 'unreachable';
/** `GET /callbacks?status=`: one status, or `all`; `open` when absent. */
export type CallbackStatusFilter = CallbackStatus | 'all';
// The document gives `answers` as a bare object (the form engine checks them), which the generator
// types as an empty record: here they are the form's answers.
export type CallbackTask = Omit<S['CallbackResponse'], 'answers'> & { answers?: FormAnswers | null };
export type CallbackForm = Omit<S['CallbackForm'], 'task'> & { task: CallbackTask };
export type CallOutcome = S['Outcome'];
export type RecordCallRequest = Omit<S['CallRequest'], 'answers'> & { answers?: FormAnswers | null };

// ---- Butler visits by enterprise class (三上门; butlers, admins; members read theirs) ----

export type VisitKind = S['VisitKind'];
export type ServiceTier = S['ServiceTier'];
export type VisitNeedRequest = S['NeedRequest'];
export type VisitRequest = S['VisitRequest'];
export type Visit = S['VisitResponse'];
/** An enterprise due for a visit (`lastVisit` null: never visited). */
export type DueVisit = S['DueVisitResponse'];
export type VisitInterval = S['VisitIntervalResponse'];

// ---- Media (媒体观察员) ----

export type ObservationKind = S['ObservationKind'];
export type Observation = S['ObservationResponse'];
export type CreateObservationRequest = S['ObservationRequest'];
export type ObservationDemandResponse = S['ToDemandResponse'];
export type PublicityLevel = S['Level'];
export type Publicity = S['PublicityResponse'];
export type CreatePublicityRequest = S['PublicityRequest'];

// ---- Reports and dashboard (admins) ----

export type ReportKind = S['ReportKind'];
export type ReportHeadline = S['Headline'];
export type ReportSummary = S['ReportSummary'];
export type ReportList = S['ReportList'];
/** Every panel's period (YYYY-MM-DD, both days included); the last 30 days when absent. */
export interface DashboardRange {
  from?: string;
  to?: string;
}
export type DemandFigures = S['DemandFigures'];
export type DemandGroup = S['Group'];
export type DemandDashboard = S['DemandPanel'];
export type CallbackDashboard = S['CallbackFigures'];
export type PublicityDashboard = S['PublicityFigures'];
export type PlansDashboard = S['PlanFigures'];
export type PoliciesDashboard = S['PolicyReach'];
export type ProgramsDashboard = S['Programs'];
export type UnitLeagueRow = S['LeagueRow'];
export type UnitsDashboard = S['League'];

// ---- Action plans (任务督办) ----

export type Plan = S['PlanResponse'];
export type PlanList = S['PlanList'];
export type PlanDetail = S['PlanDetail'];
export type PlanItem = S['ItemResponse'];
export type PlanNote = S['NoteResponse'];
export type PlanNoteRequest = S['NoteRequest'];

// ---- Conduct clues (问题线索) and typical cases (典型案例通报) ----

export type ClueCategory = S['ClueCategory'];
export type ReportClueRequest = S['ReportClueRequest'];
/** A clue as its reporter follows it: the stage and the outcome in general terms only. */
export type MyClue = S['MyClueResponse'];
/** A published, anonymised typical case (named so as not to clash with the reports' `Case`). */
export type ClueCase = S['CaseResponse'];
/** 线索移送 of a demand (its butler, admins). */
export type ReferClueRequest = S['ReferRequest'];
export type ReferClueResponse = S['ReferResponse'];

// ---- On-site inspections (涉企检查) and the leniency lists (免罚清单) ----

/** An inspection of an enterprise: who, why, on what basis, the day, and the ratings. */
export type Inspection = S['InspectionResponse'];
export type InspectionUnit = S['NamedUnit'];
export type InspectionRating = S['InspectionRatingResponse'];
/** 规范 / 不规范, a comment, and whether it is a complaint (then it becomes a demand). */
export type RateInspectionRequest = S['RateInspectionRequest'];
/** An experience officer or media observer invited to an inspection, and what they observed. */
export type InspectionObserver = S['ObserverResponse'];
/** What an invited observer saw, 1–2000 characters. */
export type ObserveInspectionRequest = S['ObserveRequest'];
/** `minor` 轻微违法免罚, `first` 首违不罚. */
export type LeniencyList = S['LeniencyList'];
export type LeniencyItem = S['LeniencyItemResponse'];
/** Filters of `GET /leniency-items`; absent ones are not sent. */
export type LeniencyQuery = Omit<Query<'search_leniency'>, 'cursor'> & { cursor?: string | null };
