//! The roles of docs/design.md section 2 and what each grant must name.
pub use entity::codes::Role;

/// What each role's grant must name, and who is staff.
pub trait RoleRules {
    /// A grant of this role names the enterprise it acts for.
    fn needs_enterprise(&self) -> bool;
    /// A grant of this role names the unit it works in.
    fn needs_unit(&self) -> bool;
    /// Appointments are for a term; the role stops when the term ends.
    fn is_appointment(&self) -> bool;
    fn is_staff(&self) -> bool;
}

impl RoleRules for Role {
    fn needs_enterprise(&self) -> bool {
        matches!(*self, Role::Enterprise)
    }

    fn needs_unit(&self) -> bool {
        matches!(*self, Role::Handler)
    }

    fn is_appointment(&self) -> bool {
        matches!(*self, Role::Officer | Role::Media | Role::Supervisor)
    }

    fn is_staff(&self) -> bool {
        matches!(*self, Role::Butler | Role::Handler | Role::Admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for &role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
            assert_eq!(serde_json::to_value(role).unwrap(), role.code());
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn only_handlers_need_a_unit_and_only_members_an_enterprise() {
        let units: Vec<_> = Role::ALL.iter().copied().filter(|r| r.needs_unit()).collect();
        let enterprises: Vec<_> = Role::ALL.iter().copied().filter(|r| r.needs_enterprise()).collect();
        assert_eq!(units, [Role::Handler]);
        assert_eq!(enterprises, [Role::Enterprise]);
    }
}
