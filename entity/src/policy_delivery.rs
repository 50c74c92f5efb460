use sea_orm::entity::prelude::*;

use crate::codes::DeliveryVia;

/// A policy delivered to one person (at most once per policy and person), with whether they
/// read it and said they understood it (已知晓).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "policy_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub policy_id: i64,
    pub user_id: i64,
    /// The enterprise through which the policy matched; none when the person found it alone.
    pub enterprise_id: Option<i64>,
    /// `publish`, `digest` or `self` (read or acknowledged without a push).
    pub via: DeliveryVia,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
    pub acked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
