import { describe, expect, it } from 'vitest';
import { conditionsKey, conditionsRequest, draftOf, emptyDraft, policyFieldKey, policyRequest, splitList, yearsProblem } from '@/utils/policy';

describe('the conditions as sent', () => {
  it('trims, upper-cases and deduplicates industry codes; splits the typed lists', () => {
    const c = conditionsRequest({
      industries: [' c ', 'I65', 'C'],
      scales: ['micro', 'small', 'micro'],
      minYears: ' 2 ',
      maxYears: '',
      qualifications: '高新技术企业，专精特新、 高新技术企业',
      districts: '黄岛区\n;',
    });
    expect(c).toEqual({
      industries: ['C', 'I65'],
      scales: ['micro', 'small'],
      minYears: 2,
      maxYears: null,
      qualifications: ['高新技术企业', '专精特新'],
      districts: ['黄岛区'],
    });
  });

  it('empty conditions admit everyone', () => {
    expect(conditionsRequest(emptyDraft().conditions)).toEqual({ industries: [], scales: [], minYears: null, maxYears: null, qualifications: [], districts: [] });
  });

  it('say what is wrong with the years', () => {
    const c = emptyDraft().conditions;
    expect(yearsProblem({ ...c, minYears: '1.5' })).toBe('成立年限下限应为不小于 0 的整数');
    expect(yearsProblem({ ...c, minYears: '5', maxYears: '2' })).toBe('成立年限下限不能大于上限');
    expect(yearsProblem({ ...c, minYears: '2', maxYears: '5' })).toBeNull();
  });

  it('compare as sets: another order is the same key, another value is not', () => {
    const a = conditionsRequest({ ...emptyDraft().conditions, industries: ['C', 'I'], qualifications: '甲，乙' });
    const b = conditionsRequest({ ...emptyDraft().conditions, industries: ['I', 'C'], qualifications: '乙，甲' });
    const c = conditionsRequest({ ...emptyDraft().conditions, industries: ['I'] });
    expect(conditionsKey(a)).toBe(conditionsKey(b));
    expect(conditionsKey(a)).not.toBe(conditionsKey(c));
  });
});

describe('the policy as sent', () => {
  it('round-trips a saved policy through the editor', () => {
    const d = emptyDraft();
    Object.assign(d, { title: ' 首贷贴息 ', issuer: '金融局', forWhom: '小微', benefits: '贴息', howToApply: '网上', contact: '电话', tags: '融资，小微', applyBy: '2027-06-30' });
    d.conditions.scales = ['micro'];
    const body = policyRequest(d);
    expect(body).toMatchObject({ title: '首贷贴息', docNumber: null, applyBy: '2027-06-30', tags: ['融资', '小微'], attachments: [] });
    const saved = { ...body, id: '9', status: 'draft' as const, fullText: '', tags: body.tags!, conditions: body.conditions!, attachments: [] };
    expect(policyRequest(draftOf(saved))).toEqual(body);
  });

  it('places the server’s field errors', () => {
    expect(policyFieldKey('conditions.industries[0]')).toBe('conditions');
    expect(policyFieldKey('explainer.contact')).toBe('contact');
    expect(policyFieldKey('title')).toBe('title');
    expect(splitList(' , ')).toEqual([]);
  });
});
