//! Who may act on what: the signed-in person (`Principal`: an id and the roles held today),
//! whom an object belongs to (`Owner`), the ways of being allowed (`Access`), and the named
//! sets of them the handlers and services use. Role *and* object are always checked together.
use crate::domain::role::Role;

/// A role held today, with what it is held for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActiveRole {
    pub role: Role,
    pub enterprise_id: Option<i64>,
    pub unit_id: Option<i64>,
}

/// The person a request acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub id: i64,
    pub roles: Vec<ActiveRole>,
}

/// Refused: the caller may not do this (answered 403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forbidden;

impl Principal {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|r| r.role == role)
    }

    pub fn is_admin(&self) -> bool {
        self.has_role(Role::Admin)
    }

    /// Enterprises the person is a member of.
    pub fn enterprise_ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.roles
            .iter()
            .filter(|r| r.role == Role::Enterprise)
            .filter_map(|r| r.enterprise_id)
    }

    /// Units the person handles for.
    pub fn unit_ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.roles
            .iter()
            .filter(|r| r.role == Role::Handler)
            .filter_map(|r| r.unit_id)
    }

    /// The role the person acts in when nothing more specific applies (the first they hold).
    pub fn main_role(&self) -> Option<Role> {
        self.roles.first().map(|r| r.role)
    }
}

/// Whom an object belongs to.
#[derive(Debug, Clone, Copy, Default)]
pub struct Owner {
    /// The enterprise it concerns.
    pub enterprise_id: Option<i64>,
    /// That enterprise's butler.
    pub butler_id: Option<i64>,
    /// The unit it is assigned to.
    pub unit_id: Option<i64>,
    /// The person it belongs to (submitter, the person themself).
    pub user_id: Option<i64>,
}

/// One way of being allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Any administrator.
    Admin,
    /// Anyone holding this role, whatever the object.
    AnyWithRole(Role),
    /// A member of the object's enterprise.
    EnterpriseMember,
    /// The butler assigned to the object's enterprise.
    EnterpriseButler,
    /// A handler of the object's unit.
    UnitHandler,
    /// The person the object belongs to.
    Itself,
}

impl Principal {
    fn allows(&self, access: Access, owner: &Owner) -> bool {
        match access {
            Access::Admin => self.has_role(Role::Admin),
            Access::AnyWithRole(role) => self.has_role(role),
            Access::EnterpriseMember => owner
                .enterprise_id
                .is_some_and(|e| self.enterprise_ids().any(|mine| mine == e)),
            Access::EnterpriseButler => self.has_role(Role::Butler) && owner.butler_id == Some(self.id),
            Access::UnitHandler => owner.unit_id.is_some_and(|u| self.unit_ids().any(|mine| mine == u)),
            Access::Itself => owner.user_id == Some(self.id),
        }
    }

    /// Ok when any of `rules` allows the caller on `owner`, else `Forbidden` (403).
    pub fn require(&self, rules: &[Access], owner: &Owner) -> Result<(), Forbidden> {
        if rules.iter().any(|r| self.allows(*r, owner)) {
            Ok(())
        } else {
            Err(Forbidden)
        }
    }

    /// For actions that concern no particular object (create a unit, list people).
    pub fn require_role(&self, rules: &[Access]) -> Result<(), Forbidden> {
        self.require(rules, &Owner::default())
    }

    pub fn can(&self, rules: &[Access], owner: &Owner) -> bool {
        rules.iter().any(|r| self.allows(*r, owner))
    }

    /// Whether the caller sees who is behind something filed anonymously (a demand, a
    /// complaint): admins, the enterprise's own butler and the person themself do; handlers,
    /// other butlers and colleagues do not. Every such read by another is audited.
    pub fn sees_identity(&self, anonymous: bool, owner: &Owner) -> bool {
        !anonymous || self.can(IDENTITY, owner)
    }
}

/// Any administrator.
pub const ADMINS: &[Access] = &[Access::Admin];
/// Any butler (moderating a complaint wall, turning an observation into a demand), or an admin.
pub const BUTLERS: &[Access] = &[Access::Admin, Access::AnyWithRole(Role::Butler)];
/// The butler of the object's enterprise, or an admin: who accepts, dispatches and decides.
pub const OWN_BUTLER: &[Access] = &[Access::Admin, Access::EnterpriseButler];
/// A handler of the object's unit.
pub const OWN_UNIT: &[Access] = &[Access::UnitHandler];
/// A handler of the object's unit, or an admin.
pub const OWN_UNIT_OR_ADMIN: &[Access] = &[Access::Admin, Access::UnitHandler];
/// Any unit handler, or an admin.
pub const HANDLERS: &[Access] = &[Access::Admin, Access::AnyWithRole(Role::Handler)];
/// Whoever works at a desk: admins, butlers, unit handlers.
pub const DESK_STAFF: &[Access] = &[
    Access::Admin,
    Access::AnyWithRole(Role::Butler),
    Access::AnyWithRole(Role::Handler),
];
/// Discipline staff (纪检监察), and no one else: not admins, butlers or the unit concerned.
pub const DISCIPLINE: &[Access] = &[Access::AnyWithRole(Role::Discipline)];
/// Who signs in to the console: the desk staff and discipline staff.
pub const CONSOLE: &[Access] = &[
    Access::Admin,
    Access::AnyWithRole(Role::Butler),
    Access::AnyWithRole(Role::Handler),
    Access::AnyWithRole(Role::Discipline),
];
/// A media observer, or an admin.
pub const MEDIA: &[Access] = &[Access::AnyWithRole(Role::Media), Access::Admin];
/// A member of the supervision committee, or an admin.
pub const SUPERVISORS: &[Access] = &[Access::AnyWithRole(Role::Supervisor), Access::Admin];
/// Who files a demand on an enterprise's behalf (the hotline, a visit): admins, butlers,
/// members of the supervision committee.
pub const FILE_ON_BEHALF: &[Access] = &[
    Access::Admin,
    Access::AnyWithRole(Role::Butler),
    Access::AnyWithRole(Role::Supervisor),
];
/// Who reads an enterprise's record: its members, its butler, admins.
pub const ENTERPRISE_READERS: &[Access] = &[Access::Admin, Access::EnterpriseButler, Access::EnterpriseMember];
/// Who sees the person behind an anonymous demand or complaint: admins, the enterprise's own
/// butler, the person themself (every read by another is audited).
pub const IDENTITY: &[Access] = &[Access::Admin, Access::EnterpriseButler, Access::Itself];

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: i64, roles: Vec<ActiveRole>) -> Principal {
        Principal { id, roles }
    }
    fn role(role: Role, enterprise_id: Option<i64>, unit_id: Option<i64>) -> ActiveRole {
        ActiveRole {
            role,
            enterprise_id,
            unit_id,
        }
    }

    #[test]
    fn a_member_reaches_only_their_enterprise() {
        let member = user(1, vec![role(Role::Enterprise, Some(10), None)]);
        let own = Owner {
            enterprise_id: Some(10),
            ..Owner::default()
        };
        let other = Owner {
            enterprise_id: Some(11),
            ..Owner::default()
        };
        assert!(member.require(&[Access::EnterpriseMember], &own).is_ok());
        assert_eq!(member.require(&[Access::EnterpriseMember], &other), Err(Forbidden));
    }

    #[test]
    fn a_butler_reaches_only_the_enterprises_they_serve() {
        let butler = user(5, vec![role(Role::Butler, None, None)]);
        let served = Owner {
            enterprise_id: Some(10),
            butler_id: Some(5),
            ..Owner::default()
        };
        let not_served = Owner {
            enterprise_id: Some(11),
            butler_id: Some(6),
            ..Owner::default()
        };
        assert!(butler.can(&[Access::EnterpriseButler], &served));
        assert!(!butler.can(&[Access::EnterpriseButler], &not_served));
        // Being named butler without holding the role is not enough.
        let former = user(5, vec![]);
        assert!(!former.can(&[Access::EnterpriseButler], &served));
    }

    #[test]
    fn a_handler_reaches_only_their_unit_and_admins_everything() {
        let handler = user(2, vec![role(Role::Handler, None, Some(3))]);
        let admin = user(9, vec![role(Role::Admin, None, None)]);
        let unit3 = Owner {
            unit_id: Some(3),
            ..Owner::default()
        };
        let unit4 = Owner {
            unit_id: Some(4),
            ..Owner::default()
        };
        assert!(handler.can(&[Access::UnitHandler], &unit3));
        assert!(!handler.can(&[Access::UnitHandler], &unit4));
        assert!(!handler.can(&[Access::Admin], &unit3));
        assert!(admin.can(&[Access::Admin], &unit4));
        assert!(!admin.can(&[Access::UnitHandler], &unit4));
    }

    #[test]
    fn nobody_is_allowed_by_an_empty_rule_list() {
        let admin = user(9, vec![role(Role::Admin, None, None)]);
        assert!(admin.require_role(&[]).is_err());
    }
}
