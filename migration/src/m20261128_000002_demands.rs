//! Demands and their timeline, the working-day calendar, the notification outbox,
//! subscribe-message credits, idempotency keys and uploaded files. Past 500 lines as one step
//! of the schema; a migration that has run is never edited, so it stays as it is.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Holidays {
    Table,
    Day,
    Kind,
    Name,
}

#[derive(DeriveIden)]
enum DemandCounters {
    Table,
    Day,
    Last,
}

#[derive(DeriveIden)]
enum Files {
    Table,
    Id,
    OwnerId,
    ContentType,
    Size,
    Sha256,
    StorageKey,
    OriginalName,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Demands {
    Table,
    Id,
    Number,
    Kind,
    Environment,
    Channel,
    Title,
    Content,
    OriginType,
    OriginId,
    EnterpriseId,
    SubmitterId,
    CallerPhone,
    Anonymous,
    UnitId,
    ButlerId,
    Status,
    AcceptDueAt,
    SignDueAt,
    ReplyDueAt,
    AcceptedAt,
    AssignedAt,
    SignedAt,
    RepliedAt,
    ClosedAt,
    ReplyContent,
    RatingSatisfied,
    RatingComment,
    RatedAt,
    RatingSource,
    Unreasonable,
    UnreasonableReason,
    MergedIntoId,
    Overdue,
    OverdueKind,
    OverdueDueAt,
    ExtensionDaysPending,
    ExtensionReason,
    Extensions,
    Returns,
    BouncedSecs,
    AcceptSecs,
    SignSecs,
    ReplySecs,
    SignLate,
    ReplyLate,
    ReopenCount,
    ContentCheck,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DemandEvents {
    Table,
    Id,
    DemandId,
    Action,
    FromStatus,
    ToStatus,
    ActorId,
    ActorRole,
    ActorUnitId,
    Note,
    Data,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DemandFollowers {
    Table,
    DemandId,
    UserId,
}

#[derive(DeriveIden)]
enum DemandAttachments {
    Table,
    Id,
    DemandId,
    FileId,
    EventId,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    Kind,
    Title,
    Body,
    DemandId,
    Page,
    DedupKey,
    WechatStatus,
    TemplateId,
    WechatData,
    Attempts,
    NextAttemptAt,
    ClaimedAt,
    LastError,
    SentAt,
    ReadAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SubscribeCredits {
    Table,
    Id,
    UserId,
    TemplateId,
    NotificationId,
    SpentAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Id,
    UserId,
    Key,
    Fingerprint,
    Status,
    ResponseStatus,
    ResponseBody,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReplyTemplates {
    Table,
    Id,
    Environment,
    UnitId,
    Title,
    Content,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Enterprises {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
}

fn index(name: &str, table: impl IntoIden + 'static, cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for c in cols {
        idx.col(Alias::new(*c));
    }
    idx.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Holidays::Table)
                    .col(date(Holidays::Day).primary_key())
                    .col(string(Holidays::Kind))
                    .col(string_null(Holidays::Name))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DemandCounters::Table)
                    .col(string(DemandCounters::Day).primary_key())
                    .col(big_integer(DemandCounters::Last))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Files::Table)
                    .col(big_pk_auto(Files::Id))
                    .col(big_integer(Files::OwnerId))
                    .col(string(Files::ContentType))
                    .col(big_integer(Files::Size))
                    .col(string(Files::Sha256))
                    .col(string(Files::StorageKey))
                    .col(string_null(Files::OriginalName))
                    .col(timestamp_with_time_zone(Files::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Files::Table, Files::OwnerId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Demands::Table)
                    .col(big_pk_auto(Demands::Id))
                    .col(string_uniq(Demands::Number))
                    .col(string(Demands::Kind))
                    .col(string(Demands::Environment))
                    .col(string(Demands::Channel))
                    .col(string(Demands::Title))
                    .col(text(Demands::Content))
                    .col(string_null(Demands::OriginType))
                    .col(string_null(Demands::OriginId))
                    .col(big_integer_null(Demands::EnterpriseId))
                    .col(big_integer_null(Demands::SubmitterId))
                    .col(string_null(Demands::CallerPhone))
                    .col(boolean(Demands::Anonymous))
                    .col(big_integer_null(Demands::UnitId))
                    .col(big_integer_null(Demands::ButlerId))
                    .col(string(Demands::Status))
                    .col(timestamp_with_time_zone_null(Demands::AcceptDueAt))
                    .col(timestamp_with_time_zone_null(Demands::SignDueAt))
                    .col(timestamp_with_time_zone_null(Demands::ReplyDueAt))
                    .col(timestamp_with_time_zone_null(Demands::AcceptedAt))
                    .col(timestamp_with_time_zone_null(Demands::AssignedAt))
                    .col(timestamp_with_time_zone_null(Demands::SignedAt))
                    .col(timestamp_with_time_zone_null(Demands::RepliedAt))
                    .col(timestamp_with_time_zone_null(Demands::ClosedAt))
                    .col(text_null(Demands::ReplyContent))
                    .col(boolean_null(Demands::RatingSatisfied))
                    .col(text_null(Demands::RatingComment))
                    .col(timestamp_with_time_zone_null(Demands::RatedAt))
                    .col(string_null(Demands::RatingSource))
                    .col(boolean(Demands::Unreasonable))
                    .col(text_null(Demands::UnreasonableReason))
                    .col(big_integer_null(Demands::MergedIntoId))
                    .col(boolean(Demands::Overdue))
                    .col(string_null(Demands::OverdueKind))
                    .col(timestamp_with_time_zone_null(Demands::OverdueDueAt))
                    .col(integer_null(Demands::ExtensionDaysPending))
                    .col(text_null(Demands::ExtensionReason))
                    .col(integer(Demands::Extensions))
                    .col(integer(Demands::Returns))
                    .col(big_integer(Demands::BouncedSecs))
                    .col(big_integer_null(Demands::AcceptSecs))
                    .col(big_integer_null(Demands::SignSecs))
                    .col(big_integer_null(Demands::ReplySecs))
                    .col(boolean_null(Demands::SignLate))
                    .col(boolean_null(Demands::ReplyLate))
                    .col(integer(Demands::ReopenCount))
                    .col(string(Demands::ContentCheck))
                    .col(integer(Demands::Version))
                    .col(timestamp_with_time_zone(Demands::CreatedAt))
                    .col(timestamp_with_time_zone(Demands::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Demands::Table, Demands::EnterpriseId)
                            .to(Enterprises::Table, Enterprises::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Demands::Table, Demands::SubmitterId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Demands::Table, Demands::UnitId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_demands_created", &["created_at"][..]),
            ("idx_demands_status", &["status", "id"][..]),
            ("idx_demands_unit", &["unit_id", "id"][..]),
            ("idx_demands_enterprise", &["enterprise_id", "id"][..]),
            ("idx_demands_submitter", &["submitter_id", "id"][..]),
            ("idx_demands_butler", &["butler_id", "id"][..]),
        ] {
            manager.create_index(index(name, Demands::Table, cols)).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(DemandEvents::Table)
                    .col(big_pk_auto(DemandEvents::Id))
                    .col(big_integer(DemandEvents::DemandId))
                    .col(string(DemandEvents::Action))
                    .col(string_null(DemandEvents::FromStatus))
                    .col(string(DemandEvents::ToStatus))
                    .col(big_integer_null(DemandEvents::ActorId))
                    .col(string_null(DemandEvents::ActorRole))
                    .col(big_integer_null(DemandEvents::ActorUnitId))
                    .col(text_null(DemandEvents::Note))
                    .col(json_null(DemandEvents::Data))
                    .col(timestamp_with_time_zone(DemandEvents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DemandEvents::Table, DemandEvents::DemandId)
                            .to(Demands::Table, Demands::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_demand_events_demand",
                DemandEvents::Table,
                &["demand_id", "id"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DemandFollowers::Table)
                    .col(big_integer(DemandFollowers::DemandId))
                    .col(big_integer(DemandFollowers::UserId))
                    .primary_key(
                        Index::create()
                            .col(DemandFollowers::DemandId)
                            .col(DemandFollowers::UserId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_demand_followers_user", DemandFollowers::Table, &["user_id"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DemandAttachments::Table)
                    .col(big_pk_auto(DemandAttachments::Id))
                    .col(big_integer(DemandAttachments::DemandId))
                    .col(big_integer(DemandAttachments::FileId))
                    .col(big_integer_null(DemandAttachments::EventId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_demand_attachments_file",
                DemandAttachments::Table,
                &["file_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_demand_attachments_demand",
                DemandAttachments::Table,
                &["demand_id"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(big_pk_auto(Notifications::Id))
                    .col(big_integer(Notifications::UserId))
                    .col(string(Notifications::Kind))
                    .col(string(Notifications::Title))
                    .col(text(Notifications::Body))
                    .col(big_integer_null(Notifications::DemandId))
                    .col(string_null(Notifications::Page))
                    .col(string_uniq(Notifications::DedupKey))
                    .col(string(Notifications::WechatStatus))
                    .col(string_null(Notifications::TemplateId))
                    .col(json_null(Notifications::WechatData))
                    .col(integer(Notifications::Attempts))
                    .col(timestamp_with_time_zone_null(Notifications::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(Notifications::ClaimedAt))
                    .col(text_null(Notifications::LastError))
                    .col(timestamp_with_time_zone_null(Notifications::SentAt))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_notifications_user",
                Notifications::Table,
                &["user_id", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_notifications_outbox",
                Notifications::Table,
                &["wechat_status", "next_attempt_at"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SubscribeCredits::Table)
                    .col(big_pk_auto(SubscribeCredits::Id))
                    .col(big_integer(SubscribeCredits::UserId))
                    .col(string(SubscribeCredits::TemplateId))
                    .col(big_integer_null(SubscribeCredits::NotificationId))
                    .col(timestamp_with_time_zone_null(SubscribeCredits::SpentAt))
                    .col(timestamp_with_time_zone(SubscribeCredits::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_subscribe_credits_user",
                SubscribeCredits::Table,
                &["user_id", "template_id"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    .col(big_pk_auto(IdempotencyKeys::Id))
                    .col(big_integer(IdempotencyKeys::UserId))
                    .col(string(IdempotencyKeys::Key))
                    .col(string(IdempotencyKeys::Fingerprint))
                    .col(string(IdempotencyKeys::Status))
                    .col(integer_null(IdempotencyKeys::ResponseStatus))
                    .col(text_null(IdempotencyKeys::ResponseBody))
                    .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_idempotency_keys_user_key")
                    .table(IdempotencyKeys::Table)
                    .col(IdempotencyKeys::UserId)
                    .col(IdempotencyKeys::Key)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReplyTemplates::Table)
                    .col(big_pk_auto(ReplyTemplates::Id))
                    .col(string_null(ReplyTemplates::Environment))
                    .col(big_integer_null(ReplyTemplates::UnitId))
                    .col(string(ReplyTemplates::Title))
                    .col(text(ReplyTemplates::Content))
                    .col(timestamp_with_time_zone(ReplyTemplates::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ReplyTemplates::Table.into_iden(),
            IdempotencyKeys::Table.into_iden(),
            SubscribeCredits::Table.into_iden(),
            Notifications::Table.into_iden(),
            DemandAttachments::Table.into_iden(),
            DemandFollowers::Table.into_iden(),
            DemandEvents::Table.into_iden(),
            Demands::Table.into_iden(),
            Files::Table.into_iden(),
            DemandCounters::Table.into_iden(),
            Holidays::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
