// Chinese labels of the API's codes.
export const ENVIRONMENTS: Record<string, string> = {
  policy: '政策环境',
  service: '服务环境',
  factor: '要素环境',
  market: '市场环境',
  legal: '法治环境',
  humanistic: '人文环境',
};

export const CHANNELS: Record<string, string> = {
  miniprogram: '小程序',
  bot: '企业群机器人',
  hotline: '自贸一拨通热线',
  callback: '回访',
  complaint_day: '企业家吐槽日',
  mystery_shopper: '神秘客暗访',
  scorecard: '出卷评价',
  supervision: '督导活动',
  media: '媒体观察',
  discipline: '纪检监察反馈',
};

export const KINDS: Record<string, string> = {
  demand: '企业诉求',
  problem: '营商环境问题',
  suggestion: '意见建议',
};

export const STATUSES: Record<string, string> = {
  submitted: '已提交',
  accepted: '已受理',
  rejected: '不予受理',
  assigned: '已派单',
  in_progress: '办理中',
  replied: '已答复',
  reopened: '重新办理',
  closed: '已办结',
  merged: '已合并',
};

export const ROLES: Record<string, string> = {
  enterprise: '企业用户',
  officer: '营商环境体验官',
  media: '媒体观察员',
  supervisor: '督导委员会委员',
  butler: '服务管家',
  handler: '单位经办人',
  admin: '管理员',
  discipline: '纪检监察',
};

export const SCALES: Record<string, string> = { micro: '微型', small: '小型', medium: '中型', large: '大型' };
export const TIERS: Record<string, string> = { key: '重点', growth: '成长', general: '一般' };

export const BINDING_STATUSES: Record<string, string> = { pending: '待审核', approved: '已通过', rejected: '已驳回' };

export const CALL_STATUSES: Record<string, string> = { ringing: '振铃中', answered: '通话中', missed: '未接', done: '已结束' };

export const options = (m: Record<string, string>) => Object.entries(m).map(([value, label]) => ({ value, label }));

/** TDesign tag theme by status. */
export function statusTheme(s: string): 'default' | 'primary' | 'warning' | 'danger' | 'success' {
  switch (s) {
    case 'submitted':
    case 'reopened':
      return 'warning';
    case 'accepted':
    case 'assigned':
    case 'in_progress':
      return 'primary';
    case 'replied':
    case 'closed':
      return 'success';
    case 'rejected':
      return 'danger';
    default:
      return 'default';
  }
}

/** Short forms for narrow table columns. */
export const ENVIRONMENTS_SHORT: Record<string, string> = {
  policy: '政策',
  service: '服务',
  factor: '要素',
  market: '市场',
  legal: '法治',
  humanistic: '人文',
};

export const CHANNELS_SHORT: Record<string, string> = {
  miniprogram: '小程序',
  bot: '机器人',
  hotline: '热线',
  callback: '回访',
  complaint_day: '吐槽日',
  mystery_shopper: '暗访',
  scorecard: '出卷',
  supervision: '督导',
  media: '媒体',
  discipline: '纪检',
};

export const EVENT_KINDS: Record<string, string> = {
  complaint_day: '企业家吐槽日',
  mystery_shopper_week: '神秘客暗访周',
  scorecard_round: '出卷评价',
  supervision_activity: '督导活动',
};

export const EVENT_STATUSES: Record<string, string> = {
  draft: '草稿',
  published: '已发布',
  open: '进行中',
  closed: '已结束',
  archived: '已归档',
};

export function eventStatusTheme(s: string): 'default' | 'primary' | 'warning' | 'success' {
  return s === 'draft' ? 'warning' : s === 'open' ? 'success' : s === 'published' ? 'primary' : 'default';
}

export const POLICY_STATUSES: Record<string, string> = { draft: '草稿', published: '已发布', expired: '已过期' };

export const ITEM_STATUSES: Record<string, string> = { not_started: '未开始', in_progress: '推进中', done: '已完成' };
export const ITEM_KINDS: Record<string, string> = { task: '任务', problem: '问题清单' };

export const PUSH_STATUSES: Record<string, string> = {
  pending: '等待发送',
  sending: '发送中',
  sent: '已发送',
  failed: '失败',
  skipped: '已跳过',
  uncertain: '结果未知',
};

/** The roles an event's audience may name (the people who join programmes). */
export type AudienceRole = 'enterprise' | 'officer' | 'media' | 'supervisor';
export const AUDIENCE: Record<AudienceRole, string> = {
  enterprise: '企业用户',
  officer: '营商环境体验官',
  media: '媒体观察员',
  supervisor: '督导委员会委员',
};

// ---- 问题线索 (discipline staff) ----

export const CLUE_CATEGORIES: Record<string, string> = {
  extortion: '吃拿卡要',
  buck_passing: '推诿扯皮',
  cold_hard: '冷硬横推',
  illegal_fees: '违规收费',
  other: '其他',
};

export const CLUE_STATUSES: Record<string, string> = {
  received: '待受理',
  accepted: '已受理',
  checking: '初核中',
  closed: '已办结',
};

export const CLUE_OUTCOMES: Record<string, string> = {
  talk: '谈话函询',
  recommendation: '纪检监察建议',
  sanction: '党纪政务处分',
  first_form: '第一种形态',
  dismissed: '予以了结',
};

export function clueStatusTheme(s: string): 'default' | 'primary' | 'warning' | 'success' {
  return s === 'received' ? 'warning' : s === 'closed' ? 'success' : s === 'accepted' || s === 'checking' ? 'primary' : 'default';
}
