import { describe, expect, it } from 'vitest';
import { normalizeNumber, parseQueueQuery, toApiQuery, toQueueQuery } from '@/utils/queueQuery';

describe('queue filters and the URL', () => {
  it('round-trips every filter through the URL', () => {
    const f = parseQueueQuery({
      tab: 'to_assign',
      environment: 'market',
      channel: 'hotline',
      kind: 'problem',
      unitId: '3',
      from: '2026-11-01',
      to: '2026-11-30',
      q: '发票',
      sort: 'deadline',
    });
    expect(parseQueueQuery(toQueueQuery(f))).toEqual(f);
    expect(toApiQuery(f)).toEqual({
      tab: 'to_assign',
      sort: 'deadline',
      environment: 'market',
      channel: 'hotline',
      kind: 'problem',
      unitId: '3',
      from: '2026-11-01',
      to: '2026-11-30',
      q: '发票',
    });
  });

  it('leaves defaults out of the URL and tab/sort out of the counts query', () => {
    const f = parseQueueQuery({});
    expect(f).toEqual({ tab: 'to_accept', sort: 'new' });
    expect(toQueueQuery(f)).toEqual({});
    expect(toApiQuery({ ...f, environment: 'legal' }, false)).toEqual({ environment: 'legal' });
  });

  it('uses the person’s first tab as the default', () => {
    const f = parseQueueQuery({}, 'to_sign');
    expect(f.tab).toBe('to_sign');
    expect(toQueueQuery(f, 'to_sign')).toEqual({});
    expect(toQueueQuery({ ...f, tab: 'overdue' }, 'to_sign')).toEqual({ tab: 'overdue' });
  });

  it('drops what is not valid and orders a reversed date range', () => {
    const f = parseQueueQuery({ tab: 'everything', environment: 'weather', unitId: '1; drop', from: '2026-12-31', to: '2026-01-01', sort: 'random', q: '   ' });
    expect(f).toEqual({ tab: 'to_accept', sort: 'new', from: '2026-01-01', to: '2026-12-31' });
    expect(parseQueueQuery({ from: '2026/01/01' }).from).toBeUndefined();
  });

  it('takes the first of repeated keys', () => {
    expect(parseQueueQuery({ channel: ['bot', 'hotline'] }).channel).toBe('bot');
  });

  it('normalizes a typed demand number', () => {
    expect(normalizeNumber('sq20261128-7')).toBe('SQ20261128-0007');
    expect(normalizeNumber(' SQ20261128-0012 ')).toBe('SQ20261128-0012');
    expect(normalizeNumber('发票 SQ')).toBeNull();
  });
});
