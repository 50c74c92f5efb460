// The reports page's rules (utils/reports.ts): the tabs, a report's card, and what a failed
// download says.
import { describe, expect, it } from '@jest/globals';

import { ApiError } from '../src/utils/api-error';
import { REPORT_KIND_TABS, downloadFailureMessage, isReportKind, reportView } from '../src/subpackages/admin/utils/reports';
import { reportFixture } from './helpers/fake-wx';

describe('reports', () => {
  it('has a weekly and a monthly tab', () => {
    expect(REPORT_KIND_TABS.map((t) => [t.value, t.label])).toEqual([
      ['weekly', '周报'],
      ['monthly', '月报'],
    ]);
    expect(isReportKind('monthly')).toBe(true);
    expect(isReportKind('daily')).toBe(false);
  });

  it('shows a report: title, period, when it was made, headline figures', () => {
    expect(reportView(reportFixture())).toEqual({
      id: '201',
      title: '「企业之声」周报 第3期',
      period: '2026-11-23 至 2026-11-29',
      generatedAt: '生成于 2026-11-30 08:00',
      stats: [
        { label: '受理诉求', value: '42' },
        { label: '办结率', value: '86%' },
        { label: '满意率', value: '92%' },
        { label: '超期', value: '2' },
      ],
    });
    const empty = reportView(reportFixture({ headline: { received: 0, completionRate: null, satisfactionRate: null, overdue: 0 } }));
    expect(empty.stats.map((s) => s.value)).toEqual(['0', '—', '—', '0']);
  });

  it('puts a failed download in words', () => {
    expect(downloadFailureMessage(ApiError.fromResponse(403, undefined))).toBe('无权下载该报告');
    expect(downloadFailureMessage(ApiError.fromResponse(404, undefined))).toBe('报告不存在或已删除');
    expect(downloadFailureMessage(ApiError.fromResponse(500, undefined))).toBe('报告下载失败，请稍后重试');
    expect(downloadFailureMessage(ApiError.network(true))).toBe('请求超时，请检查网络后重试');
    expect(downloadFailureMessage(new Error('x'))).toBe('报告下载失败，请稍后重试');
  });
});
