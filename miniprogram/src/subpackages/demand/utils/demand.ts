// What the demand pages show and allow, derived from the server's `Demand` in one place: labels,
// tag colours, the form's checks, the timeline lines, and which moves a viewer is offered.
import type { CreateDemandRequest, Demand, DemandEvent, DemandKind, DemandStatus, Environment, RoleCode } from '../../../types/api';
import { isClueCategory } from '../../../utils/clue-categories';
import { ROLE_LABELS, isRoleCode } from '../../../utils/roles';
import { formatTime } from '../../../utils/time';
import { charCount } from '../../../utils/text';

export interface Option<V extends string> {
  value: V;
  label: string;
}

export const KIND_OPTIONS: readonly Option<DemandKind>[] = [
  { value: 'demand', label: '企业诉求' },
  { value: 'problem', label: '营商环境问题' },
  { value: 'suggestion', label: '意见建议' },
];

export const ENVIRONMENT_OPTIONS: readonly Option<Environment>[] = [
  { value: 'policy', label: '政策环境' },
  { value: 'service', label: '服务环境' },
  { value: 'factor', label: '要素环境' },
  { value: 'market', label: '市场环境' },
  { value: 'legal', label: '法治环境' },
  { value: 'humanistic', label: '人文环境' },
];

export const TITLE_MAX = 50;
export const CONTENT_MAX = 2000;
export const MAX_ATTACHMENTS = 9;
/** Reasons, notes, replies and comments of moves. */
export const MOVE_TEXT_MAX = 2000;

export function kindLabel(kind: string): string {
  return KIND_OPTIONS.find((o) => o.value === kind)?.label ?? kind;
}

export function environmentLabel(environment: string | null | undefined): string {
  return ENVIRONMENT_OPTIONS.find((o) => o.value === environment)?.label ?? '';
}

/** Who acted, as the timeline names the role. */
const ACTOR_LABELS: Record<string, string> = {
  enterprise: '企业',
  butler: '服务管家',
  handler: '单位经办人',
  admin: '管理员',
  system: '系统',
};

export function actorRoleLabel(role: string): string {
  return ACTOR_LABELS[role] ?? (isRoleCode(role) ? ROLE_LABELS[role] : '其他');
}

/** TDesign tag theme of a status. */
export function statusTheme(status: DemandStatus): 'default' | 'primary' | 'warning' | 'success' | 'danger' {
  switch (status) {
    case 'closed':
      return 'success';
    case 'rejected':
      return 'danger';
    case 'replied':
      return 'warning';
    case 'submitted':
    case 'merged':
      return 'default';
    default:
      return 'primary';
  }
}

/** Length as the server counts it (utils/text.ts), for the demand pages' checks. */
export { charCount };

export interface DemandFormValues {
  kind: DemandKind;
  environment: Environment | '';
  title: string;
  content: string;
  anonymous: boolean;
  /** Ids of the photos already uploaded. */
  attachments: string[];
}

export type DemandFormField = 'kind' | 'environment' | 'title' | 'content' | 'attachments';

export const DEMAND_FORM_FIELDS: readonly DemandFormField[] = ['kind', 'environment', 'title', 'content', 'attachments'];

/** The form's own checks, in the server's wording where it has one; {} when all is well. */
export function validateDemandForm(values: DemandFormValues): Partial<Record<DemandFormField, string>> {
  const errors: Partial<Record<DemandFormField, string>> = {};
  if (!KIND_OPTIONS.some((o) => o.value === values.kind)) errors.kind = '请选择诉求类型';
  if (!ENVIRONMENT_OPTIONS.some((o) => o.value === values.environment)) errors.environment = '请选择所属环境';
  const title = values.title.trim();
  if (title === '') errors.title = '请填写标题';
  else if (charCount(title) > TITLE_MAX) errors.title = `标题不能超过 ${TITLE_MAX} 个字`;
  const content = values.content.trim();
  if (content === '') errors.content = '请填写诉求内容';
  else if (charCount(content) > CONTENT_MAX) errors.content = `内容不能超过 ${CONTENT_MAX} 个字`;
  if (values.attachments.length > MAX_ATTACHMENTS) errors.attachments = `最多上传 ${MAX_ATTACHMENTS} 张图片`;
  return errors;
}

/** The body of `POST /demands` from valid form values (trimmed). */
export function createRequest(values: DemandFormValues): CreateDemandRequest {
  const body: CreateDemandRequest = {
    kind: values.kind,
    environment: values.environment as Environment,
    title: values.title.trim(),
    content: values.content.trim(),
    anonymous: values.anonymous,
  };
  if (values.attachments.length > 0) body.attachments = [...values.attachments];
  return body;
}

/** One row of a demand list. */
export interface DemandListItem {
  id: string;
  number: string;
  title: string;
  statusLabel: string;
  statusTheme: string;
  overdue: boolean;
  environment: string;
  time: string;
}

export function demandListItem(d: Demand): DemandListItem {
  return {
    id: d.id,
    number: d.number,
    title: d.title,
    statusLabel: d.statusLabel,
    statusTheme: statusTheme(d.status),
    overdue: d.overdue,
    environment: environmentLabel(d.environment),
    time: formatTime(d.createdAt),
  };
}

/** One line of the timeline. */
export interface TimelineItem {
  id: string;
  title: string;
  /** 「单位经办人 · 青岛市税务局 · 张三」: role, unit and name, as far as the viewer may see. */
  actor: string;
  note: string;
  time: string;
}

export function timelineItems(events: readonly DemandEvent[]): TimelineItem[] {
  return events.map((e) => ({
    id: e.id,
    title: e.actionLabel || e.action,
    actor: [actorRoleLabel(e.actorRole), e.actorUnit?.name, e.actorName].filter((part) => !!part).join(' · '),
    note: e.note ?? '',
    time: formatTime(e.createdAt),
  }));
}

/** The moves the detail page offers, as buttons. */
export type MoveKey =
  | 'accept'
  | 'reject'
  | 'assign'
  | 'approveExtension'
  | 'supervise'
  | 'sign'
  | 'return'
  | 'reply'
  | 'extend';

export const MOVE_LABELS: Record<MoveKey, string> = {
  accept: '受理',
  reject: '不予受理',
  assign: '派单',
  approveExtension: '批准延期',
  supervise: '督办',
  sign: '签收',
  return: '退回',
  reply: '答复',
  extend: '申请延期',
};

const FINAL: readonly DemandStatus[] = ['closed', 'rejected', 'merged'];

/**
 * The moves a viewer with `roles` is offered on `d`, in button order. The server decides in the
 * end (its 403 and 409 are shown as they come); this only keeps buttons that cannot work away.
 */
export function availableMoves(d: Pick<Demand, 'status' | 'extensionPending'>, roles: readonly RoleCode[]): MoveKey[] {
  const moves: MoveKey[] = [];
  const staff = roles.includes('butler') || roles.includes('admin');
  const handler = roles.includes('handler');
  const withUnit = d.status === 'assigned' || d.status === 'in_progress';
  if (staff) {
    if (d.status === 'submitted') moves.push('accept', 'reject');
    if (d.status === 'accepted' || d.status === 'reopened') moves.push('assign');
    if (withUnit && d.extensionPending) moves.push('approveExtension');
  }
  if (handler) {
    if (d.status === 'assigned') moves.push('sign');
    if (d.status === 'in_progress') moves.push('reply');
    if (withUnit) moves.push('return');
    if (withUnit && !d.extensionPending) moves.push('extend');
  }
  if (staff && !FINAL.includes(d.status)) moves.push('supervise');
  return moves;
}

/** The submitter may rate a replied demand (satisfied closes it, unsatisfied reopens it). */
export function canRate(d: Pick<Demand, 'status' | 'submitter'>, userId: string): boolean {
  return d.status === 'replied' && d.submitter != null && d.submitter.id === userId;
}

/** What the detail page shows of a demand (the timeline goes to its own component). */
export interface DemandDetailView {
  id: string;
  number: string;
  title: string;
  content: string;
  statusLabel: string;
  statusTheme: string;
  kind: string;
  environment: string;
  /** 「匿名」 when the person asked for it; the names are shown only to whom the server sends them. */
  anonymous: boolean;
  enterprise: string;
  submitter: string;
  unit: string;
  createdAt: string;
  /** The deadline that matters now: acceptance, signing or the reply. */
  due: { label: string; time: string } | null;
  overdue: boolean;
  replyContent: string;
  repliedAt: string;
  rating: { text: string; comment: string } | null;
  extensionPending: string;
  unreasonable: boolean;
  merged: boolean;
}

function currentDue(d: Demand): { label: string; time: string } | null {
  if (d.status === 'submitted' && d.acceptDueAt) return { label: '受理期限', time: formatTime(d.acceptDueAt) };
  if (d.status === 'assigned' && d.signDueAt) return { label: '签收期限', time: formatTime(d.signDueAt) };
  if ((d.status === 'assigned' || d.status === 'in_progress') && d.replyDueAt) {
    return { label: '答复期限', time: formatTime(d.replyDueAt) };
  }
  return null;
}

export function demandDetailView(d: Demand): DemandDetailView {
  const extension = d.extensionPending;
  return {
    id: d.id,
    number: d.number,
    title: d.title,
    content: d.content,
    statusLabel: d.statusLabel,
    statusTheme: statusTheme(d.status),
    kind: kindLabel(d.kind),
    environment: environmentLabel(d.environment),
    anonymous: d.anonymous,
    enterprise: d.enterprise?.name ?? '',
    submitter: d.submitter?.name ?? '',
    unit: d.unit?.name ?? '',
    createdAt: formatTime(d.createdAt),
    due: currentDue(d),
    overdue: d.overdue,
    replyContent: d.replyContent ?? '',
    repliedAt: formatTime(d.repliedAt),
    rating: d.rating
      ? { text: d.rating.satisfied ? '满意' : '不满意', comment: d.rating.comment ?? '' }
      : null,
    extensionPending: extension
      ? `申请延期 ${extension.workingDays} 个工作日${extension.reason ? `：${extension.reason}` : ''}`
      : '',
    unreasonable: d.unreasonable,
    merged: d.status === 'merged',
  };
}

/** Staff's moves beside the state machine's: flag as unreasonable, merge a duplicate. */
export type SideMove = 'flagUnreasonable' | 'merge';

export const SIDE_MOVE_LABELS: Record<SideMove, string> = {
  flagUnreasonable: '标记不合理',
  merge: '合并重复诉求',
};

/**
 * The side moves butlers and admins may make (the server's rules): flag one not flagged yet and
 * not merged; merge one not yet final into another.
 */
export function sideMoves(d: Pick<Demand, 'status' | 'unreasonable'>, roles: readonly RoleCode[]): SideMove[] {
  if (!roles.includes('butler') && !roles.includes('admin')) return [];
  const moves: SideMove[] = [];
  if (!d.unreasonable && d.status !== 'merged') moves.push('flagUnreasonable');
  if (!FINAL.includes(d.status)) moves.push('merge');
  return moves;
}

/**
 * 线索移送 (移送纪检监察): the demand's butler or an admin refers a demand about an official's
 * conduct to discipline staff, once. The server checks it is their enterprise's demand.
 */
export function canRefer(roles: readonly RoleCode[]): boolean {
  return roles.includes('butler') || roles.includes('admin');
}

/** The note of a referral (移送说明), optional. */
export const REFER_NOTE_MAX = 500;

/** A demand number as people write it (`SQ20261128-0007`), upper-cased; '' when it is not one. */
export function demandNumberOf(text: string): string {
  const t = text.trim().toUpperCase();
  return /^SQ\d{8}-\d{4}$/.test(t) ? t : '';
}

/** The moves that need input, each filled in a bottom sheet. */
export type SheetKey =
  | 'reject'
  | 'assign'
  | 'supervise'
  | 'return'
  | 'reply'
  | 'extend'
  | 'flagUnreasonable'
  | 'merge'
  | 'comment'
  | 'refer';

export const SHEET_TITLES: Record<SheetKey, string> = {
  reject: '不予受理',
  assign: '派单',
  supervise: '督办',
  return: '退回',
  reply: '答复',
  extend: '申请延期',
  flagUnreasonable: '标记为不合理诉求',
  merge: '合并到另一诉求',
  comment: '留言',
  refer: '移送纪检监察',
};

export interface SheetValues {
  reason: string;
  note: string;
  content: string;
  unitId: string;
  /** `YYYY-MM-DD`, or '' for the server's default deadline. */
  dueDate: string;
  workingDays: number;
  /** merge: the number of the demand that survives, as typed. */
  intoNumber?: string;
  /** refer: the kind of clue (a `ClueCategory`), or '' until picked. */
  category?: string;
}

/** Fields of the sheets, in the server's spelling (its 422 names them so). */
export type SheetField =
  | 'reason'
  | 'note'
  | 'content'
  | 'unitId'
  | 'dueAt'
  | 'workingDays'
  | 'comment'
  | 'intoId'
  | 'attachments'
  | 'category';

export const SHEET_FIELDS: readonly SheetField[] = [
  'reason',
  'note',
  'content',
  'unitId',
  'dueAt',
  'workingDays',
  'comment',
  'intoId',
  'attachments',
  'category',
];

/** Files a reply may carry (the server's limit for attachments). */
export const REPLY_ATTACHMENTS_MAX = 9;

function requiredText(value: string, empty: string): string {
  const text = value.trim();
  if (text === '') return empty;
  if (charCount(text) > MOVE_TEXT_MAX) return `不能超过 ${MOVE_TEXT_MAX} 个字`;
  return '';
}

/** The sheet's own checks before sending; {} when all is well. */
export function checkSheet(sheet: SheetKey, v: SheetValues): Partial<Record<SheetField, string>> {
  const errors: Partial<Record<SheetField, string>> = {};
  const put = (field: SheetField, message: string) => {
    if (message) errors[field] = message;
  };
  switch (sheet) {
    case 'reject':
      put('reason', requiredText(v.reason, '请填写不予受理的理由'));
      break;
    case 'return':
      put('reason', requiredText(v.reason, '请填写退回原因'));
      break;
    case 'supervise':
      put('note', requiredText(v.note, '请填写督办意见'));
      break;
    case 'reply':
      put('content', requiredText(v.content, '请填写答复内容'));
      break;
    case 'assign':
      if (v.unitId === '') errors.unitId = '请选择承办单位';
      if (v.dueDate !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(v.dueDate)) errors.dueAt = '请选择办理期限';
      break;
    case 'extend':
      if (!Number.isInteger(v.workingDays) || v.workingDays < 1 || v.workingDays > 10) {
        errors.workingDays = '延期天数应为 1 到 10 个工作日';
      }
      put('reason', requiredText(v.reason, '请填写延期原因'));
      break;
    case 'flagUnreasonable':
      put('reason', requiredText(v.reason, '请填写认定为不合理诉求的理由'));
      break;
    case 'merge':
      if (!demandNumberOf(v.intoNumber ?? '')) errors.intoId = '请填写要合并到的诉求编号，如 SQ20261128-0007';
      break;
    case 'comment':
      put('content', requiredText(v.content, '请填写留言内容'));
      break;
    case 'refer':
      if (!isClueCategory(v.category)) errors.category = '请选择问题类型';
      if (charCount(v.note.trim()) > REFER_NOTE_MAX) errors.note = `移送说明不能超过 ${REFER_NOTE_MAX} 个字`;
      break;
  }
  return errors;
}

/** The staff queue's status filter: every status the server has, and none (全部状态). */
export const STATUS_FILTERS: { value: DemandStatus | ''; label: string }[] = [
  { value: '', label: '全部状态' },
  { value: 'submitted', label: '待受理' },
  { value: 'accepted', label: '待派单' },
  { value: 'reopened', label: '重新办理' },
  { value: 'assigned', label: '待签收' },
  { value: 'in_progress', label: '办理中' },
  { value: 'replied', label: '待评价' },
  { value: 'closed', label: '已办结' },
  { value: 'rejected', label: '不予受理' },
  { value: 'merged', label: '已合并' },
];

/** The search box's text as the `q` of `GET /demands`: a number upper-cased, words trimmed. */
export function queueSearch(text: string): string {
  return demandNumberOf(text) || text.trim().replace(/\s+/g, ' ');
}
