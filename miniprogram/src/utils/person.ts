// What the pages show about the signed-in person, derived from `User` in one place.
import type { RoleCode, User } from '../types/api';
import { activeGrants, activeRoles, chinaToday, grantLabel } from './roles';

export interface PersonView {
  name: string;
  /** The phone as the server sent it (masked or whole), or a placeholder. */
  phone: string;
  hasPhone: boolean;
  /** One line per role in force, e.g. 「单位经办人 · 青岛海关」. */
  grants: string[];
  roles: RoleCode[];
  /** The enterprise bound to; its id opens the profile page. */
  enterprise: { id: string; name: string; uscc: string } | null;
  pending: { enterpriseName: string; since: string } | null;
}

export function personView(user: User, today: string = chinaToday()): PersonView {
  return {
    name: user.nickname?.trim() || '微信用户',
    phone: user.phone ?? '未绑定',
    hasPhone: user.phone != null,
    grants: activeGrants(user.roles, today).map(grantLabel),
    roles: activeRoles(user.roles, today),
    enterprise: user.enterprise ? { id: user.enterprise.id, name: user.enterprise.name, uscc: user.enterprise.uscc } : null,
    pending: user.pendingBinding
      ? { enterpriseName: user.pendingBinding.enterpriseName, since: user.pendingBinding.createdAt.slice(0, 10) }
      : null,
  };
}

/** The 涉企检查 entry on 我的: what it says, for whom it shows. */
export interface InspectionsEntry {
  title: string;
  description: string;
}

/**
 * An enterprise's members see its inspections and rate them (涉企检查); experience officers and
 * media observers see the inspections they are invited to and file what they observed (受邀检查).
 * Anyone else: no entry (null).
 */
export function inspectionsEntry(person: Pick<PersonView, 'enterprise' | 'roles'>): InspectionsEntry | null {
  if (person.enterprise) return { title: '涉企检查', description: '查看本企业接受的检查，评价是否规范' };
  if (person.roles.includes('officer') || person.roles.includes('media')) {
    return { title: '受邀检查', description: '查看受邀观察的检查，反馈现场情况' };
  }
  return null;
}
