// The 「企业之声」 reports page: the weekly/monthly tabs, each report's card (period and headline
// figures), and what a failed download says. Pure: no `wx`, no network.
import type { ReportKind, ReportSummary } from '../../../types/api';
import { ApiError, NETWORK_ERROR } from '../../../utils/api-error';
import { formatRate, type StatView } from './dashboard';
import type { Option } from '../../demand/utils/demand';
import { formatTime } from '../../../utils/time';

export const REPORT_KIND_TABS: readonly Option<ReportKind>[] = [
  { value: 'weekly', label: '周报' },
  { value: 'monthly', label: '月报' },
];

export function isReportKind(value: unknown): value is ReportKind {
  return REPORT_KIND_TABS.some((t) => t.value === value);
}

/** One report's card. */
export interface ReportView {
  id: string;
  title: string;
  /** 「2026-11-23 至 2026-11-29」 */
  period: string;
  /** 「生成于 2026-11-30 08:00」 */
  generatedAt: string;
  stats: StatView[];
}

export function reportView(r: ReportSummary): ReportView {
  const h = r.headline;
  const generated = formatTime(r.generatedAt);
  return {
    id: r.id,
    title: r.title,
    period: `${r.periodFrom} 至 ${r.periodTo}`,
    generatedAt: generated ? `生成于 ${generated}` : '',
    stats: [
      { label: '受理诉求', value: String(h.received) },
      { label: '办结率', value: formatRate(h.completionRate) },
      { label: '满意率', value: formatRate(h.satisfactionRate) },
      { label: '超期', value: String(h.overdue) },
    ],
  };
}

/**
 * What a failed download of the Excel file says. A download's error body goes to a file, so
 * only the status is known: it is put in words here.
 */
export function downloadFailureMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === NETWORK_ERROR) return err.message;
    if (err.status === 401 || err.status === 403) return '无权下载该报告';
    if (err.status === 404) return '报告不存在或已删除';
  }
  return '报告下载失败，请稍后重试';
}
