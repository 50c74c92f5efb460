use sea_orm::entity::prelude::*;

/// Answers to an event's form, against the template version they answered.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "form_submissions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub template_id: i64,
    pub submitter_id: i64,
    pub enterprise_id: Option<i64>,
    /// The mystery-shopper assignment a report answers.
    pub assignment_id: Option<i64>,
    #[sea_orm(unique)]
    pub once_key: String,
    pub answers: Json,
    /// Question ids whose answers were findings.
    pub findings: Json,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
