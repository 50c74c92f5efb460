// What the demand pages show and allow, derived from the server's `Demand` in one place: labels,
// tag colours, the form's checks, the timeline lines, and which moves a viewer is offered.
import type { CreateDemandRequest, Demand, DemandEvent, DemandKind, DemandStatus, Environment, RoleCode } from '../types/api';
import { ROLE_LABELS, isRoleCode } from './roles';
import { formatTime } from './time';

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
export const REASON_MAX = 500;

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

/** Length as the server counts it: characters (code points), not UTF-16 units. */
export function charCount(text: string): number {
  return Array.from(text).length;
}

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
  return d.status === 'replied' && d.submitter !== null && d.submitter.id === userId;
}
