// The form builder's operations, pure: add, change and move questions (by a button or by
// drag), the earlier questions a skip rule may name and the values it may take, the finding
// rules a question type allows, the template as sent, and the server's 422 `fields` placed
// next to the question they name (`body.sections[0].questions[2].weight`).
import type { FieldError, FindingRule, FormQuestion, FormSection, FormTemplate, QuestionType } from '@/api/types';

export const QUESTION_TYPES: Record<QuestionType, string> = {
  yes_no: '是否题',
  single_choice: '单选题',
  multiple_choice: '多选题',
  rating: '评分（1–5）',
  number: '数字',
  text: '文字',
  photo: '照片',
};

export type FindingWhen = FindingRule['when'];

export const FINDING_RULES: Record<FindingWhen, string> = {
  no: '回答“否”',
  rating_at_most: '评分不高于',
  any_text: '填写了文字',
  option_in: '选中以下选项',
};

/** The finding rules that make sense for a question type (the server refuses the others). */
export function findingRulesFor(type: QuestionType): FindingWhen[] {
  switch (type) {
    case 'yes_no':
      return ['no'];
    case 'rating':
      return ['rating_at_most'];
    case 'text':
      return ['any_text'];
    case 'single_choice':
    case 'multiple_choice':
      return ['option_in'];
    default:
      return [];
  }
}

export function defaultFinding(when: FindingWhen): FindingRule {
  switch (when) {
    case 'rating_at_most':
      return { when, value: 2 };
    case 'option_in':
      return { when, values: [] };
    default:
      return { when };
  }
}

/** The first id `prefix<n>` not among `taken`. */
export function freshId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  let n = 1;
  while (used.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

export function allQuestions(t: FormTemplate): FormQuestion[] {
  return t.sections.flatMap((s) => s.questions);
}

export function emptyTemplate(): FormTemplate {
  return { sections: [{ id: 's1', title: '第一部分', questions: [] }] };
}

/** A new question of `type` with what it needs to be valid but its title. */
export function newQuestion(type: QuestionType, taken: Iterable<string>): FormQuestion {
  const q: FormQuestion = { id: freshId('q', taken), type, title: '', required: true };
  if (type === 'single_choice' || type === 'multiple_choice') {
    q.options = [
      { value: 'o1', label: '选项一', score: null },
      { value: 'o2', label: '选项二', score: null },
    ];
  }
  return q;
}

/** The question with another type: the settings of the old type are dropped, and a finding
 * rule the new type cannot have. */
export function changeType(q: FormQuestion, type: QuestionType): FormQuestion {
  const fresh = newQuestion(type, []);
  const keep: FormQuestion = {
    id: q.id,
    type,
    title: q.title,
    help: q.help,
    required: q.required,
    environment: q.environment,
    unitCode: q.unitCode,
    weight: q.weight,
    showIf: q.showIf,
  };
  if (fresh.options) keep.options = q.options && q.options.length >= 2 ? q.options : fresh.options;
  if (q.finding && findingRulesFor(type).includes(q.finding.when)) keep.finding = q.finding;
  return keep;
}

function locate(t: FormTemplate, id: string): { s: number; i: number } | null {
  for (let s = 0; s < t.sections.length; s++) {
    const i = t.sections[s]!.questions.findIndex((q) => q.id === id);
    if (i >= 0) return { s, i };
  }
  return null;
}

function clone(t: FormTemplate): FormTemplate {
  return { sections: t.sections.map((s) => ({ ...s, questions: [...s.questions] })) };
}

/**
 * Moves a question one place up (-1) or down (+1). At the edge of its section it crosses into
 * the neighbouring section (last place of the one above, first of the one below); at the edge
 * of the form nothing moves.
 */
export function moveQuestion(t: FormTemplate, id: string, delta: -1 | 1): FormTemplate {
  const at = locate(t, id);
  if (!at) return t;
  const out = clone(t);
  const section = out.sections[at.s]!;
  const [q] = section.questions.splice(at.i, 1);
  if (delta === -1) {
    if (at.i > 0) {
      section.questions.splice(at.i - 1, 0, q!);
      return out;
    }
    const prev = out.sections[at.s - 1];
    if (!prev) return t;
    prev.questions.push(q!);
    return out;
  }
  if (at.i < section.questions.length) {
    section.questions.splice(at.i + 1, 0, q!);
    return out;
  }
  const next = out.sections[at.s + 1];
  if (!next) return t;
  next.questions.unshift(q!);
  return out;
}

/** Whether a question can move up (-1) or down (+1) at all. */
export function canMove(t: FormTemplate, id: string, delta: -1 | 1): boolean {
  return moveQuestion(t, id, delta) !== t;
}

/** Moves a question (by drag) to the place of `beforeId` (before it), or to the end of
 * section `sectionId` when `beforeId` is null. */
export function moveQuestionTo(t: FormTemplate, id: string, beforeId: string | null, sectionId?: string): FormTemplate {
  if (id === beforeId) return t;
  const at = locate(t, id);
  if (!at) return t;
  const out = clone(t);
  const [q] = out.sections[at.s]!.questions.splice(at.i, 1);
  if (beforeId) {
    const to = locate(out, beforeId);
    if (!to) return t;
    out.sections[to.s]!.questions.splice(to.i, 0, q!);
  } else {
    const s = out.sections.find((x) => x.id === sectionId) ?? out.sections[at.s]!;
    s.questions.push(q!);
  }
  return out;
}

/** Question types whose answer a skip rule can test. */
const CONDITION_TYPES: QuestionType[] = ['yes_no', 'single_choice', 'multiple_choice', 'rating'];

/** The questions a skip rule of `id` may name: those before it that have a value to test. */
export function earlierQuestions(t: FormTemplate, id: string): FormQuestion[] {
  const all = allQuestions(t);
  const i = all.findIndex((q) => q.id === id);
  return (i < 0 ? all : all.slice(0, i)).filter((q) => CONDITION_TYPES.includes(q.type));
}

/** The values a skip rule on `q` may wait for, as [value, label]. */
export function conditionValues(q: FormQuestion): { value: boolean | string | number; label: string }[] {
  switch (q.type) {
    case 'yes_no':
      return [
        { value: true, label: '是' },
        { value: false, label: '否' },
      ];
    case 'rating':
      return [1, 2, 3, 4, 5].map((n) => ({ value: n, label: `${n} 分` }));
    case 'single_choice':
    case 'multiple_choice':
      return (q.options ?? []).map((o) => ({ value: o.value, label: o.label || o.value }));
    default:
      return [];
  }
}

/** The values a skip rule waits for (`equals` or `in`), as a list. */
export function showIfValues(q: FormQuestion): unknown[] {
  const s = q.showIf;
  if (!s) return [];
  if (s.in != null) return s.in;
  return s.equals === undefined || s.equals === null ? [] : [s.equals];
}

/** A skip rule on `parentId` waiting for `values`: one value is `equals`, several `in`. */
export function makeShowIf(parentId: string, values: unknown[]): FormQuestion['showIf'] {
  if (values.length === 1) return { questionId: parentId, equals: values[0] };
  return { questionId: parentId, in: values };
}

/** Skip rules the server would refuse: naming no question, or one that is not earlier. */
export function showIfProblems(t: FormTemplate): Record<string, string> {
  const all = allQuestions(t);
  const problems: Record<string, string> = {};
  all.forEach((q, i) => {
    if (!q.showIf) return;
    const parent = all.findIndex((p) => p.id === q.showIf!.questionId);
    if (parent < 0) problems[q.id] = '显示条件引用的问题已不存在';
    else if (parent >= i) problems[q.id] = '显示条件只能引用前面的问题（请调整顺序或重新选择）';
    else if (showIfValues(q).length === 0) problems[q.id] = '请选择触发显示的答案';
  });
  return problems;
}

/** A question as sent: no empty or meaningless settings. */
export function cleanQuestion(q: FormQuestion): FormQuestion {
  const out: FormQuestion = { id: q.id, type: q.type, title: q.title.trim(), required: q.required ?? false };
  if (q.help?.trim()) out.help = q.help.trim();
  if (q.environment) out.environment = q.environment;
  if (q.unitCode) out.unitCode = q.unitCode;
  if (q.weight != null && !Number.isNaN(q.weight)) out.weight = q.weight;
  if (q.showIf) out.showIf = q.showIf;
  if (q.finding) out.finding = q.finding;
  switch (q.type) {
    case 'single_choice':
    case 'multiple_choice':
      out.options = (q.options ?? []).map((o) => ({ value: o.value, label: o.label, ...(o.score != null ? { score: o.score } : {}) }));
      if (q.type === 'multiple_choice') {
        if (q.minSelected != null) out.minSelected = q.minSelected;
        if (q.maxSelected != null) out.maxSelected = q.maxSelected;
      }
      break;
    case 'number':
      if (q.min != null) out.min = q.min;
      if (q.max != null) out.max = q.max;
      if (q.integer) out.integer = true;
      if (q.unit?.trim()) out.unit = q.unit.trim();
      break;
    case 'text':
      if (q.maxLength != null) out.maxLength = q.maxLength;
      break;
    case 'photo':
      if (q.minCount != null) out.minCount = q.minCount;
      if (q.maxCount != null) out.maxCount = q.maxCount;
      if (q.requireCaptureTime) out.requireCaptureTime = true;
      break;
  }
  return out;
}

export function cleanTemplate(t: FormTemplate): FormTemplate {
  return {
    sections: t.sections.map((s: FormSection) => ({
      id: s.id,
      title: s.title.trim(),
      ...(s.description?.trim() ? { description: s.description.trim() } : {}),
      questions: s.questions.map(cleanQuestion),
    })),
  };
}

export interface PlacedFormErrors {
  /** Messages per question id. */
  questions: Record<string, string[]>;
  /** Messages per section id. */
  sections: Record<string, string[]>;
  /** Messages of the form as a whole (its title, an empty form). */
  other: string[];
}

const QUESTION_FIELD = /^body\.sections\[(\d+)\]\.questions\[(\d+)\](?:\.(.*))?$/;
const SECTION_FIELD = /^body\.sections\[(\d+)\](?:\.(.*))?$/;

/** The server's 422 `fields` for `POST /forms`, next to the question or section they name
 * (the template sent, so the indices match). */
export function placeFormErrors(t: FormTemplate, fields: readonly FieldError[]): PlacedFormErrors {
  const placed: PlacedFormErrors = { questions: {}, sections: {}, other: [] };
  for (const f of fields) {
    const q = QUESTION_FIELD.exec(f.field);
    const question = q ? t.sections[Number(q[1])]?.questions[Number(q[2])] : undefined;
    if (question) {
      (placed.questions[question.id] ??= []).push(f.message);
      continue;
    }
    const s = SECTION_FIELD.exec(f.field);
    const section = s ? t.sections[Number(s[1])] : undefined;
    if (section) {
      (placed.sections[section.id] ??= []).push(f.message);
      continue;
    }
    placed.other.push(f.field === 'title' ? `表单名称：${f.message}` : f.message);
  }
  return placed;
}

/** Whether two templates ask the same (a changed form is saved as a new version). */
export function sameTemplate(a: FormTemplate, b: FormTemplate): boolean {
  return JSON.stringify(cleanTemplate(a)) === JSON.stringify(cleanTemplate(b));
}
