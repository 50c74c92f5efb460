import { describe, expect, it } from 'vitest';
import { allowedMoves, canReferDemand, canSee, homeFor, isStaff, type Screen } from '@/utils/permissions';

const butler = { roles: [{ role: 'butler' }] };
const handler = { roles: [{ role: 'handler', unitId: '1' }] };
const admin = { roles: [{ role: 'admin' }] };
const member = { roles: [{ role: 'enterprise' }] };
const discipline = { roles: [{ role: 'discipline' }] };
const d = (status: string, extra: object = {}) => ({ status: status as never, channel: 'miniprogram', unreasonable: false, ...extra });

describe('moves by role and state', () => {
  it('a butler accepts or rejects what is submitted, and assigns what is accepted or reopened', () => {
    expect(allowedMoves(butler, d('submitted'))).toEqual(expect.arrayContaining(['accept', 'reject', 'merge', 'supervise', 'comment']));
    expect(allowedMoves(butler, d('submitted'))).not.toContain('sign');
    expect(allowedMoves(butler, d('accepted'))).toContain('assign');
    expect(allowedMoves(butler, d('reopened'))).toContain('assign');
    expect(allowedMoves(butler, d('assigned'))).not.toContain('assign');
  });

  it('a handler signs, replies, returns and asks for more time; never accepts', () => {
    expect(allowedMoves(handler, d('assigned'))).toEqual(['sign', 'return', 'extend', 'comment']);
    expect(allowedMoves(handler, d('in_progress'))).toEqual(['reply', 'return', 'extend', 'comment']);
    expect(allowedMoves(handler, d('in_progress', { extensionPending: { workingDays: 2 } }))).not.toContain('extend');
    expect(allowedMoves(handler, d('submitted'))).toEqual(['comment']);
  });

  it('a pending extension is approved by the desk', () => {
    expect(allowedMoves(admin, d('in_progress', { extensionPending: { workingDays: 2 } }))).toContain('approve_extension');
    expect(allowedMoves(admin, d('in_progress'))).not.toContain('approve_extension');
  });

  it('the call-back rating is for replied hotline demands not yet rated', () => {
    expect(allowedMoves(butler, d('replied', { channel: 'hotline' }))).toContain('callback_rating');
    expect(allowedMoves(butler, d('replied', { channel: 'hotline', rating: { satisfied: true } }))).not.toContain('callback_rating');
    expect(allowedMoves(butler, d('replied'))).not.toContain('callback_rating');
  });

  it('finished demands keep only what the state machine allows', () => {
    expect(allowedMoves(admin, d('merged'))).toEqual(['comment']);
    expect(allowedMoves(admin, d('closed'))).toEqual(['flag_unreasonable', 'supervise', 'comment']);
    expect(allowedMoves(admin, d('closed', { unreasonable: true }))).toEqual(['supervise', 'comment']);
  });

  it('an enterprise member has no console moves', () => {
    expect(allowedMoves(member, d('replied'))).toEqual([]);
    expect(isStaff(member)).toBe(false);
  });

  it('discipline staff sign in to the console but make no move on a demand', () => {
    expect(isStaff(discipline)).toBe(true);
    expect(allowedMoves(discipline, d('submitted'))).toEqual([]);
    expect(allowedMoves(discipline, d('in_progress'))).toEqual([]);
  });

  it('a butler or an admin refers a demand to discipline staff; a handler never', () => {
    expect(canReferDemand(butler)).toBe(true);
    expect(canReferDemand(admin)).toBe(true);
    expect(canReferDemand(handler)).toBe(false);
    expect(canReferDemand(discipline)).toBe(false);
    expect(canReferDemand(member)).toBe(false);
  });
});

describe('screens by role', () => {
  it('gives each role its screens', () => {
    expect(canSee(butler, 'hotline')).toBe(true);
    expect(canSee(butler, 'people')).toBe(false);
    expect(canSee(handler, 'queue')).toBe(true);
    expect(canSee(handler, 'hotline')).toBe(false);
    expect(canSee(handler, 'enterprises')).toBe(false);
    expect(canSee(admin, 'import')).toBe(true);
    expect(canSee(butler, 'import')).toBe(false);
    expect(canSee(member, 'queue')).toBe(false);
  });

  it('gives 三上门 to butlers and admins, 涉企检查 to handlers and admins, 免罚清单 to admins', () => {
    expect([butler, admin, handler, discipline].map((u) => canSee(u, 'visits'))).toEqual([true, true, false, false]);
    expect([butler, admin, handler, discipline].map((u) => canSee(u, 'inspections'))).toEqual([false, true, true, false]);
    expect([butler, admin, handler, discipline].map((u) => canSee(u, 'leniency'))).toEqual([false, true, false, false]);
  });

  it('gives the second half’s screens to admins, and the plans also to a unit’s handlers', () => {
    for (const screen of ['events', 'forms', 'policies', 'plans', 'dashboard', 'reports', 'groups', 'audit'] as const) {
      expect(canSee(admin, screen)).toBe(true);
      expect(canSee(butler, screen)).toBe(false);
      expect(canSee(member, screen)).toBe(false);
    }
    expect(canSee(handler, 'plans')).toBe(true);
    expect(canSee(handler, 'events')).toBe(false);
    expect(canSee(handler, 'dashboard')).toBe(false);
  });

  it('gives 客户群 to admins and butlers (the server keeps a butler to the groups they own)', () => {
    expect([admin, butler, handler, discipline, member].map((u) => canSee(u, 'customerGroups'))).toEqual([true, true, false, false, false]);
  });

  it('gives the clue screens to discipline staff and to no one else, admins included', () => {
    const clueScreens: Screen[] = ['clues', 'clueFigures', 'clueBulletins', 'clueAudit'];
    const deskScreens: Screen[] = ['queue', 'demand', 'hotline', 'enterprises', 'bindings', 'import', 'people', 'units', 'calendar', 'events', 'forms', 'policies', 'plans', 'dashboard', 'reports', 'groups', 'audit'];
    for (const screen of clueScreens) {
      expect(canSee(discipline, screen)).toBe(true);
      for (const other of [admin, butler, handler, member]) expect(canSee(other, screen)).toBe(false);
    }
    for (const screen of deskScreens) expect(canSee(discipline, screen)).toBe(false);
  });

  it('sends staff to the queue and others to the refusal', () => {
    expect(homeFor(handler)).toBe('/queue');
    expect(homeFor(discipline)).toBe('/clues');
    // Someone with both roles starts at the desk.
    expect(homeFor({ roles: [{ role: 'discipline' }, { role: 'butler' }] })).toBe('/queue');
    expect(homeFor(member)).toBe('/forbidden');
    expect(homeFor(null)).toBe('/forbidden');
  });
});
