// Mystery-shopper reports on the unit's targets, as the assessed unit reads them: the event, the
// target, the day of the visit, and the findings with the demands they became. Never who visited
// (the server does not send it to a unit). Pure.
import type { UnitMysteryReport } from '../../../types/api';

export interface ReportRow {
  id: string;
  eventTitle: string;
  target: string;
  visited: string;
  findings: number;
  demands: { id: string; number: string; statusLabel: string }[];
}

const DEMAND_STATUS: Record<string, string> = {
  submitted: '已提交',
  accepted: '已受理',
  assigned: '已派单',
  in_progress: '办理中',
  replied: '已答复',
  reopened: '重新办理',
  closed: '已办结',
  rejected: '不予受理',
  merged: '已合并',
};

export function reportRow(r: UnitMysteryReport): ReportRow {
  return {
    id: r.report.id,
    eventTitle: r.event.name,
    target: r.report.target.address ? `${r.report.target.name}（${r.report.target.address}）` : r.report.target.name,
    visited: r.report.visitedOn ? `暗访日期：${r.report.visitedOn}` : '暗访日期未记录',
    findings: r.report.findings.length,
    demands: r.report.demands.map((d) => ({ id: d.id, number: d.number, statusLabel: DEMAND_STATUS[d.status] ?? d.status })),
  };
}
