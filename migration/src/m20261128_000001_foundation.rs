//! People, units, enterprises, role grants, refresh tokens, enterprise binding requests.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Openid,
    Unionid,
    Nickname,
    Phone,
    PhoneBoundAt,
    LastLoginAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
    Code,
    Name,
    ContactPhone,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Enterprises {
    Table,
    Id,
    Name,
    Uscc,
    IndustryCode,
    Scale,
    RegisteredAt,
    Qualifications,
    Tags,
    District,
    ServiceTier,
    ButlerUserId,
    InviteCode,
    NeedsCallback,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RoleGrants {
    Table,
    Id,
    UserId,
    Role,
    EnterpriseId,
    UnitId,
    TermEnds,
    GrantedBy,
    CreatedAt,
    RevokedAt,
    RevokedBy,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    UserId,
    FamilyId,
    TokenHash,
    ExpiresAt,
    CreatedAt,
    UsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum BindingRequests {
    Table,
    Id,
    UserId,
    EnterpriseId,
    Status,
    Reason,
    DecidedBy,
    DecidedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AppMeta {
    Table,
    Key,
    Value,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(string_uniq(Users::Openid))
                    .col(string_null(Users::Unionid))
                    .col(string_null(Users::Nickname))
                    .col(string_null(Users::Phone))
                    .col(timestamp_with_time_zone_null(Users::PhoneBoundAt))
                    .col(timestamp_with_time_zone_null(Users::LastLoginAt))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Units::Table)
                    .col(big_pk_auto(Units::Id))
                    .col(string_uniq(Units::Code))
                    .col(string_uniq(Units::Name))
                    .col(string_null(Units::ContactPhone))
                    .col(text_null(Units::Description))
                    .col(timestamp_with_time_zone(Units::CreatedAt))
                    .col(timestamp_with_time_zone(Units::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Enterprises::Table)
                    .col(big_pk_auto(Enterprises::Id))
                    .col(string(Enterprises::Name))
                    .col(string_uniq(Enterprises::Uscc))
                    .col(string(Enterprises::IndustryCode))
                    .col(string(Enterprises::Scale))
                    .col(date(Enterprises::RegisteredAt))
                    .col(json(Enterprises::Qualifications))
                    .col(json(Enterprises::Tags))
                    .col(string_null(Enterprises::District))
                    .col(string(Enterprises::ServiceTier))
                    .col(big_integer_null(Enterprises::ButlerUserId))
                    .col(string_null(Enterprises::InviteCode).unique_key())
                    .col(boolean(Enterprises::NeedsCallback))
                    .col(timestamp_with_time_zone(Enterprises::CreatedAt))
                    .col(timestamp_with_time_zone(Enterprises::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Enterprises::Table, Enterprises::ButlerUserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_enterprises_butler")
                    .table(Enterprises::Table)
                    .col(Enterprises::ButlerUserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RoleGrants::Table)
                    .col(big_pk_auto(RoleGrants::Id))
                    .col(big_integer(RoleGrants::UserId))
                    .col(string(RoleGrants::Role))
                    .col(big_integer_null(RoleGrants::EnterpriseId))
                    .col(big_integer_null(RoleGrants::UnitId))
                    .col(date_null(RoleGrants::TermEnds))
                    .col(big_integer_null(RoleGrants::GrantedBy))
                    .col(timestamp_with_time_zone(RoleGrants::CreatedAt))
                    .col(timestamp_with_time_zone_null(RoleGrants::RevokedAt))
                    .col(big_integer_null(RoleGrants::RevokedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RoleGrants::Table, RoleGrants::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RoleGrants::Table, RoleGrants::EnterpriseId)
                            .to(Enterprises::Table, Enterprises::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RoleGrants::Table, RoleGrants::UnitId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_role_grants_user")
                    .table(RoleGrants::Table)
                    .col(RoleGrants::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_role_grants_enterprise")
                    .table(RoleGrants::Table)
                    .col(RoleGrants::EnterpriseId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(big_pk_auto(RefreshTokens::Id))
                    .col(big_integer(RefreshTokens::UserId))
                    .col(string(RefreshTokens::FamilyId))
                    .col(string_uniq(RefreshTokens::TokenHash))
                    .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                    .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RefreshTokens::Table, RefreshTokens::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_refresh_tokens_family")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::FamilyId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BindingRequests::Table)
                    .col(big_pk_auto(BindingRequests::Id))
                    .col(big_integer(BindingRequests::UserId))
                    .col(big_integer(BindingRequests::EnterpriseId))
                    .col(string(BindingRequests::Status))
                    .col(text_null(BindingRequests::Reason))
                    .col(big_integer_null(BindingRequests::DecidedBy))
                    .col(timestamp_with_time_zone_null(BindingRequests::DecidedAt))
                    .col(timestamp_with_time_zone(BindingRequests::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BindingRequests::Table, BindingRequests::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(BindingRequests::Table, BindingRequests::EnterpriseId)
                            .to(Enterprises::Table, Enterprises::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_binding_requests_status")
                    .table(BindingRequests::Table)
                    .col(BindingRequests::Status)
                    .col(BindingRequests::EnterpriseId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AppMeta::Table)
                    .col(string(AppMeta::Key).primary_key())
                    .col(text(AppMeta::Value))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AppMeta::Table.into_iden(),
            BindingRequests::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            RoleGrants::Table.into_iden(),
            Enterprises::Table.into_iden(),
            Units::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
