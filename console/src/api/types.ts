// Named aliases of the generated API types (./schema.d.ts, from ../api/openapi.json), so the
// screens read `Demand` rather than `components['schemas']['DemandResponse']`. Nothing here is
// typed by hand but what the snapshot cannot say: the queue's tab names (the parameter is a
// plain string there) and the call stream's event (the stream is `text/event-stream`).
import type { components, paths } from './schema';

type S = components['schemas'];

// ---- 扫码登录 ----
export type NewConsoleTicket = S['NewConsoleTicket'];
export type ConsoleSession = S['ConsoleSessionResponse'];
export type Waiting = S['WaitingResponse'];

// ---- 工作台, 诉求 ----
export type Demand = S['DemandResponse'];
export type NextDeadline = S['NextDeadlineResponse'];
export type QueueCounts = S['QueueCountsResponse'];
export type BulkResponse = S['BulkResponse'];
/** One demand's outcome: `ok` with its `status` now, or the refusal's `error` and `message`. */
export type BulkResult = S['BulkResult'];
export type Viewer = S['ViewerResponse'];

/** The query of `GET /demands` (tab, kind, from, to, sort and the filters). */
export type DemandQuery = NonNullable<paths['/api/v1/demands']['get']['parameters']['query']>;
/** The query of `GET /demands/queue-counts`: the same filters, without what pages or orders. */
export type CountsQuery = Omit<DemandQuery, 'tab' | 'sort' | 'cursor' | 'limit'>;

/** The queue's tabs (`GET /demands?tab=`; the snapshot types the parameter as a string). */
export type QueueTab =
  | 'to_accept'
  | 'to_assign'
  | 'to_sign'
  | 'in_progress'
  | 'to_rate'
  | 'due_soon'
  | 'overdue'
  | 'to_call_back';

// ---- 热线受理 ----
export type LookupEnterprise = S['LookupEnterprise'];
export type RecentDemand = S['RecentDemand'];
export type Call = S['CallResponse'];
export type CallStatus = S['CallStatus'];

/** The data of the call stream's `event: call` (`GET /calls/stream`): the call, the caller's
 * enterprise as the lookup gives it (null when the number matches none) and its recent
 * demands. */
export interface CallRinging {
  call: Call;
  enterprise: LookupEnterprise | null;
  recentDemands: RecentDemand[];
}

// ---- 企业, 人员 ----
export type Enterprise = S['EnterpriseResponse'];
export type ImportReport = S['EnterpriseImportReport'];
export type ImportRowError = S['ImportRowError'];
export type User = S['UserResponse'];
/** A person of `GET /users`, with their active roles and extension. */
export type UserSummary = S['UserSummary'];

// ---- 活动, 表单 (issue 19) ----
export type FormTemplate = S['FormTemplate'];
export type FormSection = S['Section'];
export type FormQuestion = S['Question'];
export type QuestionType = S['QuestionType'];
export type ChoiceOption = S['ChoiceOption'];
export type ShowIf = S['ShowIf'];
export type FindingRule = S['FindingRule'];
export type FormAnswer = S['Answer'];
export type FormAnswers = Record<string, FormAnswer>;
export type PhotoAnswer = S['PhotoRef'];
export type FieldError = S['FieldError'];
export type Form = S['FormResponse'];
export type FormSummary = S['FormSummary'];
export type Event = S['EventResponse'];
export type EventKind = S['EventKind'];
export type EventStatus = S['EventStatus'];
export type CreateEventRequest = S['CreateEventRequest'];
export type UpdateEventRequest = S['UpdateEventRequest'];
export type Target = S['TargetResponse'];
export type TargetRequest = S['TargetRequest'];
export type Assignment = S['AssignmentResponse'];
export type Complaint = S['ComplaintResponse'];
export type EventResults = S['ResultsResponse'];
export type EventSummary = S['SummaryResponse'];
export type MysteryReport = S['MysteryReportResponse'];

// ---- 政策 ----
export type Policy = S['PolicyResponse'];
export type PolicyRequest = S['CreatePolicyRequest'];
export type Conditions = S['Conditions'];
export type PolicyMatches = S['PolicyMatches'];
export type PolicyReach = S['ReachResponse'];
export type Industry = S['IndustryResponse'];
export type StoredFile = S['FileResponse'];

// ---- 督办 ----
export type Plan = S['PlanResponse'];
export type PlanDetail = S['PlanDetail'];
export type PlanItem = S['ItemResponse'];
export type PlanItemRequest = S['ItemRequest'];
export type PlanItemPatch = S['ItemPatch'];
export type Milestone = S['Milestone'];
export type PlanImportReport = S['PlanImportReport'];
export type PlanImportProblem = S['PlanImportRowProblem'];

// ---- 数据看板, 企业之声, 群, 审计 ----
export type DemandPanel = S['DemandPanel'];
export type DemandFigures = S['DemandFigures'];
export type League = S['League'];
export type LeagueRow = S['LeagueRow'];
export type CallbackFigures = S['CallbackFigures'];
export type ProgramFigures = S['Programs'];
export type PolicyFigures = S['PolicyReach'];
export type PublicityFigures = S['PublicityFigures'];
export type PlanFigures = S['PlanFigures'];
export type ReportSummary = S['ReportSummary'];
export type ReportKind = S['ReportKind'];
export type BotGroup = S['GroupResponse'];
export type BotGroupRequest = S['GroupRequest'];
export type GroupPush = S['GroupPush'];
export type AuditEntry = S['AuditEntry'];

// ---- 问题线索 (discipline staff) ----
export type Clue = S['ClueResponse'];
export type ClueDetail = S['ClueDetailResponse'];
export type ClueEvent = S['ClueEventResponse'];
export type ClueStatus = S['ClueStatus'];
export type ClueCategory = S['ClueCategory'];
export type ClueOutcome = S['ClueOutcome'];
export type ClueReporter = S['ReporterResponse'];
export type ClueFigures = S['ClueFiguresResponse'];
export type ClueCount = S['Count'];
export type ClueBulletin = S['BulletinResponse'];
export type ClueCase = S['CaseResponse'];
export type AcceptClueRequest = S['AcceptClueRequest'];
export type DisposeClueRequest = S['DisposeClueRequest'];
export type ClueFeedbackRequest = S['ClueFeedbackRequest'];
export type ClueFeedbackResponse = S['ClueFeedbackResponse'];
export type CaseRequest = S['CaseRequest'];
export type ReferRequest = S['ReferRequest'];
/** The query of `GET /clues` (status, category, fastTrack, overdue and the page). */
export type ClueQuery = NonNullable<paths['/api/v1/clues']['get']['parameters']['query']>;

// ---- 三上门, 涉企检查, 免罚清单 ----
export type VisitKind = S['VisitKind'];
export type ServiceTier = S['ServiceTier'];
export type VisitRequest = S['VisitRequest'];
export type Visit = S['VisitResponse'];
export type DueVisit = S['DueVisitResponse'];
export type VisitInterval = S['VisitIntervalResponse'];
export type VisitCoverage = S['VisitCoverageResponse'];
export type CoverageRow = S['CoverageRow'];
export type InspectionRequest = S['InspectionRequest'];
export type Inspection = S['InspectionResponse'];
export type InspectionFigures = S['InspectionFiguresResponse'];
export type UnitQuarterRow = S['UnitQuarterRow'];
export type FlaggedEnterprise = S['FlaggedEnterprise'];
export type LeniencyList = S['LeniencyList'];
export type LeniencyItem = S['LeniencyItemResponse'];
export type NeedRequest = S['NeedRequest'];

// ---- 客户群, 企业群发, 侧边栏 (issue 23) ----
export type CustomerGroup = S['CustomerGroup'];
export type CustomerGroupList = S['CustomerGroupList'];
export type CustomerGroupSync = S['CustomerGroupSync'];
export type MassSend = S['MassSend'];
export type MassSendList = S['MassSendList'];
export type WaitingPush = S['WaitingPush'];
export type JsSignature = S['JsSignature'];
export type SidebarGroup = S['SidebarGroup'];
export type SidebarPolicy = S['SidebarPolicy'];
export type SidebarDemand = S['SidebarDemand'];
/** `GET /mass-sends?state=`: the ones the owner has not confirmed yet, or all. */
export type MassSendFilter = 'unconfirmed' | 'all';
/** `GET /wecom/js-signature?kind=`: for `ww.register`'s config (corp) or agentConfig (agent). */
export type SignatureKind = 'corp' | 'agent';
