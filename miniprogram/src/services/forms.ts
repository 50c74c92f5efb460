// Forms of the engagement programs (checklists, scorecards): one version of a template.
import type { FormDefinition } from '../types/api';
import { request } from '../utils/request';

/** `GET /forms/{id}`: the form whose `body` the form renderer draws. */
export function getForm(id: string): Promise<FormDefinition> {
  return request<FormDefinition>({ method: 'GET', path: `/forms/${encodeURIComponent(id)}` });
}
