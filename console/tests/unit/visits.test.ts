import { describe, expect, it } from 'vitest';
import {
  addDays,
  emptyVisit,
  inspectionRequest,
  knownEnterprises,
  lastVisitText,
  leadFirst,
  leniencyTag,
  overdueText,
  tierTheme,
  unitsText,
  visitRequest,
  type InspectionDraft,
} from '@/utils/visits';
import { coverageOption, inspectionRows, inspectionsOption } from '@/utils/dashboard';
import type { InspectionFigures, VisitCoverage } from '@/api/types';

const TODAY = '2026-12-05';

describe('the due list', () => {
  it('says 从未走访 for an enterprise never visited, else the day', () => {
    expect(lastVisitText({ lastVisit: null })).toBe('从未走访');
    expect(lastVisitText({ lastVisit: '2026-10-01' })).toBe('2026-10-01');
  });
  it('says how many days overdue, or due today', () => {
    expect(overdueText({ daysOverdue: 12 })).toBe('逾期 12 天');
    expect(overdueText({ daysOverdue: 0 })).toBe('今日到期');
  });
  it('makes 重点 stand out', () => {
    expect(tierTheme('key')).toBe('danger');
    expect(tierTheme('growth')).toBe('warning');
    expect(tierTheme('general')).toBe('default');
  });
});

describe('the visit form', () => {
  it('turns the fields into the request, empty need rows dropped', () => {
    const d = { ...emptyVisit(TODAY), peopleMet: ' 总经理 张伟 ', notes: '  ', needs: [{ environment: 'factor', title: ' 用工难 ', content: '招工难' }, { environment: '', title: '', content: ' ' }] };
    const r = visitRequest(d, TODAY);
    expect(r).toEqual({
      body: { kind: 'policy', visitedOn: TODAY, peopleMet: '总经理 张伟', policyIds: [], notes: null, needs: [{ environment: 'factor', title: '用工难', content: '招工难' }] },
    });
  });
  it('refuses a day after today, no one met, a half-filled need', () => {
    expect(visitRequest({ ...emptyVisit(TODAY), peopleMet: '张伟', visitedOn: '2026-12-06' }, TODAY)).toEqual({ error: '走访日期不能晚于今天' });
    expect(visitRequest(emptyVisit(TODAY), TODAY)).toEqual({ error: '请填写走访对象' });
    const half = { ...emptyVisit(TODAY), peopleMet: '张伟', needs: [{ environment: 'factor', title: '用工难', content: '' }] };
    expect(visitRequest(half, TODAY)).toEqual({ error: '第 1 项诉求请填写内容' });
    const noEnv = { ...emptyVisit(TODAY), peopleMet: '张伟', needs: [{ environment: '', title: '用工难', content: 'x' }] };
    expect(visitRequest(noEnv, TODAY)).toEqual({ error: '第 1 项诉求请选择营商环境' });
  });
});

describe('the inspection form', () => {
  const draft = (over: Partial<InspectionDraft> = {}): InspectionDraft => ({
    enterpriseId: '7',
    unitIds: ['1'],
    inspectors: ' 王强 37020012 ',
    purpose: '消防安全检查',
    legalBasis: '《消防法》第五十三条',
    inspectedOn: TODAY,
    ...over,
  });
  it('turns the fields into the request', () => {
    expect(inspectionRequest(draft(), TODAY, ['1'])).toEqual({
      body: { enterpriseId: '7', unitIds: ['1'], inspectors: '王强 37020012', purpose: '消防安全检查', legalBasis: '《消防法》第五十三条', inspectedOn: TODAY },
    });
  });
  it('keeps the day from today to 30 days ahead', () => {
    expect(addDays(TODAY, 30)).toBe('2027-01-04');
    expect('body' in inspectionRequest(draft({ inspectedOn: '2027-01-04' }), TODAY, null)).toBe(true);
    expect(inspectionRequest(draft({ inspectedOn: '2027-01-05' }), TODAY, null)).toEqual({ error: '检查日期应为今天起 30 天内（进入企业前登记）' });
    expect(inspectionRequest(draft({ inspectedOn: '2026-12-04' }), TODAY, null)).toEqual({ error: '检查日期应为今天起 30 天内（进入企业前登记）' });
  });
  it('needs an enterprise, 1–5 units, a handler’s own among them', () => {
    expect(inspectionRequest(draft({ enterpriseId: undefined }), TODAY, null)).toEqual({ error: '请选择被检查企业' });
    expect(inspectionRequest(draft({ unitIds: [] }), TODAY, null)).toEqual({ error: '请选择 1 至 5 个检查单位' });
    expect(inspectionRequest(draft({ unitIds: ['1', '2', '3', '4', '5', '6'] }), TODAY, null)).toEqual({ error: '请选择 1 至 5 个检查单位' });
    expect(inspectionRequest(draft({ unitIds: ['2'] }), TODAY, ['1'])).toEqual({ error: '只能登记本单位参与的检查' });
    expect('body' in inspectionRequest(draft({ unitIds: ['2'] }), TODAY, null)).toBe(true);
  });
  it('puts the handler’s own unit first (the lead)', () => {
    expect(leadFirst(['3', '1', '2'], ['2'])).toEqual(['2', '3', '1']);
    expect(leadFirst(['3', '1'], [])).toEqual(['3', '1']);
  });
  it('offers a handler the enterprises they know, once each, filtered by name', () => {
    const known = knownEnterprises([{ id: '2', name: '青岛海纳智能装备' }, null, { id: '1', name: '安信物流' }, { id: '2', name: '青岛海纳智能装备' }, undefined]);
    expect(known.map((e) => e.id)).toEqual(['1', '2']);
    expect(knownEnterprises(known, '海纳').map((e) => e.id)).toEqual(['2']);
  });
  it('names the units', () => {
    expect(unitsText({ units: [{ id: '1', name: '税务局' }, { id: '2', name: '消防救援大队' }] })).toBe('税务局、消防救援大队');
  });
});

describe('the leniency lists', () => {
  it('tags a published entry and a draft', () => {
    expect(leniencyTag({ published: true })).toEqual({ theme: 'success', label: '已发布' });
    expect(leniencyTag({ published: false })).toEqual({ theme: 'warning', label: '草稿' });
  });
});

describe('the dashboard’s new panels', () => {
  it('draws each tier’s enterprises, those visited and the visits', () => {
    const c: VisitCoverage = {
      from: '2026-01-01',
      to: TODAY,
      byTier: [
        { key: 'key', label: '重点', enterprises: 4, visited: 1, visits: 2, coverage: 0.25 },
        { key: 'general', label: '一般', enterprises: 0, visited: 0, visits: 0, coverage: null },
      ],
      byButler: [],
    };
    const o = coverageOption(c);
    expect(o.xAxis.data).toEqual(['重点', '一般']);
    expect(o.series.map((s) => s.data)).toEqual([[4, 0], [1, 0], [2, 0]]);
  });
  it('sums each unit’s quarters, joint inspections apart, and orders the rows', () => {
    const f: InspectionFigures = {
      from: '2026-01-01',
      to: TODAY,
      quarterLimit: 3,
      byUnit: [
        { unitId: '1', unitName: '税务局', quarter: '2026Q3', inspections: 2, joint: 1, jointShare: 0.5, ratedProper: 0, ratedImproper: 0 },
        { unitId: '1', unitName: '税务局', quarter: '2026Q4', inspections: 3, joint: 0, jointShare: 0, ratedProper: 1, ratedImproper: 0 },
        { unitId: '4', unitName: '消防救援大队', quarter: '2026Q4', inspections: 1, joint: 1, jointShare: 1, ratedProper: 0, ratedImproper: 1 },
      ],
      flagged: [],
    };
    const o = inspectionsOption(f);
    expect(o.yAxis.data).toEqual(['税务局', '消防救援大队']);
    expect(o.series[0]!.data).toEqual([4, 0]);
    expect(o.series[1]!.data).toEqual([1, 1]);
    expect(inspectionRows(f).map((r) => `${r.unitName} ${r.quarter}`)).toEqual(['税务局 2026Q4', '税务局 2026Q3', '消防救援大队 2026Q4']);
  });
});
