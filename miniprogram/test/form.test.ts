// The form engine of the engagement programs on the client (utils/form.ts): skip logic, the
// check of every question type with the server's codes and messages (api/src/domain/form.rs),
// the answers sent, findings, and placing the server's errors. The template is the one of the
// server's own tests (formTemplateFixture).
import { describe, expect, it } from '@jest/globals';

import type { FindingRule, FormQuestion, FormTemplate } from '../src/types/api';
import {
  checkAnswer,
  findings,
  isEmptyAnswer,
  isFinding,
  isRfc3339,
  isVisible,
  keepVisible,
  parseNumberInput,
  placeAnswerErrors,
  questionHint,
  questionsOf,
  validateAnswers,
  visibleQuestionIds,
  type DraftAnswers,
} from '../src/utils/form';
import { formTemplateFixture } from './helpers/fake-wx';

const AT = '2026-11-28T10:00:00+08:00';

/** A complete, valid answer to the fixture (the server test's `good()`). */
function good(): DraftAnswers {
  return {
    queue: true,
    attitude: 4,
    guide: 'clear',
    channels: ['window', 'online'],
    wait: 15,
    photos: [{ fileId: '9', capturedAt: AT }],
  };
}

function withAnswer(id: string, value: unknown): DraftAnswers {
  return { ...good(), [id]: value };
}

/** `[field, code]` of each error. */
function codes(answers: DraftAnswers, template: FormTemplate = formTemplateFixture()): [string, string][] {
  return validateAnswers(template, answers).errors.map((e) => [e.field, e.code]);
}

function question(id: string): FormQuestion {
  const q = questionsOf(formTemplateFixture()).find((x) => x.id === id);
  if (!q) throw new Error(`no question ${id}`);
  return q;
}

/** The template as `GET /forms/{id}` sends it: every absent optional field as null. */
function withServerNulls(template: FormTemplate): FormTemplate {
  const optional = [
    'help', 'environment', 'weight', 'options', 'minSelected', 'maxSelected', 'min', 'max', 'integer', 'unit',
    'maxLength', 'minCount', 'maxCount', 'requireCaptureTime', 'showIf', 'finding',
  ] as const;
  return {
    sections: template.sections.map((s) => ({
      ...s,
      description: s.description ?? null,
      questions: s.questions.map((q) => {
        const filled: Record<string, unknown> = { ...q };
        for (const key of optional) filled[key] = q[key] ?? null;
        if (q.showIf) filled.showIf = { questionId: q.showIf.questionId, equals: q.showIf.equals ?? null, in: q.showIf.in ?? null };
        if (q.options) filled.options = q.options.map((o) => ({ ...o, score: o.score ?? null }));
        return filled as unknown as FormQuestion;
      }),
    })),
  };
}

/** A template of one section holding `questions`. */
function templateOf(...questions: FormQuestion[]): FormTemplate {
  return { sections: [{ id: 's', title: '节', questions }] };
}

describe('validateAnswers', () => {
  it('passes a complete answer and returns the answers to send', () => {
    const check = validateAnswers(formTemplateFixture(), good());
    expect(check.errors).toEqual([]);
    expect(check.answers).toEqual(good());
  });

  it('names each missing required answer with the server\'s field, code and message', () => {
    expect(validateAnswers(formTemplateFixture(), {}).errors).toEqual([
      { field: 'answers.queue', code: 'required', message: '此项为必填项' },
      { field: 'answers.attitude', code: 'required', message: '此项为必填项' },
      { field: 'answers.wait', code: 'required', message: '此项为必填项' },
      { field: 'answers.photos', code: 'required', message: '此项为必填项' },
    ]);
  });

  it('counts null, blank text and empty lists as unanswered', () => {
    expect(codes(withAnswer('attitude', null))).toEqual([['answers.attitude', 'required']]);
    expect(codes(withAnswer('photos', []))).toEqual([['answers.photos', 'required']]);
    expect(codes({ ...withAnswer('queue', false), why: '  \n ' })).toEqual([['answers.why', 'required']]);
    expect(isEmptyAnswer(0)).toBe(false);
    expect(isEmptyAnswer(false)).toBe(false);
  });

  it('leaves out unanswered optional questions', () => {
    const answers = good();
    delete answers.guide;
    answers.channels = [];
    const check = validateAnswers(formTemplateFixture(), answers);
    expect(check.errors).toEqual([]);
    expect(Object.keys(check.answers)).toEqual(['queue', 'attitude', 'wait', 'photos']);
  });

  it('refuses answers to questions the form does not have', () => {
    expect(validateAnswers(formTemplateFixture(), withAnswer('bogus', 1)).errors).toEqual([
      { field: 'answers.bogus', code: 'unknown_question', message: '表单中没有这个问题' },
    ]);
  });

  // Each row: question, answer, code, message (the server's words).
  const refused: [string, unknown, string, string][] = [
    ['queue', 'yes', 'invalid_type', '请选择是或否'],
    ['queue', 1, 'invalid_type', '请选择是或否'],
    ['guide', 'maybe', 'invalid_choice', '请选择一个有效选项'],
    ['guide', ['clear'], 'invalid_choice', '请选择一个有效选项'],
    ['channels', ['window', 'window'], 'invalid_choice', '请选择有效且不重复的选项'],
    ['channels', ['fax'], 'invalid_choice', '请选择有效且不重复的选项'],
    ['channels', ['window', 3], 'invalid_choice', '请选择有效且不重复的选项'],
    ['channels', 'window', 'invalid_choice', '请选择有效且不重复的选项'],
    ['channels', ['window', 'online', 'app'], 'out_of_range', '请选择 1 到 2 项'],
    ['attitude', 7, 'out_of_range', '评分应为 1 到 5 的整数'],
    ['attitude', 0, 'out_of_range', '评分应为 1 到 5 的整数'],
    ['attitude', 3.5, 'out_of_range', '评分应为 1 到 5 的整数'],
    ['attitude', '4', 'out_of_range', '评分应为 1 到 5 的整数'],
    ['wait', 601, 'out_of_range', '应在 0分钟 到 600分钟 之间'],
    ['wait', -1, 'out_of_range', '应在 0分钟 到 600分钟 之间'],
    ['wait', 1.5, 'invalid_type', '请填写整数'],
    ['wait', 'ten', 'invalid_type', '请填写数字'],
    ['wait', true, 'invalid_type', '请填写数字'],
    ['photos', [{ fileId: '9' }], 'capture_time_required', '照片须带拍摄时间'],
    ['photos', [{ fileId: '9', capturedAt: null }], 'capture_time_required', '照片须带拍摄时间'],
    [
      'photos',
      [
        { fileId: '1', capturedAt: AT },
        { fileId: '2', capturedAt: AT },
        { fileId: '3', capturedAt: AT },
      ],
      'out_of_range',
      '请上传 1 到 2 张照片',
    ],
    ['photos', 'a.jpg', 'invalid_type', '照片格式不正确'],
    ['photos', [{ fileId: 9, capturedAt: AT }], 'invalid_type', '照片格式不正确'],
    ['photos', [{ fileId: '9', capturedAt: '昨天' }], 'invalid_type', '照片格式不正确'],
    ['photos', [{ fileId: '9', capturedAt: '2026-02-30T10:00:00+08:00' }], 'invalid_type', '照片格式不正确'],
    ['photos', [{ fileId: '9', capturedAt: AT, url: 'wxfile://a.jpg' }], 'invalid_type', '照片格式不正确'],
  ];

  it.each(refused)('refuses %s = %j with %s', (id, value, code, message) => {
    expect(validateAnswers(formTemplateFixture(), withAnswer(id, value)).errors).toEqual([
      { field: `answers.${id}`, code, message },
    ]);
  });

  it('refuses text longer than maxLength, counting characters of the trimmed text', () => {
    const shown = withAnswer('queue', false);
    expect(validateAnswers(formTemplateFixture(), { ...shown, why: '排队全靠自觉，经常有人插队，现场非常混乱' }).errors).toEqual([
      { field: 'answers.why', code: 'too_long', message: '不能超过 10 个字' },
    ]);
    expect(codes({ ...shown, why: 42 })).toEqual([['answers.why', 'invalid_type']]);
    // Ten characters (emoji are one each, as the server counts) with blanks around: fine, sent trimmed.
    const check = validateAnswers(formTemplateFixture(), { ...shown, why: '  靠自觉😀😀😀😀😀😀😀  ' });
    expect(check.errors).toEqual([]);
    expect(check.answers.why).toBe('靠自觉😀😀😀😀😀😀😀');
  });

  it('accepts what fits every type', () => {
    const accepted: [string, unknown][] = [
      ['queue', false],
      ['guide', 'none'],
      ['channels', ['app']],
      ['attitude', 1],
      ['attitude', 5],
      ['wait', 0],
      ['wait', 600],
      ['photos', [{ fileId: '1', capturedAt: '2026-11-28T02:00:00Z' }, { fileId: '2', capturedAt: '2026-11-28T10:00:00.123+08:00' }]],
    ];
    for (const [id, value] of accepted) {
      const answers = id === 'queue' ? { ...withAnswer(id, value), why: '靠自觉' } : withAnswer(id, value);
      expect(`${id} ${JSON.stringify(value)}: ${JSON.stringify(codes(answers))}`).toBe(`${id} ${JSON.stringify(value)}: []`);
    }
  });

  it('applies the defaults and open bounds of each type', () => {
    const q: FormQuestion[] = [
      { id: 'n', type: 'number', title: '数', required: false },
      { id: 'low', type: 'number', title: '下限', required: false, min: 1.5 },
      { id: 't', type: 'text', title: '文', required: false },
      { id: 'p', type: 'photo', title: '照片', required: false },
      {
        id: 'm',
        type: 'multiple_choice',
        title: '多选',
        required: false,
        minSelected: 2,
        options: [
          { value: 'a', label: '甲' },
          { value: 'b', label: '乙' },
          { value: 'c', label: '丙' },
        ],
      },
    ];
    const t = templateOf(...q);
    // A number without `integer` takes fractions; without bounds, any number.
    expect(codes({ n: -3.25 }, t)).toEqual([]);
    expect(validateAnswers(t, { low: 1 }).errors.map((e) => e.message)).toEqual(['应在 1.5 到 ∞ 之间']);
    // Text: 500 characters by default.
    expect(codes({ t: '字'.repeat(500) }, t)).toEqual([]);
    expect(validateAnswers(t, { t: '字'.repeat(501) }).errors.map((e) => e.message)).toEqual(['不能超过 500 个字']);
    // Photos: at most 9 by default; capture time optional unless required.
    const photos = (n: number) => Array.from({ length: n }, (_, i) => ({ fileId: String(i) }));
    expect(codes({ p: photos(9) }, t)).toEqual([]);
    expect(validateAnswers(t, { p: photos(10) }).errors.map((e) => e.message)).toEqual(['请上传 0 到 9 张照片']);
    // Multiple choice: the message names the option count when there is no maxSelected.
    expect(validateAnswers(t, { m: ['a'] }).errors.map((e) => e.message)).toEqual(['请选择 2 到 3 项']);
    expect(codes({ m: ['a', 'c'] }, t)).toEqual([]);
  });

  it('reads the template as the server sends it, absent fields as null', () => {
    const t = withServerNulls(formTemplateFixture());
    expect(validateAnswers(t, good())).toEqual(validateAnswers(formTemplateFixture(), good()));
    expect(codes(withAnswer('wait', 601), t)).toEqual([['answers.wait', 'out_of_range']]);
    expect(codes(withAnswer('queue', false), t)).toEqual([['answers.why', 'required']]);
    expect(checkAnswer(questionsOf(t).find((q) => q.id === 'guide')!, 'vague')).toBeNull();
  });
});

describe('skip logic', () => {
  it('shows a question only while its condition holds', () => {
    const t = formTemplateFixture();
    expect(isVisible(t, 'why', good())).toBe(false);
    expect(isVisible(t, 'why', {})).toBe(false);
    expect(isVisible(t, 'why', withAnswer('queue', false))).toBe(true);
    expect(isVisible(t, 'queue', {})).toBe(true);
  });

  it('does not require a hidden required question, and drops its answer', () => {
    const t = formTemplateFixture();
    const check = validateAnswers(t, withAnswer('why', '随便排'));
    expect(check.errors).toEqual([]);
    expect(check.answers).not.toHaveProperty('why');
    // Shown again, it is required and its limit applies.
    expect(codes(withAnswer('queue', false))).toEqual([['answers.why', 'required']]);
  });

  it('follows chained conditions: hidden by a hidden question', () => {
    const t = templateOf(
      { id: 'a', type: 'yes_no', title: '甲', required: true },
      { id: 'b', type: 'single_choice', title: '乙', required: true, showIf: { questionId: 'a', equals: true }, options: [{ value: 'x', label: 'X' }, { value: 'y', label: 'Y' }] },
      { id: 'c', type: 'text', title: '丙', required: true, showIf: { questionId: 'b', in: ['x'] } },
    );
    expect([...visibleQuestionIds(t, { a: true, b: 'x' })]).toEqual(['a', 'b', 'c']);
    expect([...visibleQuestionIds(t, { a: true, b: 'y' })]).toEqual(['a', 'b']);
    // b's answer still says x, but b is hidden: so is c, and neither is required.
    expect([...visibleQuestionIds(t, { a: false, b: 'x' })]).toEqual(['a']);
    expect(validateAnswers(t, { a: false, b: 'x', c: '说明' })).toEqual({ answers: { a: false }, errors: [] });
    expect(validateAnswers(t, { a: true, b: 'x' }).errors.map((e) => e.field)).toEqual(['answers.c']);
    expect(keepVisible(t, { a: false, b: 'x', c: '说明', zzz: 1 })).toEqual({ a: false });
  });

  it('matches `in`, and any selected value of a multiple-choice answer', () => {
    const t = templateOf(
      {
        id: 'm',
        type: 'multiple_choice',
        title: '渠道',
        required: false,
        options: [
          { value: 'window', label: '窗口' },
          { value: 'app', label: '小程序' },
          { value: 'fax', label: '传真' },
        ],
      },
      { id: 'why', type: 'text', title: '为何', required: false, showIf: { questionId: 'm', in: ['fax', 'window'] } },
      { id: 'app', type: 'rating', title: '小程序好用吗', required: false, showIf: { questionId: 'm', equals: 'app' } },
      { id: 'n', type: 'number', title: '数', required: false },
      { id: 'big', type: 'text', title: '大', required: false, showIf: { questionId: 'n', in: [10, 20] } },
    );
    expect([...visibleQuestionIds(t, { m: ['app'] })]).toEqual(['m', 'app', 'n']);
    expect([...visibleQuestionIds(t, { m: ['app', 'fax'] })]).toEqual(['m', 'why', 'app', 'n']);
    expect([...visibleQuestionIds(t, { m: [] })]).toEqual(['m', 'n']);
    expect([...visibleQuestionIds(t, { n: 20 })]).toEqual(['m', 'n', 'big']);
    expect([...visibleQuestionIds(t, { n: '20' })]).toEqual(['m', 'n']);
  });

  it('hides a question whose condition names no question, or loops', () => {
    const t = templateOf(
      { id: 'a', type: 'text', title: '甲', required: true, showIf: { questionId: 'nope', equals: 'x' } },
      { id: 'b', type: 'text', title: '乙', required: true, showIf: { questionId: 'c', equals: 'x' } },
      { id: 'c', type: 'text', title: '丙', required: true, showIf: { questionId: 'b', equals: 'x' } },
    );
    expect([...visibleQuestionIds(t, { nope: 'x', b: 'x', c: 'x' })]).toEqual([]);
  });
});

describe('findings', () => {
  it('follow each rule, in template order (the server test\'s case)', () => {
    const t = formTemplateFixture();
    const answers = { ...good(), queue: false, why: '靠自觉', attitude: 2, guide: 'none' };
    const check = validateAnswers(t, answers);
    expect(check.errors).toEqual([]);
    expect(findings(t, check.answers)).toEqual(['queue', 'why', 'attitude', 'guide']);
    expect(findings(t, validateAnswers(t, withAnswer('attitude', 3)).answers)).toEqual([]);
  });

  it('"no": a yes/no answered no', () => {
    expect(isFinding({ when: 'no' }, false)).toBe(true);
    expect(isFinding({ when: 'no' }, true)).toBe(false);
    expect(isFinding({ when: 'no' }, undefined)).toBe(false);
  });

  it('"rating_at_most": a rating at or below the value', () => {
    const rule: FindingRule = { when: 'rating_at_most', value: 2 };
    expect([1, 2, 3, 5].map((r) => isFinding(rule, r))).toEqual([true, true, false, false]);
  });

  it('"any_text": any text that is not blank', () => {
    expect(isFinding({ when: 'any_text' }, '窗口无人')).toBe(true);
    expect(isFinding({ when: 'any_text' }, '  ')).toBe(false);
    expect(isFinding({ when: 'any_text' }, undefined)).toBe(false);
  });

  it('"option_in": a chosen option among the values, single or multiple', () => {
    const rule: FindingRule = { when: 'option_in', values: ['none', 'fax'] };
    expect(isFinding(rule, 'none')).toBe(true);
    expect(isFinding(rule, 'clear')).toBe(false);
    expect(isFinding(rule, ['window', 'fax'])).toBe(true);
    expect(isFinding(rule, ['window', 'app'])).toBe(false);
  });

  it('are none without a rule', () => {
    expect(isFinding(null, false)).toBe(false);
    expect(findings(formTemplateFixture(), { channels: ['window'], wait: 0 })).toEqual([]);
  });
});

describe('placeAnswerErrors', () => {
  it('puts answers.<id> next to its question and keeps the rest for the form', () => {
    const placed = placeAnswerErrors(formTemplateFixture(), [
      { field: 'answers.wait', code: 'out_of_range', message: '应在 0分钟 到 600分钟 之间' },
      { field: 'answers.wait', code: 'other', message: '第二条' },
      { field: 'answers.bogus', code: 'unknown_question', message: '表单中没有这个问题' },
      { field: 'taskId', code: 'closed', message: '任务已结束' },
    ]);
    expect(placed).toEqual({
      byQuestion: { wait: '应在 0分钟 到 600分钟 之间' },
      other: ['表单中没有这个问题', '任务已结束'],
    });
    expect(placeAnswerErrors(formTemplateFixture(), null)).toEqual({ byQuestion: {}, other: [] });
  });
});

describe('number input', () => {
  it('reads blank as no answer, plain decimals as numbers, anything else as text', () => {
    expect(parseNumberInput('  ')).toBeUndefined();
    expect(parseNumberInput('15')).toBe(15);
    expect(parseNumberInput(' -2.5 ')).toBe(-2.5);
    expect(parseNumberInput('1.')).toBe(1);
    expect(parseNumberInput('.5')).toBe(0.5);
    expect(parseNumberInput('1.2.3')).toBe('1.2.3');
    expect(parseNumberInput('1e3')).toBe('1e3');
    // Refused by the check with the server's message.
    expect(checkAnswer(question('wait'), parseNumberInput('1.2.3'))).toEqual({ code: 'invalid_type', message: '请填写数字' });
  });
});

describe('questionHint', () => {
  it('states the limits of choices, numbers and photos', () => {
    expect(questionHint(question('channels'))).toBe('最多选择 2 项');
    expect(questionHint(question('wait'))).toBe('请填写 0分钟 到 600分钟 之间的整数');
    expect(questionHint(question('photos'))).toBe('请上传 1 到 2 张照片，须带拍摄时间');
    expect(questionHint(question('queue'))).toBe('');
  });
});

describe('isRfc3339', () => {
  it('accepts the times the server reads and refuses others', () => {
    expect(['2026-11-28T10:00:00+08:00', '2026-11-28T02:00:00Z', '2026-11-28 10:00:00.5+08:00', '2024-02-29T00:00:00Z'].map(isRfc3339)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['2026-11-28', '2026-11-28T10:00:00', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-11-28T24:00:00Z'].map(isRfc3339)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
