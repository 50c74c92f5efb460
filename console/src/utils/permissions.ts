// What a person may do, from their roles. The server decides every request; the console uses
// this only to show the screens and buttons that can succeed.
import type { components } from '@/api/schema';

type S = components['schemas'];
export type Role = S['Role'];
export type Status = S['Status'];

/** Who signs in to the console: the desk staff and discipline staff (纪检监察). */
export const STAFF_ROLES: Role[] = ['butler', 'handler', 'admin', 'discipline'];

export interface Person {
  roles: { role: string; unitId?: string | null }[];
}

export function rolesOf(user: Person | null | undefined): Role[] {
  return [...new Set((user?.roles ?? []).map((r) => r.role as Role))];
}

export function hasAnyRole(user: Person | null | undefined, roles: readonly Role[]): boolean {
  const mine = rolesOf(user);
  return roles.some((r) => mine.includes(r));
}

export function isStaff(user: Person | null | undefined): boolean {
  return hasAnyRole(user, STAFF_ROLES);
}

/** Butlers and admins: accept, triage, dispatch, supervise (the server's STAFF). */
export const isDesk = (u: Person | null | undefined) => hasAnyRole(u, ['butler', 'admin']);
/** Unit handlers: sign, return, reply, ask for more time (the server's UNIT). */
export const isUnit = (u: Person | null | undefined) => hasAnyRole(u, ['handler']);
/** Discipline staff (纪检监察): the only ones who read conduct clues (not even admins). */
export const isDiscipline = (u: Person | null | undefined) => hasAnyRole(u, ['discipline']);

/** 线索移送: a demand's butler or an admin refers it to discipline staff (the server checks that
 * a butler is the demand's own); never a unit's handler. */
export const canReferDemand = (u: Person | null | undefined) => isDesk(u);

export type Move =
  | 'accept'
  | 'reject'
  | 'assign'
  | 'sign'
  | 'return'
  | 'reply'
  | 'extend'
  | 'approve_extension'
  | 'flag_unreasonable'
  | 'merge'
  | 'supervise'
  | 'comment'
  | 'callback_rating';

export interface DemandState {
  status: Status;
  channel: string;
  unreasonable: boolean;
  extensionPending?: unknown;
  rating?: unknown;
}

const FINAL: Status[] = ['closed', 'rejected', 'merged'];

/** The moves the person's roles allow on a demand in its state (the state machine of
 * DESIGN.md section 3 and the server's role table). */
export function allowedMoves(user: Person | null | undefined, d: DemandState): Move[] {
  const desk = isDesk(user);
  const unit = isUnit(user);
  const s = d.status;
  const moves: Move[] = [];
  if (desk && s === 'submitted') moves.push('accept', 'reject');
  if (desk && (s === 'accepted' || s === 'reopened')) moves.push('assign');
  if (unit && s === 'assigned') moves.push('sign');
  if (unit && s === 'in_progress') moves.push('reply');
  if (unit && (s === 'assigned' || s === 'in_progress')) {
    moves.push('return');
    if (!d.extensionPending) moves.push('extend');
  }
  if (desk && d.extensionPending && (s === 'assigned' || s === 'in_progress')) moves.push('approve_extension');
  if (desk && s === 'replied' && d.channel === 'hotline' && !d.rating) moves.push('callback_rating');
  if (desk && s !== 'merged' && !d.unreasonable) moves.push('flag_unreasonable');
  if (desk && !FINAL.includes(s)) moves.push('merge');
  if (desk && s !== 'merged') moves.push('supervise');
  if (desk || unit) moves.push('comment');
  return moves;
}

/** The screens, by role (route meta uses the same lists). */
export const SCREEN_ROLES = {
  queue: ['butler', 'handler', 'admin'],
  demand: ['butler', 'handler', 'admin'],
  hotline: ['butler', 'admin'],
  enterprises: ['butler', 'admin'],
  bindings: ['butler', 'admin'],
  import: ['admin'],
  people: ['admin'],
  units: ['admin'],
  calendar: ['admin'],
  // The console's second half (issue 19): the server lets admins only, but a unit's handlers
  // see the plan items of their unit and report progress on them.
  events: ['admin'],
  forms: ['admin'],
  policies: ['admin'],
  plans: ['admin', 'handler'],
  dashboard: ['admin'],
  reports: ['admin'],
  groups: ['admin'],
  // 客户群 (WeCom customer groups): admins all of them, butlers the groups they own (the server
  // filters); syncing, linking and 微信客服 links are for admins.
  customerGroups: ['admin', 'butler'],
  audit: ['admin'],
  // 三上门: butlers their own enterprises due, admins all (and the tiers' intervals);
  // 涉企检查: a unit's handlers register their unit's inspections, admins any; 免罚清单: admins.
  visits: ['butler', 'admin'],
  inspections: ['handler', 'admin'],
  leniency: ['admin'],
  // Conduct clues (问题线索): discipline staff and no one else, admins included (the server
  // answers 403 to anyone else on every clue route).
  clues: ['discipline'],
  clueFigures: ['discipline'],
  clueBulletins: ['discipline'],
  clueAudit: ['discipline'],
} as const satisfies Record<string, readonly Role[]>;

export type Screen = keyof typeof SCREEN_ROLES;

export function canSee(user: Person | null | undefined, screen: Screen): boolean {
  return hasAnyRole(user, SCREEN_ROLES[screen]);
}

/** Where a person lands after signing in. */
export function homeFor(user: Person | null | undefined): string {
  if (canSee(user, 'queue')) return '/queue';
  if (canSee(user, 'clues')) return '/clues';
  return '/forbidden';
}
