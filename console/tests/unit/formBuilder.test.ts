import { describe, expect, it } from 'vitest';
import type { FormTemplate } from '@/api/types';
import {
  allQuestions,
  canMove,
  changeType,
  cleanTemplate,
  conditionValues,
  earlierQuestions,
  findingRulesFor,
  makeShowIf,
  moveQuestion,
  moveQuestionTo,
  newQuestion,
  placeFormErrors,
  sameTemplate,
  showIfProblems,
  showIfValues,
} from '@/utils/formBuilder';

function form(): FormTemplate {
  return {
    sections: [
      {
        id: 's1',
        title: '一',
        questions: [
          { id: 'a', type: 'yes_no', title: 'A', required: true },
          { id: 'b', type: 'text', title: 'B', showIf: { questionId: 'a', equals: false } },
          { id: 'c', type: 'rating', title: 'C' },
        ],
      },
      { id: 's2', title: '二', questions: [{ id: 'd', type: 'single_choice', title: 'D', options: [{ value: 'x', label: 'X' }, { value: 'y', label: 'Y' }] }] },
    ],
  };
}
const ids = (t: FormTemplate) => t.sections.map((s) => s.questions.map((q) => q.id).join(''));

describe('moving questions', () => {
  it('moves up and down within a section', () => {
    expect(ids(moveQuestion(form(), 'c', -1))).toEqual(['acb', 'd']);
    expect(ids(moveQuestion(form(), 'a', 1))).toEqual(['bac', 'd']);
  });

  it('crosses into the neighbouring section at a section’s edge', () => {
    expect(ids(moveQuestion(form(), 'c', 1))).toEqual(['ab', 'cd']);
    expect(ids(moveQuestion(form(), 'd', -1))).toEqual(['abcd', '']);
  });

  it('does nothing at the edges of the form', () => {
    const t = form();
    expect(moveQuestion(t, 'a', -1)).toBe(t);
    expect(moveQuestion(t, 'd', 1)).toBe(t);
    expect(canMove(t, 'a', -1)).toBe(false);
    expect(canMove(t, 'a', 1)).toBe(true);
  });

  it('leaves the original untouched', () => {
    const t = form();
    moveQuestion(t, 'c', -1);
    expect(ids(t)).toEqual(['abc', 'd']);
  });

  it('drops a dragged question before another, or at a section’s end', () => {
    expect(ids(moveQuestionTo(form(), 'd', 'b'))).toEqual(['adbc', '']);
    expect(ids(moveQuestionTo(form(), 'a', null, 's2'))).toEqual(['bc', 'da']);
  });
});

describe('skip rules', () => {
  it('offer only earlier questions with a value to test', () => {
    expect(earlierQuestions(form(), 'c').map((q) => q.id)).toEqual(['a']);
    expect(earlierQuestions(form(), 'd').map((q) => q.id)).toEqual(['a', 'c']);
    expect(earlierQuestions(form(), 'a')).toEqual([]);
  });

  it('offer the values of the question named', () => {
    const [a, , c, d] = allQuestions(form());
    expect(conditionValues(a!).map((v) => v.value)).toEqual([true, false]);
    expect(conditionValues(c!).map((v) => v.value)).toEqual([1, 2, 3, 4, 5]);
    expect(conditionValues(d!).map((v) => v.value)).toEqual(['x', 'y']);
  });

  it('are `equals` for one value and `in` for several', () => {
    expect(makeShowIf('d', ['x'])).toEqual({ questionId: 'd', equals: 'x' });
    expect(makeShowIf('d', ['x', 'y'])).toEqual({ questionId: 'd', in: ['x', 'y'] });
    expect(showIfValues({ id: 'e', type: 'text', title: '', showIf: { questionId: 'd', in: ['x', 'y'] } })).toEqual(['x', 'y']);
  });

  it('are flagged once the question they name moves after them', () => {
    expect(showIfProblems(form())).toEqual({});
    const moved = moveQuestion(form(), 'b', -1);
    expect(Object.keys(showIfProblems(moved))).toEqual(['b']);
  });
});

describe('questions', () => {
  it('get fresh ids and the options a choice needs', () => {
    const q = newQuestion('single_choice', ['q1', 'q2']);
    expect(q.id).toBe('q3');
    expect(q.options).toHaveLength(2);
  });

  it('drop a finding rule their new type cannot have', () => {
    const q = changeType({ id: 'a', type: 'yes_no', title: 'A', finding: { when: 'no' }, weight: 2 }, 'rating');
    expect(q.finding).toBeUndefined();
    expect(q.weight).toBe(2);
    expect(findingRulesFor('rating')).toEqual(['rating_at_most']);
    expect(findingRulesFor('number')).toEqual([]);
  });

  it('are sent without the settings of other types', () => {
    const t: FormTemplate = {
      sections: [{ id: 's', title: ' 一 ', questions: [{ id: 'n', type: 'number', title: ' 等候 ', min: 0, maxLength: 5, options: [], unit: ' 分钟 ' }] }],
    };
    expect(cleanTemplate(t).sections[0]).toEqual({
      id: 's',
      title: '一',
      questions: [{ id: 'n', type: 'number', title: '等候', required: false, min: 0, unit: '分钟' }],
    });
    expect(sameTemplate(t, cleanTemplate(t))).toBe(true);
    expect(sameTemplate(t, moveQuestion(form(), 'a', 1))).toBe(false);
  });
});

describe('the server’s errors', () => {
  it('are placed next to the question or section they name', () => {
    const placed = placeFormErrors(form(), [
      { field: 'body.sections[0].questions[2].weight', code: 'out_of_range', message: '权重应在 0 到 100 之间' },
      { field: 'body.sections[1].title', code: 'required', message: '不能为空' },
      { field: 'title', code: 'required', message: '此项为必填项' },
    ]);
    expect(placed.questions).toEqual({ c: ['权重应在 0 到 100 之间'] });
    expect(placed.sections).toEqual({ s2: ['不能为空'] });
    expect(placed.other).toEqual(['表单名称：此项为必填项']);
  });
});
