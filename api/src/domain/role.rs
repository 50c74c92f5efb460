//! The roles of DESIGN.md section 2 and what each grant must name.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 企业成员: bound to one enterprise.
    Enterprise,
    /// 营商环境体验官 (appointed for a term).
    Officer,
    /// 媒体观察员 (appointed for a term).
    Media,
    /// 企业家督导委员会委员 (appointed for a term).
    Supervisor,
    /// 专属企业服务管家 (staff).
    Butler,
    /// 职能单位经办人 (staff of one unit).
    Handler,
    /// 管理员.
    Admin,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Enterprise,
        Role::Officer,
        Role::Media,
        Role::Supervisor,
        Role::Butler,
        Role::Handler,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Enterprise => "enterprise",
            Role::Officer => "officer",
            Role::Media => "media",
            Role::Supervisor => "supervisor",
            Role::Butler => "butler",
            Role::Handler => "handler",
            Role::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Enterprise => "企业成员",
            Role::Officer => "营商环境体验官",
            Role::Media => "媒体观察员",
            Role::Supervisor => "督导委员会委员",
            Role::Butler => "企业服务管家",
            Role::Handler => "单位经办人",
            Role::Admin => "管理员",
        }
    }

    /// A grant of this role names the enterprise it acts for.
    pub fn needs_enterprise(self) -> bool {
        matches!(self, Role::Enterprise)
    }

    /// A grant of this role names the unit it works in.
    pub fn needs_unit(self) -> bool {
        matches!(self, Role::Handler)
    }

    /// Appointments are for a term; the role stops when the term ends.
    pub fn is_appointment(self) -> bool {
        matches!(self, Role::Officer | Role::Media | Role::Supervisor)
    }

    pub fn is_staff(self) -> bool {
        matches!(self, Role::Butler | Role::Handler | Role::Admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
            assert_eq!(serde_json::to_value(role).unwrap(), role.code());
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn only_handlers_need_a_unit_and_only_members_an_enterprise() {
        let units: Vec<_> = Role::ALL.into_iter().filter(|r| r.needs_unit()).collect();
        let enterprises: Vec<_> = Role::ALL.into_iter().filter(|r| r.needs_enterprise()).collect();
        assert_eq!(units, [Role::Handler]);
        assert_eq!(enterprises, [Role::Enterprise]);
    }
}
