// A form of the engagement programs (checklists, scorecards; docs/design.md section 4) drawn from
// its template: sections, and each question shown by the skip logic with the TDesign control of
// its type. It holds the answers, drops those of questions that become hidden, checks them as
// the server will (utils/form.ts) and emits:
// - `change` {answers} on every edit (as held: text untrimmed, a number input's unreadable text);
// - `submit` {answers, findings} once the checks pass: the answers to send and the ids of the
//   questions whose answer is a finding; else it shows the messages and emits `invalid` {errors};
// - `addphoto` {questionId}: the page picks and uploads, then passes the new answers back
//   through `value` (and the local paths through `photoUrls`);
// - `removephoto` {questionId, index}: the photo is already removed here (a `change` follows).
// The page sends the answers and hands the server's 422 `fields` back through `serverErrors`.
import type { FieldError, FormAnswers, FormQuestion, FormTemplate, QuestionType } from '../../types/api';
import {
  PHOTO_MAX_DEFAULT,
  TEXT_MAX_DEFAULT,
  findings,
  keepVisible,
  parseNumberInput,
  placeAnswerErrors,
  questionHint,
  questionsOf,
  validateAnswers,
  visibleQuestionIds,
  type DraftAnswers,
} from '../../utils/form';
import { formatTime } from '../../utils/time';

export interface FormChangeDetail {
  answers: DraftAnswers;
}

export interface FormSubmitDetail {
  answers: FormAnswers;
  /** Ids of the questions whose answer is a finding, in template order. */
  findings: string[];
}

export interface FormInvalidDetail {
  errors: FieldError[];
}

export interface AddPhotoDetail {
  questionId: string;
}

export interface RemovePhotoDetail {
  questionId: string;
  index: number;
}

interface OptionView {
  value: string;
  label: string;
}

interface PhotoView {
  key: string;
  fileId: string;
  /** Local path to show; '' when the page gave none (a placeholder is shown). */
  url: string;
  /** Capture time in China time, or ''. */
  time: string;
}

/** One question as the WXML draws it; each type reads its own fields. */
export interface QuestionView {
  id: string;
  type: QuestionType;
  title: string;
  help: string;
  required: boolean;
  hint: string;
  /** The message shown under the question: the form's own check, else the server's. */
  error: string;
  /** yes_no (`yes` / `no`) and single_choice: the options and the chosen value ('' for none). */
  options: OptionView[];
  choice: string;
  /** multiple_choice: the chosen values and the most allowed (0: no limit). */
  checked: string[];
  maxSelected: number;
  /** rating: 1–5, 0 for none. */
  rating: number;
  /** number: the text in the input, its keyboard, placeholder and unit. */
  numberText: string;
  inputType: 'number' | 'digit' | 'text';
  placeholder: string;
  unit: string;
  /** text. */
  text: string;
  maxLength: number;
  /** photo. */
  photos: PhotoView[];
  canAddPhoto: boolean;
}

export interface SectionView {
  id: string;
  title: string;
  description: string;
  questions: QuestionView[];
}

const YES_NO_OPTIONS: OptionView[] = [
  { value: 'yes', label: '是' },
  { value: 'no', label: '否' },
];

function photoViews(answer: unknown, urls: Record<string, string>): PhotoView[] {
  if (!Array.isArray(answer)) return [];
  return answer
    .filter((p): p is { fileId: string; capturedAt?: unknown } => typeof p === 'object' && p !== null && typeof p.fileId === 'string')
    .map((p, i) => ({
      key: `${i}-${p.fileId}`,
      fileId: p.fileId,
      url: urls[p.fileId] ?? '',
      time: typeof p.capturedAt === 'string' ? formatTime(p.capturedAt) : '',
    }));
}

function inputType(q: FormQuestion): QuestionView['inputType'] {
  // WeChat's number keyboards have no minus sign.
  if (q.min == null || q.min < 0) return 'text';
  return q.integer === true ? 'number' : 'digit';
}

function questionView(
  q: FormQuestion,
  answer: unknown,
  error: string,
  numberText: string | undefined,
  disabled: boolean,
  urls: Record<string, string>,
): QuestionView {
  const photos = q.type === 'photo' ? photoViews(answer, urls) : [];
  let choice = '';
  if (q.type === 'yes_no' && typeof answer === 'boolean') choice = answer ? 'yes' : 'no';
  if (q.type === 'single_choice' && typeof answer === 'string') choice = answer;
  return {
    id: q.id,
    type: q.type,
    title: q.title,
    help: q.help ?? '',
    required: q.required === true,
    hint: questionHint(q),
    error,
    options: q.type === 'yes_no' ? YES_NO_OPTIONS : (q.options ?? []).map((o) => ({ value: o.value, label: o.label })),
    choice,
    checked: q.type === 'multiple_choice' && Array.isArray(answer) ? answer.filter((v): v is string => typeof v === 'string') : [],
    maxSelected: q.maxSelected ?? 0,
    rating: q.type === 'rating' && typeof answer === 'number' ? answer : 0,
    numberText: numberText ?? (typeof answer === 'number' || typeof answer === 'string' ? String(answer) : ''),
    inputType: inputType(q),
    placeholder: q.integer === true ? '请输入整数' : '请输入数字',
    unit: q.unit ?? '',
    text: q.type === 'text' && typeof answer === 'string' ? answer : '',
    maxLength: q.maxLength ?? TEXT_MAX_DEFAULT,
    photos,
    canAddPhoto: !disabled && photos.length < (q.maxCount ?? PHOTO_MAX_DEFAULT),
  };
}

/** The answers given through `value`: a copy, without empty slots. */
function fromValue(value: unknown): DraftAnswers {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const copy = JSON.parse(JSON.stringify(value)) as DraftAnswers;
  return Object.fromEntries(Object.entries(copy).filter(([, v]) => v !== null));
}

Component({
  properties: {
    /** The form to draw (the server's `FormTemplate`). */
    template: { type: Object, value: { sections: [] } as FormTemplate },
    /** Answers to start from, or new answers from the page (e.g. after a photo upload). */
    value: { type: Object, value: {} as DraftAnswers },
    /** The server's 422 `fields`; `answers.<id>` errors show under their question. */
    serverErrors: { type: Array, value: [] as FieldError[] },
    /** Read-only: a submitted form. No editing, no photo buttons, no submit button. */
    disabled: { type: Boolean, value: false },
    /** Local paths of photos by file id, for the thumbnails. */
    photoUrls: { type: Object, value: {} as Record<string, string> },
    submitting: { type: Boolean, value: false },
    submitText: { type: String, value: '提交' },
  },
  data: {
    answers: {} as DraftAnswers,
    /** What each number input shows, so `1.` survives being held as 1. */
    numberTexts: {} as Record<string, string>,
    /** The form's own messages, by question id. */
    errors: {} as Record<string, string>,
    /** The server's messages, by question id, and those that name no question. */
    serverMessages: {} as Record<string, string>,
    formErrors: [] as string[],
    sections: [] as SectionView[],
    rateTexts: ['很差', '较差', '一般', '较好', '很好'],
    // Objects for TDesign props live here: WXML has no object literals in attributes.
    textAutosize: { minHeight: 120 },
  },
  observers: {
    template() {
      this.hold(this.data.answers);
      this.placeServerErrors();
    },
    value(value: unknown) {
      this.hold(fromValue(value));
    },
    serverErrors() {
      this.placeServerErrors();
    },
    'disabled, photoUrls'() {
      this.draw();
    },
  },
  lifetimes: {
    attached() {
      this.hold(fromValue(this.data.value));
      this.placeServerErrors();
    },
  },
  methods: {
    question(id: unknown): FormQuestion | undefined {
      return questionsOf(this.data.template).find((q) => q.id === id);
    },

    /** Keeps `answers` (without hidden questions' ones, once the template is known) and redraws. */
    hold(answers: DraftAnswers) {
      const known = questionsOf(this.data.template).length > 0;
      const kept = known ? keepVisible(this.data.template, answers) : answers;
      const numberTexts: Record<string, string> = {};
      for (const [id, text] of Object.entries(this.data.numberTexts)) {
        // Keep what was typed while it still reads as the answer held.
        if (kept[id] !== undefined && parseNumberInput(text) === kept[id]) numberTexts[id] = text;
      }
      this.setData({ answers: kept, numberTexts });
      this.draw();
    },

    placeServerErrors() {
      const { byQuestion, other } = placeAnswerErrors(this.data.template, this.data.serverErrors);
      this.setData({ serverMessages: byQuestion, formErrors: other });
      this.draw();
    },

    draw() {
      const { template, answers, errors, serverMessages, numberTexts, disabled, photoUrls } = this.data;
      const visible = visibleQuestionIds(template, answers);
      const urls = photoUrls ?? {};
      const sections: SectionView[] = (template?.sections ?? [])
        .map((s) => ({
          id: s.id,
          title: s.title,
          description: s.description ?? '',
          questions: (s.questions ?? [])
            .filter((q) => visible.has(q.id))
            .map((q) =>
              questionView(q, answers[q.id], errors[q.id] || serverMessages[q.id] || '', numberTexts[q.id], disabled, urls),
            ),
        }))
        .filter((s) => s.questions.length > 0);
      this.setData({ sections });
    },

    /** A person's edit of one question (undefined clears it): held, its messages cleared, `change` emitted. */
    edit(id: string, answer: unknown, numberText?: string) {
      if (this.data.disabled) return;
      const answers: DraftAnswers = { ...this.data.answers };
      if (answer === undefined) delete answers[id];
      else answers[id] = answer;
      const numberTexts = { ...this.data.numberTexts };
      if (numberText !== undefined) numberTexts[id] = numberText;
      this.setData({
        numberTexts,
        errors: { ...this.data.errors, [id]: '' },
        serverMessages: { ...this.data.serverMessages, [id]: '' },
      });
      this.hold(answers);
      const detail: FormChangeDetail = { answers: JSON.parse(JSON.stringify(this.data.answers)) as DraftAnswers };
      this.triggerEvent('change', detail);
    },

    // yes_no and single_choice (t-radio-group).
    onChoiceChange(e: WechatMiniprogram.CustomEvent<{ value: string | null }>) {
      const q = this.question(e.currentTarget.dataset.qid);
      if (!q) return;
      const value = e.detail.value;
      if (value === null || value === undefined || value === '') this.edit(q.id, undefined);
      else if (q.type === 'yes_no') this.edit(q.id, value === 'yes');
      else this.edit(q.id, value);
    },

    onMultiChange(e: WechatMiniprogram.CustomEvent<{ value: string[] }>) {
      const q = this.question(e.currentTarget.dataset.qid);
      if (!q) return;
      const value = Array.isArray(e.detail.value) ? [...e.detail.value] : [];
      this.edit(q.id, value.length > 0 ? value : undefined);
    },

    onRateChange(e: WechatMiniprogram.CustomEvent<{ value: number }>) {
      const q = this.question(e.currentTarget.dataset.qid);
      if (!q) return;
      const value = Number(e.detail.value);
      this.edit(q.id, value > 0 ? value : undefined);
    },

    onNumberChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const q = this.question(e.currentTarget.dataset.qid);
      if (!q) return;
      const text = String(e.detail.value ?? '');
      this.edit(q.id, parseNumberInput(text), text);
    },

    onTextChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const q = this.question(e.currentTarget.dataset.qid);
      if (!q) return;
      const text = String(e.detail.value ?? '');
      this.edit(q.id, text === '' ? undefined : text);
    },

    onAddPhoto(e: WechatMiniprogram.TouchEvent) {
      const q = this.question(e.currentTarget.dataset.qid);
      if (!q || this.data.disabled) return;
      const detail: AddPhotoDetail = { questionId: q.id };
      this.triggerEvent('addphoto', detail);
    },

    onRemovePhoto(e: WechatMiniprogram.TouchEvent) {
      const q = this.question(e.currentTarget.dataset.qid);
      const index = Number(e.currentTarget.dataset.index);
      const photos: unknown = q ? this.data.answers[q.id] : undefined;
      if (!q || this.data.disabled || !Array.isArray(photos) || !(index >= 0 && index < photos.length)) return;
      const detail: RemovePhotoDetail = { questionId: q.id, index };
      this.triggerEvent('removephoto', detail);
      const rest = photos.filter((_, i) => i !== index);
      this.edit(q.id, rest.length > 0 ? rest : undefined);
    },

    onPhotoTap(e: WechatMiniprogram.TouchEvent) {
      const view = this.data.sections.flatMap((s) => s.questions).find((q) => q.id === e.currentTarget.dataset.qid);
      const current = view?.photos[Number(e.currentTarget.dataset.index)];
      if (!view || !current?.url) return;
      wx.previewImage({ current: current.url, urls: view.photos.map((p) => p.url).filter((u) => u !== '') });
    },

    onSubmit() {
      if (this.data.disabled || this.data.submitting) return;
      const { template } = this.data;
      const check = validateAnswers(template, this.data.answers);
      const errors: Record<string, string> = {};
      for (const f of check.errors) {
        const id = f.field.replace(/^answers\./, '');
        if (errors[id] === undefined) errors[id] = f.message;
      }
      this.setData({ errors });
      this.draw();
      if (check.errors.length > 0) {
        const detail: FormInvalidDetail = { errors: check.errors };
        this.triggerEvent('invalid', detail);
        return;
      }
      const detail: FormSubmitDetail = { answers: check.answers, findings: findings(template, check.answers) };
      this.triggerEvent('submit', detail);
    },
  },
});
