// Supervision activities (utils/supervision.ts): the record form and its extra fields, the body
// sent, the list's cards, and the demand filed for an enterprise met.
import { describe, expect, it } from '@jest/globals';

import { validateAnswers } from '../src/utils/form';
import {
  activityDemandRequest,
  activityDemandStart,
  activityDemandTemplate,
  activityFormTemplate,
  activityKindLabel,
  activityRequest,
  activityView,
  checkActivityExtras,
  toggleEnterprise,
} from '../src/subpackages/event/utils/supervision';
import { activityFixture } from './helpers/fake-wx';

const met = [
  { id: '7', name: '青岛某某有限公司' },
  { id: '8', name: '海纳智能' },
];

describe('the activity record form', () => {
  const template = activityFormTemplate();

  it('asks for the kind (走访 / 座谈 / 检查), place, notes and photos', () => {
    const questions = template.sections[0]!.questions;
    expect(questions.map((q) => [q.id, q.type, q.required])).toEqual([
      ['kind', 'single_choice', true],
      ['place', 'text', true],
      ['notes', 'text', false],
      ['photos', 'photo', false],
    ]);
    expect(questions[0]!.options).toEqual([
      { value: 'visit', label: '走访' },
      { value: 'forum', label: '座谈' },
      { value: 'inspection', label: '检查' },
    ]);
    expect([questions[1]!.maxLength, questions[2]!.maxLength, questions[3]!.maxCount]).toEqual([100, 2000, 9]);
    expect(validateAnswers(template, {}).errors.map((e) => e.field)).toEqual(['answers.kind', 'answers.place']);
  });

  it('checks the date (picked, not after today) and the enterprises met', () => {
    expect(checkActivityExtras({ date: '', enterprises: [] }, '2026-11-28')).toEqual({ date: '请选择活动日期', enterpriseIds: '请选择走访的企业' });
    expect(checkActivityExtras({ date: '2026-11-29', enterprises: met }, '2026-11-28')).toEqual({ date: '活动日期不能晚于今天' });
    expect(checkActivityExtras({ date: '2026-11-28', enterprises: met }, '2026-11-28')).toEqual({});
  });

  it('builds the body of POST /supervision-activities', () => {
    const { answers } = validateAnswers(template, {
      kind: 'forum',
      place: ' 市工商联 ',
      notes: ' 企业反映用工难 ',
      photos: [{ fileId: '11', capturedAt: '2026-11-27T08:00:00.000Z' }],
    });
    expect(activityRequest(answers, { date: '2026-11-27', enterprises: met })).toEqual({
      kind: 'forum',
      date: '2026-11-27',
      place: '市工商联',
      enterpriseIds: ['7', '8'],
      notes: '企业反映用工难',
      photos: ['11'],
    });
    // Notes may be left empty: the server takes an empty string.
    expect(activityRequest({ kind: 'visit', place: '园区' }, { date: '2026-11-27', enterprises: met.slice(0, 1) })).toEqual({
      kind: 'visit',
      date: '2026-11-27',
      place: '园区',
      enterpriseIds: ['7'],
      notes: '',
    });
  });

  it('adds an enterprise picked from the search, and removes it when picked again', () => {
    const one = toggleEnterprise([], met[0]!);
    const two = toggleEnterprise(one, met[1]!);
    expect(two.map((e) => e.id)).toEqual(['7', '8']);
    expect(toggleEnterprise(two, { id: '7', name: '青岛某某有限公司' }).map((e) => e.id)).toEqual(['8']);
  });
});

describe('the activity list', () => {
  it('draws an activity with its kind, enterprises and what came of it', () => {
    expect(activityView(activityFixture({ photos: ['11', '12'], demandIds: ['101'] }))).toEqual({
      id: '81',
      kindLabel: '走访',
      date: '2026-11-27',
      place: '崂山区某某园区',
      enterprises: met,
      notes: '了解用工情况',
      photos: 2,
      demands: 1,
      createdAt: '2026-11-27 16:00',
    });
    expect([activityKindLabel('inspection'), activityKindLabel('other')]).toEqual(['检查', 'other']);
  });
});

describe('a demand for an enterprise met', () => {
  it('asks for kind, environment, title (≤ 50) and content (≤ 2000), all required', () => {
    const template = activityDemandTemplate('海纳智能');
    expect(template.sections[0]!.title).toBe('代「海纳智能」提交诉求');
    const questions = template.sections[0]!.questions;
    expect(questions.map((q) => [q.id, q.type, q.required, q.maxLength ?? null])).toEqual([
      ['kind', 'single_choice', true, null],
      ['environment', 'single_choice', true, null],
      ['title', 'text', true, 50],
      ['content', 'text', true, 2000],
    ]);
    expect(validateAnswers(template, activityDemandStart()).errors.map((e) => e.field)).toEqual([
      'answers.environment',
      'answers.title',
      'answers.content',
    ]);
  });

  it('builds the body of POST /supervision-activities/{id}/demands', () => {
    const { answers } = validateAnswers(activityDemandTemplate(''), {
      kind: 'problem',
      environment: 'factor',
      title: ' 用工难 ',
      content: ' 招不到熟练技工 ',
    });
    expect(activityDemandRequest('8', answers)).toEqual({
      enterpriseId: '8',
      kind: 'problem',
      environment: 'factor',
      title: '用工难',
      content: '招不到熟练技工',
    });
  });
});
