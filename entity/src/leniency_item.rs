use sea_orm::entity::prelude::*;

use crate::codes::LeniencyList;

/// One entry of the 轻微违法免罚 / 首违不罚 lists: the offence, its legal basis, the conditions
/// under which it is not punished, the unit that applies it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "leniency_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub list: LeniencyList,
    #[sea_orm(column_type = "Text")]
    pub item: String,
    #[sea_orm(column_type = "Text")]
    pub legal_basis: String,
    #[sea_orm(column_type = "Text")]
    pub conditions: String,
    pub unit_id: i64,
    /// Enterprises read only published entries.
    pub published_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
