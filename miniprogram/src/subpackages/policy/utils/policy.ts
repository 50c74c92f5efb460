// What the policy pages show, worked out from the server's JSON: the recommendation card and
// its 「为什么推荐给您」, search queries and highlighted segments, and the detail page's 明白纸,
// dates and tappable phone numbers. Pure functions, so they are tested without a page.
import type {
  MatchReason,
  MatchedPolicy,
  Policy,
  PolicyAttachment,
  PolicySearchHit,
  PolicySearchQuery,
  Segment,
} from '../../../types/api';

/** Results asked of `GET /policies/search` at once. */
export const SEARCH_LIMIT = 20;

/** Characters of the full text shown while it is collapsed. */
export const FULL_TEXT_PREVIEW = 120;

/**
 * The texts of the reasons the enterprise meets, in the server's order, each once. The catch-all
 * `everyone` reason (「面向全部企业」) says nothing more once a specific one holds, so it is left
 * out then.
 */
export function heldReasonTexts(reasons: MatchReason[]): string[] {
  const held = reasons.filter((r) => r.held && r.text.trim() !== '');
  const specific = held.filter((r) => r.kind !== 'everyone');
  const shown = specific.length > 0 ? specific : held;
  return Array.from(new Set(shown.map((r) => r.text.trim())));
}

/** 「申报截止：2026-12-31」, or '' when the policy has no deadline. */
export function applyByText(applyBy: string | null | undefined): string {
  return applyBy ? `申报截止：${applyBy}` : '';
}

export interface PolicyCardView {
  id: string;
  title: string;
  issuer: string;
  /** 「申报截止：…」 or ''. */
  applyBy: string;
  /** The held reasons' texts (「为什么推荐给您」). */
  reasons: string[];
  /** Tags the policy shares with the enterprise. */
  tags: string[];
  /** True when there is anything to put under 「为什么推荐给您」. */
  hasWhy: boolean;
}

/** One card of the 政策推荐 feed. */
export function policyCardView(p: MatchedPolicy): PolicyCardView {
  const reasons = heldReasonTexts(p.reasons);
  const tags = Array.from(new Set(p.sharedTags.map((t) => t.trim()).filter((t) => t !== '')));
  return {
    id: p.id,
    title: p.title,
    issuer: p.issuer,
    applyBy: applyByText(p.applyBy),
    reasons,
    tags,
    hasWhy: reasons.length > 0 || tags.length > 0,
  };
}

/** The query as sent: trimmed, inner runs of white space (also full-width) made one space; '' when blank. */
export function normalizeQuery(raw: string | null | undefined): string {
  return (raw ?? '').replace(/[\s\u3000]+/g, ' ').trim();
}

/**
 * Segments ready to render: empty ones dropped and neighbours of the same kind joined, so the
 * WXML draws as few `<text>` nodes as possible and a highlight is never split.
 */
export function mergeSegments(segments: Segment[] | null | undefined): Segment[] {
  const out: Segment[] = [];
  for (const s of segments ?? []) {
    if (s.text === '') continue;
    const last = out[out.length - 1];
    if (last && last.hit === s.hit) last.text += s.text;
    else out.push({ text: s.text, hit: s.hit });
  }
  return out;
}

/** The plain text of segments. */
export function segmentsText(segments: Segment[] | null | undefined): string {
  return (segments ?? []).map((s) => s.text).join('');
}

/** The status filter: '' for any, else the server's status. */
export type StatusFilter = '' | 'published' | 'expired';

export const STATUS_FILTER_OPTIONS: { value: StatusFilter; label: string }[] = [
  { value: '', label: '全部' },
  { value: 'published', label: '有效' },
  { value: 'expired', label: '已失效' },
];

export function isStatusFilter(value: unknown): value is StatusFilter {
  return STATUS_FILTER_OPTIONS.some((o) => o.value === value);
}

/** The search page's filters, as held while edited ('' for unset). */
export interface SearchFilters {
  issuer: string;
  tag: string;
  status: StatusFilter;
  /** Published on or after (YYYY-MM-DD). */
  from: string;
  /** Published on or before (YYYY-MM-DD). */
  to: string;
}

export function noFilters(): SearchFilters {
  return { issuer: '', tag: '', status: '', from: '', to: '' };
}

/** How many filters are set (for 「筛选·n」). */
export function activeFilterCount(f: SearchFilters): number {
  return [normalizeQuery(f.issuer), normalizeQuery(f.tag), f.status, f.from, f.to].filter((v) => v !== '').length;
}

/** What is wrong with the filters, or '' when they may be sent. */
export function filtersError(f: SearchFilters): string {
  // YYYY-MM-DD strings compare as the dates they are.
  if (f.from && f.to && f.from > f.to) return '开始日期不能晚于结束日期';
  return '';
}

/** The query of `GET /policies/search`: unset filters left out, text filters trimmed. */
export function searchQuery(q: string, f: SearchFilters, limit: number = SEARCH_LIMIT): PolicySearchQuery {
  const query: PolicySearchQuery = { q, limit };
  const issuer = normalizeQuery(f.issuer);
  const tag = normalizeQuery(f.tag);
  if (issuer) query.issuer = issuer;
  if (tag) query.tag = tag;
  if (f.status) query.status = f.status;
  if (f.from) query.from = f.from;
  if (f.to) query.to = f.to;
  return query;
}

export interface SearchHitView {
  id: string;
  title: Segment[];
  snippet: Segment[];
  /** 「发文单位 · 发布日期」. */
  meta: string;
}

/** One search result. */
export function searchHitView(hit: PolicySearchHit): SearchHitView {
  return {
    id: hit.id,
    title: mergeSegments(hit.title),
    snippet: mergeSegments(hit.snippet),
    meta: [hit.issuer, hit.publishedOn ?? ''].filter((s) => s !== '').join(' · '),
  };
}

export interface LabelledText {
  label: string;
  value: string;
}

/** A piece of the contact text; `phone` is the number to dial when the piece is one. */
export interface ContactPart {
  text: string;
  phone: string;
}

// Mobile numbers, landlines with an area code (with or without a dash), and the short public
// hotlines (12345, 12366, ...). A leading non-digit is matched instead of a lookbehind, which
// older iOS JavaScript engines lack.
const PHONE = /(^|\D)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|1\d{4})(?=\D|$)/g;

/** The contact text cut into plain pieces and phone numbers (digits only, for `wx.makePhoneCall`). */
export function contactParts(contact: string | null | undefined): ContactPart[] {
  const text = contact ?? '';
  const parts: ContactPart[] = [];
  let rest = 0;
  for (const m of text.matchAll(PHONE)) {
    const number = m[2] ?? '';
    const start = (m.index ?? 0) + (m[1] ?? '').length;
    if (start > rest) parts.push({ text: text.slice(rest, start), phone: '' });
    parts.push({ text: number, phone: number.replace(/-/g, '') });
    rest = start + number.length;
  }
  if (rest < text.length) parts.push({ text: text.slice(rest), phone: '' });
  return parts;
}

export interface ExplainerSection {
  key: 'forWhom' | 'benefits' | 'howToApply' | 'contact';
  label: string;
  /** The text, or 「暂无」. */
  text: string;
  /** True when the server gave no text. */
  missing: boolean;
}

const EXPLAINER_LABELS: [ExplainerSection['key'], string][] = [
  ['forWhom', '适用对象'],
  ['benefits', '支持内容'],
  ['howToApply', '申报方式'],
  ['contact', '咨询电话'],
];

export interface PolicyDetailView {
  id: string;
  title: string;
  issuer: string;
  /** 文号 and the dates the policy has, in that order. */
  meta: LabelledText[];
  /** The 明白纸, always its four sections. */
  sections: ExplainerSection[];
  contact: ContactPart[];
  tags: string[];
  fullText: string;
  /** The start of the full text, shown while it is collapsed. */
  fullTextPreview: string;
  /** True when the preview is not the whole text (so there is something to expand). */
  fullTextLong: boolean;
  attachments: AttachmentView[];
}

/** An attachment as the detail page lists it. */
export interface AttachmentView {
  id: string;
  label: string;
  sizeText: string;
  kind: 'pdf' | 'image';
}

/** 「312 B」, 「48 KB」, 「1.2 MB」. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function attachmentView(a: PolicyAttachment, index: number): AttachmentView {
  const name = (a.name ?? '').trim();
  return {
    id: a.id,
    label: name || `附件${index + 1}`,
    sizeText: sizeText(a.size),
    kind: a.contentType === 'application/pdf' ? 'pdf' : 'image',
  };
}

/** The first `max` characters (not UTF-16 units) of `text`, with 「…」 when cut. */
export function previewText(text: string, max: number = FULL_TEXT_PREVIEW): string {
  const chars = Array.from(text.trim());
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

/** The detail page's view of a policy. */
export function policyDetailView(p: Policy): PolicyDetailView {
  const meta: LabelledText[] = (
    [
      ['文号', p.docNumber],
      ['发布日期', p.publishedOn],
      ['生效日期', p.effectiveOn],
      ['失效日期', p.expiresOn],
      ['申报截止', p.applyBy],
    ] as [string, string | null][]
  )
    .filter((row): row is [string, string] => typeof row[1] === 'string' && row[1].trim() !== '')
    .map(([label, value]) => ({ label, value }));
  const sections = EXPLAINER_LABELS.map(([key, label]) => {
    const text = (p.explainer?.[key] ?? '').trim();
    return { key, label, text: text || '暂无', missing: text === '' };
  });
  const fullText = (p.fullText ?? '').trim();
  return {
    id: p.id,
    title: p.title,
    issuer: p.issuer,
    meta,
    sections,
    contact: contactParts((p.explainer?.contact ?? '').trim()),
    tags: p.tags ?? [],
    fullText,
    fullTextPreview: previewText(fullText),
    fullTextLong: Array.from(fullText).length > FULL_TEXT_PREVIEW,
    attachments: (p.attachments ?? []).map(attachmentView),
  };
}

/** The policy page's path, as a shared card opens it. */
export const POLICY_DETAIL_PAGE = '/subpackages/policy/detail/index';

/**
 * A policy's 明白纸 shared to a chat (`onShareAppMessage`): its title and the page, which opens for
 * anyone signed in (a published policy is readable by all). Without a policy (not loaded, or
 * gone), the app's home page is shared instead of a broken card.
 */
export function policyShare(policy: Pick<PolicyDetailView, 'id' | 'title'> | null): { title: string; path: string } {
  if (!policy) return { title: '亲清：政企互动平台', path: '/pages/home/index' };
  return { title: `【明白纸】${policy.title}`, path: `${POLICY_DETAIL_PAGE}?id=${encodeURIComponent(policy.id)}` };
}
