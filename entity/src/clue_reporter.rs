use sea_orm::entity::prelude::*;

/// Who reported a clue, kept apart from the clue: read for the reporter's own list, for a
/// named clue's detail, and for an anonymous one only through the audited reveal.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clue_reporters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub clue_id: i64,
    /// None once the person deleted their account, or for a hotline caller.
    pub user_id: Option<i64>,
    /// A hotline caller's phone (a clue referred from a hotline demand).
    pub phone: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
