use sea_orm::entity::prelude::*;

use crate::codes::Role;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "role_grants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub role: Role,
    pub enterprise_id: Option<i64>,
    pub unit_id: Option<i64>,
    /// Last day of an appointment's term (inclusive, Asia/Shanghai).
    pub term_ends: Option<Date>,
    pub granted_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
