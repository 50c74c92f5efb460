// Reply templates (答复模板) a handler starts a reply from. Staff only.
import type { Environment, ReplyTemplate } from '../types/api';
import { request } from '../utils/request';

/** `GET /reply-templates`: those for `environment` (and those for every environment). */
export function listReplyTemplates(environment?: Environment): Promise<ReplyTemplate[]> {
  return request<ReplyTemplate[]>({ method: 'GET', path: '/reply-templates', query: { environment } });
}
