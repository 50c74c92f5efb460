use sea_orm::entity::prelude::*;

/// An on-site inspection of an enterprise (涉企行政检查), registered before the inspectors
/// enter: by which units (several for a joint inspection, 综合查一次), who, why and on what basis.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inspections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    /// JSON array of unit ids (strings), the lead unit first.
    pub unit_ids: Json,
    /// More than one unit.
    pub joint: bool,
    pub inspectors: String,
    #[sea_orm(column_type = "Text")]
    pub purpose: String,
    #[sea_orm(column_type = "Text")]
    pub legal_basis: String,
    pub inspected_on: Date,
    pub registered_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
