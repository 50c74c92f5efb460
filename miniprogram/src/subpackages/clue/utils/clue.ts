// What the clue pages show and check: the report form's checks (the server's limits, counted as
// it counts them), the body of `POST /clues`, and the rows of 我反映的线索 and 典型案例通报.
// Pure: no `wx`, no network.
import type { ClueCase, ClueCategory, MyClue, ReportClueRequest } from '../../../types/api';
import { clueCategoryLabel, isClueCategory } from '../../../utils/clue-categories';
import { charCount } from '../../../utils/text';
import { formatDate } from '../../../utils/time';

export const CONTENT_MIN = 10;
export const CONTENT_MAX = 2000;
export const OFFICIAL_MAX = 60;
export const MAX_FILES = 9;

export interface ClueFormValues {
  category: ClueCategory | '';
  /** '' when no unit was picked. */
  unitId: string;
  /** 涉及人员或岗位, optional. */
  official: string;
  content: string;
  /** YYYY-MM-DD, or '' when not given. */
  happenedOn: string;
  anonymous: boolean;
  /** Ids of the files already uploaded. */
  fileIds: string[];
}

/** The fields the server names its errors by, in the order the form shows them. */
export type ClueField = 'category' | 'unitId' | 'official' | 'happenedOn' | 'content' | 'fileIds';

export const CLUE_FIELDS: readonly ClueField[] = ['category', 'unitId', 'official', 'happenedOn', 'content', 'fileIds'];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The length of the situation as the server will count it (trimmed), for the live count. */
export function contentCount(content: string): number {
  return charCount(content.trim());
}

/**
 * The form's own checks, in the server's words where it has them; {} when all is well.
 * `today` is China's date (YYYY-MM-DD): a date after it is refused, as the server does.
 */
export function validateClueForm(values: ClueFormValues, today: string): Partial<Record<ClueField, string>> {
  const errors: Partial<Record<ClueField, string>> = {};
  if (!isClueCategory(values.category)) errors.category = '请选择问题类型';
  if (charCount(values.official.trim()) > OFFICIAL_MAX) errors.official = `涉及人员或岗位不能超过 ${OFFICIAL_MAX} 个字`;
  if (values.happenedOn !== '') {
    if (!DATE.test(values.happenedOn)) errors.happenedOn = '请选择发生日期';
    else if (values.happenedOn > today) errors.happenedOn = '发生日期不能晚于今天';
  }
  const count = contentCount(values.content);
  if (count === 0) errors.content = '请填写情况说明';
  else if (count < CONTENT_MIN) errors.content = `请至少用 ${CONTENT_MIN} 个字说明情况`;
  else if (count > CONTENT_MAX) errors.content = `情况说明不能超过 ${CONTENT_MAX} 个字`;
  if (values.fileIds.length > MAX_FILES) errors.fileIds = `最多上传 ${MAX_FILES} 个文件`;
  return errors;
}

/** The body of `POST /clues` from valid values: trimmed, the optional parts only when given. */
export function clueReportRequest(values: ClueFormValues): ReportClueRequest {
  const body: ReportClueRequest = {
    category: values.category as ClueCategory,
    content: values.content.trim(),
    anonymous: values.anonymous,
  };
  if (values.unitId !== '') body.unitId = values.unitId;
  const official = values.official.trim();
  if (official !== '') body.official = official;
  if (values.happenedOn !== '') body.happenedOn = values.happenedOn;
  if (values.fileIds.length > 0) body.fileIds = [...values.fileIds];
  return body;
}

/** One clue in 我反映的线索. */
export interface MyClueView {
  id: string;
  categoryLabel: string;
  /** The unit it concerns, or ''. */
  unit: string;
  /** The day it was reported. */
  date: string;
  /** 「青岛市税务局 · 反映于 2026-11-28」, or the day alone when no unit was named. */
  meta: string;
  stage: string;
  closed: boolean;
  /** What the reporter is told of the outcome, once closed; else ''. */
  outcomeText: string;
  content: string;
  anonymous: boolean;
}

export function myClueView(c: MyClue): MyClueView {
  const unit = c.unitName ?? '';
  const date = formatDate(c.createdAt);
  return {
    id: c.id,
    categoryLabel: c.categoryLabel || clueCategoryLabel(c.category),
    unit,
    date,
    meta: unit ? `${unit} · 反映于 ${date}` : `反映于 ${date}`,
    stage: c.stage,
    closed: c.closed,
    outcomeText: c.closed ? (c.outcomeText ?? '') : '',
    content: c.content,
    anonymous: c.anonymous,
  };
}

/** Characters of a case's account shown in the list. */
export const CASE_EXCERPT = 80;

/** One typical case in the list: its title, day and the start of its account. */
export interface CaseView {
  id: string;
  title: string;
  date: string;
  excerpt: string;
}

export function caseView(c: ClueCase): CaseView {
  const chars = Array.from(c.body.trim());
  const excerpt = chars.length > CASE_EXCERPT ? `${chars.slice(0, CASE_EXCERPT).join('')}…` : chars.join('');
  return { id: c.id, title: c.title, date: formatDate(c.publishedAt), excerpt };
}
