//! One outbox for every way the server delivers (WeChat subscribe messages, group webhooks, and
//! later SMS): the subscribe-message columns of `notifications` and the `bot_pushes` table move
//! into `outbox`, one row per message to send, written in the transaction of the change that
//! caused it and worked off by the delivery jobs. The in-app notice stays in `notifications`.
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    Channel,
    Kind,
    DedupKey,
    UserId,
    GroupId,
    NotificationId,
    Payload,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimedAt,
    LastError,
    SentAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    WechatStatus,
    TemplateId,
    WechatData,
    Attempts,
    NextAttemptAt,
    ClaimedAt,
    LastError,
    SentAt,
}

#[derive(DeriveIden)]
enum BotPushes {
    Table,
}

type Row = sea_orm_migration::sea_orm::QueryResult;

fn text_of(row: &Row, col: &str) -> Result<Option<String>, DbErr> {
    row.try_get::<Option<String>>("", col)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(big_pk_auto(Outbox::Id))
                    .col(string(Outbox::Channel))
                    .col(string(Outbox::Kind))
                    .col(string_uniq(Outbox::DedupKey))
                    .col(big_integer_null(Outbox::UserId))
                    .col(big_integer_null(Outbox::GroupId))
                    .col(big_integer_null(Outbox::NotificationId))
                    .col(json(Outbox::Payload))
                    .col(string(Outbox::Status))
                    .col(integer(Outbox::Attempts))
                    .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(Outbox::ClaimedAt))
                    .col(text_null(Outbox::LastError))
                    .col(timestamp_with_time_zone_null(Outbox::SentAt))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_outbox_due",
                vec![Outbox::Channel, Outbox::Status, Outbox::NextAttemptAt],
            ),
            ("idx_outbox_group", vec![Outbox::GroupId, Outbox::Id]),
            ("idx_outbox_notification", vec![Outbox::NotificationId]),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(Outbox::Table);
            for c in cols {
                idx.col(c);
            }
            manager.create_index(idx.to_owned()).await?;
        }

        // What was waiting, sent or failed moves over as it was.
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        let insert = |values: Vec<sea_orm_migration::sea_orm::Value>| {
            let sql = match backend {
                sea_orm_migration::sea_orm::DbBackend::Postgres => {
                    "INSERT INTO outbox (channel, kind, dedup_key, user_id, group_id, notification_id, payload, status, attempts, next_attempt_at, claimed_at, last_error, sent_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS json), $8, $9, $10, $11, $12, $13, $14)"
                }
                _ => {
                    "INSERT INTO outbox (channel, kind, dedup_key, user_id, group_id, notification_id, payload, status, attempts, next_attempt_at, claimed_at, last_error, sent_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                }
            };
            Statement::from_sql_and_values(backend, sql, values)
        };
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, user_id, kind, page, dedup_key, wechat_status, template_id, wechat_data, attempts, \
                 next_attempt_at, claimed_at, last_error, sent_at, created_at FROM notifications \
                 WHERE template_id IS NOT NULL ORDER BY id"
                    .to_owned(),
            ))
            .await?;
        for row in rows {
            let data: Option<serde_json::Value> = row.try_get("", "wechat_data")?;
            let payload = serde_json::json!({
                "templateId": text_of(&row, "template_id")?,
                "page": text_of(&row, "page")?,
                "data": data,
            });
            let created: chrono::DateTime<chrono::Utc> = row.try_get("", "created_at")?;
            let next: Option<chrono::DateTime<chrono::Utc>> = row.try_get("", "next_attempt_at")?;
            db.execute_raw(insert(vec![
                "wechat".into(),
                text_of(&row, "kind")?.into(),
                format!("wechat:{}", text_of(&row, "dedup_key")?.unwrap_or_default()).into(),
                row.try_get::<i64>("", "user_id")?.into(),
                Option::<i64>::None.into(),
                row.try_get::<i64>("", "id")?.into(),
                payload.to_string().into(),
                text_of(&row, "wechat_status")?.into(),
                row.try_get::<i32>("", "attempts")?.into(),
                next.unwrap_or(created).into(),
                row.try_get::<Option<chrono::DateTime<chrono::Utc>>>("", "claimed_at")?
                    .into(),
                text_of(&row, "last_error")?.into(),
                row.try_get::<Option<chrono::DateTime<chrono::Utc>>>("", "sent_at")?
                    .into(),
                created.into(),
            ]))
            .await?;
        }
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT group_id, kind, dedup_key, content, status, attempts, next_attempt_at, claimed_at, \
                 last_error, sent_at, created_at FROM bot_pushes ORDER BY id"
                    .to_owned(),
            ))
            .await?;
        for row in rows {
            let payload = serde_json::json!({ "markdown": text_of(&row, "content")? });
            db.execute_raw(insert(vec![
                "webhook".into(),
                text_of(&row, "kind")?.into(),
                format!("webhook:{}", text_of(&row, "dedup_key")?.unwrap_or_default()).into(),
                Option::<i64>::None.into(),
                row.try_get::<i64>("", "group_id")?.into(),
                Option::<i64>::None.into(),
                payload.to_string().into(),
                text_of(&row, "status")?.into(),
                row.try_get::<i32>("", "attempts")?.into(),
                row.try_get::<chrono::DateTime<chrono::Utc>>("", "next_attempt_at")?
                    .into(),
                row.try_get::<Option<chrono::DateTime<chrono::Utc>>>("", "claimed_at")?
                    .into(),
                text_of(&row, "last_error")?.into(),
                row.try_get::<Option<chrono::DateTime<chrono::Utc>>>("", "sent_at")?
                    .into(),
                row.try_get::<chrono::DateTime<chrono::Utc>>("", "created_at")?.into(),
            ]))
            .await?;
        }

        manager
            .drop_index(
                Index::drop()
                    .name("idx_notifications_outbox")
                    .table(Notifications::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Notifications::WechatStatus,
            Notifications::TemplateId,
            Notifications::WechatData,
            Notifications::Attempts,
            Notifications::NextAttemptAt,
            Notifications::ClaimedAt,
            Notifications::LastError,
            Notifications::SentAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Notifications::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(BotPushes::Table).to_owned())
            .await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // The moved rows would have to be split back; restore from a backup instead.
        Err(DbErr::Migration(
            "the outbox migration cannot be undone; restore the database from a backup".to_owned(),
        ))
    }
}
