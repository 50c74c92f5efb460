// The butler's visit pages (三上门走访): the due list's rows, the record form's checks (the
// server's limits, counted as it counts them), the body of `POST /enterprises/{id}/visits`, the
// server's field errors placed on the form (indexed ones too: `needs[1].title`, `policyIds[0]`),
// and what is said once a visit is recorded. Pure: no `wx`, no network.
import type { DueVisit, Environment, ServiceTier, Visit, VisitInterval, VisitKind, VisitRequest } from '../../../types/api';
import { ApiError, errorMessage } from '../../../utils/api-error';
import type { TagTheme } from '../../../utils/events';
import { charCount } from '../../../utils/text';
import { isVisitKind } from '../../../utils/visits';

export { VISITS_DUE_PAGE } from '../../../utils/roles';
export const VISIT_NEW_PAGE = '/subpackages/butler/visit-new/index';

/** The server's limits (api/src/routes/visits.rs). */
export const PEOPLE_MET_MAX = 100;
export const NOTES_MAX = 2000;
export const MAX_POLICIES = 20;
export const MAX_NEEDS = 10;
export const NEED_TITLE_MAX = 50;
export const NEED_CONTENT_MAX = 2000;
/** The policy search's longest query (`GET /policies/search?q=`). */
export const POLICY_QUERY_MAX = 50;

/** What each kind of visit is for, said under the choice. */
export const VISIT_KIND_HINTS: Record<VisitKind, string> = {
  policy: '上门宣讲惠企政策，讲解的政策将记为企业已知晓',
  care: '上门了解企业生产经营情况和困难',
  advice: '上门听取企业对营商环境的意见建议',
};

/**
 * The six environments a need is filed under, as the demand pages name them
 * (subpackages/demand/utils/demand.ts; a test keeps the two equal). Repeated here because a
 * subpackage cannot require another subpackage's module at run time.
 */
export const NEED_ENVIRONMENT_OPTIONS: readonly { value: Environment; label: string }[] = [
  { value: 'policy', label: '政策环境' },
  { value: 'service', label: '服务环境' },
  { value: 'factor', label: '要素环境' },
  { value: 'market', label: '市场环境' },
  { value: 'legal', label: '法治环境' },
  { value: 'humanistic', label: '人文环境' },
];

export function needEnvironmentLabel(environment: string): string {
  return NEED_ENVIRONMENT_OPTIONS.find((o) => o.value === environment)?.label ?? '';
}

// ---- The due list ----

const TIER_THEMES: Record<ServiceTier, TagTheme> = { key: 'warning', growth: 'primary', general: 'default' };

/** One enterprise of the due list. */
export interface DueRow {
  enterpriseId: string;
  name: string;
  tierLabel: string;
  tierTheme: TagTheme;
  /** 「上次走访：2026-10-01」, or 「从未走访」. */
  lastVisit: string;
  never: boolean;
  /** 「逾期 3 天」, 「今日到期」 (or 「2 天后到期」, which the server does not send today). */
  status: string;
  overdue: boolean;
}

export function dueRow(d: DueVisit): DueRow {
  const days = d.daysOverdue;
  return {
    enterpriseId: d.enterpriseId,
    name: d.enterpriseName,
    tierLabel: d.serviceTierLabel,
    tierTheme: TIER_THEMES[d.serviceTier] ?? 'default',
    lastVisit: d.lastVisit ? `上次走访：${d.lastVisit}` : '从未走访',
    never: !d.lastVisit,
    status: days > 0 ? `逾期 ${days} 天` : days === 0 ? '今日到期' : `${-days} 天后到期`,
    overdue: days > 0,
  };
}

/** The due list as shown: most overdue first (a stable sort: the server's order otherwise). */
export function dueRows(list: readonly DueVisit[]): DueRow[] {
  return list
    .map((d, i) => ({ d, i }))
    .sort((a, b) => b.d.daysOverdue - a.d.daysOverdue || a.i - b.i)
    .map(({ d }) => dueRow(d));
}

/** 「走访周期：重点 30 天 · 成长 60 天 · 一般 90 天」, or '' when none is known. */
export function intervalsText(intervals: readonly VisitInterval[]): string {
  if (intervals.length === 0) return '';
  return `走访周期：${intervals.map((i) => `${i.tierLabel} ${i.days} 天`).join(' · ')}`;
}

/** The record form for an enterprise. */
export function visitNewUrl(enterpriseId: string, enterpriseName: string): string {
  return `${VISIT_NEW_PAGE}?enterpriseId=${encodeURIComponent(enterpriseId)}&enterpriseName=${encodeURIComponent(enterpriseName)}`;
}

// ---- The record form ----

/** A need as typed: it becomes a demand of the enterprise. */
export interface NeedDraft {
  environment: Environment | '';
  title: string;
  content: string;
}

/** A policy picked from the search, with the title to show it by. */
export interface PickedPolicy {
  id: string;
  title: string;
}

/** What the form holds (also what its draft keeps). */
export interface VisitFormValues {
  kind: VisitKind;
  /** YYYY-MM-DD. */
  visitedOn: string;
  peopleMet: string;
  policies: PickedPolicy[];
  notes: string;
  needs: NeedDraft[];
}

export function emptyVisitForm(today: string): VisitFormValues {
  return { kind: 'policy', visitedOn: today, peopleMet: '', policies: [], notes: '', needs: [] };
}

export function emptyNeed(): NeedDraft {
  return { environment: '', title: '', content: '' };
}

/** The whole-visit fields the server names its errors by, in the order the form shows them. */
export type VisitField = 'kind' | 'visitedOn' | 'peopleMet' | 'policyIds' | 'notes' | 'needs';
export const VISIT_FIELDS: readonly VisitField[] = ['kind', 'visitedOn', 'peopleMet', 'policyIds', 'notes', 'needs'];

export type NeedField = 'environment' | 'title' | 'content';
export const NEED_FIELDS: readonly NeedField[] = ['environment', 'title', 'content'];

export type NeedErrors = Record<NeedField, string>;

/** Messages for the form: by field, per need and per picked policy (by position), and for the whole. */
export interface VisitFormErrors {
  fields: Record<VisitField, string>;
  needs: NeedErrors[];
  policies: string[];
  form: string;
}

export function noNeedErrors(): NeedErrors {
  return { environment: '', title: '', content: '' };
}

export function noVisitErrors(needCount: number, policyCount: number): VisitFormErrors {
  return {
    fields: Object.fromEntries(VISIT_FIELDS.map((f) => [f, ''])) as Record<VisitField, string>,
    needs: Array.from({ length: needCount }, noNeedErrors),
    policies: Array.from({ length: policyCount }, () => ''),
    form: '',
  };
}

export function hasVisitErrors(e: VisitFormErrors): boolean {
  return (
    e.form !== '' ||
    VISIT_FIELDS.some((f) => e.fields[f] !== '') ||
    e.needs.some((n) => NEED_FIELDS.some((f) => n[f] !== '')) ||
    e.policies.some((p) => p !== '')
  );
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A required text as the server checks it (trimmed, by character); '' when fine. */
function requiredText(value: string, max: number, missing: string, tooLong: string): string {
  const n = charCount(value.trim());
  if (n === 0) return missing;
  return n > max ? tooLong : '';
}

/**
 * The form's own checks, in the server's words where it has them. `today` is China's date
 * (YYYY-MM-DD): a visit after it is refused, as the server does.
 */
export function validateVisitForm(values: VisitFormValues, today: string): VisitFormErrors {
  const errors = noVisitErrors(values.needs.length, values.policies.length);
  const f = errors.fields;
  if (!isVisitKind(values.kind)) f.kind = '请选择走访类型';
  if (!DATE.test(values.visitedOn)) f.visitedOn = '请选择走访日期';
  else if (values.visitedOn > today) f.visitedOn = '走访日期不能晚于今天';
  f.peopleMet = requiredText(values.peopleMet, PEOPLE_MET_MAX, '请填写见到的企业人员', `见到的人员不能超过 ${PEOPLE_MET_MAX} 个字`);
  if (charCount(values.notes.trim()) > NOTES_MAX) f.notes = `走访情况不能超过 ${NOTES_MAX} 个字`;
  if (values.policies.length > MAX_POLICIES) f.policyIds = `一次走访最多讲解 ${MAX_POLICIES} 项政策`;
  values.policies.forEach((p, i) => {
    if (values.policies.findIndex((q) => q.id === p.id) !== i) errors.policies[i] = '同一政策不能重复添加';
  });
  if (values.needs.length > MAX_NEEDS) f.needs = `一次走访最多登记 ${MAX_NEEDS} 项诉求`;
  values.needs.forEach((n, i) => {
    const e = errors.needs[i]!;
    if (!NEED_ENVIRONMENT_OPTIONS.some((o) => o.value === n.environment)) e.environment = '请选择所属环境';
    e.title = requiredText(n.title, NEED_TITLE_MAX, '请填写诉求标题', `标题不能超过 ${NEED_TITLE_MAX} 个字`);
    e.content = requiredText(n.content, NEED_CONTENT_MAX, '请填写诉求内容', `内容不能超过 ${NEED_CONTENT_MAX} 个字`);
  });
  return errors;
}

/** The body of `POST /enterprises/{id}/visits` from valid values: trimmed, the optional parts only when given. */
export function visitRequest(values: VisitFormValues): VisitRequest {
  const body: VisitRequest = {
    kind: values.kind,
    visitedOn: values.visitedOn,
    peopleMet: values.peopleMet.trim(),
  };
  if (values.policies.length > 0) body.policyIds = values.policies.map((p) => p.id);
  const notes = values.notes.trim();
  if (notes !== '') body.notes = notes;
  if (values.needs.length > 0) {
    body.needs = values.needs.map((n) => ({ environment: n.environment as Environment, title: n.title.trim(), content: n.content.trim() }));
  }
  return body;
}

const NEED_FIELD = /^needs\[(\d+)\]\.(environment|title|content)$/;
const POLICY_FIELD = /^policyIds\[(\d+)\]$/;

/**
 * A failed record placed on the form: each field error the server named next to its field
 * (`needs[1].title` on the second need, `policyIds[0]` on the first policy picked); whatever
 * names no field of the form, and any other failure, as the form's message.
 */
export function placeVisitErrors(err: unknown, needCount: number, policyCount: number): VisitFormErrors {
  const errors = noVisitErrors(needCount, policyCount);
  if (!(err instanceof ApiError)) {
    errors.form = errorMessage(err);
    return errors;
  }
  const unplaced: string[] = [];
  for (const { field, message } of err.fields) {
    const need = NEED_FIELD.exec(field);
    const policy = POLICY_FIELD.exec(field);
    if (need) {
      const slot = errors.needs[Number(need[1])];
      const name = need[2] as NeedField;
      if (slot) {
        if (!slot[name]) slot[name] = message;
        continue;
      }
    } else if (policy) {
      const index = Number(policy[1]);
      if (index < policyCount) {
        if (!errors.policies[index]) errors.policies[index] = message;
        continue;
      }
    } else if ((VISIT_FIELDS as readonly string[]).includes(field)) {
      const name = field as VisitField;
      if (!errors.fields[name]) errors.fields[name] = message;
      continue;
    }
    unplaced.push(message);
  }
  // Nothing named at all (403, 404, 409, ...): the server's message for the whole form.
  errors.form = err.fields.length === 0 ? err.message : unplaced.join('；');
  return errors;
}

/** What the due list says once a visit is recorded: the demands its needs became, if any. */
export function visitRecordedText(visit: Pick<Visit, 'demandIds'>): string {
  const n = visit.demandIds.length;
  return n > 0 ? `已登记走访，${n} 项企业诉求已转为诉求` : '已登记走访';
}

// A message left by the record form for the page it goes back to (a toast shown by the form
// itself may vanish with it): the due list or 我的企业 shows it when it is shown again.
let recordedNotice = '';

export function leaveRecordedNotice(text: string): void {
  recordedNotice = text;
}

export function takeRecordedNotice(): string {
  const text = recordedNotice;
  recordedNotice = '';
  return text;
}
