import { describe, expect, it } from 'vitest';
import { deadlineView, formatDateTime } from '@/utils/deadline';

const at = '2026-12-07T23:59:59+08:00';

describe('working days left', () => {
  it('counts the days left', () => {
    expect(deadlineView({ kind: 'reply', at, workingDaysLeft: 3 })).toMatchObject({ text: '剩 3 个工作日', tone: 'ok' });
    expect(deadlineView({ kind: 'accept', at, workingDaysLeft: 1 })).toMatchObject({ text: '剩 1 个工作日', tone: 'soon' });
    expect(deadlineView({ kind: 'sign', at, workingDaysLeft: 0 })).toMatchObject({ text: '今日到期', tone: 'today' });
  });

  it('shows overdue in days late, in the overdue tone', () => {
    const v = deadlineView({ kind: 'reply', at, workingDaysLeft: -2 });
    expect(v.text).toBe('超期 2 个工作日');
    expect(v.tone).toBe('overdue');
    expect(v.title).toContain('答复已超期');
  });

  it('trusts the overdue flag of the demand even on the last day', () => {
    expect(deadlineView({ kind: 'reply', at, workingDaysLeft: 0 }, true)).toMatchObject({ tone: 'overdue', text: '超期 1 个工作日' });
    expect(deadlineView(null, true)).toMatchObject({ tone: 'overdue', text: '已超期' });
  });

  it('says when there is no deadline', () => {
    expect(deadlineView(null)).toMatchObject({ text: '—', tone: 'none' });
  });

  it('a missing or unreadable time is shown as it is', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('not a time')).toBe('not a time');
  });
});
