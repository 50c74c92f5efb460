// 问题线索 on the console side, pure: the queue's tabs and filters (kept in the URL), which
// actions a clue's status allows, the rules of the dialogs' forms (the 处置 form's persons:
// required for 党纪政务处分, none for 予以了结), the due time in words, the figures' chart
// options and the words of the clue audit log. The server decides every request; these only
// keep the screens to what can succeed and say why before a round trip.
import type {
  CaseRequest,
  Clue,
  ClueCategory,
  ClueEvent,
  ClueFeedbackRequest,
  ClueFigures,
  ClueOutcome,
  ClueQuery,
  ClueStatus,
  DisposeClueRequest,
  ReferRequest,
} from '@/api/types';
import { formatDateTime } from '@/utils/deadline';
import { CLUE_CATEGORIES, CLUE_OUTCOMES, ENVIRONMENTS } from '@/utils/labels';

// ---- the queue ----

export type ClueTab = 'all' | ClueStatus;

export const CLUE_TABS: { key: ClueTab; label: string }[] = [
  { key: 'all', label: '全部' },
  { key: 'received', label: '待受理' },
  { key: 'accepted', label: '已受理' },
  { key: 'checking', label: '初核中' },
  { key: 'closed', label: '已办结' },
];

export type ClueTrack = 'fast' | 'ordinary';
export const CLUE_TRACKS: Record<ClueTrack, string> = { fast: '问题速处', ordinary: '普通程序' };

export interface ClueFilters {
  tab: ClueTab;
  category?: ClueCategory;
  track?: ClueTrack;
  overdue: boolean;
}

type RawQuery = Record<string, string | null | undefined | (string | null)[]>;

function first(v: RawQuery[string]): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
}

/** The filters in the URL (?tab=checking&category=extortion&track=fast&overdue=1); what is not
 * valid is dropped. */
export function parseClueQuery(q: RawQuery): ClueFilters {
  const tab = first(q.tab);
  const category = first(q.category);
  const track = first(q.track);
  return {
    tab: CLUE_TABS.some((t) => t.key === tab) ? (tab as ClueTab) : 'all',
    category: category && category in CLUE_CATEGORIES ? (category as ClueCategory) : undefined,
    track: track === 'fast' || track === 'ordinary' ? track : undefined,
    overdue: first(q.overdue) === '1',
  };
}

/** The URL's query for the filters (the defaults left out). */
export function toClueRouteQuery(f: ClueFilters): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.tab !== 'all') q.tab = f.tab;
  if (f.category) q.category = f.category;
  if (f.track) q.track = f.track;
  if (f.overdue) q.overdue = '1';
  return q;
}

/** The query of `GET /clues` for the filters. */
export function toClueApiQuery(f: ClueFilters): Omit<ClueQuery, 'cursor' | 'limit'> {
  const q: Omit<ClueQuery, 'cursor' | 'limit'> = {};
  if (f.tab !== 'all') q.status = f.tab;
  if (f.category) q.category = f.category;
  if (f.track) q.fastTrack = f.track === 'fast';
  if (f.overdue) q.overdue = true;
  return q;
}

// ---- the actions on one clue ----

export type ClueActionKey = 'accept' | 'check' | 'dispose' | 'case' | 'feedback' | 'reveal';

export const CLUE_ACTIONS: Record<ClueActionKey, { label: string; theme: 'primary' | 'default' | 'warning' }> = {
  accept: { label: '受理', theme: 'primary' },
  check: { label: '初核', theme: 'primary' },
  dispose: { label: '处置', theme: 'primary' },
  case: { label: '典型案例通报', theme: 'default' },
  feedback: { label: '突出问题反馈', theme: 'default' },
  reveal: { label: '查看反映人身份', theme: 'warning' },
};

/** 受理 → 初核 → 处置, each once and in order (the server's state machine). */
const NEXT_STAGE: Record<ClueStatus, ClueActionKey | null> = {
  received: 'accept',
  accepted: 'check',
  checking: 'dispose',
  closed: null,
};

/**
 * What may be done to a clue in its state: its next stage; a typical case once it is closed;
 * a problem fed back to a unit at any time; and for an anonymous clue whose reporter is not
 * shown yet, the audited reveal.
 */
export function clueActions(c: Pick<Clue, 'status' | 'anonymous'>, revealed = false): ClueActionKey[] {
  const out: ClueActionKey[] = [];
  const next = NEXT_STAGE[c.status];
  if (next) out.push(next);
  if (c.status === 'closed') out.push('case');
  out.push('feedback');
  if (c.anonymous && !revealed) out.push('reveal');
  return out;
}

// ---- the forms ----

/** The 处置 form shows a persons field for every outcome but 予以了结. */
export const personsShown = (o: ClueOutcome | null | undefined): boolean => !!o && o !== 'dismissed';
/** ... and requires it for 党纪政务处分. */
export const personsRequired = (o: ClueOutcome | null | undefined): boolean => o === 'sanction';

export interface DisposeForm {
  outcome?: ClueOutcome | '' | null;
  /** As typed (a number field gives a number, or an empty string). */
  persons?: number | string | null;
  note: string;
}

const chars = (s: string) => [...s].length;

/** The note of a stage: optional, up to 500 characters. */
export function noteError(note: string): string | null {
  return chars(note.trim()) > 500 ? '说明不超过 500 字' : null;
}

/** The 处置 body, or why it cannot be sent. Persons go with every outcome but 予以了结, and
 * 党纪政务处分 must name them (1–999). */
export function disposeBody(f: DisposeForm): DisposeClueRequest | string {
  const outcome = f.outcome || null;
  if (!outcome) return '请选择处置方式';
  const note = f.note.trim() || null;
  const tooLong = noteError(f.note);
  if (tooLong) return tooLong;
  if (!personsShown(outcome)) return { outcome, note };
  const raw = f.persons;
  if (raw === null || raw === undefined || String(raw).trim() === '') {
    return personsRequired(outcome) ? '党纪政务处分须填写处分人数' : { outcome, note };
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 999) return '人数须为 1 至 999 的整数';
  return { outcome, persons: n, note };
}

/** Why a reveal's reason cannot be sent (5–200 characters), or null. */
export function revealReasonError(reason: string): string | null {
  const n = chars(reason.trim());
  if (n < 5) return '请至少用 5 个字说明查看身份的理由';
  if (n > 200) return '理由不超过 200 字';
  return null;
}

export interface FeedbackForm {
  unitId?: string | null;
  environment?: string | null;
  title: string;
  content: string;
}

/** The 突出问题反馈 body, or why it cannot be sent. */
export function feedbackBody(f: FeedbackForm): ClueFeedbackRequest | string {
  const title = f.title.trim();
  const content = f.content.trim();
  if (!f.unitId) return '请选择反馈的单位';
  if (!f.environment || !(f.environment in ENVIRONMENTS)) return '请选择营商环境类别';
  if (!title) return '请填写标题';
  if (chars(title) > 50) return '标题不超过 50 字';
  if (!content) return '请填写反馈内容';
  if (chars(content) > 2000) return '反馈内容不超过 2000 字';
  return { unitId: f.unitId, environment: f.environment as ClueFeedbackRequest['environment'], title, content };
}

/** The 典型案例通报 body, or why it cannot be sent. */
export function caseBody(f: { title: string; body: string }): CaseRequest | string {
  const title = f.title.trim();
  const body = f.body.trim();
  if (!title) return '请填写案例标题';
  if (chars(title) > 60) return '案例标题不超过 60 字';
  if (!body) return '请填写案例内容';
  if (chars(body) > 5000) return '案例内容不超过 5000 字';
  return { title, body };
}

/** The 线索移送 body of a demand, or why it cannot be sent. */
export function referBody(f: { category?: string | null; note: string }): ReferRequest | string {
  if (!f.category || !(f.category in CLUE_CATEGORIES)) return '请选择问题类别';
  const tooLong = noteError(f.note);
  if (tooLong) return tooLong;
  return { category: f.category as ClueCategory, note: f.note.trim() || null };
}

// ---- the history ----

/** Who made a step on the clue's history: the staff member; the reporter for the report
 * itself (never named there, even for a named clue); else the system. */
export function eventActor(ev: Pick<ClueEvent, 'action' | 'actorId' | 'actorName'>): string {
  if (ev.actorName) return ev.actorName;
  if (ev.actorId) return `用户 ${ev.actorId}`;
  return ev.action === 'report' ? '反映人' : '系统';
}

// ---- the due time ----

export interface ClueDue {
  /** 受理时限, 处置时限, or 办结时间 once closed. */
  label: string;
  text: string;
  overdue: boolean;
}

/** The current stage's deadline in words (the server says whether it is past). */
export function clueDue(c: Pick<Clue, 'status' | 'dueAt' | 'overdue' | 'closedAt'>): ClueDue {
  if (c.status === 'closed') return { label: '办结时间', text: formatDateTime(c.closedAt), overdue: false };
  const label = c.status === 'received' ? '受理时限' : '处置时限';
  return { label, text: formatDateTime(c.dueAt), overdue: c.overdue };
}

// ---- the figures ----

const grid = { left: 48, right: 16, top: 24, bottom: 32, containLabel: true };

function barOption(name: string, rows: { label: string; count: number }[]) {
  return {
    aria: { enabled: true },
    tooltip: { trigger: 'axis' as const },
    grid,
    xAxis: { type: 'category' as const, data: rows.map((r) => r.label), axisLabel: { interval: 0 } },
    yAxis: { type: 'value' as const, minInterval: 1 },
    series: [{ name, type: 'bar' as const, barMaxWidth: 48, label: { show: true, position: 'top' as const }, data: rows.map((r) => r.count) }],
  };
}

/** Clues closed in the period, by outcome (every outcome, zeros included). */
export function outcomeOption(f: Pick<ClueFigures, 'byOutcome'>) {
  return barOption(
    '办结线索（按处置方式）',
    f.byOutcome.map((c) => ({ label: c.label || CLUE_OUTCOMES[c.code] || c.code, count: c.count })),
  );
}

/** Clues received in the period, by category. */
export function categoryOption(f: Pick<ClueFigures, 'byCategory'>) {
  return barOption(
    '收到线索（按问题类别）',
    f.byCategory.map((c) => ({ label: c.label || CLUE_CATEGORIES[c.code] || c.code, count: c.count })),
  );
}

// ---- the clue audit log ----

export const CLUE_AUDIT_ACTIONS: Record<string, string> = {
  read_clue: '查阅线索',
  reveal_reporter: '查看反映人身份',
};

/** The reason a reveal was made, as the audit entry keeps it. */
export function auditReason(detail: unknown): string | null {
  if (!detail || typeof detail !== 'object') return null;
  const r = (detail as Record<string, unknown>).reason;
  return typeof r === 'string' && r ? r : null;
}
