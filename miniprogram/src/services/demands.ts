// Demands (诉求): file one, list, read one with its timeline, and one function per move of the
// state machine (`POST /demands/{id}/{action}`). Every write carries an `Idempotency-Key`: pass
// the key of the user action (see `utils/idempotency`), or a fresh one is made for this call.
import type {
  AssignRequest,
  CommentRequest,
  CreateDemandRequest,
  CursorPage,
  Demand,
  DemandListQuery,
  ExtendRequest,
  MergeRequest,
  RateRequest,
  ReasonRequest,
  ReplyRequest,
  SuperviseRequest,
} from '../types/api';
import { newIdempotencyKey } from '../utils/idempotency';
import { request } from '../utils/request';

/** `POST /demands` → 201 with the new demand (and its timeline), with the group visit when given. */
export function createDemand(body: CreateDemandRequest, idempotencyKey: string = newIdempotencyKey()): Promise<Demand> {
  const data: CreateDemandRequest = {
    kind: body.kind,
    environment: body.environment,
    title: body.title,
    content: body.content,
    anonymous: body.anonymous,
  };
  if (body.attachments && body.attachments.length > 0) data.attachments = body.attachments;
  // The visit from a customer group's card: the demand is counted for that group.
  if (body.groupVisitId) data.groupVisitId = body.groupVisitId;
  return request<Demand>({ method: 'POST', path: '/demands', data, idempotencyKey });
}

/** `GET /demands`: what the caller may see, newest first; `todo: true` is the staff queue. */
export function listDemands(query: DemandListQuery = {}): Promise<CursorPage<Demand>> {
  return request<CursorPage<Demand>>({ method: 'GET', path: '/demands', query: { ...query } });
}

/** `GET /demands/{id}`: the demand with its timeline. */
export function getDemand(id: string): Promise<Demand> {
  return request<Demand>({ method: 'GET', path: `/demands/${encodeURIComponent(id)}` });
}

// The move endpoints, as the URL spells them.
type MovePath =
  | 'accept'
  | 'reject'
  | 'assign'
  | 'sign'
  | 'return'
  | 'reply'
  | 'rate'
  | 'extend'
  | 'approve-extension'
  | 'flag-unreasonable'
  | 'merge'
  | 'supervise'
  | 'comment';

function move(id: string, action: MovePath, data: WechatMiniprogram.IAnyObject, idempotencyKey: string): Promise<Demand> {
  return request<Demand>({ method: 'POST', path: `/demands/${encodeURIComponent(id)}/${action}`, data, idempotencyKey });
}

/** 受理 (butler, admin): submitted → accepted. */
export function accept(id: string, idempotencyKey: string = newIdempotencyKey()): Promise<Demand> {
  return move(id, 'accept', {}, idempotencyKey);
}

/** 不予受理 with a reason (butler, admin): submitted → rejected. */
export function reject(id: string, body: ReasonRequest, idempotencyKey: string = newIdempotencyKey()): Promise<Demand> {
  return move(id, 'reject', { reason: body.reason }, idempotencyKey);
}

/** 派单 to a unit, with an optional reply deadline (butler, admin): accepted/reopened → assigned. */
export function assign(id: string, body: AssignRequest, idempotencyKey: string = newIdempotencyKey()): Promise<Demand> {
  const data: AssignRequest = { unitId: body.unitId };
  if (body.dueAt) data.dueAt = body.dueAt;
  return move(id, 'assign', data, idempotencyKey);
}

/** 签收 (handler of the unit): assigned → in_progress. */
export function sign(id: string, idempotencyKey: string = newIdempotencyKey()): Promise<Demand> {
  return move(id, 'sign', {}, idempotencyKey);
}

/** 退回 a misrouted demand with a reason (handler, within 2 working days): → accepted. */
export function returnDemand(id: string, body: ReasonRequest, idempotencyKey: string = newIdempotencyKey()): Promise<Demand> {
  return move(id, 'return', { reason: body.reason }, idempotencyKey);
}

/** 答复 (handler of the unit): in_progress → replied. */
export function reply(id: string, body: ReplyRequest, idempotencyKey: string = newIdempotencyKey()): Promise<Demand> {
  const data: ReplyRequest = { content: body.content };
  if (body.attachments && body.attachments.length > 0) data.attachments = body.attachments;
  return move(id, 'reply', data, idempotencyKey);
}

/** 评价 (submitter): satisfied closes the demand, unsatisfied reopens it. */
export function rate(id: string, body: RateRequest, idempotencyKey: string = newIdempotencyKey()): Promise<Demand> {
  const data: RateRequest = { satisfied: body.satisfied };
  const comment = body.comment?.trim();
  if (comment) data.comment = comment;
  return move(id, 'rate', data, idempotencyKey);
}

/** 申请延期 by 1–10 working days, with a reason (handler, before the deadline). */
export function extend(id: string, body: ExtendRequest, idempotencyKey: string = newIdempotencyKey()): Promise<Demand> {
  return move(id, 'extend', { workingDays: body.workingDays, reason: body.reason }, idempotencyKey);
}

/** 批准延期 of the pending request (butler, admin): the deadline moves. */
export function approveExtension(id: string, idempotencyKey: string = newIdempotencyKey()): Promise<Demand> {
  return move(id, 'approve-extension', {}, idempotencyKey);
}

/** 标记为不合理诉求, with a reason (staff; audited). */
export function flagUnreasonable(id: string, body: ReasonRequest, idempotencyKey: string = newIdempotencyKey()): Promise<Demand> {
  return move(id, 'flag-unreasonable', { reason: body.reason }, idempotencyKey);
}

/** 合并 this duplicate into another demand (staff). */
export function merge(id: string, body: MergeRequest, idempotencyKey: string = newIdempotencyKey()): Promise<Demand> {
  return move(id, 'merge', { intoId: body.intoId }, idempotencyKey);
}

/** 督办 with a note to the unit and the butler (butler, admin). */
export function supervise(id: string, body: SuperviseRequest, idempotencyKey: string = newIdempotencyKey()): Promise<Demand> {
  return move(id, 'supervise', { note: body.note }, idempotencyKey);
}

/** 留言 (anyone who may read the demand). */
export function comment(id: string, body: CommentRequest, idempotencyKey: string = newIdempotencyKey()): Promise<Demand> {
  return move(id, 'comment', { content: body.content }, idempotencyKey);
}
