use sea_orm::entity::prelude::*;

/// What a visit from a group did: the visit itself, a policy read, a demand filed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "group_activities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub group_id: i64,
    pub visit_id: i64,
    /// `visit`, `read` or `demand`.
    pub kind: String,
    /// The policy or demand (0 for the visit itself).
    pub object_id: i64,
    pub user_id: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
