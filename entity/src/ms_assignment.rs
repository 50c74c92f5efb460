use sea_orm::entity::prelude::*;

/// An officer's visit of a target within a window. Only admins ever see the officer.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ms_assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub target_id: i64,
    pub officer_id: i64,
    pub window_start: DateTimeUtc,
    pub window_end: DateTimeUtc,
    pub checked_in_at: Option<DateTimeUtc>,
    pub check_in_lat: Option<f64>,
    pub check_in_lng: Option<f64>,
    pub submission_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
