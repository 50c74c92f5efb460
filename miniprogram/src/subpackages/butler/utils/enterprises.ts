// The butler's 我的企业: rows of the served enterprises (with their invite code) and of the binding
// requests to decide. Pure.
import type { BindingRequest, EnterpriseSummary } from '../../../types/api';
import { formatTime } from '../../../utils/time';

export interface EnterpriseRow {
  id: string;
  name: string;
  uscc: string;
  /** '' when none was issued yet. */
  inviteCode: string;
}

export interface RequestRow {
  id: string;
  enterpriseName: string;
  person: string;
  phone: string;
  time: string;
  status: string;
  statusLabel: string;
  pending: boolean;
  reason: string;
}

const REQUEST_STATUS_LABELS: Record<string, string> = { pending: '待审核', approved: '已通过', rejected: '未通过' };

export function enterpriseRow(e: EnterpriseSummary): EnterpriseRow {
  return { id: e.id, name: e.name, uscc: e.uscc, inviteCode: e.inviteCode ?? '' };
}

export function requestRow(r: BindingRequest): RequestRow {
  return {
    id: r.id,
    enterpriseName: r.enterpriseName,
    person: r.userNickname || '未设置昵称',
    phone: r.userPhone ?? '未绑定手机号',
    time: formatTime(r.createdAt),
    status: r.status,
    statusLabel: REQUEST_STATUS_LABELS[r.status] ?? r.status,
    pending: r.status === 'pending',
    reason: r.reason ?? '',
  };
}

/** A rejection's reason, as the person will read it: required, at most 200 characters. */
export function checkRejectReason(text: string): string {
  const t = text.trim();
  if (t === '') return '请填写不通过的原因，申请人会看到';
  if ([...t].length > 200) return '原因不能超过 200 个字';
  return '';
}
