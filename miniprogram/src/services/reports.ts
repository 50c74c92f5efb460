// The 「企业之声」 reports (weekly and monthly; admins): the list, and the Excel file of one,
// downloaded with the bearer token through the request module (`wx.downloadFile`).
import type { ReportKind, ReportSummary } from '../types/api';
import { download, request } from '../utils/request';

/** `GET /reports?kind=`: newest first. */
export async function listReports(kind: ReportKind): Promise<ReportSummary[]> {
  const body = await request<{ items: ReportSummary[] }>({ method: 'GET', path: '/reports', query: { kind } });
  return body.items;
}

/** `GET /reports/{id}/xlsx`: the Excel file, saved to a temporary local path that is returned. */
export function downloadReportXlsx(id: string): Promise<string> {
  return download(`/reports/${encodeURIComponent(id)}/xlsx`);
}
