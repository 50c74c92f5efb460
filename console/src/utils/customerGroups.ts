// 客户群 and 企业群发: the labels of their states, the short texts of a row, the screen's tab and
// filter as the URL keeps them. Pure, so the tests read what the screen shows.
import type { RouteLocationRaw } from 'vue-router';
import type { CustomerGroup, MassSend, MassSendFilter } from '@/api/types';
import { shortTime } from './time';

type Theme = 'default' | 'primary' | 'warning' | 'danger' | 'success';

export const MASS_SEND_STATES: Record<string, string> = {
  queued: '排队中',
  awaiting: '待群主确认',
  confirmed: '已确认',
  failed: '失败',
};

export function massSendTheme(s: MassSend['state']): Theme {
  return s === 'awaiting' ? 'warning' : s === 'confirmed' ? 'success' : s === 'failed' ? 'danger' : 'default';
}

export const GROUP_SEND_STATES: Record<string, string> = {
  pending: '待发送',
  sent: '已发送',
  failed: '失败',
};

export function groupSendTheme(s: MassSend['groups'][number]['state']): Theme {
  return s === 'sent' ? 'success' : s === 'failed' ? 'danger' : 'warning';
}

/** The owner by name, their WeCom userid when the server knows no name. */
export function ownerText(o: { ownerName?: string | null; ownerUserid: string }): string {
  return o.ownerName ? `${o.ownerName}（${o.ownerUserid}）` : o.ownerUserid;
}

export function membersText(g: Pick<CustomerGroup, 'memberCount' | 'externalCount'>): string {
  return `${g.memberCount} 人（外部 ${g.externalCount}）`;
}

export function figuresText(g: Pick<CustomerGroup, 'figures'>): string {
  return `访问 ${g.figures.visits} · 阅读 ${g.figures.reads} · 诉求 ${g.figures.demands}`;
}

export function remindedText(m: Pick<MassSend, 'remindedAt'>): string {
  return m.remindedAt ? `已提醒 ${shortTime(m.remindedAt)}` : '未提醒';
}

/** Names (enterprises, groups) or titles (policies) joined, 「—」 for none. */
export const namesText = (items: readonly ({ name: string } | { title: string })[]): string => items.map((i) => ('name' in i ? i.name : i.title)).join('、') || '—';

/** The group's enterprises with one more (a suggestion taken), each once. */
export function withEnterprise(g: Pick<CustomerGroup, 'enterprises'>, id: string): string[] {
  const ids = g.enterprises.map((e) => e.id);
  return ids.includes(id) ? ids : [...ids, id];
}

export type CustomerGroupsTab = 'groups' | 'mass-sends';

/** The screen's tab and the mass-sends' filter, from the URL (the dashboard links to both). */
export function viewFromQuery(q: Record<string, unknown>): { tab: CustomerGroupsTab; state: MassSendFilter } {
  return { tab: q.tab === 'mass-sends' ? 'mass-sends' : 'groups', state: q.state === 'unconfirmed' ? 'unconfirmed' : 'all' };
}

/** The mass-sends tab, filtered. */
export function massSendsLink(state: MassSendFilter = 'all'): RouteLocationRaw {
  return { name: 'customer-groups', query: state === 'unconfirmed' ? { tab: 'mass-sends', state } : { tab: 'mass-sends' } };
}
