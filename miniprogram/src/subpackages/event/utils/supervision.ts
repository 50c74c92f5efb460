// Supervision activities (督导活动): the record form (its template for the form renderer, plus the
// date and the enterprises met, which the renderer has no question type for), the body sent, the
// list's cards, and the demand filed for an enterprise met. Pure: no `wx`, no network.
import type {
  ActivityDemandRequest,
  ActivityKind,
  CreateActivityRequest,
  DemandKind,
  Environment,
  FormAnswers,
  FormTemplate,
  Named,
  SupervisionActivity,
} from '../../../types/api';
import { CONTENT_MAX, ENVIRONMENT_OPTIONS, KIND_OPTIONS, TITLE_MAX, type Option } from '../../demand/utils/demand';
import { photoFileIds } from './photos';
import { formatTime } from '../../../utils/time';

export const ACTIVITY_KIND_OPTIONS: readonly Option<ActivityKind>[] = [
  { value: 'visit', label: '走访' },
  { value: 'forum', label: '座谈' },
  { value: 'inspection', label: '检查' },
];

export const PLACE_MAX = 100;
export const NOTES_MAX = 2000;
export const ACTIVITY_PHOTOS_MAX = 9;

export function activityKindLabel(kind: string): string {
  return ACTIVITY_KIND_OPTIONS.find((o) => o.value === kind)?.label ?? kind;
}

/** Question ids of the record form; each is also the field the server names its errors by. */
export const ACTIVITY_FIELDS = ['kind', 'place', 'notes', 'photos'] as const;

/** The parts of the record form the renderer draws. */
export function activityFormTemplate(): FormTemplate {
  return {
    sections: [
      {
        id: 'activity',
        title: '活动情况',
        questions: [
          {
            id: 'kind',
            type: 'single_choice',
            title: '活动类型',
            required: true,
            options: ACTIVITY_KIND_OPTIONS.map((o) => ({ value: o.value, label: o.label })),
          },
          { id: 'place', type: 'text', title: '活动地点', required: true, maxLength: PLACE_MAX },
          { id: 'notes', type: 'text', title: '活动记录', help: '走访了解到的情况、企业反映的问题等', required: false, maxLength: NOTES_MAX },
          { id: 'photos', type: 'photo', title: '现场照片（选填）', required: false, maxCount: ACTIVITY_PHOTOS_MAX },
        ],
      },
    ],
  };
}

/** The parts of the record form outside the renderer. */
export interface ActivityExtras {
  /** YYYY-MM-DD, '' while none is picked. */
  date: string;
  enterprises: Named[];
}

export type ActivityExtraField = 'date' | 'enterpriseIds';

/** The checks of the date and the enterprises met, as the server makes them; {} when fine. */
export function checkActivityExtras(extras: ActivityExtras, today: string): Partial<Record<ActivityExtraField, string>> {
  const errors: Partial<Record<ActivityExtraField, string>> = {};
  if (!/^\d{4}-\d{2}-\d{2}$/.test(extras.date)) errors.date = '请选择活动日期';
  else if (extras.date > today) errors.date = '活动日期不能晚于今天';
  if (extras.enterprises.length === 0) errors.enterpriseIds = '请选择走访的企业';
  return errors;
}

/** The body of `POST /supervision-activities` from the renderer's checked answers and the extras. */
export function activityRequest(answers: FormAnswers, extras: ActivityExtras): CreateActivityRequest {
  const body: CreateActivityRequest = {
    kind: answers.kind as ActivityKind,
    date: extras.date,
    place: typeof answers.place === 'string' ? answers.place.trim() : '',
    enterpriseIds: extras.enterprises.map((e) => e.id),
    notes: typeof answers.notes === 'string' ? answers.notes.trim() : '',
  };
  const photos = photoFileIds(answers.photos);
  if (photos.length > 0) body.photos = photos;
  return body;
}

/** The enterprises met with `e` added, or removed when it is there already. */
export function toggleEnterprise(selected: readonly Named[], e: Named): Named[] {
  return selected.some((s) => s.id === e.id) ? selected.filter((s) => s.id !== e.id) : [...selected, { id: e.id, name: e.name }];
}

/** One activity as the list draws it. */
export interface ActivityView {
  id: string;
  kindLabel: string;
  date: string;
  place: string;
  enterprises: Named[];
  notes: string;
  photos: number;
  demands: number;
  createdAt: string;
}

export function activityView(a: SupervisionActivity): ActivityView {
  return {
    id: a.id,
    kindLabel: activityKindLabel(a.kind),
    date: a.date,
    place: a.place,
    enterprises: a.enterprises.map((e) => ({ id: e.id, name: e.name })),
    notes: a.notes,
    photos: a.photos.length,
    demands: a.demandIds.length,
    createdAt: formatTime(a.createdAt),
  };
}

// ---- A demand filed for an enterprise met ----

/** Question ids of the demand form; each is also the field the server names its errors by. */
export const ACTIVITY_DEMAND_FIELDS = ['kind', 'environment', 'title', 'content'] as const;

export function activityDemandTemplate(enterpriseName: string): FormTemplate {
  return {
    sections: [
      {
        id: 'demand',
        title: enterpriseName ? `代「${enterpriseName}」提交诉求` : '代企业提交诉求',
        description: '诉求将以督导活动渠道提交，由服务管家受理',
        questions: [
          {
            id: 'kind',
            type: 'single_choice',
            title: '诉求类型',
            required: true,
            options: KIND_OPTIONS.map((o) => ({ value: o.value, label: o.label })),
          },
          {
            id: 'environment',
            type: 'single_choice',
            title: '所属环境',
            required: true,
            options: ENVIRONMENT_OPTIONS.map((o) => ({ value: o.value, label: o.label })),
          },
          { id: 'title', type: 'text', title: '标题', help: '一句话概括企业的诉求', required: true, maxLength: TITLE_MAX },
          { id: 'content', type: 'text', title: '诉求内容', required: true, maxLength: CONTENT_MAX },
        ],
      },
    ],
  };
}

/** The answers the demand form starts from. */
export function activityDemandStart(): FormAnswers {
  return { kind: 'demand' };
}

/** The body of `POST /supervision-activities/{id}/demands` from the form's checked answers. */
export function activityDemandRequest(enterpriseId: string, answers: FormAnswers): ActivityDemandRequest {
  return {
    enterpriseId,
    kind: answers.kind as DemandKind,
    environment: answers.environment as Environment,
    title: typeof answers.title === 'string' ? answers.title.trim() : '',
    content: typeof answers.content === 'string' ? answers.content.trim() : '',
  };
}
