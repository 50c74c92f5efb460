// The media observer's pages (媒体观察): the observation form and the publicity form (their
// options, checks in the server's limits, and the bodies sent), and the rows of both lists.
// Pure: no `wx`, no network.
import type {
  CreateObservationRequest,
  CreatePublicityRequest,
  Observation,
  ObservationKind,
  Publicity,
  PublicityLevel,
} from '../types/api';
import { charCount, type Option } from '../subpackages/demand/utils/demand';
import type { TagTheme } from './events';
import { formatTime } from './time';

// ---- Observations ----

export const OBSERVATION_KIND_OPTIONS: readonly Option<ObservationKind>[] = [
  { value: 'finding', label: '问题发现' },
  { value: 'lead', label: '报道线索' },
  { value: 'comment', label: '评论建议' },
];

export const OBSERVATION_TITLE_MAX = 60;
export const OBSERVATION_CONTENT_MAX = 2000;

export function observationKindLabel(kind: string): string {
  return OBSERVATION_KIND_OPTIONS.find((o) => o.value === kind)?.label ?? kind;
}

export interface ObservationFormValues {
  kind: ObservationKind | '';
  title: string;
  content: string;
}

export type ObservationField = 'kind' | 'title' | 'content';

/** The fields the server names its errors by, in the order the form shows them. */
export const OBSERVATION_FIELDS: readonly ObservationField[] = ['kind', 'title', 'content'];

/** The form's checks (trimmed text, counted in characters as the server does); {} when all is well. */
export function validateObservation(values: ObservationFormValues): Partial<Record<ObservationField, string>> {
  const errors: Partial<Record<ObservationField, string>> = {};
  if (!OBSERVATION_KIND_OPTIONS.some((o) => o.value === values.kind)) errors.kind = '请选择类型';
  const title = values.title.trim();
  if (title === '') errors.title = '请填写标题';
  else if (charCount(title) > OBSERVATION_TITLE_MAX) errors.title = `标题不能超过 ${OBSERVATION_TITLE_MAX} 个字`;
  const content = values.content.trim();
  if (content === '') errors.content = '请填写内容';
  else if (charCount(content) > OBSERVATION_CONTENT_MAX) errors.content = `内容不能超过 ${OBSERVATION_CONTENT_MAX} 个字`;
  return errors;
}

/** The body of `POST /media/observations` from valid values; `eventId` when opened from an event. */
export function observationRequest(values: ObservationFormValues, eventId?: string): CreateObservationRequest {
  const body: CreateObservationRequest = {
    kind: values.kind as ObservationKind,
    title: values.title.trim(),
    content: values.content.trim(),
  };
  if (eventId) body.eventId = eventId;
  return body;
}

/** One row of the observations list. */
export interface ObservationView {
  id: string;
  kindLabel: string;
  kindTheme: TagTheme;
  title: string;
  content: string;
  /** 「张三 · 2026-11-28 09:30」, or the time alone when the author is not named. */
  meta: string;
  /** The demand it became, or ''. */
  demandId: string;
}

const KIND_THEMES: Record<ObservationKind, TagTheme> = { finding: 'danger', lead: 'primary', comment: 'default' };

export function observationView(o: Observation): ObservationView {
  const time = formatTime(o.createdAt);
  return {
    id: o.id,
    kindLabel: observationKindLabel(o.kind),
    kindTheme: KIND_THEMES[o.kind] ?? 'default',
    title: o.title,
    content: o.content,
    meta: o.authorName ? `${o.authorName} · ${time}` : time,
    demandId: o.demandId ?? '',
  };
}

/** A row of the staff list (admins and butlers): an observation, and whether it may become a demand. */
export interface StaffObservationView extends ObservationView {
  /** A 问题发现 not turned into a demand yet: the row offers 「转为诉求」. */
  convertible: boolean;
}

export function staffObservationView(o: Observation): StaffObservationView {
  const view = observationView(o);
  return { ...view, convertible: o.kind === 'finding' && view.demandId === '' };
}

// ---- Publicity ----

export const PUBLICITY_LEVEL_OPTIONS: readonly Option<PublicityLevel>[] = [
  { value: 'national', label: '国家级' },
  { value: 'provincial', label: '省级' },
  { value: 'municipal', label: '市级' },
  { value: 'online', label: '网络媒体' },
  { value: 'own', label: '自有渠道' },
];

export const OUTLET_MAX = 60;
export const PUBLICITY_TITLE_MAX = 100;

export function publicityLevelLabel(level: string): string {
  return PUBLICITY_LEVEL_OPTIONS.find((o) => o.value === level)?.label ?? level;
}

export interface PublicityFormValues {
  outlet: string;
  level: PublicityLevel | '';
  title: string;
  /** Optional; '' when none. */
  link: string;
  /** YYYY-MM-DD, or '' until picked. */
  publishedOn: string;
}

export type PublicityField = 'outlet' | 'level' | 'title' | 'link' | 'publishedOn';

export const PUBLICITY_FIELDS: readonly PublicityField[] = ['outlet', 'level', 'title', 'link', 'publishedOn'];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// An https URL with a host and no white space, the only kind the server keeps.
const HTTPS_LINK = /^https:\/\/[^\s/?#]+[^\s]*$/i;

export function validatePublicity(values: PublicityFormValues): Partial<Record<PublicityField, string>> {
  const errors: Partial<Record<PublicityField, string>> = {};
  const outlet = values.outlet.trim();
  if (outlet === '') errors.outlet = '请填写媒体名称';
  else if (charCount(outlet) > OUTLET_MAX) errors.outlet = `媒体名称不能超过 ${OUTLET_MAX} 个字`;
  if (!PUBLICITY_LEVEL_OPTIONS.some((o) => o.value === values.level)) errors.level = '请选择媒体级别';
  const title = values.title.trim();
  if (title === '') errors.title = '请填写稿件标题';
  else if (charCount(title) > PUBLICITY_TITLE_MAX) errors.title = `稿件标题不能超过 ${PUBLICITY_TITLE_MAX} 个字`;
  const link = values.link.trim();
  if (link !== '' && !HTTPS_LINK.test(link)) errors.link = '链接须以 https:// 开头';
  if (!DATE.test(values.publishedOn)) errors.publishedOn = '请选择发布日期';
  return errors;
}

/** The body of `POST /media/publicity` from valid values (trimmed; no link when left empty). */
export function publicityRequest(values: PublicityFormValues): CreatePublicityRequest {
  const body: CreatePublicityRequest = {
    outlet: values.outlet.trim(),
    level: values.level as PublicityLevel,
    title: values.title.trim(),
    publishedOn: values.publishedOn,
  };
  const link = values.link.trim();
  if (link !== '') body.link = link;
  return body;
}

/** One row of the publicity list. */
export interface PublicityView {
  id: string;
  outlet: string;
  levelLabel: string;
  title: string;
  link: string;
  publishedOn: string;
}

export function publicityView(p: Publicity): PublicityView {
  return {
    id: p.id,
    outlet: p.outlet,
    levelLabel: publicityLevelLabel(p.level),
    title: p.title,
    link: p.link ?? '',
    publishedOn: p.publishedOn,
  };
}
