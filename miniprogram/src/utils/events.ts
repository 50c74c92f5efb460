// What the event pages show and send, derived from the server's shapes in one place: event rows,
// the complaint day (the post form's template and body, the wall's cards, the summary), the
// scorecard's results, and what a failed submission turns into. Pure: no `wx`, no network.
import type {
  Complaint,
  CreateComplaintRequest,
  DemandStatus,
  EngagementEvent,
  Environment,
  EventKind,
  EventStatus,
  EventSummary,
  FieldError,
  FormAnswers,
  FormTemplate,
  ScorecardResults,
} from '../types/api';
import { ApiError, errorMessage } from './api-error';
import { ENVIRONMENT_OPTIONS, charCount, environmentLabel, statusTheme } from '../subpackages/demand/utils/demand';
import { photoFileIds } from '../subpackages/event/utils/photos';
import { formatTime } from './time';

export type TagTheme = 'default' | 'primary' | 'warning' | 'success' | 'danger';

/** TDesign tag theme of an event's status. */
export function eventStatusTheme(status: EventStatus): TagTheme {
  switch (status) {
    case 'open':
      return 'success';
    case 'published':
      return 'primary';
    default:
      return 'default';
  }
}

/** True once the event is over (its wall is read-only, its summary may be read). */
export function isEnded(status: EventStatus): boolean {
  return status === 'closed' || status === 'archived';
}

/** `2026-11-28 09:00 至 18:00` on one day, `2026-11-28 09:00 至 2026-11-30 18:00` across days. */
export function timeRange(start: string, end: string): string {
  const from = formatTime(start);
  const to = formatTime(end);
  if (!from || !to) return from || to;
  return from.slice(0, 10) === to.slice(0, 10) ? `${from} 至 ${to.slice(11)}` : `${from} 至 ${to}`;
}

/** One row of the events list. */
export interface EventListItem {
  id: string;
  title: string;
  kindLabel: string;
  theme: string;
  statusLabel: string;
  statusTheme: TagTheme;
  window: string;
}

export function eventListItem(e: EngagementEvent): EventListItem {
  return {
    id: e.id,
    title: e.title,
    kindLabel: e.kindLabel,
    theme: e.theme ?? '',
    statusLabel: e.statusLabel,
    statusTheme: eventStatusTheme(e.status),
    window: timeRange(e.opensAt, e.closesAt),
  };
}

/** The part of the event page that serves each kind. */
export type EventSection = 'wall' | 'scorecard' | 'mystery' | 'supervision' | 'other';

export function eventSection(kind: EventKind | string): EventSection {
  switch (kind) {
    case 'complaint_day':
      return 'wall';
    case 'scorecard_round':
      return 'scorecard';
    case 'mystery_shopper_week':
      return 'mystery';
    case 'supervision_activity':
      return 'supervision';
    default:
      return 'other';
  }
}

// ---- Complaint day: the post form ----

export const COMPLAINT_MAX = 1000;
export const COMPLAINT_PHOTOS_MAX = 9;

/** Question ids of the post form; each is also the field the server names its errors by. */
export const COMPLAINT_FIELDS = ['content', 'environment', 'photos', 'anonymous'] as const;

/** The post form, drawn by the form renderer like any server form. */
export function complaintFormTemplate(): FormTemplate {
  return {
    sections: [
      {
        id: 'complaint',
        title: '我要吐槽',
        description: '请文明发言，内容将公开展示并转为诉求办理',
        questions: [
          { id: 'content', type: 'text', title: '吐槽内容', required: true, maxLength: COMPLAINT_MAX },
          {
            id: 'environment',
            type: 'single_choice',
            title: '所属环境',
            required: true,
            options: ENVIRONMENT_OPTIONS.map((o) => ({ value: o.value, label: o.label })),
          },
          { id: 'photos', type: 'photo', title: '图片（选填）', required: false, maxCount: COMPLAINT_PHOTOS_MAX },
          {
            id: 'anonymous',
            type: 'yes_no',
            title: '匿名发布',
            help: '匿名后墙上不显示企业名称',
            required: false,
          },
        ],
      },
    ],
  };
}

/** The answers the post form starts from. */
export function complaintFormStart(): FormAnswers {
  return { anonymous: false };
}

/** The body of `POST /events/{id}/complaints` from the form's checked answers. */
export function complaintRequest(answers: FormAnswers): CreateComplaintRequest {
  const body: CreateComplaintRequest = {
    content: typeof answers.content === 'string' ? answers.content.trim() : '',
    environment: answers.environment as Environment,
    anonymous: answers.anonymous === true,
  };
  const photos = photoFileIds(answers.photos);
  if (photos.length > 0) body.photos = photos;
  return body;
}

/**
 * The server's field errors of a body built from form answers, renamed `answers.<questionId>` so
 * the form renderer shows each under its question: a field named after a question (or inside it,
 * e.g. `photos[2]`, `photos.2`) goes there; others keep their name and show below the form.
 */
export function toAnswerFields(fields: readonly FieldError[], questionIds: readonly string[]): FieldError[] {
  return fields.map((f) => {
    const id = questionIds.find((q) => f.field === q || f.field.startsWith(`${q}.`) || f.field.startsWith(`${q}[`));
    return id === undefined ? { ...f } : { ...f, field: `answers.${id}` };
  });
}

// ---- Complaint day: the wall ----

export interface OfficialView {
  number: string;
  statusLabel: string;
  statusTheme: TagTheme;
  unitName: string;
  /** The unit's answer, or '' while there is none. */
  reply: string;
  repliedAt: string;
}

/** One post as the complaint card draws it. */
export interface ComplaintView {
  id: string;
  content: string;
  environment: string;
  /** 「青岛某某有限公司」, 「匿名企业」, or, for moderators, 「匿名 · 青岛某某有限公司」. */
  author: string;
  time: string;
  photos: string[];
  metooCount: number;
  metooByMe: boolean;
  mine: boolean;
  hidden: boolean;
  hiddenReason: string;
  official: OfficialView | null;
}

export function complaintAuthor(c: Pick<Complaint, 'anonymous' | 'enterpriseName'>): string {
  if (c.anonymous) return c.enterpriseName ? `匿名 · ${c.enterpriseName}` : '匿名企业';
  return c.enterpriseName ?? '企业';
}

export function complaintView(c: Complaint): ComplaintView {
  const o = c.official;
  return {
    id: c.id,
    content: c.content,
    environment: environmentLabel(c.environment),
    author: complaintAuthor(c),
    time: formatTime(c.createdAt),
    photos: [...(c.photos ?? [])],
    metooCount: c.metooCount,
    metooByMe: c.metooByMe,
    mine: c.mine,
    hidden: c.hidden,
    hiddenReason: c.hiddenReason ?? '',
    official: o
      ? {
          number: o.number,
          statusLabel: o.statusLabel,
          statusTheme: statusTheme(o.status as DemandStatus),
          unitName: o.unitName ?? '',
          reply: o.reply ?? '',
          repliedAt: formatTime(o.repliedAt),
        }
      : null,
  };
}

/** Whether the viewer may add 同感 to a post: once, never to their own, only while the day is open. */
export function canMetoo(c: Pick<Complaint, 'mine' | 'metooByMe' | 'hidden'>, eventOpen: boolean): boolean {
  return eventOpen && !c.mine && !c.metooByMe && !c.hidden;
}

/** The post after the viewer's 同感 was counted. */
export function withMetoo(c: Complaint, metooCount: number): Complaint {
  return { ...c, metooCount, metooByMe: true };
}

/** Posts of a page appended to those shown, each once (the wall may shift while 同感 arrive). */
export function appendUnique<T extends { id: string }>(shown: readonly T[], more: readonly T[]): T[] {
  const known = new Set(shown.map((c) => c.id));
  const out = [...shown];
  for (const c of more) {
    if (!known.has(c.id)) {
      known.add(c.id);
      out.push(c);
    }
  }
  return out;
}

export const HIDE_REASON_MAX = 200;

/** The check of a moderator's reason for hiding a post; '' when it is fine. */
export function checkHideReason(reason: string): string {
  const r = reason.trim();
  if (r === '') return '请填写隐藏原因';
  if (charCount(r) > HIDE_REASON_MAX) return `不能超过 ${HIDE_REASON_MAX} 个字`;
  return '';
}

// ---- Complaint day: the summary ----

/** `part` of `whole` as a whole percentage, or '—' when there is no whole. */
export function percent(part: number, whole: number | null): string {
  if (whole === null || !(whole > 0)) return '—';
  return `${Math.round((part / whole) * 100)}%`;
}

export interface StatView {
  label: string;
  value: string;
}

export interface SummaryView {
  stats: StatView[];
  topics: { word: string; count: number }[];
}

export function summaryView(s: EventSummary): SummaryView {
  const stats: StatView[] = [
    { label: '吐槽', value: String(s.complaints) },
    { label: '参与企业', value: String(s.participants) },
    { label: '同感', value: String(s.metoos) },
    { label: '已办结', value: String(s.demandsClosed) },
    { label: '办结率', value: percent(s.demandsClosed, s.complaints) },
    { label: '满意率', value: percent(s.demandsSatisfied, s.demandsClosed) },
  ];
  if (s.hidden > 0) stats.push({ label: '已隐藏', value: String(s.hidden) });
  return { stats, topics: (s.topTopics ?? []).map((t) => ({ word: t.word, count: t.count })) };
}

// ---- Scorecard: results ----

export interface BarView {
  label: string;
  /** As shown, e.g. `82.5`. */
  value: string;
  /** Bar width, 0–100. */
  width: number;
  note: string;
}

export interface QuestionResultView {
  id: string;
  title: string;
  answered: number;
  mean: string;
  buckets: BarView[];
}

export interface ResultsView {
  submissions: number;
  invited: number;
  responseRate: string;
  environments: BarView[];
  units: BarView[];
  questions: QuestionResultView[];
}

const clamp = (n: number) => (Number.isFinite(n) ? Math.min(100, Math.max(0, n)) : 0);

/** A score out of 100 with one decimal. */
export function formatScore(score: number): string {
  return Number.isFinite(score) ? score.toFixed(1) : '—';
}

export function resultsView(r: ScorecardResults): ResultsView {
  return {
    submissions: r.submissions,
    invited: r.invited,
    responseRate: r.responseRate == null ? '—' : `${Math.round(r.responseRate * 100)}%`,
    environments: r.environments.map((e) => ({
      label: environmentLabel(e.environment) || e.environment,
      value: formatScore(e.score),
      width: clamp(e.score),
      note: `${e.submissions} 家企业作答`,
    })),
    units: r.units.map((u) => ({ label: u.unitName, value: formatScore(u.score), width: clamp(u.score), note: '' })),
    questions: r.questions.map((q) => {
      const most = Math.max(0, ...q.distribution.map((b) => b.count));
      return {
        id: q.id,
        title: q.title,
        answered: q.answered,
        mean: q.mean == null ? '' : q.mean.toFixed(1),
        buckets: q.distribution.map((b) => ({
          label: b.label,
          value: String(b.count),
          width: most > 0 ? clamp((b.count / most) * 100) : 0,
          note: percent(b.count, q.answered),
        })),
      };
    }),
  };
}

// ---- Failed submissions ----

/** What a page does with a failed submission of answers (a scorecard, a checklist, a post). */
export type SubmitFailure =
  /** 409 `already_submitted`: show the submitted state, not an error. */
  | { kind: 'already_submitted'; message: string }
  /** 422 with fields: hand them to the form renderer (`serverErrors`). */
  | { kind: 'fields'; fields: FieldError[] }
  /** Anything else: a toast with the server's message (409 `event_not_open`, network, ...). */
  | { kind: 'toast'; message: string };

/**
 * `questionIds` renames plain fields to `answers.<id>` (forms whose body is built from answers,
 * see `toAnswerFields`); leave it empty when the server already names `answers.<id>`.
 */
export function submitFailure(err: unknown, questionIds: readonly string[] = []): SubmitFailure {
  if (err instanceof ApiError) {
    if (err.status === 409 && err.code === 'already_submitted') return { kind: 'already_submitted', message: err.message };
    if (err.status === 422 && err.fields.length > 0) return { kind: 'fields', fields: toAnswerFields(err.fields, questionIds) };
  }
  return { kind: 'toast', message: errorMessage(err) };
}

/** The message of a scorecard answered already. */
export const ALREADY_SUBMITTED_MESSAGE = '贵企业已提交';
/** The message of results not published yet. */
export const RESULTS_NOT_PUBLISHED_MESSAGE = '结果尚未公布';

/** True when the results are not out yet (409 `results_not_published`). */
export function resultsNotPublished(err: unknown): boolean {
  return err instanceof ApiError && err.status === 409 && err.code === 'results_not_published';
}
