import { describe, expect, it } from 'vitest';
import type { Clue, ClueFigures } from '@/api/types';
import {
  auditReason,
  caseBody,
  categoryOption,
  clueActions,
  clueDue,
  disposeBody,
  eventActor,
  feedbackBody,
  outcomeOption,
  parseClueQuery,
  personsRequired,
  personsShown,
  referBody,
  revealReasonError,
  toClueApiQuery,
  toClueRouteQuery,
} from '@/utils/clues';

const clue = (over: Partial<Clue> = {}): Pick<Clue, 'status' | 'anonymous' | 'dueAt' | 'overdue' | 'closedAt'> => ({
  status: 'received',
  anonymous: false,
  dueAt: '2026-12-09T23:59:59+08:00',
  overdue: false,
  closedAt: null,
  ...over,
});

describe('the actions a clue allows', () => {
  it('takes each stage once and in order: 受理 → 初核 → 处置', () => {
    expect(clueActions(clue({ status: 'received' }))).toEqual(['accept', 'feedback']);
    expect(clueActions(clue({ status: 'accepted' }))).toEqual(['check', 'feedback']);
    expect(clueActions(clue({ status: 'checking' }))).toEqual(['dispose', 'feedback']);
  });

  it('offers the typical case only once the clue is closed, and no stage then', () => {
    expect(clueActions(clue({ status: 'closed' }))).toEqual(['case', 'feedback']);
    for (const status of ['received', 'accepted', 'checking'] as const) {
      expect(clueActions(clue({ status }))).not.toContain('case');
    }
  });

  it('offers the audited reveal for an anonymous clue until its reporter is shown', () => {
    expect(clueActions(clue({ anonymous: true }))).toContain('reveal');
    expect(clueActions(clue({ anonymous: true, status: 'closed' }))).toContain('reveal');
    expect(clueActions(clue({ anonymous: true }), true)).not.toContain('reveal');
    expect(clueActions(clue({ anonymous: false }))).not.toContain('reveal');
  });
});

describe('the 处置 form', () => {
  it('shows the persons for every outcome but 予以了结, and requires them for 党纪政务处分', () => {
    expect(personsShown('sanction')).toBe(true);
    expect(personsShown('talk')).toBe(true);
    expect(personsShown('dismissed')).toBe(false);
    expect(personsShown(undefined)).toBe(false);
    expect(personsRequired('sanction')).toBe(true);
    expect(personsRequired('talk')).toBe(false);
    expect(personsRequired('dismissed')).toBe(false);
  });

  it('needs an outcome', () => {
    expect(disposeBody({ outcome: '', note: '' })).toBe('请选择处置方式');
  });

  it('needs 1–999 whole persons for a sanction', () => {
    expect(disposeBody({ outcome: 'sanction', persons: '', note: '' })).toBe('党纪政务处分须填写处分人数');
    expect(disposeBody({ outcome: 'sanction', persons: null, note: '' })).toBe('党纪政务处分须填写处分人数');
    expect(disposeBody({ outcome: 'sanction', persons: 0, note: '' })).toBe('人数须为 1 至 999 的整数');
    expect(disposeBody({ outcome: 'sanction', persons: 1.5, note: '' })).toBe('人数须为 1 至 999 的整数');
    expect(disposeBody({ outcome: 'sanction', persons: 1000, note: '' })).toBe('人数须为 1 至 999 的整数');
    expect(disposeBody({ outcome: 'sanction', persons: '2', note: ' 已处分 ' })).toEqual({ outcome: 'sanction', persons: 2, note: '已处分' });
  });

  it('sends no persons for 予以了结, whatever was typed before the outcome changed', () => {
    expect(disposeBody({ outcome: 'dismissed', persons: 3, note: '' })).toEqual({ outcome: 'dismissed', note: null });
  });

  it('lets the other outcomes name persons or not', () => {
    expect(disposeBody({ outcome: 'talk', persons: '', note: '' })).toEqual({ outcome: 'talk', note: null });
    expect(disposeBody({ outcome: 'first_form', persons: 1, note: '' })).toEqual({ outcome: 'first_form', persons: 1, note: null });
  });

  it('keeps the note to 500 characters', () => {
    expect(disposeBody({ outcome: 'talk', note: '说'.repeat(501) })).toBe('说明不超过 500 字');
  });
});

describe('the other forms', () => {
  it('asks for a reveal reason of 5–200 characters', () => {
    expect(revealReasonError('核查')).toBe('请至少用 5 个字说明查看身份的理由');
    expect(revealReasonError('   核查需要   ')).toBe('请至少用 5 个字说明查看身份的理由');
    expect(revealReasonError('核查需要联系反映人')).toBeNull();
    expect(revealReasonError('由'.repeat(201))).toBe('理由不超过 200 字');
  });

  it('checks the 突出问题反馈', () => {
    const ok = { unitId: '3', environment: 'service', title: ' 窗口推诿 ', content: ' 请整改 ' };
    expect(feedbackBody(ok)).toEqual({ unitId: '3', environment: 'service', title: '窗口推诿', content: '请整改' });
    expect(feedbackBody({ ...ok, unitId: undefined })).toBe('请选择反馈的单位');
    expect(feedbackBody({ ...ok, environment: 'weather' })).toBe('请选择营商环境类别');
    expect(feedbackBody({ ...ok, title: ' ' })).toBe('请填写标题');
    expect(feedbackBody({ ...ok, title: '题'.repeat(51) })).toBe('标题不超过 50 字');
    expect(feedbackBody({ ...ok, content: '' })).toBe('请填写反馈内容');
  });

  it('checks the 典型案例通报', () => {
    expect(caseBody({ title: '案例', body: '经过' })).toEqual({ title: '案例', body: '经过' });
    expect(caseBody({ title: '', body: '经过' })).toBe('请填写案例标题');
    expect(caseBody({ title: '题'.repeat(61), body: '经过' })).toBe('案例标题不超过 60 字');
    expect(caseBody({ title: '案例', body: ' ' })).toBe('请填写案例内容');
  });

  it('checks the 线索移送 of a demand', () => {
    expect(referBody({ category: undefined, note: '' })).toBe('请选择问题类别');
    expect(referBody({ category: 'bribery', note: '' })).toBe('请选择问题类别');
    expect(referBody({ category: 'extortion', note: '' })).toEqual({ category: 'extortion', note: null });
    expect(referBody({ category: 'other', note: ' 窗口索要好处 ' })).toEqual({ category: 'other', note: '窗口索要好处' });
  });
});

describe('the queue filters and the URL', () => {
  it('round-trips the filters', () => {
    const f = parseClueQuery({ tab: 'checking', category: 'extortion', track: 'fast', overdue: '1' });
    expect(f).toEqual({ tab: 'checking', category: 'extortion', track: 'fast', overdue: true });
    expect(parseClueQuery(toClueRouteQuery(f))).toEqual(f);
    expect(toClueApiQuery(f)).toEqual({ status: 'checking', category: 'extortion', fastTrack: true, overdue: true });
  });

  it('drops what is not valid and leaves the defaults out', () => {
    const f = parseClueQuery({ tab: 'lost', category: 'bribery', track: 'slow', overdue: 'yes' });
    expect(f).toEqual({ tab: 'all', category: undefined, track: undefined, overdue: false });
    expect(toClueRouteQuery(f)).toEqual({});
    expect(toClueApiQuery(f)).toEqual({});
    expect(toClueApiQuery({ tab: 'all', track: 'ordinary', overdue: false })).toEqual({ fastTrack: false });
  });
});

describe('the due time', () => {
  it('names the stage whose deadline it is', () => {
    expect(clueDue(clue({ status: 'received' })).label).toBe('受理时限');
    expect(clueDue(clue({ status: 'accepted' })).label).toBe('处置时限');
    expect(clueDue(clue({ status: 'checking', overdue: true }))).toMatchObject({ label: '处置时限', overdue: true });
  });

  it('shows when a closed clue closed, never overdue', () => {
    const d = clueDue(clue({ status: 'closed', overdue: true, closedAt: '2026-12-01T10:00:00+08:00' }));
    expect(d.label).toBe('办结时间');
    expect(d.overdue).toBe(false);
    expect(d.text).toMatch(/^2026-12-01 \d{2}:00$/);
  });
});

describe('the figures', () => {
  const figures: Pick<ClueFigures, 'byOutcome' | 'byCategory'> = {
    byOutcome: [
      { code: 'talk', label: '谈话函询', count: 1 },
      { code: 'sanction', label: '党纪政务处分', count: 2 },
      { code: 'dismissed', label: '予以了结', count: 0 },
    ],
    byCategory: [
      { code: 'extortion', label: '吃拿卡要', count: 1 },
      { code: 'buck_passing', label: '推诿扯皮', count: 2 },
    ],
  };

  it('draws the outcomes as bars, zeros included', () => {
    const o = outcomeOption(figures);
    expect(o.xAxis.data).toEqual(['谈话函询', '党纪政务处分', '予以了结']);
    expect(o.series[0]!.type).toBe('bar');
    expect(o.series[0]!.data).toEqual([1, 2, 0]);
    expect(o.aria.enabled).toBe(true);
  });

  it('draws the categories as bars', () => {
    const o = categoryOption(figures);
    expect(o.xAxis.data).toEqual(['吃拿卡要', '推诿扯皮']);
    expect(o.series[0]!.data).toEqual([1, 2]);
  });
});

describe('the history', () => {
  it('names the staff member, else the reporter for the report, else the system', () => {
    expect(eventActor({ action: 'accept', actorId: '9', actorName: '纪检监察室' })).toBe('纪检监察室');
    expect(eventActor({ action: 'check', actorId: '9', actorName: null })).toBe('用户 9');
    expect(eventActor({ action: 'report', actorId: null, actorName: null })).toBe('反映人');
    expect(eventActor({ action: 'dispose', actorId: null })).toBe('系统');
  });
});

describe('the clue audit log', () => {
  it('reads a reveal’s reason', () => {
    expect(auditReason({ reason: '核查需要联系反映人' })).toBe('核查需要联系反映人');
    expect(auditReason(null)).toBeNull();
    expect(auditReason({})).toBeNull();
  });
});
