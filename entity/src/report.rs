use sea_orm::entity::prelude::*;

use crate::codes::ReportKind;

/// A 「企业之声」 report of one period.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `weekly` or `monthly`.
    pub kind: ReportKind,
    /// 第N期, within its kind.
    pub number: i32,
    pub period_from: Date,
    pub period_to: Date,
    /// The figures, as written (the HTML and Excel are rendered from them).
    pub data: Json,
    pub generated_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
