// The form engine of the engagement programs (docs/design.md section 4) on the client: which
// questions are shown (skip logic), the checks of each answer with the server's codes and
// messages (api/src/domain/form.rs), the answers sent, and which answers are findings (they
// become demands). Pure: no `wx`, no network; the form-renderer component draws on it, and the
// console builds this very file (its `@form` alias) for the form builder's preview, so it imports
// nothing but types and ./text (pure too).
import type { FieldError, FindingRule, FormAnswer, FormAnswers, FormQuestion, FormTemplate, PhotoAnswer } from '../types/api';
import { charCount } from './text';

/** Characters a text answer may have when the question sets no `maxLength`. */
export const TEXT_MAX_DEFAULT = 500;
/** Photos a photo answer may have when the question sets no `maxCount`. */
export const PHOTO_MAX_DEFAULT = 9;
export const REQUIRED_MESSAGE = '此项为必填项';

/** Answers as held while filling in, keyed by question id: not yet checked. */
export type DraftAnswers = Record<string, unknown>;

/** A failed check of one answer, in the server's words. */
export interface AnswerProblem {
  code: string;
  message: string;
}

/** Every question of the template, in order. */
export function questionsOf(template: FormTemplate | null | undefined): FormQuestion[] {
  return (template?.sections ?? []).flatMap((s) => s.questions ?? []);
}

/** The field the server names an answer's error by: `answers.<questionId>`. */
export function answerField(questionId: string): string {
  return `answers.${questionId}`;
}

/** Unanswered: absent, null, blank text or an empty list. */
export function isEmptyAnswer(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

// A list answer (multiple choice) matches when any of its items does.
function matches(answer: unknown, expected: unknown): boolean {
  return Array.isArray(answer) ? answer.some((item) => item === expected) : answer === expected;
}

/**
 * Ids of the questions shown, given the answers so far. A question with `showIf` is shown when
 * the question it names is itself shown and its answer equals `equals` or is in `in`.
 */
export function visibleQuestionIds(template: FormTemplate | null | undefined, answers: DraftAnswers): Set<string> {
  const questions = questionsOf(template);
  const byId = new Map(questions.map((q) => [q.id, q]));
  const memo = new Map<string, boolean>();
  const visiting = new Set<string>();
  const visible = (q: FormQuestion): boolean => {
    const show = q.showIf;
    if (!show) return true;
    const known = memo.get(q.id);
    if (known !== undefined) return known;
    // A loop of conditions (the server refuses such templates) hides its questions.
    if (visiting.has(q.id)) return false;
    visiting.add(q.id);
    const parent = byId.get(show.questionId);
    const answer = answers[show.questionId];
    const result =
      parent !== undefined &&
      visible(parent) &&
      answer !== undefined &&
      ((show.equals != null && matches(answer, show.equals)) || (show.in != null && show.in.some((e) => matches(answer, e))));
    visiting.delete(q.id);
    memo.set(q.id, result);
    return result;
  };
  return new Set(questions.filter(visible).map((q) => q.id));
}

export function isVisible(template: FormTemplate | null | undefined, questionId: string, answers: DraftAnswers): boolean {
  return visibleQuestionIds(template, answers).has(questionId);
}

/** The answers of the questions shown; answers of hidden or unknown questions are dropped. */
export function keepVisible(template: FormTemplate | null | undefined, answers: DraftAnswers): DraftAnswers {
  const visible = visibleQuestionIds(template, answers);
  return Object.fromEntries(Object.entries(answers).filter(([id, v]) => visible.has(id) && v !== undefined));
}

/** A number as the server writes it in messages (`0`, `1.5`, `-3`). */
function num(n: number): string {
  return String(n);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/** An RFC 3339 time the server reads (`2026-11-28T10:00:00+08:00`, `...Z`, fractions). */
export function isRfc3339(text: string): boolean {
  const m = RFC3339.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = m.slice(1).map((p) => Number(p ?? '0'));
  const daysInMonth = new Date(Date.UTC(year ?? 0, month ?? 0, 0)).getUTCDate();
  const within = (n: number | undefined, low: number, high: number) => n !== undefined && n >= low && n <= high;
  return (
    within(month, 1, 12) &&
    within(day, 1, daysInMonth) &&
    within(hour, 0, 23) &&
    within(minute, 0, 59) &&
    // A leap second, as the server's parser allows.
    within(second, 0, 60) &&
    within(offsetHours, 0, 23) &&
    within(offsetMinutes, 0, 59)
  );
}

/** Photos in the shape the server accepts (`fileId`, optional `capturedAt`), or null. */
function readPhotos(value: unknown): PhotoAnswer[] | null {
  if (!Array.isArray(value)) return null;
  const photos: PhotoAnswer[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return null;
    const record = item as Record<string, unknown>;
    if (Object.keys(record).some((k) => k !== 'fileId' && k !== 'capturedAt')) return null;
    const { fileId, capturedAt } = record;
    if (typeof fileId !== 'string') return null;
    if (capturedAt === undefined || capturedAt === null) {
      photos.push({ fileId, capturedAt: null });
    } else if (typeof capturedAt === 'string' && isRfc3339(capturedAt)) {
      photos.push({ fileId, capturedAt });
    } else {
      return null;
    }
  }
  return photos;
}

/** The check of one (non-empty) answer, as the server makes it; null when it is fine. */
export function checkAnswer(q: FormQuestion, value: unknown): AnswerProblem | null {
  const options = q.options ?? [];
  const known = (v: string) => options.some((o) => o.value === v);
  switch (q.type) {
    case 'yes_no':
      return typeof value === 'boolean' ? null : { code: 'invalid_type', message: '请选择是或否' };
    case 'single_choice':
      return typeof value === 'string' && known(value) ? null : { code: 'invalid_choice', message: '请选择一个有效选项' };
    case 'multiple_choice': {
      const items: unknown[] = Array.isArray(value) ? value : [];
      const chosen = items.filter((v): v is string => typeof v === 'string');
      if (chosen.length === 0 || chosen.length !== items.length || new Set(chosen).size !== chosen.length || !chosen.every(known)) {
        return { code: 'invalid_choice', message: '请选择有效且不重复的选项' };
      }
      if ((q.minSelected != null && chosen.length < q.minSelected) || (q.maxSelected != null && chosen.length > q.maxSelected)) {
        return { code: 'out_of_range', message: `请选择 ${q.minSelected ?? 1} 到 ${q.maxSelected ?? options.length} 项` };
      }
      return null;
    }
    case 'rating':
      return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5
        ? null
        : { code: 'out_of_range', message: '评分应为 1 到 5 的整数' };
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return { code: 'invalid_type', message: '请填写数字' };
      if (q.integer === true && !Number.isInteger(value)) return { code: 'invalid_type', message: '请填写整数' };
      if ((q.min != null && value < q.min) || (q.max != null && value > q.max)) {
        const unit = q.unit ?? '';
        const low = q.min != null ? num(q.min) : '-∞';
        const high = q.max != null ? num(q.max) : '∞';
        return { code: 'out_of_range', message: `应在 ${low}${unit} 到 ${high}${unit} 之间` };
      }
      return null;
    }
    case 'text': {
      if (typeof value !== 'string') return { code: 'invalid_type', message: '请填写文字' };
      const max = q.maxLength ?? TEXT_MAX_DEFAULT;
      return charCount(value.trim()) > max ? { code: 'too_long', message: `不能超过 ${max} 个字` } : null;
    }
    case 'photo': {
      const photos = readPhotos(value);
      if (photos === null) return { code: 'invalid_type', message: '照片格式不正确' };
      const min = q.minCount ?? 0;
      const max = q.maxCount ?? PHOTO_MAX_DEFAULT;
      if (photos.length < min || photos.length > max) {
        return { code: 'out_of_range', message: `请上传 ${min} 到 ${max} 张照片` };
      }
      if (q.requireCaptureTime === true && photos.some((p) => !p.capturedAt)) {
        return { code: 'capture_time_required', message: '照片须带拍摄时间' };
      }
      return null;
    }
    default:
      return { code: 'invalid_type', message: '不支持的题型' };
  }
}

// A checked answer as sent: text trimmed, lists copied.
function cleanAnswer(q: FormQuestion, value: unknown): FormAnswer {
  if (q.type === 'text') return (value as string).trim();
  if (q.type === 'multiple_choice') return [...(value as string[])];
  if (q.type === 'photo') {
    return (value as PhotoAnswer[]).map((p) => (p.capturedAt ? { fileId: p.fileId, capturedAt: p.capturedAt } : { fileId: p.fileId }));
  }
  return value as FormAnswer;
}

export interface FormCheck {
  /** The answers to send: shown and answered questions only, text trimmed. */
  answers: FormAnswers;
  /** In the server's shape (`answers.<id>`, code, message); empty when all is well. */
  errors: FieldError[];
}

/**
 * Checks answers as the server will: unknown question ids are refused, hidden questions are
 * skipped (their answers dropped), a shown required question must be answered, and each answer
 * must fit its question.
 */
export function validateAnswers(template: FormTemplate | null | undefined, answers: DraftAnswers): FormCheck {
  const questions = questionsOf(template);
  const ids = new Set(questions.map((q) => q.id));
  const errors: FieldError[] = Object.keys(answers)
    .filter((id) => !ids.has(id) && answers[id] !== undefined)
    .map((id) => ({ field: answerField(id), code: 'unknown_question', message: '表单中没有这个问题' }));
  const visible = visibleQuestionIds(template, answers);
  const kept: FormAnswers = {};
  for (const q of questions) {
    if (!visible.has(q.id)) continue;
    const value = answers[q.id];
    if (isEmptyAnswer(value)) {
      if (q.required) errors.push({ field: answerField(q.id), code: 'required', message: REQUIRED_MESSAGE });
      continue;
    }
    const problem = checkAnswer(q, value);
    if (problem) errors.push({ field: answerField(q.id), ...problem });
    else kept[q.id] = cleanAnswer(q, value);
  }
  return { answers: kept, errors };
}

/** Whether an answer is a finding under `rule`. */
export function isFinding(rule: FindingRule | null | undefined, value: unknown): boolean {
  if (!rule || value === undefined) return false;
  switch (rule.when) {
    case 'no':
      return value === false;
    case 'rating_at_most':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= rule.value;
    case 'any_text':
      return typeof value === 'string' && value.trim() !== '';
    case 'option_in': {
      const hit = (v: unknown) => typeof v === 'string' && rule.values.includes(v);
      return Array.isArray(value) ? value.some(hit) : hit(value);
    }
    default:
      return false;
  }
}

/** Ids of the questions whose answer is a finding, in template order (give it checked answers). */
export function findings(template: FormTemplate | null | undefined, answers: DraftAnswers): string[] {
  return questionsOf(template)
    .filter((q) => isFinding(q.finding, answers[q.id]))
    .map((q) => q.id);
}

export interface PlacedErrors {
  /** The first message per question id of the template. */
  byQuestion: Record<string, string>;
  /** Messages that name no question of the template. */
  other: string[];
}

/** The server's 422 `fields` placed next to the questions they name (`answers.<id>`). */
export function placeAnswerErrors(template: FormTemplate | null | undefined, fields: readonly FieldError[] | null | undefined): PlacedErrors {
  const ids = new Set(questionsOf(template).map((q) => q.id));
  const placed: PlacedErrors = { byQuestion: {}, other: [] };
  for (const f of fields ?? []) {
    const id = f.field.startsWith('answers.') ? f.field.slice('answers.'.length) : null;
    if (id !== null && ids.has(id)) {
      if (placed.byQuestion[id] === undefined) placed.byQuestion[id] = f.message;
    } else {
      placed.other.push(f.message);
    }
  }
  return placed;
}

/**
 * What a number input holds, as an answer: nothing for blank, the number for a plain decimal
 * (`12`, `-3`, `1.5`), else the text itself, which the check refuses with 「请填写数字」.
 */
export function parseNumberInput(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return /^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : t;
}

/** The limits of a question, shown under its title ('' when there are none worth saying). */
export function questionHint(q: FormQuestion): string {
  switch (q.type) {
    case 'multiple_choice': {
      const { minSelected: min, maxSelected: max } = q;
      if (min != null && max != null) return min === max ? `请选择 ${min} 项` : `请选择 ${min} 到 ${max} 项`;
      if (max != null) return `最多选择 ${max} 项`;
      if (min != null) return `至少选择 ${min} 项`;
      return '可多选';
    }
    case 'number': {
      const unit = q.unit ?? '';
      const kind = q.integer === true ? '整数' : '数字';
      if (q.min != null && q.max != null) return `请填写 ${num(q.min)}${unit} 到 ${num(q.max)}${unit} 之间的${kind}`;
      if (q.min != null) return `请填写不小于 ${num(q.min)}${unit} 的${kind}`;
      if (q.max != null) return `请填写不大于 ${num(q.max)}${unit} 的${kind}`;
      return '';
    }
    case 'photo': {
      const min = q.minCount ?? 0;
      const max = q.maxCount ?? PHOTO_MAX_DEFAULT;
      const count = min > 0 ? `请上传 ${min} 到 ${max} 张照片` : `最多 ${max} 张照片`;
      return q.requireCaptureTime === true ? `${count}，须带拍摄时间` : count;
    }
    default:
      return '';
  }
}
