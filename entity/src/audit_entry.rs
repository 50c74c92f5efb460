use sea_orm::entity::prelude::*;

/// One audited act: an admin's change, or a read of an identity the product otherwise hides.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub actor_id: i64,
    /// e.g. `POST /api/v1/plans`, `read_identity`.
    pub action: String,
    /// e.g. `request`, `demand`, `mystery_report`.
    pub object_type: String,
    pub object_id: Option<String>,
    pub detail: Option<Json>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
