// The queue's tab, filters and sort live in the URL (?tab=to_accept&environment=tax…), so a
// saved link or the browser's back button gives the same queue. Parsing drops what is not valid.
import type { DemandQuery, QueueTab } from '@/api/types';

export const TABS: { key: QueueTab; label: string; countKey: string }[] = [
  { key: 'to_accept', label: '待受理', countKey: 'toAccept' },
  { key: 'to_assign', label: '待派单', countKey: 'toAssign' },
  { key: 'to_sign', label: '待签收', countKey: 'toSign' },
  { key: 'in_progress', label: '办理中', countKey: 'inProgress' },
  { key: 'to_rate', label: '待评价', countKey: 'toRate' },
  { key: 'due_soon', label: '即将超期', countKey: 'dueSoon' },
  { key: 'overdue', label: '已超期', countKey: 'overdue' },
];

const ENVIRONMENTS = ['policy', 'service', 'factor', 'market', 'legal', 'humanistic'];
const CHANNELS = ['miniprogram', 'bot', 'hotline', 'callback', 'complaint_day', 'mystery_shopper', 'scorecard', 'supervision', 'media', 'discipline'];
const KINDS = ['demand', 'problem', 'suggestion'];
const SORTS = ['new', 'deadline'] as const;
const TAB_KEYS: string[] = [...TABS.map((t) => t.key), 'to_call_back'];

export interface QueueFilters {
  tab: QueueTab;
  environment?: string;
  channel?: string;
  kind?: string;
  unitId?: string;
  from?: string;
  to?: string;
  q?: string;
  sort: 'new' | 'deadline';
}

type RawQuery = Record<string, string | null | undefined | (string | null)[]>;

function first(v: RawQuery[string]): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `defaultTab`: the first tab the person works on (a handler starts at 待签收). */
export function parseQueueQuery(query: RawQuery, defaultTab: QueueTab = 'to_accept'): QueueFilters {
  const tab = first(query.tab);
  const sort = first(query.sort);
  const pick = (v: string | undefined, allowed: string[]) => (v && allowed.includes(v) ? v : undefined);
  const date = (v: string | undefined) => (v && DATE.test(v) ? v : undefined);
  const unitId = first(query.unitId);
  let from = date(first(query.from));
  let to = date(first(query.to));
  if (from && to && from > to) [from, to] = [to, from];
  const out: QueueFilters = {
    tab: (tab && TAB_KEYS.includes(tab) ? tab : defaultTab) as QueueTab,
    sort: (sort && (SORTS as readonly string[]).includes(sort) ? sort : 'new') as QueueFilters['sort'],
  };
  const environment = pick(first(query.environment), ENVIRONMENTS);
  const channel = pick(first(query.channel), CHANNELS);
  const kind = pick(first(query.kind), KINDS);
  const q = first(query.q);
  if (environment) out.environment = environment;
  if (channel) out.channel = channel;
  if (kind) out.kind = kind;
  if (unitId && /^\d+$/.test(unitId)) out.unitId = unitId;
  if (from) out.from = from;
  if (to) out.to = to;
  if (q) out.q = q.slice(0, 100);
  return out;
}

/** The URL query for some filters: defaults left out, keys in a stable order. */
export function toQueueQuery(f: QueueFilters, defaultTab: QueueTab = 'to_accept'): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.tab !== defaultTab) out.tab = f.tab;
  for (const k of ['environment', 'channel', 'kind', 'unitId', 'from', 'to', 'q'] as const) {
    const v = f[k];
    if (v) out[k] = v;
  }
  if (f.sort !== 'new') out.sort = f.sort;
  return out;
}

/** The API query of `GET /demands` (and, without tab/sort, of `/demands/queue-counts`). */
export function toApiQuery(f: QueueFilters, withTab = true): DemandQuery {
  const out: DemandQuery = {};
  if (withTab) {
    out.tab = f.tab;
    out.sort = f.sort;
  }
  for (const k of ['environment', 'channel', 'kind', 'unitId', 'from', 'to', 'q'] as const) {
    const v = f[k];
    if (v) out[k] = v;
  }
  return out;
}

/** A whole demand number typed into the search box: `sq20261128-7` → `SQ20261128-0007`. */
export function normalizeNumber(q: string): string | null {
  const m = /^\s*sq\s*(\d{8})\s*-?\s*(\d{1,6})\s*$/i.exec(q);
  if (!m) return null;
  const seq = m[2]!.padStart(4, '0');
  return `SQ${m[1]}-${seq}`;
}
