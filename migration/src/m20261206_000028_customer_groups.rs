//! WeCom customer groups (客户群) the butlers own, what is pushed to them by confirmed
//! mass-sends, the visits that come from them, the mini-program session keys that identify
//! those visits, and the 微信客服 conversations.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CustomerGroups {
    Table,
    Id,
    ChatId,
    Name,
    OwnerUserid,
    Status,
    MemberCount,
    ExternalCount,
    KfLink,
    SyncedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CustomerGroupMembers {
    Table,
    Id,
    GroupId,
    MemberUserid,
    MemberType,
    Unionid,
    JoinedAt,
}

#[derive(DeriveIden)]
enum CustomerGroupEnterprises {
    Table,
    Id,
    GroupId,
    EnterpriseId,
}

#[derive(DeriveIden)]
enum CustomerGroupPolicies {
    Table,
    Id,
    GroupId,
    PolicyId,
    State,
    Via,
    MassSendId,
    WaitReason,
    QueuedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum MassSends {
    Table,
    Id,
    OwnerUserid,
    Day,
    State,
    Msgid,
    Text,
    PolicyIds,
    CreatedAt,
    RemindedAt,
    CheckedAt,
    ConfirmedAt,
}

#[derive(DeriveIden)]
enum MassSendGroups {
    Table,
    Id,
    MassSendId,
    GroupId,
    Day,
    Month,
    State,
}

#[derive(DeriveIden)]
enum GroupVisits {
    Table,
    Id,
    UserId,
    ChatId,
    GroupId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum GroupActivities {
    Table,
    Id,
    GroupId,
    VisitId,
    Kind,
    ObjectId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WechatSessions {
    Table,
    UserId,
    Sealed,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum KfCustomers {
    Table,
    Id,
    ExternalUserid,
    OpenKfid,
    GroupId,
    LastInAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum KfCursors {
    Table,
    OpenKfid,
    Cursor,
    UpdatedAt,
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    if unique {
        i.unique();
    }
    manager.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CustomerGroups::Table)
                    .col(big_pk_auto(CustomerGroups::Id))
                    .col(string_uniq(CustomerGroups::ChatId))
                    .col(string(CustomerGroups::Name))
                    .col(string(CustomerGroups::OwnerUserid))
                    .col(string(CustomerGroups::Status))
                    .col(integer(CustomerGroups::MemberCount))
                    .col(integer(CustomerGroups::ExternalCount))
                    .col(text_null(CustomerGroups::KfLink))
                    .col(timestamp_with_time_zone(CustomerGroups::SyncedAt))
                    .col(timestamp_with_time_zone(CustomerGroups::CreatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_customer_groups_owner",
            CustomerGroups::Table,
            vec![CustomerGroups::OwnerUserid.into_iden()],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(CustomerGroupMembers::Table)
                    .col(big_pk_auto(CustomerGroupMembers::Id))
                    .col(big_integer(CustomerGroupMembers::GroupId))
                    .col(string(CustomerGroupMembers::MemberUserid))
                    .col(small_integer(CustomerGroupMembers::MemberType))
                    .col(string_null(CustomerGroupMembers::Unionid))
                    .col(timestamp_with_time_zone_null(CustomerGroupMembers::JoinedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_customer_group_members_once",
            CustomerGroupMembers::Table,
            vec![
                CustomerGroupMembers::GroupId.into_iden(),
                CustomerGroupMembers::MemberUserid.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            manager,
            "idx_customer_group_members_unionid",
            CustomerGroupMembers::Table,
            vec![CustomerGroupMembers::Unionid.into_iden()],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(CustomerGroupEnterprises::Table)
                    .col(big_pk_auto(CustomerGroupEnterprises::Id))
                    .col(big_integer(CustomerGroupEnterprises::GroupId))
                    .col(big_integer(CustomerGroupEnterprises::EnterpriseId))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_customer_group_enterprises_once",
            CustomerGroupEnterprises::Table,
            vec![
                CustomerGroupEnterprises::GroupId.into_iden(),
                CustomerGroupEnterprises::EnterpriseId.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            manager,
            "idx_customer_group_enterprises_enterprise",
            CustomerGroupEnterprises::Table,
            vec![CustomerGroupEnterprises::EnterpriseId.into_iden()],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(CustomerGroupPolicies::Table)
                    .col(big_pk_auto(CustomerGroupPolicies::Id))
                    .col(big_integer(CustomerGroupPolicies::GroupId))
                    .col(big_integer(CustomerGroupPolicies::PolicyId))
                    .col(string(CustomerGroupPolicies::State))
                    .col(string_null(CustomerGroupPolicies::Via))
                    .col(big_integer_null(CustomerGroupPolicies::MassSendId))
                    .col(text_null(CustomerGroupPolicies::WaitReason))
                    .col(timestamp_with_time_zone(CustomerGroupPolicies::QueuedAt))
                    .col(timestamp_with_time_zone_null(CustomerGroupPolicies::SentAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_customer_group_policies_once",
            CustomerGroupPolicies::Table,
            vec![
                CustomerGroupPolicies::GroupId.into_iden(),
                CustomerGroupPolicies::PolicyId.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            manager,
            "idx_customer_group_policies_state",
            CustomerGroupPolicies::Table,
            vec![CustomerGroupPolicies::State.into_iden()],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(MassSends::Table)
                    .col(big_pk_auto(MassSends::Id))
                    .col(string(MassSends::OwnerUserid))
                    .col(date(MassSends::Day))
                    .col(string(MassSends::State))
                    .col(string_null(MassSends::Msgid))
                    .col(text(MassSends::Text))
                    .col(json(MassSends::PolicyIds))
                    .col(timestamp_with_time_zone(MassSends::CreatedAt))
                    .col(timestamp_with_time_zone_null(MassSends::RemindedAt))
                    .col(timestamp_with_time_zone_null(MassSends::CheckedAt))
                    .col(timestamp_with_time_zone_null(MassSends::ConfirmedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_mass_sends_state",
            MassSends::Table,
            vec![MassSends::State.into_iden()],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(MassSendGroups::Table)
                    .col(big_pk_auto(MassSendGroups::Id))
                    .col(big_integer(MassSendGroups::MassSendId))
                    .col(big_integer(MassSendGroups::GroupId))
                    .col(date(MassSendGroups::Day))
                    .col(string_len(MassSendGroups::Month, 7))
                    .col(string(MassSendGroups::State))
                    .to_owned(),
            )
            .await?;
        // One digest a day per group, whatever the replicas do.
        index(
            manager,
            "idx_mass_send_groups_day",
            MassSendGroups::Table,
            vec![MassSendGroups::GroupId.into_iden(), MassSendGroups::Day.into_iden()],
            true,
        )
        .await?;
        index(
            manager,
            "idx_mass_send_groups_task",
            MassSendGroups::Table,
            vec![MassSendGroups::MassSendId.into_iden()],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(GroupVisits::Table)
                    .col(big_pk_auto(GroupVisits::Id))
                    .col(big_integer(GroupVisits::UserId))
                    .col(string_null(GroupVisits::ChatId))
                    .col(big_integer_null(GroupVisits::GroupId))
                    .col(timestamp_with_time_zone(GroupVisits::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GroupActivities::Table)
                    .col(big_pk_auto(GroupActivities::Id))
                    .col(big_integer(GroupActivities::GroupId))
                    .col(big_integer(GroupActivities::VisitId))
                    .col(string(GroupActivities::Kind))
                    .col(big_integer(GroupActivities::ObjectId))
                    .col(big_integer(GroupActivities::UserId))
                    .col(timestamp_with_time_zone(GroupActivities::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // A visit counts once, a policy read once per visit, a demand once.
        index(
            manager,
            "idx_group_activities_once",
            GroupActivities::Table,
            vec![
                GroupActivities::VisitId.into_iden(),
                GroupActivities::Kind.into_iden(),
                GroupActivities::ObjectId.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            manager,
            "idx_group_activities_group",
            GroupActivities::Table,
            vec![GroupActivities::GroupId.into_iden(), GroupActivities::Kind.into_iden()],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(WechatSessions::Table)
                    .col(big_integer(WechatSessions::UserId).primary_key())
                    .col(text(WechatSessions::Sealed))
                    .col(timestamp_with_time_zone(WechatSessions::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(KfCustomers::Table)
                    .col(big_pk_auto(KfCustomers::Id))
                    .col(string_uniq(KfCustomers::ExternalUserid))
                    .col(string(KfCustomers::OpenKfid))
                    .col(big_integer_null(KfCustomers::GroupId))
                    .col(timestamp_with_time_zone_null(KfCustomers::LastInAt))
                    .col(timestamp_with_time_zone(KfCustomers::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(KfCursors::Table)
                    .col(string(KfCursors::OpenKfid).primary_key())
                    .col(text(KfCursors::Cursor))
                    .col(timestamp_with_time_zone(KfCursors::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            KfCursors::Table.into_iden(),
            KfCustomers::Table.into_iden(),
            WechatSessions::Table.into_iden(),
            GroupActivities::Table.into_iden(),
            GroupVisits::Table.into_iden(),
            MassSendGroups::Table.into_iden(),
            MassSends::Table.into_iden(),
            CustomerGroupPolicies::Table.into_iden(),
            CustomerGroupEnterprises::Table.into_iden(),
            CustomerGroupMembers::Table.into_iden(),
            CustomerGroups::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
