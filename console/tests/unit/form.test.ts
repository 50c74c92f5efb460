// The shared form cases (../api/tests/form_cases.json) through the form rules as the console
// builds them (`@form`: the mini-program's src/utils/form.ts, one source for both clients): the
// server (api/tests/form_cases.rs) and the mini-program (miniprogram/test/form-cases.test.ts) run
// the same file, so the three agree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FormTemplate } from '@/api/types';
import { findings, placeAnswerErrors, questionHint, validateAnswers, visibleQuestionIds, type DraftAnswers } from '@form';

interface SharedCase {
  name: string;
  answers: DraftAnswers;
  errors: { field: string; code: string }[];
  findings?: string[];
}

const shared = JSON.parse(readFileSync(join(import.meta.dirname, '../../../api/tests/form_cases.json'), 'utf8')) as {
  form: FormTemplate;
  base: DraftAnswers;
  cases: SharedCase[];
};

describe('the shared form cases', () => {
  it('are all there', () => {
    expect(shared.cases.length).toBeGreaterThanOrEqual(30);
    // Some cases expect errors and some findings: a file of passing cases alone proves little.
    expect(shared.cases.some((c) => c.errors.length > 0)).toBe(true);
    expect(shared.cases.some((c) => (c.findings ?? []).length > 0)).toBe(true);
  });

  it.each(shared.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const answers: DraftAnswers = { ...shared.base, ...c.answers };
    const checked = validateAnswers(shared.form, answers);
    expect(checked.errors.map(({ field, code }) => ({ field, code }))).toEqual(c.errors);
    if (c.findings && checked.errors.length === 0) {
      expect(findings(shared.form, checked.answers)).toEqual(c.findings);
    }
  });
});

describe('the preview helpers', () => {
  it('hides a question whose condition is not met and shows it when it is', () => {
    expect(visibleQuestionIds(shared.form, { queue: true }).has('why')).toBe(false);
    expect(visibleQuestionIds(shared.form, { queue: false }).has('why')).toBe(true);
  });

  it('places the server’s answer errors next to their questions', () => {
    const placed = placeAnswerErrors(shared.form, [
      { field: 'answers.wait', code: 'out_of_range', message: '超出范围' },
      { field: 'answers.nope', code: 'unknown_question', message: '没有这个问题' },
    ]);
    expect(placed.byQuestion).toEqual({ wait: '超出范围' });
    expect(placed.other).toEqual(['没有这个问题']);
  });

  it('says the limits of a number question', () => {
    expect(questionHint({ id: 'n', type: 'number', title: 'x', min: 0, max: 600, integer: true, unit: '分钟' })).toBe(
      '请填写 0分钟 到 600分钟 之间的整数',
    );
  });
});
