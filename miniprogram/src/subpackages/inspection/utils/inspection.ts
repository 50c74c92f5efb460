// What the inspection pages show and check: the rows of 涉企检查, one inspection in full, the
// rating form's checks (the server's limits, counted as it counts them) and its body, the invited
// observers (体验官, 媒体观察员) and the observation form's check, and the rows of 免罚清单. Pure: no `wx`, no network.
import type {
  Inspection,
  InspectionObserver,
  InspectionRating,
  LeniencyItem,
  LeniencyList,
  ObserveInspectionRequest,
  RateInspectionRequest,
} from '../../../types/api';
import { charCount } from '../../../utils/text';
import { formatDate, formatTime } from '../../../utils/time';

export const COMMENT_MAX = 1000;

/** Where an inspection stands for me: rated, to rate, or not yet inspected (its day is ahead). */
export type RatingState = 'rated' | 'due' | 'upcoming';

export const RATING_STATE_LABELS: Record<RatingState, string> = {
  rated: '已评价',
  due: '待评价',
  upcoming: '检查后可评价',
};

/** `today` is China's date (YYYY-MM-DD), as the server compares it with `inspectedOn`. */
export function ratingState(i: Pick<Inspection, 'inspectedOn' | 'myRating'>, today: string): RatingState {
  if (i.myRating) return 'rated';
  return i.inspectedOn > today ? 'upcoming' : 'due';
}

/** The units as one line, the lead first: 「市市场监管局、市消防救援支队」. */
export function unitNames(i: Pick<Inspection, 'units'>): string {
  return i.units.map((u) => u.name).join('、');
}

/** One inspection in 涉企检查. */
export interface InspectionRowView {
  id: string;
  date: string;
  units: string;
  joint: boolean;
  purpose: string;
  state: RatingState;
  stateLabel: string;
}

export function inspectionRowView(i: Inspection, today: string): InspectionRowView {
  const state = ratingState(i, today);
  return {
    id: i.id,
    date: i.inspectedOn,
    units: unitNames(i),
    joint: i.joint,
    purpose: i.purpose,
    state,
    stateLabel: RATING_STATE_LABELS[state],
  };
}

/** My rating as the detail shows it. */
export interface MyRatingView {
  properLabel: string;
  proper: boolean;
  comment: string;
  /** The demand the complaint became, or ''. */
  demandId: string;
  date: string;
}

export function myRatingView(r: InspectionRating): MyRatingView {
  return {
    properLabel: r.proper ? '规范' : '不规范',
    proper: r.proper,
    comment: r.comment ?? '',
    demandId: r.demandId ?? '',
    date: formatDate(r.createdAt),
  };
}

/** One inspection in full. */
export interface InspectionDetailView extends InspectionRowView {
  enterpriseName: string;
  inspectors: string;
  legalBasis: string;
  ratedProper: number;
  ratedImproper: number;
  myRating: MyRatingView | null;
}

export function inspectionDetailView(i: Inspection, today: string): InspectionDetailView {
  return {
    ...inspectionRowView(i, today),
    enterpriseName: i.enterpriseName,
    inspectors: i.inspectors,
    legalBasis: i.legalBasis,
    ratedProper: i.ratedProper,
    ratedImproper: i.ratedImproper,
    myRating: i.myRating ? myRatingView(i.myRating) : null,
  };
}

// ---- The rating form ----

export interface RatingFormValues {
  /** 规范 (true), 不规范 (false), or not chosen yet (null). */
  proper: boolean | null;
  comment: string;
  /** 投诉（转为诉求）: then the comment is required. */
  complaint: boolean;
}

export type RatingField = 'proper' | 'comment';

export const RATING_FIELDS: readonly RatingField[] = ['proper', 'comment'];

/** The comment's length as the server will count it (trimmed), for the live count. */
export function commentCount(comment: string): number {
  return charCount(comment.trim());
}

/** The form's own checks, in the server's words where it has them; {} when all is well. */
export function validateRating(values: RatingFormValues): Partial<Record<RatingField, string>> {
  const errors: Partial<Record<RatingField, string>> = {};
  if (values.proper === null) errors.proper = '请选择检查是否规范';
  const count = commentCount(values.comment);
  if (count > COMMENT_MAX) errors.comment = `评价说明不能超过 ${COMMENT_MAX} 个字`;
  else if (values.complaint && count === 0) errors.comment = '投诉请说明情况';
  return errors;
}

/** The body of `POST /inspections/{id}/rating` from valid values: the comment trimmed, only when given. */
export function ratingRequest(values: RatingFormValues): RateInspectionRequest {
  const body: RateInspectionRequest = { proper: values.proper === true, complaint: values.complaint };
  const comment = values.comment.trim();
  if (comment !== '') body.comment = comment;
  return body;
}

// ---- The invited observers (体验官, 媒体观察员) ----

export const OBSERVATION_MAX = 2000;

/** One invited observer as the detail shows them: what they observed, or that they have not yet. */
export interface ObserverView {
  userId: string;
  name: string;
  observed: boolean;
  observation: string;
  /** When they observed, 「2026-01-15 10:00」, or ''. */
  date: string;
}

export function observerView(o: InspectionObserver): ObserverView {
  const observation = o.observation ?? '';
  return {
    userId: o.userId,
    name: o.name?.trim() || '受邀观察员',
    observed: observation !== '',
    observation,
    date: formatTime(o.observedAt),
  };
}

/** Who may rate: the members of the inspected enterprise (officers and observers do not). */
export function canRate(i: Pick<Inspection, 'enterpriseId'>, myEnterpriseId: string | null | undefined): boolean {
  return myEnterpriseId != null && myEnterpriseId === i.enterpriseId;
}

/** Who may file an observation: an invited observer who has not yet (once each). */
export function canObserve(i: Pick<Inspection, 'observers'>, myId: string | null | undefined): boolean {
  if (!myId) return false;
  const me = i.observers.find((o) => o.userId === myId);
  return me != null && !me.observation;
}

/** The observation's length as the server will count it (trimmed), for the live count. */
export function observationCount(observation: string): number {
  return charCount(observation.trim());
}

/** The observation's check, in the server's limits; '' when all is well. */
export function validateObservation(observation: string): string {
  const count = observationCount(observation);
  if (count === 0) return '请填写您观察到的情况';
  if (count > OBSERVATION_MAX) return `观察情况不能超过 ${OBSERVATION_MAX} 个字`;
  return '';
}

/** The body of `POST /inspections/{id}/observations` from a valid observation: trimmed. */
export function observationRequest(observation: string): ObserveInspectionRequest {
  return { observation: observation.trim() };
}

// ---- 免罚清单 ----

export interface LeniencyOption {
  /** '' for both lists. */
  value: LeniencyList | '';
  label: string;
}

export const LENIENCY_LIST_OPTIONS: readonly LeniencyOption[] = [
  { value: '', label: '全部' },
  { value: 'minor', label: '轻微违法免罚' },
  { value: 'first', label: '首违不罚' },
];

export function isLeniencyFilter(value: unknown): value is LeniencyList | '' {
  return value === '' || value === 'minor' || value === 'first';
}

/** One entry of the lists. */
export interface LeniencyView {
  id: string;
  list: LeniencyList;
  listLabel: string;
  item: string;
  legalBasis: string;
  conditions: string;
  unitName: string;
}

export function leniencyView(l: LeniencyItem): LeniencyView {
  return {
    id: l.id,
    list: l.list,
    listLabel: l.listLabel || (l.list === 'first' ? '首违不罚' : '轻微违法免罚'),
    item: l.item,
    legalBasis: l.legalBasis,
    conditions: l.conditions,
    unitName: l.unitName,
  };
}
