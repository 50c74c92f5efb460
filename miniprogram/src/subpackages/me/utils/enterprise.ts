// The enterprise profile (企业画像) as its members edit it: scale labels, qualification
// suggestions, the checks the server makes (at most 20 qualifications and tags, each at most 30
// characters; the district at most 50), and the patch of the changed fields only. Pure
// functions, so they are tested without a page.
import type { Enterprise, EnterpriseProfilePatch, EnterpriseScale, Industry } from '../../../types/api';
import { charCount } from '../../../utils/text';

/** Qualifications and tags: at most this many, as the server counts them after cleaning. */
export const LABEL_MAX_ITEMS = 20;
/** Characters (not UTF-16 units) of one qualification or tag. */
export const LABEL_MAX_CHARS = 30;
/** Characters of the district, trimmed. */
export const DISTRICT_MAX_CHARS = 50;
/** Industry classes asked of `GET /industries` at once. */
export const INDUSTRY_SEARCH_LIMIT = 20;
/** Quiet time after the last keystroke before the industry search is sent. */
export const INDUSTRY_DEBOUNCE_MS = 300;

/** The server's own message for too many or too long qualifications or tags. */
export const LABELS_MESSAGE = `最多 ${LABEL_MAX_ITEMS} 项，每项不超过 ${LABEL_MAX_CHARS} 个字`;
export const DISTRICT_MESSAGE = `不能超过 ${DISTRICT_MAX_CHARS} 个字`;

export interface ScaleOption {
  value: EnterpriseScale;
  label: string;
}

export const SCALE_OPTIONS: ScaleOption[] = [
  { value: 'micro', label: '微型' },
  { value: 'small', label: '小型' },
  { value: 'medium', label: '中型' },
  { value: 'large', label: '大型' },
];

export function isScale(value: unknown): value is EnterpriseScale {
  return SCALE_OPTIONS.some((o) => o.value === value);
}

/** The qualifications offered with one tap (those policies most often ask for). */
export const QUALIFICATION_SUGGESTIONS = ['高新技术企业', '专精特新', '科技型中小企业', '创新型中小企业', '专精特新“小巨人”'];

/** The fields a member may change, in the server's spelling. */
export const PROFILE_FIELDS = ['industryCode', 'scale', 'qualifications', 'tags', 'district'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];
export type LabelField = 'qualifications' | 'tags';

export function isLabelField(value: unknown): value is LabelField {
  return value === 'qualifications' || value === 'tags';
}

export type ProfileErrors = Record<ProfileField, string>;

export function noProfileErrors(): ProfileErrors {
  return { industryCode: '', scale: '', qualifications: '', tags: '', district: '' };
}

export function hasProfileErrors(errors: ProfileErrors): boolean {
  return PROFILE_FIELDS.some((f) => errors[f] !== '');
}

/** What the page edits. */
export interface ProfileDraft {
  industryCode: string;
  industryName: string;
  scale: EnterpriseScale | '';
  qualifications: string[];
  tags: string[];
  district: string;
}

export function profileDraft(e: Enterprise): ProfileDraft {
  return {
    industryCode: e.industryCode,
    industryName: e.industryName ?? '',
    // The document types it as a string; anything else than the four scales must be chosen again.
    scale: isScale(e.scale) ? e.scale : '',
    qualifications: [...e.qualifications],
    tags: [...e.tags],
    district: e.district ?? '',
  };
}

/** 「I6513 应用软件开发」, the code alone when its name is unknown, 「未设置」 without one. */
export function industryText(code: string, name: string | null | undefined): string {
  if (!code) return '未设置';
  return name ? `${code} ${name}` : code;
}

export { charCount } from '../../../utils/text';

/** Trimmed, blanks dropped, each once, in order: what the server stores. */
export function cleanLabels(labels: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of labels) {
    const label = raw.trim();
    if (label !== '' && !out.includes(label)) out.push(label);
  }
  return out;
}

export type AddLabelResult = { ok: true; list: string[] } | { ok: false; message: string };

/** `list` with `raw` added at the end, or why it cannot be. */
export function addLabel(list: readonly string[], raw: string): AddLabelResult {
  const label = raw.trim();
  if (label === '') return { ok: false, message: '请输入内容' };
  if (charCount(label) > LABEL_MAX_CHARS) return { ok: false, message: `每项不超过 ${LABEL_MAX_CHARS} 个字` };
  if (list.includes(label)) return { ok: false, message: `「${label}」已添加` };
  if (list.length >= LABEL_MAX_ITEMS) return { ok: false, message: `最多 ${LABEL_MAX_ITEMS} 项` };
  return { ok: true, list: [...list, label] };
}

/** `list` without the item at `index` (unchanged for an index out of range). */
export function removeLabel(list: readonly string[], index: number): string[] {
  return list.filter((_, i) => i !== index);
}

/** The suggestions not yet among the qualifications. */
export function openSuggestions(qualifications: readonly string[]): string[] {
  return QUALIFICATION_SUGGESTIONS.filter((s) => !qualifications.includes(s));
}

function labelsValid(labels: readonly string[]): boolean {
  const cleaned = cleanLabels(labels);
  return cleaned.length <= LABEL_MAX_ITEMS && cleaned.every((l) => charCount(l) <= LABEL_MAX_CHARS);
}

/** The district's message, or '' when it is fine. */
export function districtError(district: string): string {
  return charCount(district.trim()) > DISTRICT_MAX_CHARS ? DISTRICT_MESSAGE : '';
}

/** The checks the server makes, with its messages; all '' when the draft may be sent. */
export function validateProfile(d: ProfileDraft): ProfileErrors {
  const errors = noProfileErrors();
  if (d.industryCode.trim() === '') errors.industryCode = '请选择所属行业';
  if (!isScale(d.scale)) errors.scale = '请选择企业规模';
  if (!labelsValid(d.qualifications)) errors.qualifications = LABELS_MESSAGE;
  if (!labelsValid(d.tags)) errors.tags = LABELS_MESSAGE;
  errors.district = districtError(d.district);
  return errors;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * The fields of `draft` that differ from what the server holds, as `PATCH` sends them (labels
 * cleaned, district trimmed, `""` to clear it); `{}` when nothing changed.
 */
export function profilePatch(original: Enterprise, d: ProfileDraft): EnterpriseProfilePatch {
  const patch: EnterpriseProfilePatch = {};
  const code = d.industryCode.trim();
  if (code !== original.industryCode) patch.industryCode = code;
  if (d.scale !== original.scale && isScale(d.scale)) patch.scale = d.scale;
  const qualifications = cleanLabels(d.qualifications);
  if (!sameList(qualifications, original.qualifications)) patch.qualifications = qualifications;
  const tags = cleanLabels(d.tags);
  if (!sameList(tags, original.tags)) patch.tags = tags;
  const district = d.district.trim();
  if (district !== (original.district ?? '').trim()) patch.district = district;
  return patch;
}

export function isEmptyPatch(patch: EnterpriseProfilePatch): boolean {
  return Object.keys(patch).length === 0;
}

export interface IndustryOptionView {
  code: string;
  name: string;
  path: string;
}

/** One row of the industry search results. */
export function industryOptionView(i: Industry): IndustryOptionView {
  return { code: i.code, name: i.name, path: i.path };
}
