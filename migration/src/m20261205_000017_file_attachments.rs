//! A file is attached once, to one object, and whoever may read that object may read the file:
//! `files` records the object (`attached_kind`, `attached_id`). Files attached before this
//! migration are given the object that first carried them.
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Files {
    Table,
    AttachedKind,
    AttachedId,
    AttachedAt,
}

/// Tables whose JSON column lists file ids, with the kind of object each row is.
const JSON_LISTS: &[(&str, &str, &str)] = &[
    ("complaint", "complaints", "photos"),
    ("plan_note", "plan_notes", "file_ids"),
    ("observation", "media_observations", "file_ids"),
    ("activity", "supervision_activities", "photos"),
];

/// The ids of a JSON array of id strings.
fn listed(v: &serde_json::Value) -> Vec<i64> {
    v.as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str()?.parse().ok()).collect())
        .unwrap_or_default()
}

/// The file ids of a form's photo answers (`{"q": [{"fileId": "9", ...}]}`).
fn photos(answers: &serde_json::Value) -> Vec<i64> {
    answers
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
        .filter_map(serde_json::Value::as_array)
        .flatten()
        .filter_map(|p| p.get("fileId")?.as_str()?.parse().ok())
        .collect()
}

async fn claim(db: &SchemaManagerConnection<'_>, kind: &str, object: i64, files: &[i64]) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    for file in files {
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm_migration::sea_orm::DbBackend::Postgres => {
                    "UPDATE files SET attached_kind = $1, attached_id = $2, attached_at = created_at WHERE id = $3 AND attached_kind IS NULL"
                }
                _ => {
                    "UPDATE files SET attached_kind = ?, attached_id = ?, attached_at = created_at WHERE id = ? AND attached_kind IS NULL"
                }
            },
            [kind.into(), object.into(), (*file).into()],
        ))
        .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            string_null(Files::AttachedKind),
            big_integer_null(Files::AttachedId),
            timestamp_with_time_zone_null(Files::AttachedAt),
        ] {
            manager
                .alter_table(Table::alter().table(Files::Table).add_column(column).to_owned())
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_files_attached")
                    .table(Files::Table)
                    .col(Files::AttachedKind)
                    .col(Files::AttachedId)
                    .to_owned(),
            )
            .await?;

        // The objects that carried files so far: the first claim wins (a complaint's photos
        // before the demand it became, a report's photos before its findings' demands).
        let db = manager.get_connection();
        for (kind, table, column) in JSON_LISTS {
            let rows = db
                .query_all_raw(Statement::from_string(
                    db.get_database_backend(),
                    format!("SELECT id, {column} AS files FROM {table} ORDER BY id"),
                ))
                .await?;
            for row in rows {
                let id: i64 = row.try_get("", "id")?;
                let files: serde_json::Value = row.try_get("", "files")?;
                claim(db, kind, id, &listed(&files)).await?;
            }
        }
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT id, answers AS files FROM form_submissions ORDER BY id".to_owned(),
            ))
            .await?;
        for row in rows {
            let id: i64 = row.try_get("", "id")?;
            let answers: serde_json::Value = row.try_get("", "files")?;
            claim(db, "submission", id, &photos(&answers)).await?;
        }
        for (kind, table, owner) in [
            ("policy", "policy_attachments", "policy_id"),
            ("demand", "demand_attachments", "demand_id"),
        ] {
            let rows = db
                .query_all_raw(Statement::from_string(
                    db.get_database_backend(),
                    format!("SELECT {owner} AS owner, file_id FROM {table} ORDER BY id"),
                ))
                .await?;
            for row in rows {
                let owner: i64 = row.try_get("", "owner")?;
                let file: i64 = row.try_get("", "file_id")?;
                claim(db, kind, owner, &[file]).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("idx_files_attached").table(Files::Table).to_owned())
            .await?;
        for column in [Files::AttachedKind, Files::AttachedId, Files::AttachedAt] {
            manager
                .alter_table(Table::alter().table(Files::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_ids_are_found_in_lists_and_in_photo_answers() {
        assert_eq!(listed(&serde_json::json!(["3", "5"])), [3, 5]);
        let answers =
            serde_json::json!({"ok": true, "photos": [{"fileId": "9", "capturedAt": null}], "n": 4, "c": ["7"]});
        assert_eq!(photos(&answers), [9]);
    }
}
