// The policy editor's state and the requests made of it: the conditions as the API takes them
// (for the live reach count and for saving), lists typed as text, and the key that tells
// whether the conditions changed since the last count.
import type { Conditions, Policy, PolicyRequest } from '@/api/types';
import type { components } from '@/api/schema';

type Scale = components['schemas']['Scale'];

export interface ConditionsDraft {
  industries: string[];
  scales: Scale[];
  minYears: string;
  maxYears: string;
  qualifications: string;
  districts: string;
}

export interface PolicyDraft {
  title: string;
  issuer: string;
  docNumber: string;
  publishedOn: string;
  effectiveOn: string;
  expiresOn: string;
  applyBy: string;
  forWhom: string;
  benefits: string;
  howToApply: string;
  contact: string;
  fullText: string;
  tags: string;
  attachments: { id: string; name: string }[];
  conditions: ConditionsDraft;
}

/** Items of a list typed as text: split on commas (either width), 、, semicolons or new lines;
 * trimmed, blanks and repeats dropped. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[,，、;；\n]/).map((s) => s.trim()).filter(Boolean))];
}

function years(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/** The conditions as sent (`POST /policies/reach-preview`, and in the policy). */
export function conditionsRequest(d: ConditionsDraft): Conditions {
  return {
    industries: [...new Set(d.industries.map((c) => c.trim().toUpperCase()).filter(Boolean))],
    scales: [...new Set(d.scales)],
    minYears: years(d.minYears),
    maxYears: years(d.maxYears),
    qualifications: splitList(d.qualifications),
    districts: splitList(d.districts),
  };
}

/** A years field that is not a whole number of years, said in words (null when fine). */
export function yearsProblem(d: ConditionsDraft): string | null {
  for (const [label, v] of [
    ['成立年限下限', d.minYears],
    ['成立年限上限', d.maxYears],
  ] as const) {
    if (v.trim() !== '' && years(v) === null) return `${label}应为不小于 0 的整数`;
  }
  const min = years(d.minYears);
  const max = years(d.maxYears);
  if (min !== null && max !== null && min > max) return '成立年限下限不能大于上限';
  return null;
}

/** Equal for conditions that admit the same enterprises (order does not matter). */
export function conditionsKey(c: Conditions): string {
  const sorted = (xs: string[] | undefined) => [...(xs ?? [])].sort();
  return JSON.stringify([sorted(c.industries), sorted(c.scales), c.minYears ?? null, c.maxYears ?? null, sorted(c.qualifications), sorted(c.districts)]);
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

export function policyRequest(d: PolicyDraft): PolicyRequest {
  return {
    title: d.title.trim(),
    issuer: d.issuer.trim(),
    docNumber: orNull(d.docNumber),
    publishedOn: orNull(d.publishedOn),
    effectiveOn: orNull(d.effectiveOn),
    expiresOn: orNull(d.expiresOn),
    applyBy: orNull(d.applyBy),
    explainer: { forWhom: d.forWhom.trim(), benefits: d.benefits.trim(), howToApply: d.howToApply.trim(), contact: d.contact.trim() },
    fullText: d.fullText.trim(),
    tags: splitList(d.tags),
    conditions: conditionsRequest(d.conditions),
    attachments: d.attachments.map((a) => a.id),
  };
}

export function emptyDraft(): PolicyDraft {
  return {
    title: '',
    issuer: '',
    docNumber: '',
    publishedOn: '',
    effectiveOn: '',
    expiresOn: '',
    applyBy: '',
    forWhom: '',
    benefits: '',
    howToApply: '',
    contact: '',
    fullText: '',
    tags: '',
    attachments: [],
    conditions: { industries: [], scales: [], minYears: '', maxYears: '', qualifications: '', districts: '' },
  };
}

export function draftOf(p: Policy): PolicyDraft {
  const c = p.conditions;
  return {
    title: p.title,
    issuer: p.issuer,
    docNumber: p.docNumber ?? '',
    publishedOn: p.publishedOn ?? '',
    effectiveOn: p.effectiveOn ?? '',
    expiresOn: p.expiresOn ?? '',
    applyBy: p.applyBy ?? '',
    forWhom: p.explainer.forWhom,
    benefits: p.explainer.benefits,
    howToApply: p.explainer.howToApply,
    contact: p.explainer.contact,
    fullText: p.fullText,
    tags: p.tags.join('，'),
    attachments: p.attachments.map((a) => ({ id: a.id, name: a.name ?? `附件 ${a.id}` })),
    conditions: {
      industries: [...(c.industries ?? [])],
      scales: [...(c.scales ?? [])],
      minYears: c.minYears != null ? String(c.minYears) : '',
      maxYears: c.maxYears != null ? String(c.maxYears) : '',
      qualifications: (c.qualifications ?? []).join('，'),
      districts: (c.districts ?? []).join('，'),
    },
  };
}

/** Places the server's 422 fields: `conditions.industries[0]` → `conditions`, `explainer.contact`
 * → `contact`, else the field itself. */
export function policyFieldKey(field: string): string {
  if (field.startsWith('conditions')) return 'conditions';
  if (field.startsWith('explainer.')) return field.slice('explainer.'.length);
  return field.replace(/\[\d+\]$/, '');
}
