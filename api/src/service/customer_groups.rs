//! WeCom customer groups (客户群): kept in step with WeCom (`groupchat/list|get` and the
//! `change_external_chat` callback), linked by admins to the enterprises they serve, and
//! reached by confirmed mass-sends (企业群发): publishing a policy queues it for the groups of
//! its enterprises; once a day each group's queue becomes at most one digest inside WeCom's
//! monthly quota (`domain::customer_group::plan`), gathered into one task per butler and set of
//! policies; the outbox creates the task in WeCom (`outbox::mass_send`) and `track` follows it
//! until the butler confirms, reminding once. What does not fit waits, with its reason shown.
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use entity::codes::{CustomerGroupStatus, GroupPushState, MassSendGroupState, MassSendState, PolicyStatus};
use entity::{
    customer_group, customer_group_enterprise, customer_group_member, customer_group_policy, demand, enterprise,
    mass_send, mass_send_group, policy, role_grant, user, wecom_binding,
};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Set, TransactionSession, TransactionTrait,
};

use crate::clients::wecom::{GroupChat, WecomClient, WecomError};
use crate::domain::customer_group::{self as rules, Pending, Plan};
use crate::domain::policy::{Conditions, admits};
use crate::error::{ApiError, ApiResult};
use crate::service::outbox;
use crate::service::policies::EnterpriseProfile;

/// Whose groups a person sees: all (admins) or those owned by their bound WeCom ids.
#[derive(Debug, Clone)]
pub enum Scope {
    All,
    Owners(Vec<String>),
}

/// The WeCom ids bound to a person (a butler owns the groups created under them).
pub async fn wecom_ids(db: &impl ConnectionTrait, user_id: i64) -> ApiResult<Vec<String>> {
    Ok(wecom_binding::Entity::find()
        .filter(wecom_binding::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|b| b.wecom_user_id)
        .collect())
}

impl Scope {
    fn admits(&self, g: &customer_group::Model) -> bool {
        match self {
            Scope::All => true,
            Scope::Owners(ids) => ids.contains(&g.owner_userid),
        }
    }
}

fn wecom_failed(err: WecomError) -> ApiError {
    match err {
        WecomError::NotConfigured => ApiError::bad_request(
            "wecom_not_configured",
            "服务器未配置企业微信应用（开发模式），无法调用企业微信接口",
        ),
        WecomError::Refused { errcode, .. } => ApiError::Unavailable {
            code: "wecom_refused",
            message: format!("企业微信拒绝了请求（错误码 {errcode}），请检查应用的客户联系权限").into(),
            retry_after_secs: None,
        },
        other => {
            tracing::warn!(error = %other, "WeCom unavailable");
            ApiError::Unavailable {
                code: "wecom_unavailable",
                message: "企业微信暂时不可用，请稍后再试".into(),
                retry_after_secs: Some(30),
            }
        }
    }
}

/// Writes a group as WeCom gave it (members replaced).
pub async fn upsert<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    chat: &GroupChat,
) -> ApiResult<customer_group::Model> {
    let now = Utc::now();
    let txn = crate::service::begin_write(db).await?;
    let external = chat.member_list.iter().filter(|m| m.member_type == 2).count();
    let existing = customer_group::Entity::find()
        .filter(customer_group::Column::ChatId.eq(&chat.chat_id))
        .one(&txn)
        .await?;
    let group = match existing {
        Some(g) => {
            let mut a: customer_group::ActiveModel = g.into();
            a.name = Set(chat.name.clone());
            a.owner_userid = Set(chat.owner.clone());
            a.status = Set(CustomerGroupStatus::Active);
            a.member_count = Set(i32::try_from(chat.member_list.len()).unwrap_or(i32::MAX));
            a.external_count = Set(i32::try_from(external).unwrap_or(i32::MAX));
            a.synced_at = Set(now);
            a.update(&txn).await?
        }
        None => {
            customer_group::ActiveModel {
                chat_id: Set(chat.chat_id.clone()),
                name: Set(chat.name.clone()),
                owner_userid: Set(chat.owner.clone()),
                status: Set(CustomerGroupStatus::Active),
                member_count: Set(i32::try_from(chat.member_list.len()).unwrap_or(i32::MAX)),
                external_count: Set(i32::try_from(external).unwrap_or(i32::MAX)),
                kf_link: Set(None),
                synced_at: Set(now),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    customer_group_member::Entity::delete_many()
        .filter(customer_group_member::Column::GroupId.eq(group.id))
        .exec(&txn)
        .await?;
    let mut seen = HashSet::new();
    let members: Vec<customer_group_member::ActiveModel> = chat
        .member_list
        .iter()
        .filter(|m| seen.insert(m.userid.clone()))
        .map(|m| customer_group_member::ActiveModel {
            group_id: Set(group.id),
            member_userid: Set(m.userid.clone()),
            member_type: Set(m.member_type),
            unionid: Set(m.unionid.clone().filter(|u| !u.is_empty())),
            joined_at: Set(m.join_time.and_then(|t| DateTime::from_timestamp(t, 0))),
            ..Default::default()
        })
        .collect();
    for chunk in members.chunks(500) {
        customer_group_member::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(group)
}

/// Syncs the groups of every staff member bound to a WeCom id (`groupchat/list` filtered by
/// owner, 100 at a time, then `groupchat/get` each). Groups of those owners that WeCom no longer
/// lists are marked dismissed. Returns (groups, members).
pub async fn sync_all<C: ConnectionTrait + TransactionTrait>(db: &C, wecom: &WecomClient) -> ApiResult<(usize, usize)> {
    let staff: HashSet<i64> = role_grant::Entity::find()
        .filter(role_grant::Column::RevokedAt.is_null())
        .filter(role_grant::Column::Role.is_in([entity::codes::Role::Butler, entity::codes::Role::Admin]))
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.user_id)
        .collect();
    let mut owners: Vec<String> = wecom_binding::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|b| staff.contains(&b.user_id))
        .map(|b| b.wecom_user_id)
        .collect();
    owners.sort();
    owners.dedup();
    let (mut groups, mut members) = (0, 0);
    let mut listed = HashSet::new();
    for chunk in owners.chunks(100) {
        for chat_id in wecom.group_chat_ids(chunk).await.map_err(wecom_failed)? {
            let chat = wecom.group_chat(&chat_id).await.map_err(wecom_failed)?;
            members += chat.member_list.len();
            upsert(db, &chat).await?;
            listed.insert(chat_id);
            groups += 1;
        }
    }
    for g in customer_group::Entity::find()
        .filter(customer_group::Column::OwnerUserid.is_in(owners))
        .filter(customer_group::Column::Status.eq(CustomerGroupStatus::Active))
        .all(db)
        .await?
    {
        if !listed.contains(&g.chat_id) {
            dismiss(db, &g.chat_id).await?;
        }
    }
    Ok((groups, members))
}

async fn dismiss(db: &impl ConnectionTrait, chat_id: &str) -> ApiResult<()> {
    customer_group::Entity::update_many()
        .col_expr(
            customer_group::Column::Status,
            sea_orm::sea_query::Expr::value(CustomerGroupStatus::Dismissed.code()),
        )
        .filter(customer_group::Column::ChatId.eq(chat_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The `change_external_chat` callback: a dismissed group is marked so; any other change
/// (created, members, name) fetches the group again. In development mode (no app secret) the
/// change is logged and nothing fetched.
pub async fn on_change<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    wecom: &WecomClient,
    chat_id: &str,
    change: &str,
) -> ApiResult<()> {
    if change == "dismiss" {
        return dismiss(db, chat_id).await;
    }
    match wecom.group_chat(chat_id).await {
        Ok(chat) => upsert(db, &chat).await.map(|_| ()),
        Err(WecomError::NotConfigured) => {
            tracing::info!(
                chat_id,
                change,
                "development mode: would fetch the changed customer group"
            );
            Ok(())
        }
        Err(err) => Err(wecom_failed(err)),
    }
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<customer_group::Model> {
    customer_group::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("not_found", "客户群不存在"))
}

pub async fn by_chat(db: &impl ConnectionTrait, chat_id: &str) -> ApiResult<Option<customer_group::Model>> {
    Ok(customer_group::Entity::find()
        .filter(customer_group::Column::ChatId.eq(chat_id))
        .one(db)
        .await?)
}

/// A group in `scope`, or 404 (a group outside it is not shown to exist).
pub async fn get_in(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> ApiResult<customer_group::Model> {
    let g = get(db, id).await?;
    if scope.admits(&g) {
        Ok(g)
    } else {
        Err(ApiError::not_found("not_found", "客户群不存在"))
    }
}

pub async fn enterprises_of(db: &impl ConnectionTrait, group_id: i64) -> ApiResult<Vec<i64>> {
    Ok(customer_group_enterprise::Entity::find()
        .filter(customer_group_enterprise::Column::GroupId.eq(group_id))
        .order_by_asc(customer_group_enterprise::Column::EnterpriseId)
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.enterprise_id)
        .collect())
}

/// Links a group to exactly these enterprises.
pub async fn link<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    group_id: i64,
    enterprise_ids: &[i64],
) -> ApiResult<()> {
    let mut ids = enterprise_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let known = crate::service::enterprises::names(db, &ids).await?;
    if let Some(missing) = ids.iter().find(|id| !known.contains_key(id)) {
        return Err(ApiError::invalid_field(
            "enterpriseIds",
            "not_found",
            &format!("企业 {missing} 不存在"),
        ));
    }
    let txn = crate::service::begin_write(db).await?;
    customer_group_enterprise::Entity::delete_many()
        .filter(customer_group_enterprise::Column::GroupId.eq(group_id))
        .exec(&txn)
        .await?;
    if !ids.is_empty() {
        customer_group_enterprise::Entity::insert_many(ids.iter().map(|&e| customer_group_enterprise::ActiveModel {
            group_id: Set(group_id),
            enterprise_id: Set(e),
            ..Default::default()
        }))
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A group as people read it.
#[derive(Debug, Clone)]
pub struct GroupView {
    pub group: customer_group::Model,
    pub owner_name: Option<String>,
    pub enterprises: Vec<(i64, String)>,
    pub suggested: Vec<(i64, String)>,
    pub visits: u64,
    pub reads: u64,
    pub demands: u64,
    pub waiting: u64,
    pub wait_reason: Option<String>,
}

/// The groups in `scope`, with their enterprises, the suggested ones (enterprises of members
/// whose unionid is a bound person's), their figures and their queue.
pub async fn list(db: &impl ConnectionTrait, scope: &Scope) -> ApiResult<Vec<GroupView>> {
    let mut q = customer_group::Entity::find().order_by_asc(customer_group::Column::Id);
    if let Scope::Owners(ids) = scope {
        q = q.filter(customer_group::Column::OwnerUserid.is_in(ids.clone()));
    }
    let groups = q.all(db).await?;
    let mut out = Vec::with_capacity(groups.len());
    for g in groups {
        out.push(view(db, g).await?);
    }
    Ok(out)
}

pub async fn view(db: &impl ConnectionTrait, g: customer_group::Model) -> ApiResult<GroupView> {
    let linked = enterprises_of(db, g.id).await?;
    // Suggestions: members' unionids → people → the enterprises they are members of.
    let unionids: Vec<String> = customer_group_member::Entity::find()
        .filter(customer_group_member::Column::GroupId.eq(g.id))
        .filter(customer_group_member::Column::Unionid.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| m.unionid)
        .collect();
    let mut suggested: Vec<i64> = Vec::new();
    if !unionids.is_empty() {
        let people: Vec<i64> = user::Entity::find()
            .filter(user::Column::Unionid.is_in(unionids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect();
        if !people.is_empty() {
            suggested = role_grant::Entity::find()
                .filter(role_grant::Column::UserId.is_in(people))
                .filter(role_grant::Column::RevokedAt.is_null())
                .filter(role_grant::Column::EnterpriseId.is_not_null())
                .all(db)
                .await?
                .into_iter()
                .filter_map(|r| r.enterprise_id)
                .filter(|e| !linked.contains(e))
                .collect();
            suggested.sort_unstable();
            suggested.dedup();
        }
    }
    let names = crate::service::enterprises::names(db, &[linked.clone(), suggested.clone()].concat()).await?;
    let named = |ids: &[i64]| -> Vec<(i64, String)> {
        ids.iter()
            .map(|id| (*id, names.get(id).cloned().unwrap_or_default()))
            .collect()
    };
    let owner_name = match wecom_binding::Entity::find()
        .filter(wecom_binding::Column::WecomUserId.eq(&g.owner_userid))
        .one(db)
        .await?
    {
        Some(b) => crate::service::people::names(db, [b.user_id]).await?.remove(&b.user_id),
        None => None,
    };
    let (visits, reads) = crate::service::group_visits::figures(db, g.id).await?;
    let demands = demand::Entity::find()
        .filter(demand::Column::OriginType.eq(entity::codes::Origin::CustomerGroup))
        .filter(demand::Column::OriginId.eq(&g.chat_id))
        .count(db)
        .await?;
    let waiting_rows = customer_group_policy::Entity::find()
        .filter(customer_group_policy::Column::GroupId.eq(g.id))
        .filter(customer_group_policy::Column::State.eq(GroupPushState::Waiting))
        .all(db)
        .await?;
    let wait_reason = waiting_rows.iter().find_map(|r| r.wait_reason.clone());
    Ok(GroupView {
        enterprises: named(&linked),
        suggested: named(&suggested),
        owner_name,
        visits,
        reads,
        demands,
        waiting: waiting_rows.len() as u64,
        wait_reason,
        group: g,
    })
}

/// The published, unexpired policies, each with its conditions (read once per run).
async fn published(db: &impl ConnectionTrait, today: NaiveDate) -> ApiResult<Vec<(policy::Model, Conditions)>> {
    Ok(policy::Entity::find()
        .filter(policy::Column::Status.eq(PolicyStatus::Published))
        .filter(
            Condition::any()
                .add(policy::Column::ExpiresOn.is_null())
                .add(policy::Column::ExpiresOn.gte(today)),
        )
        .order_by_asc(policy::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|p| {
            let c = crate::service::policies::conditions(&p);
            (p, c)
        })
        .collect())
}

/// Those of `published` that fit one of `enterprise_ids` on `today`.
async fn matching<'p>(
    db: &impl ConnectionTrait,
    published: &'p [(policy::Model, Conditions)],
    enterprise_ids: &[i64],
    today: NaiveDate,
) -> ApiResult<Vec<&'p policy::Model>> {
    if enterprise_ids.is_empty() {
        return Ok(Vec::new());
    }
    let profiles: Vec<EnterpriseProfile> = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(enterprise_ids.to_vec()))
        .all(db)
        .await?
        .iter()
        .map(EnterpriseProfile::from)
        .collect();
    Ok(published
        .iter()
        .filter(|(_, c)| profiles.iter().any(|e| admits(c, &e.profile(), today)))
        .map(|(p, _)| p)
        .collect())
}

async fn queue(db: &impl ConnectionTrait, group_id: i64, policy_id: i64) -> ApiResult<bool> {
    let inserted = customer_group_policy::Entity::insert(customer_group_policy::ActiveModel {
        group_id: Set(group_id),
        policy_id: Set(policy_id),
        state: Set(GroupPushState::Waiting),
        via: Set(None),
        mass_send_id: Set(None),
        wait_reason: Set(None),
        queued_at: Set(Utc::now()),
        sent_at: Set(None),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            customer_group_policy::Column::GroupId,
            customer_group_policy::Column::PolicyId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(inserted == 1)
}

/// Publishing a policy queues it for every active customer group linked to one of the matched
/// enterprises (in the publication's transaction). Returns the groups it waits for.
pub async fn enqueue_policy(db: &impl ConnectionTrait, policy_id: i64, enterprise_ids: &[i64]) -> ApiResult<usize> {
    let mut group_ids = Vec::new();
    for chunk in enterprise_ids.chunks(500) {
        group_ids.extend(
            customer_group_enterprise::Entity::find()
                .filter(customer_group_enterprise::Column::EnterpriseId.is_in(chunk.to_vec()))
                .all(db)
                .await?
                .into_iter()
                .map(|l| l.group_id),
        );
    }
    group_ids.sort_unstable();
    group_ids.dedup();
    let active: Vec<i64> = customer_group::Entity::find()
        .filter(customer_group::Column::Id.is_in(group_ids))
        .filter(customer_group::Column::Status.eq(CustomerGroupStatus::Active))
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.id)
        .collect();
    let mut queued = 0;
    for g in active {
        if queue(db, g, policy_id).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// What one day's digest did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DigestReport {
    /// Mass-send tasks written (one per butler and set of policies).
    pub tasks: usize,
    /// Groups in them.
    pub groups: usize,
    /// Policies left waiting (with their reason).
    pub waiting: usize,
}

/// The day's digest: first the groups catch up on matched policies they never had queued (a
/// group linked after a publication), then each group's queue is planned
/// (`domain::customer_group::plan`) and the groups that send are gathered into one task per
/// owner and set of policies, each in its own transaction with its outbox row. A second run on
/// the same day sends nothing more (one digest a day per group, held by a unique index).
pub async fn digest<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    quota_setting: Option<u32>,
    max_cards: u32,
    day: NaiveDate,
) -> ApiResult<DigestReport> {
    let groups = customer_group::Entity::find()
        .filter(customer_group::Column::Status.eq(CustomerGroupStatus::Active))
        .order_by_asc(customer_group::Column::Id)
        .all(db)
        .await?;
    let published = published(db, day).await?;
    let live: HashMap<i64, &policy::Model> = published.iter().map(|(p, _)| (p.id, p)).collect();
    let month = rules::month_of(day);
    let quota = rules::monthly_quota(day, quota_setting);
    let mut report = DigestReport::default();
    // (owner, policies) → groups.
    let mut tasks: BTreeMap<(String, Vec<i64>), Vec<i64>> = BTreeMap::new();
    for g in &groups {
        let linked = enterprises_of(db, g.id).await?;
        for p in matching(db, &published, &linked, day).await? {
            queue(db, g.id, p.id).await?;
        }
        let waiting: Vec<customer_group_policy::Model> = customer_group_policy::Entity::find()
            .filter(customer_group_policy::Column::GroupId.eq(g.id))
            .filter(customer_group_policy::Column::State.eq(GroupPushState::Waiting))
            .all(db)
            .await?
            .into_iter()
            .filter(|w| live.contains_key(&w.policy_id))
            .collect();
        if waiting.is_empty() {
            continue;
        }
        let used = mass_send_group::Entity::find()
            .filter(mass_send_group::Column::GroupId.eq(g.id))
            .filter(mass_send_group::Column::Month.eq(&month))
            .filter(mass_send_group::Column::State.ne(MassSendGroupState::Failed))
            .count(db)
            .await?;
        let sent_today = mass_send_group::Entity::find()
            .filter(mass_send_group::Column::GroupId.eq(g.id))
            .filter(mass_send_group::Column::Day.eq(day))
            .count(db)
            .await?
            > 0;
        let pending: Vec<Pending> = waiting
            .iter()
            .map(|w| {
                let p = live[&w.policy_id];
                Pending {
                    policy_id: p.id,
                    apply_by: p.apply_by,
                    published_on: p.published_on,
                }
            })
            .collect();
        let used = u32::try_from(used).unwrap_or(u32::MAX);
        match rules::plan(pending, day, used, quota, sent_today, max_cards) {
            Plan::Hold(reason) => {
                report.waiting += waiting.len();
                set_reason(
                    db,
                    g.id,
                    &waiting.iter().map(|w| w.policy_id).collect::<Vec<_>>(),
                    Some(&reason),
                )
                .await?;
            }
            Plan::Send(now, waits) => {
                report.waiting += waits.policy_ids.len();
                set_reason(db, g.id, &waits.policy_ids, waits.reason.as_deref()).await?;
                tasks.entry((g.owner_userid.clone(), now)).or_default().push(g.id);
            }
        }
    }
    for ((owner, policy_ids), group_ids) in tasks {
        let policies: Vec<&policy::Model> = policy_ids.iter().filter_map(|id| live.get(id).copied()).collect();
        let txn = crate::service::begin_write(db).await?;
        let task = mass_send::ActiveModel {
            owner_userid: Set(owner.clone()),
            day: Set(day),
            state: Set(MassSendState::Queued),
            msgid: Set(None),
            text: Set(digest_text(&policies)),
            policy_ids: Set(serde_json::json!(policy_ids)),
            created_at: Set(Utc::now()),
            reminded_at: Set(None),
            checked_at: Set(None),
            confirmed_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let mut taken = 0;
        for &g in &group_ids {
            let inserted = mass_send_group::Entity::insert(mass_send_group::ActiveModel {
                mass_send_id: Set(task.id),
                group_id: Set(g),
                day: Set(day),
                month: Set(month.clone()),
                state: Set(MassSendGroupState::Pending),
                ..Default::default()
            })
            .on_conflict(
                OnConflict::columns([mass_send_group::Column::GroupId, mass_send_group::Column::Day])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
            if inserted == 0 {
                // Another run took this group today.
                continue;
            }
            taken += 1;
            customer_group_policy::Entity::update_many()
                .col_expr(
                    customer_group_policy::Column::State,
                    sea_orm::sea_query::Expr::value(GroupPushState::InTask.code()),
                )
                .col_expr(
                    customer_group_policy::Column::MassSendId,
                    sea_orm::sea_query::Expr::value(task.id),
                )
                .col_expr(
                    customer_group_policy::Column::WaitReason,
                    sea_orm::sea_query::Expr::value(Option::<String>::None),
                )
                .filter(customer_group_policy::Column::GroupId.eq(g))
                .filter(customer_group_policy::Column::PolicyId.is_in(policy_ids.clone()))
                .filter(customer_group_policy::Column::State.eq(GroupPushState::Waiting))
                .exec(&txn)
                .await?;
        }
        if taken == 0 {
            // Nothing left for this task: it is not written.
            drop(txn);
            continue;
        }
        outbox::enqueue(&txn, outbox::mass_send::message(task.id)).await?;
        txn.commit().await?;
        report.tasks += 1;
        report.groups += taken;
    }
    Ok(report)
}

async fn set_reason(
    db: &impl ConnectionTrait,
    group_id: i64,
    policy_ids: &[i64],
    reason: Option<&str>,
) -> ApiResult<()> {
    if policy_ids.is_empty() {
        return Ok(());
    }
    customer_group_policy::Entity::update_many()
        .col_expr(
            customer_group_policy::Column::WaitReason,
            sea_orm::sea_query::Expr::value(reason.map(str::to_owned)),
        )
        .filter(customer_group_policy::Column::GroupId.eq(group_id))
        .filter(customer_group_policy::Column::PolicyId.is_in(policy_ids.to_vec()))
        .filter(customer_group_policy::Column::State.eq(GroupPushState::Waiting))
        .exec(db)
        .await?;
    Ok(())
}

/// The digest's text (WeCom's text part of a mass-send; one card per policy follows it).
pub fn digest_text(policies: &[&policy::Model]) -> String {
    let mut lines = vec![format!("【亲清】{}条新政策与本群企业相符：", policies.len())];
    for (i, p) in policies.iter().enumerate() {
        let by = p
            .apply_by
            .map(|d| format!("（{}截止申报）", d.format("%m月%d日")))
            .unwrap_or_default();
        lines.push(format!("{}. {}{}", i + 1, p.title, by));
    }
    lines.push("点开下方小程序卡片查看政策明白纸与申报方式。".to_owned());
    lines.join("\n")
}

/// A mass-send task with its groups and policies, as people read it.
#[derive(Debug, Clone)]
pub struct TaskView {
    pub task: mass_send::Model,
    pub owner_name: Option<String>,
    pub groups: Vec<(i64, String, MassSendGroupState)>,
    pub policies: Vec<(i64, String)>,
}

/// A policy waiting for a group, and why.
#[derive(Debug, Clone)]
pub struct WaitingView {
    pub group_id: i64,
    pub group_name: String,
    pub policy_id: i64,
    pub policy_title: String,
    pub reason: String,
}

/// The mass-sends in `scope` (newest first; `unconfirmed`: only those waiting for the butler
/// or not yet created), and the policies waiting with their reasons.
pub async fn tasks(
    db: &impl ConnectionTrait,
    scope: &Scope,
    unconfirmed: bool,
) -> ApiResult<(Vec<TaskView>, Vec<WaitingView>)> {
    let mut q = mass_send::Entity::find().order_by_desc(mass_send::Column::Id);
    if let Scope::Owners(ids) = scope {
        q = q.filter(mass_send::Column::OwnerUserid.is_in(ids.clone()));
    }
    if unconfirmed {
        q = q.filter(mass_send::Column::State.is_in([MassSendState::Queued, MassSendState::Awaiting]));
    }
    let found = q.all(db).await?;
    let mut views = Vec::with_capacity(found.len());
    for task in found {
        let rows = mass_send_group::Entity::find()
            .filter(mass_send_group::Column::MassSendId.eq(task.id))
            .all(db)
            .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.group_id).collect();
        let names: HashMap<i64, String> = customer_group::Entity::find()
            .filter(customer_group::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|g| (g.id, g.name))
            .collect();
        let policy_ids: Vec<i64> = serde_json::from_value(task.policy_ids.clone()).unwrap_or_default();
        let titles: HashMap<i64, String> = crate::service::policies::by_ids(db, &policy_ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p.title))
            .collect();
        let owner_name = match wecom_binding::Entity::find()
            .filter(wecom_binding::Column::WecomUserId.eq(&task.owner_userid))
            .one(db)
            .await?
        {
            Some(b) => crate::service::people::names(db, [b.user_id]).await?.remove(&b.user_id),
            None => None,
        };
        views.push(TaskView {
            groups: rows
                .iter()
                .map(|r| (r.group_id, names.get(&r.group_id).cloned().unwrap_or_default(), r.state))
                .collect(),
            policies: policy_ids
                .iter()
                .map(|id| (*id, titles.get(id).cloned().unwrap_or_default()))
                .collect(),
            owner_name,
            task,
        });
    }
    let visible: HashMap<i64, customer_group::Model> = customer_group::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|g| scope.admits(g))
        .map(|g| (g.id, g))
        .collect();
    let waiting_rows = customer_group_policy::Entity::find()
        .filter(customer_group_policy::Column::State.eq(GroupPushState::Waiting))
        .filter(customer_group_policy::Column::GroupId.is_in(visible.keys().copied().collect::<Vec<_>>()))
        .order_by_asc(customer_group_policy::Column::Id)
        .all(db)
        .await?;
    let titles: HashMap<i64, String> =
        crate::service::policies::by_ids(db, &waiting_rows.iter().map(|w| w.policy_id).collect::<Vec<_>>())
            .await?
            .into_iter()
            .map(|p| (p.id, p.title))
            .collect();
    let waiting = waiting_rows
        .into_iter()
        .map(|w| WaitingView {
            group_name: visible.get(&w.group_id).map(|g| g.name.clone()).unwrap_or_default(),
            policy_title: titles.get(&w.policy_id).cloned().unwrap_or_default(),
            reason: w.wait_reason.unwrap_or_else(|| "等待下一次每日推送".to_owned()),
            group_id: w.group_id,
            policy_id: w.policy_id,
        })
        .collect();
    Ok((views, waiting))
}

/// What `track` did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TrackReport {
    pub confirmed: usize,
    pub reminded: usize,
}

/// Follows the tasks waiting for their butler: reads each one's results
/// (`get_groupmsg_send_result`); a group WeCom reports sent has its policies sent; a task with
/// no group left pending is confirmed. One still unconfirmed `remind_after_hours` after it was
/// created is reminded, once.
pub async fn track<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    wecom: &WecomClient,
    remind_after_hours: u32,
    now: DateTime<Utc>,
) -> ApiResult<TrackReport> {
    let mut report = TrackReport::default();
    let awaiting = mass_send::Entity::find()
        .filter(mass_send::Column::State.eq(MassSendState::Awaiting))
        .all(db)
        .await?;
    for task in awaiting {
        let Some(msgid) = task.msgid.clone() else { continue };
        let results = match wecom.send_results(&msgid, &task.owner_userid).await {
            Ok(r) => r,
            Err(err) => {
                tracing::warn!(error = %err, task = task.id, "could not read a mass-send's results");
                continue;
            }
        };
        let by_chat: HashMap<String, i64> = results
            .iter()
            .filter_map(|r| r.chat_id.clone().map(|c| (c, r.status)))
            .collect();
        let txn = crate::service::begin_write(db).await?;
        let rows = mass_send_group::Entity::find()
            .filter(mass_send_group::Column::MassSendId.eq(task.id))
            .all(&txn)
            .await?;
        let mut pending = 0;
        for row in rows {
            let chat = get(&txn, row.group_id).await?.chat_id;
            let next = match by_chat.get(&chat) {
                Some(1) => MassSendGroupState::Sent,
                Some(2 | 3) => MassSendGroupState::Failed,
                _ => MassSendGroupState::Pending,
            };
            if next == MassSendGroupState::Pending {
                pending += 1;
            }
            if next != row.state {
                let group_id = row.group_id;
                let mut a: mass_send_group::ActiveModel = row.into();
                a.state = Set(next);
                a.update(&txn).await?;
                let (state, sent_at) = match next {
                    MassSendGroupState::Sent => (GroupPushState::Sent, Some(now)),
                    // Not delivered: back in the queue for another day.
                    _ => (GroupPushState::Waiting, None),
                };
                customer_group_policy::Entity::update_many()
                    .col_expr(
                        customer_group_policy::Column::State,
                        sea_orm::sea_query::Expr::value(state.code()),
                    )
                    .col_expr(
                        customer_group_policy::Column::SentAt,
                        sea_orm::sea_query::Expr::value(sent_at),
                    )
                    .col_expr(
                        customer_group_policy::Column::Via,
                        sea_orm::sea_query::Expr::value(Some("mass_send".to_owned())),
                    )
                    .filter(customer_group_policy::Column::GroupId.eq(group_id))
                    .filter(customer_group_policy::Column::MassSendId.eq(task.id))
                    .filter(customer_group_policy::Column::State.eq(GroupPushState::InTask))
                    .exec(&txn)
                    .await?;
            }
        }
        let mut a: mass_send::ActiveModel = task.clone().into();
        a.checked_at = Set(Some(now));
        if pending == 0 {
            a.state = Set(MassSendState::Confirmed);
            a.confirmed_at = Set(Some(now));
            report.confirmed += 1;
        } else if task.reminded_at.is_none()
            && now - task.created_at >= chrono::Duration::hours(i64::from(remind_after_hours))
        {
            match wecom.remind(&msgid).await {
                Ok(()) => {
                    a.reminded_at = Set(Some(now));
                    report.reminded += 1;
                }
                Err(err) => tracing::warn!(error = %err, task = task.id, "could not remind a mass-send"),
            }
        }
        a.update(&txn).await?;
        txn.commit().await?;
    }
    Ok(report)
}

/// What the butler's sidebar shows for a group: the policies matched to its enterprises not yet
/// sent there, and its open demands (of its enterprises, or filed from it). An anonymous demand
/// is never listed: in a group its title beside the enterprises' names would tell who filed it.
pub async fn sidebar(
    db: &impl ConnectionTrait,
    g: &customer_group::Model,
    today: NaiveDate,
) -> ApiResult<(Vec<policy::Model>, Vec<demand::Model>)> {
    let linked = enterprises_of(db, g.id).await?;
    let sent: HashSet<i64> = customer_group_policy::Entity::find()
        .filter(customer_group_policy::Column::GroupId.eq(g.id))
        .filter(customer_group_policy::Column::State.eq(GroupPushState::Sent))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.policy_id)
        .collect();
    let published = published(db, today).await?;
    let policies: Vec<policy::Model> = matching(db, &published, &linked, today)
        .await?
        .into_iter()
        .filter(|p| !sent.contains(&p.id))
        .cloned()
        .collect();
    let mut from = Condition::any().add(
        Condition::all()
            .add(demand::Column::OriginType.eq(entity::codes::Origin::CustomerGroup))
            .add(demand::Column::OriginId.eq(&g.chat_id)),
    );
    if !linked.is_empty() {
        from = from.add(demand::Column::EnterpriseId.is_in(linked));
    }
    let open = demand::Entity::find()
        .filter(from)
        .filter(demand::Column::Anonymous.eq(false))
        .filter(demand::Column::Status.is_not_in([
            entity::codes::Status::Closed,
            entity::codes::Status::Rejected,
            entity::codes::Status::Merged,
        ]))
        .order_by_desc(demand::Column::Id)
        .all(db)
        .await?;
    Ok((policies, open))
}

/// The butler sent a policy's card into the group from the sidebar: it is sent there (and
/// leaves the group's queue). 409 `already_sent` when it was.
pub async fn sent_from_sidebar(db: &impl ConnectionTrait, group_id: i64, policy_id: i64) -> ApiResult<()> {
    let p = crate::service::policies::by_ids(db, &[policy_id]).await?;
    if !p.iter().any(|p| p.status == PolicyStatus::Published) {
        return Err(ApiError::invalid_field("policyId", "not_found", "政策不存在或未发布"));
    }
    queue(db, group_id, policy_id).await?;
    let updated = customer_group_policy::Entity::update_many()
        .col_expr(
            customer_group_policy::Column::State,
            sea_orm::sea_query::Expr::value(GroupPushState::Sent.code()),
        )
        .col_expr(
            customer_group_policy::Column::Via,
            sea_orm::sea_query::Expr::value(Some("sidebar".to_owned())),
        )
        .col_expr(
            customer_group_policy::Column::SentAt,
            sea_orm::sea_query::Expr::value(Some(Utc::now())),
        )
        .col_expr(
            customer_group_policy::Column::WaitReason,
            sea_orm::sea_query::Expr::value(Option::<String>::None),
        )
        .filter(customer_group_policy::Column::GroupId.eq(group_id))
        .filter(customer_group_policy::Column::PolicyId.eq(policy_id))
        .filter(customer_group_policy::Column::State.eq(GroupPushState::Waiting))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Err(ApiError::Conflict {
            code: "already_sent",
            message: "这条政策已经发到本群，或已在待确认的群发中".into(),
        });
    }
    Ok(())
}

/// Sets a group's 微信客服 link (`kf/add_contact_way` with the group's scene).
pub async fn make_kf_link(
    db: &impl ConnectionTrait,
    wecom: &WecomClient,
    open_kfid: Option<&str>,
    g: customer_group::Model,
) -> ApiResult<customer_group::Model> {
    let open_kfid = open_kfid.ok_or_else(|| {
        ApiError::bad_request(
            "kf_not_configured",
            "服务器未配置微信客服账号（QINQING_WECOM__KF_OPEN_KFID）",
        )
    })?;
    let url = wecom
        .kf_contact_way(open_kfid, &rules::kf_scene(g.id))
        .await
        .map_err(wecom_failed)?;
    let mut a: customer_group::ActiveModel = g.into();
    a.kf_link = Set(Some(url));
    Ok(a.update(db).await?)
}

/// A JS-SDK signature of a page.
pub struct Signed {
    pub timestamp: i64,
    pub nonce: String,
    pub signature: String,
}

/// Signs `url` for the sidebar (`agent`: `wx.agentConfig`'s ticket, else `wx.config`'s).
pub async fn js_signature(wecom: &WecomClient, agent: bool, url: &str) -> ApiResult<Signed> {
    use rand::Rng;
    let ticket = wecom.js_ticket(agent).await.map_err(|err| match err {
        WecomError::NotConfigured => ApiError::bad_request(
            "wecom_not_configured",
            "服务器未配置企业微信应用（开发模式），侧边栏无法调用企业微信接口",
        ),
        other => wecom_failed(other),
    })?;
    let nonce: String = rand::rng()
        .sample_iter(&rand::distr::Alphanumeric)
        .take(16)
        .map(char::from)
        .collect();
    let timestamp = Utc::now().timestamp();
    Ok(Signed {
        signature: rules::js_signature(&ticket, &nonce, timestamp, url),
        timestamp,
        nonce,
    })
}

/// The corp member behind a WeCom web sign-in code (None: not a member, or a spent code).
pub async fn wecom_user_of_code(wecom: &WecomClient, code: &str) -> ApiResult<Option<String>> {
    match wecom.user_of_code(code).await {
        Ok(u) => Ok(u),
        Err(WecomError::Refused { .. }) => Ok(None),
        Err(WecomError::NotConfigured) => Err(ApiError::bad_request(
            "wecom_not_configured",
            "服务器未配置企业微信应用（开发模式）",
        )),
        Err(other) => Err(wecom_failed(other)),
    }
}
