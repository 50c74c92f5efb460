// The rules behind the inspection pages, pure (no page, no `wx`): where an inspection stands for
// me (待评价 / 已评价 / 检查后可评价), its row and its detail, the rating form's checks and body,
// and the rows of 免罚清单.
import { describe, expect, it } from '@jest/globals';

import {
  COMMENT_MAX,
  LENIENCY_LIST_OPTIONS,
  OBSERVATION_MAX,
  canObserve,
  canRate,
  commentCount,
  inspectionDetailView,
  inspectionRowView,
  isLeniencyFilter,
  leniencyView,
  observationCount,
  observationRequest,
  observerView,
  ratingRequest,
  ratingState,
  validateObservation,
  validateRating,
  type RatingFormValues,
} from '../src/subpackages/inspection/utils/inspection';
import { inspectionFixture, leniencyFixture } from './helpers/fake-wx';

const TODAY = '2026-11-28';

function values(overrides: Partial<RatingFormValues> = {}): RatingFormValues {
  return { proper: true, comment: '', complaint: false, ...overrides };
}

const rating = { proper: false, comment: '未出示执法证件', demandId: '42', createdAt: '2026-11-27T16:30:00Z' };

describe('ratingState', () => {
  it('is rated once I rated, due from the day on, upcoming before it', () => {
    expect(ratingState(inspectionFixture({ myRating: rating }), TODAY)).toBe('rated');
    expect(ratingState(inspectionFixture({ inspectedOn: TODAY }), TODAY)).toBe('due');
    expect(ratingState(inspectionFixture({ inspectedOn: '2026-11-01' }), TODAY)).toBe('due');
    expect(ratingState(inspectionFixture({ inspectedOn: '2026-11-29' }), TODAY)).toBe('upcoming');
  });
});

describe('inspectionRowView', () => {
  it('shows the day, the units (lead first), joint, why and the state', () => {
    expect(inspectionRowView(inspectionFixture(), TODAY)).toEqual({
      id: '31',
      date: '2026-11-20',
      units: '青岛市市场监督管理局、青岛市消防救援支队',
      joint: true,
      purpose: '食品经营许可现场核查',
      state: 'due',
      stateLabel: '待评价',
    });
    const single = inspectionRowView(
      inspectionFixture({ units: [{ id: '4', name: '青岛市市场监督管理局' }], joint: false, myRating: rating }),
      TODAY,
    );
    expect([single.units, single.joint, single.stateLabel]).toEqual(['青岛市市场监督管理局', false, '已评价']);
    expect(inspectionRowView(inspectionFixture({ inspectedOn: '2026-12-02' }), TODAY).stateLabel).toBe('检查后可评价');
  });
});

describe('inspectionDetailView', () => {
  it('adds who, the basis, the counts and my rating (China time, the demand of a complaint)', () => {
    const v = inspectionDetailView(inspectionFixture({ myRating: rating, ratedImproper: 1 }), TODAY);
    expect([v.enterpriseName, v.inspectors, v.legalBasis, v.ratedProper, v.ratedImproper]).toEqual([
      '海纳智能科技有限公司',
      '王五（执法证号 37020001）、赵六（执法证号 37020002）',
      '《食品安全法》第八十七条',
      2,
      1,
    ]);
    expect(v.myRating).toEqual({ properLabel: '不规范', proper: false, comment: '未出示执法证件', demandId: '42', date: '2026-11-28' });
    const plain = inspectionDetailView(
      inspectionFixture({ myRating: { proper: true, comment: null, demandId: null, createdAt: '2026-11-21T09:00:00+08:00' } }),
      TODAY,
    );
    expect(plain.myRating).toEqual({ properLabel: '规范', proper: true, comment: '', demandId: '', date: '2026-11-21' });
    expect(inspectionDetailView(inspectionFixture(), TODAY).myRating).toBeNull();
  });
});

describe('validateRating', () => {
  it('asks for the choice', () => {
    expect(validateRating(values({ proper: null }))).toEqual({ proper: '请选择检查是否规范' });
    expect(validateRating(values({ proper: false }))).toEqual({});
  });

  it('requires the comment of a complaint, in the server\'s words, blank counting as none', () => {
    expect(validateRating(values({ complaint: true, comment: ' \n ' }))).toEqual({ comment: '投诉请说明情况' });
    expect(validateRating(values({ proper: false, complaint: true, comment: '未出示执法证件' }))).toEqual({});
    expect(validateRating(values({ comment: '' }))).toEqual({});
  });

  it('counts the comment as the server does: trimmed, by character, at most 1000', () => {
    expect(commentCount(' 😀检查 ')).toBe(3);
    expect(validateRating(values({ comment: `  ${'😀'.repeat(COMMENT_MAX)}  ` }))).toEqual({});
    expect(validateRating(values({ comment: '字'.repeat(COMMENT_MAX + 1) }))).toEqual({ comment: '评价说明不能超过 1000 个字' });
  });
});

describe('ratingRequest', () => {
  it('sends the choice, the complaint flag and the trimmed comment only when given', () => {
    expect(ratingRequest(values())).toEqual({ proper: true, complaint: false });
    expect(ratingRequest(values({ proper: false, complaint: true, comment: '  未出示执法证件 ' }))).toEqual({
      proper: false,
      complaint: true,
      comment: '未出示执法证件',
    });
  });
});

describe('免罚清单', () => {
  it('offers both lists and each one, and knows its filters', () => {
    expect(LENIENCY_LIST_OPTIONS.map((o) => o.label)).toEqual(['全部', '轻微违法免罚', '首违不罚']);
    expect(['', 'minor', 'first'].every(isLeniencyFilter)).toBe(true);
    expect([isLeniencyFilter('all'), isLeniencyFilter(undefined)]).toEqual([false, false]);
  });

  it('shows the offence, the basis, the conditions, the unit and the list', () => {
    expect(leniencyView(leniencyFixture())).toEqual({
      id: '51',
      list: 'minor',
      listLabel: '轻微违法免罚',
      item: '未按规定公示营业执照',
      legalBasis: '《市场主体登记管理条例》第四十八条',
      conditions: '首次被发现且在责令期限内改正',
      unitName: '青岛市市场监督管理局',
    });
    expect(leniencyView(leniencyFixture({ list: 'first', listLabel: '' })).listLabel).toBe('首违不罚');
  });
});

describe('the invited observers', () => {
  const observers = [
    { userId: '8', name: '体验官李四', observation: '检查规范', observedAt: '2026-11-28T02:00:00Z' },
    { userId: '9', name: null, observation: null, observedAt: null },
  ];

  it('shows each with what they observed and when, or that they have not yet', () => {
    expect(observers.map(observerView)).toEqual([
      { userId: '8', name: '体验官李四', observed: true, observation: '检查规范', date: '2026-11-28 10:00' },
      { userId: '9', name: '受邀观察员', observed: false, observation: '', date: '' },
    ]);
  });

  it('lets an invited observer observe once, and only the enterprise\'s members rate', () => {
    const i = inspectionFixture({ observers });
    expect([canObserve(i, '9'), canObserve(i, '8'), canObserve(i, '1'), canObserve(i, null)]).toEqual([true, false, false, false]);
    expect([canRate(i, '7'), canRate(i, '6'), canRate(i, null)]).toEqual([true, false, false]);
  });

  it('checks the observation is given and within 2000 characters, counted trimmed', () => {
    expect(OBSERVATION_MAX).toBe(2000);
    expect(observationCount('  检查规范 ')).toBe(4);
    expect(validateObservation('   ')).toBe('请填写您观察到的情况');
    expect(validateObservation('好'.repeat(2000))).toBe('');
    expect(validateObservation('好'.repeat(2001))).toBe('观察情况不能超过 2000 个字');
    expect(observationRequest('  检查规范 ')).toEqual({ observation: '检查规范' });
  });
});
