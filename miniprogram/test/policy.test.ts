// The policy pages' pure helpers (card, query, segments, 明白纸, phone numbers) and the
// new-policy subscribe message (template, once-a-day prompt) against the fake `wx`.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { config } from '../src/config';
import type { MatchReason, MatchedPolicy, Policy } from '../src/types/api';
import {
  applyByText,
  contactParts,
  heldReasonTexts,
  mergeSegments,
  activeFilterCount,
  filtersError,
  noFilters,
  normalizeQuery,
  searchQuery,
  policyCardView,
  policyDetailView,
  previewText,
  searchHitView,
  segmentsText,
} from '../src/subpackages/policy/utils/policy';
import * as session from '../src/utils/session';
import {
  POLICY_ASKED_KEY,
  POLICY_ASK_INTERVAL_MS,
  askPolicySubscription,
  demandTemplateId,
  loadDemandTemplateId,
  loadPolicyTemplateId,
  policyPromptDue,
  policyTemplateId,
  resetTemplateIds,
} from '../src/utils/subscribe';
import { installFakeWx, userFixture, type FakeWx } from './helpers/fake-wx';

const reason = (kind: MatchReason['kind'], held: boolean, text: string): MatchReason => ({ kind, held, text });

function matched(overrides: Partial<MatchedPolicy> = {}): MatchedPolicy {
  return {
    id: '12',
    title: '高新技术企业认定奖励',
    issuer: '青岛市科技局',
    publishedOn: '2026-10-01',
    applyBy: '2026-12-31',
    forWhom: '通过高新技术企业认定的企业',
    reasons: [],
    sharedTags: [],
    ...overrides,
  };
}

function policy(overrides: Partial<Policy> = {}): Policy {
  return {
    id: '12',
    title: '高新技术企业认定奖励',
    issuer: '青岛市科技局',
    docNumber: '青科字〔2026〕8号',
    publishedOn: '2026-10-01',
    effectiveOn: '2026-10-15',
    expiresOn: null,
    applyBy: '2026-12-31',
    explainer: { forWhom: '高新技术企业', benefits: '一次性奖励 20 万元', howToApply: '登录政务网申报', contact: '市科技局 0532-85911234' },
    fullText: '第一条 为鼓励企业创新。',
    tags: ['科技创新', '奖励'],
    conditions: { qualifications: ['high_tech'] },
    attachments: [],
    status: 'published',
    ...overrides,
  };
}

describe('heldReasonTexts', () => {
  it('keeps the held reasons in server order, each once, and drops those not held', () => {
    expect(
      heldReasonTexts([
        reason('qualification', true, '具备高新技术企业资质'),
        reason('scale', false, '规模以上企业'),
        reason('district', true, '注册在崂山区'),
        reason('tag', true, ' 具备高新技术企业资质 '),
      ]),
    ).toEqual(['具备高新技术企业资质', '注册在崂山区']);
  });

  it('leaves out 「面向全部企业」 once a specific reason holds, and keeps it when alone', () => {
    const everyone = reason('everyone', true, '面向全部企业');
    expect(heldReasonTexts([everyone, reason('industry', true, '属于制造业')])).toEqual(['属于制造业']);
    expect(heldReasonTexts([everyone, reason('industry', false, '属于制造业')])).toEqual(['面向全部企业']);
    expect(heldReasonTexts([reason('age', true, '  ')])).toEqual([]);
  });
});

describe('policyCardView', () => {
  it('shows the deadline, the held reasons and the shared tags', () => {
    const card = policyCardView(
      matched({
        reasons: [reason('qualification', true, '具备高新技术企业资质'), reason('scale', false, '小微企业')],
        sharedTags: ['科技创新', '科技创新', ' '],
      }),
    );
    expect(card).toEqual({
      id: '12',
      title: '高新技术企业认定奖励',
      issuer: '青岛市科技局',
      applyBy: '申报截止：2026-12-31',
      reasons: ['具备高新技术企业资质'],
      tags: ['科技创新'],
      hasWhy: true,
    });
  });

  it('says nothing about a deadline or why when there is none', () => {
    const card = policyCardView(matched({ applyBy: null, reasons: [reason('scale', false, '小微企业')] }));
    expect(card.applyBy).toBe('');
    expect(card.hasWhy).toBe(false);
    expect(applyByText(undefined)).toBe('');
    expect(applyByText('2027-01-15')).toBe('申报截止：2027-01-15');
  });
});

describe('normalizeQuery', () => {
  it('trims and joins white space, full-width spaces included', () => {
    expect(normalizeQuery('  高新\u3000\u3000补贴 \n 税收 ')).toBe('高新 补贴 税收');
    expect(normalizeQuery(' \u3000 ')).toBe('');
    expect(normalizeQuery(undefined)).toBe('');
  });
});

describe('search filters', () => {
  it('make the query: unset filters left out, text trimmed', () => {
    expect(searchQuery('人才', noFilters())).toEqual({ q: '人才', limit: 20 });
    expect(
      searchQuery('人才', { issuer: ' 市人社局\u3000', tag: '  ', status: 'expired', from: '2026-01-01', to: '' }),
    ).toEqual({ q: '人才', limit: 20, issuer: '市人社局', status: 'expired', from: '2026-01-01' });
  });

  it('count what is set and refuse a reversed date range', () => {
    expect(activeFilterCount(noFilters())).toBe(0);
    expect(activeFilterCount({ issuer: ' ', tag: '人才', status: 'published', from: '2026-01-01', to: '2026-01-01' })).toBe(4);
    expect(filtersError({ ...noFilters(), from: '2026-01-01', to: '2026-01-01' })).toBe('');
    expect(filtersError({ ...noFilters(), from: '2026-01-02' })).toBe('');
    expect(filtersError({ ...noFilters(), from: '2026-01-02', to: '2026-01-01' })).toBe('开始日期不能晚于结束日期');
  });
});

describe('segments', () => {
  it('drops empty segments and joins neighbours of the same kind', () => {
    expect(
      mergeSegments([
        { text: '关于', hit: false },
        { text: '', hit: true },
        { text: '高新', hit: true },
        { text: '技术', hit: true },
        { text: '企业', hit: false },
        { text: '的通知', hit: false },
      ]),
    ).toEqual([
      { text: '关于', hit: false },
      { text: '高新技术', hit: true },
      { text: '企业的通知', hit: false },
    ]);
    expect(mergeSegments(null)).toEqual([]);
  });

  it('does not change the segments it is given', () => {
    const given = [
      { text: 'a', hit: true },
      { text: 'b', hit: true },
    ];
    mergeSegments(given);
    expect(given).toEqual([
      { text: 'a', hit: true },
      { text: 'b', hit: true },
    ]);
  });

  it('reads a search hit: merged title and snippet, issuer and date', () => {
    const view = searchHitView({
      id: '12',
      issuer: '青岛市科技局',
      status: 'published',
      publishedOn: null,
      score: 3.2,
      title: [
        { text: '高新', hit: true },
        { text: '技术', hit: true },
        { text: '企业认定奖励', hit: false },
      ],
      snippet: [{ text: '……奖励 20 万元', hit: false }],
    });
    expect(view).toEqual({
      id: '12',
      title: [
        { text: '高新技术', hit: true },
        { text: '企业认定奖励', hit: false },
      ],
      snippet: [{ text: '……奖励 20 万元', hit: false }],
      meta: '青岛市科技局',
    });
    expect(segmentsText(view.title)).toBe('高新技术企业认定奖励');
  });
});

describe('contactParts', () => {
  it('finds landlines, mobiles and hotlines, dialled without dashes', () => {
    expect(contactParts('市科技局 0532-85911234，王老师13800001111；或拨打12345')).toEqual([
      { text: '市科技局 ', phone: '' },
      { text: '0532-85911234', phone: '053285911234' },
      { text: '，王老师', phone: '' },
      { text: '13800001111', phone: '13800001111' },
      { text: '；或拨打', phone: '' },
      { text: '12345', phone: '12345' },
    ]);
  });

  it('leaves text without a number, and longer digit runs, alone', () => {
    expect(contactParts('请到政务大厅 3 号窗口咨询')).toEqual([{ text: '请到政务大厅 3 号窗口咨询', phone: '' }]);
    expect(contactParts('编号 123456789')).toEqual([{ text: '编号 123456789', phone: '' }]);
    expect(contactParts('')).toEqual([]);
  });
});

describe('policyDetailView', () => {
  it('lists 文号 and the dates it has, in order, and the four sections', () => {
    const view = policyDetailView(policy());
    expect(view.meta).toEqual([
      { label: '文号', value: '青科字〔2026〕8号' },
      { label: '发布日期', value: '2026-10-01' },
      { label: '生效日期', value: '2026-10-15' },
      { label: '申报截止', value: '2026-12-31' },
    ]);
    expect(view.sections.map((s) => [s.label, s.text])).toEqual([
      ['适用对象', '高新技术企业'],
      ['支持内容', '一次性奖励 20 万元'],
      ['申报方式', '登录政务网申报'],
      ['咨询电话', '市科技局 0532-85911234'],
    ]);
    expect(view.contact.filter((p) => p.phone !== '').map((p) => p.phone)).toEqual(['053285911234']);
    expect(view.tags).toEqual(['科技创新', '奖励']);
    expect(view.fullTextLong).toBe(false);
    expect(view.fullTextPreview).toBe('第一条 为鼓励企业创新。');
  });

  it('marks missing sections 「暂无」 and leaves out missing meta', () => {
    const view = policyDetailView(
      policy({ docNumber: null, effectiveOn: null, applyBy: null, explainer: { forWhom: '', benefits: '补贴', howToApply: ' ', contact: '' } }),
    );
    expect(view.meta.map((m) => m.label)).toEqual(['发布日期']);
    expect(view.sections.map((s) => [s.text, s.missing])).toEqual([
      ['暂无', true],
      ['补贴', false],
      ['暂无', true],
      ['暂无', true],
    ]);
    expect(view.contact).toEqual([]);
  });

  it('collapses a long full text to its first 120 characters', () => {
    const long = '政'.repeat(121);
    const view = policyDetailView(policy({ fullText: long }));
    expect(view.fullTextLong).toBe(true);
    expect(view.fullTextPreview).toBe(`${'政'.repeat(120)}…`);
    expect(view.fullText).toBe(long);
    // Characters, not UTF-16 units: a character outside the BMP is never cut in half.
    expect(previewText('𠮷𠮷𠮷', 2)).toBe('𠮷𠮷…');
  });
});

describe('new-policy subscribe message', () => {
  let wxFake: FakeWx;
  const NOW = Date.parse('2026-11-28T10:00:00+08:00');

  beforeEach(() => {
    wxFake = installFakeWx();
    session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
    resetTemplateIds();
  });

  afterEach(() => {
    config.policyTemplateId = null;
    config.demandTemplateId = null;
  });

  const state = { demandCredits: 0, demandTemplateId: 'tpl-demand', policyCredits: 1, policyTemplateId: 'tpl-policy', templates: [] };

  it('learns both templates from one empty report', async () => {
    wxFake.on('POST /me/subscriptions', () => ({ statusCode: 200, data: state }));

    expect(policyTemplateId()).toBeNull();
    expect(await loadPolicyTemplateId()).toBe('tpl-policy');
    expect(await loadDemandTemplateId()).toBe('tpl-demand');

    expect(wxFake.calls('POST /me/subscriptions').map((r) => r.data)).toEqual([{ accepted: [] }]);
    expect(policyTemplateId()).toBe('tpl-policy');
    expect(demandTemplateId()).toBe('tpl-demand');
  });

  it('reads a missing policy template as none, and prefers the configured one', async () => {
    wxFake.on('POST /me/subscriptions', () => ({ statusCode: 200, data: { demandCredits: 0, demandTemplateId: 'tpl-demand', policyCredits: 0, templates: [] } }));
    expect(await loadPolicyTemplateId()).toBeNull();

    config.policyTemplateId = 'tpl-config';
    expect(await loadPolicyTemplateId()).toBe('tpl-config');
    expect(policyTemplateId()).toBe('tpl-config');
    expect(wxFake.calls('POST /me/subscriptions')).toHaveLength(1);
  });

  it('asks at most once a day, and not at all without a template', async () => {
    expect(await askPolicySubscription(NOW)).toEqual([]);
    expect(wxFake.subscribeRequests).toEqual([]);

    config.policyTemplateId = 'tpl-policy';
    wxFake.subscribeAnswers = { 'tpl-policy': 'accept' };
    expect(await askPolicySubscription(NOW)).toEqual(['tpl-policy']);
    expect(wxFake.storage.get(POLICY_ASKED_KEY)).toBe(NOW);

    expect(policyPromptDue(NOW + POLICY_ASK_INTERVAL_MS - 1)).toBe(false);
    expect(await askPolicySubscription(NOW + 3600 * 1000)).toEqual([]);
    expect(await askPolicySubscription(NOW + POLICY_ASK_INTERVAL_MS)).toEqual(['tpl-policy']);

    expect(wxFake.subscribeRequests).toEqual([['tpl-policy'], ['tpl-policy']]);
  });

  it('asks again when the stored time is in the future (the clock was changed)', () => {
    wxFake.storage.set(POLICY_ASKED_KEY, NOW + 1000);
    expect(policyPromptDue(NOW)).toBe(true);
  });
});
