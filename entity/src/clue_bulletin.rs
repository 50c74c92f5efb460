use sea_orm::entity::prelude::*;

/// A periodic bulletin (定期通报) of the clue figures for a period.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clue_bulletins")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// 第N期.
    pub number: i32,
    pub period_from: Date,
    pub period_to: Date,
    /// The figures, as written (the document is rendered from them).
    pub data: Json,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
