//! In-app notices and, where the person subscribed, their WeChat subscribe message (an outbox
//! row), written in the same transaction as the change that caused them.
use chrono::{DateTime, Utc};
use entity::{notification, subscribe_credit};
use sea_orm::sea_query::{Alias, BinOper, Expr, OnConflict, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::error::{ApiError, ApiResult};
use crate::service::outbox;
use crate::settings::{SubscribeTemplate, WechatSettings};
use crate::types::local_time;

/// A notice to one person.
pub struct Notice<'a> {
    pub user_id: i64,
    pub kind: &'a str,
    pub title: String,
    pub body: String,
    pub demand_id: Option<i64>,
    pub page: Option<String>,
    /// Nothing is notified twice with the same key.
    pub dedup_key: String,
    /// What the subscribe message shows; None keeps it in-app.
    pub wechat: Option<WechatFields>,
}

/// The four fields of the demand-progress template.
pub struct WechatFields {
    pub title: String,
    pub status: String,
    pub time: DateTime<Utc>,
    pub note: String,
}

/// Who a template serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// People who file demands.
    Filers,
    /// Enterprise members (new policies).
    Members,
    /// Butlers, handlers, admins.
    Staff,
}

/// The purposes a person can subscribe to, with the template that serves each: the purpose's
/// code (as the mini-program asks for it), who it serves and the configured template.
pub fn purposes(w: &WechatSettings) -> [(&'static str, Audience, Option<&SubscribeTemplate>); 6] {
    [
        ("demand_accepted", Audience::Filers, template_for(w, "demand_accepted")),
        ("demand_replied", Audience::Filers, template_for(w, "demand_replied")),
        ("rate_reminder", Audience::Filers, template_for(w, "rate_reminder")),
        ("policy_new", Audience::Members, w.policy_template.as_ref()),
        ("work_new", Audience::Staff, template_for(w, "work_new")),
        ("work_overdue", Audience::Staff, template_for(w, "work_overdue")),
    ]
}

/// The template a demand notice of `kind` is sent with: the purpose's own, else the demand
/// template for the people who filed; staff notices only with a staff template.
pub fn template_for<'a>(w: &'a WechatSettings, kind: &str) -> Option<&'a SubscribeTemplate> {
    let t = &w.templates;
    match kind {
        "demand_accepted" => t.demand_accepted.as_ref().or(w.demand_template.as_ref()),
        "demand_replied" => t.demand_replied.as_ref().or(w.demand_template.as_ref()),
        "rate_reminder" => t.rate_reminder.as_ref().or(w.demand_template.as_ref()),
        "work_new" | "demand_dispatched" | "demand_reopened" => t.work_new.as_ref(),
        "work_overdue" | "demand_overdue" | "demand_supervised" => t.work_overdue.as_ref(),
        _ => w.demand_template.as_ref(),
    }
}

/// Cuts a value to WeChat's limit for its key type (docs/wechat/protocols.md section 4): `thing` ≤ 20
/// characters, `phrase` ≤ 5 汉字 only, `time` as `2026年11月28日 16:05`, and no control
/// characters anywhere.
pub fn fit_value(key: &str, value: &str) -> String {
    let clean: String = value.chars().filter(|c| !c.is_control()).collect();
    let kind = key.trim_end_matches(|c: char| c.is_ascii_digit());
    match kind {
        "thing" => cut(&clean, 20),
        // Pure 汉字 only, so no ellipsis either.
        "phrase" => clean
            .chars()
            .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
            .take(5)
            .collect(),
        "character_string" | "number" | "letter" => cut(&clean, 32),
        "name" => cut(&clean, 10),
        "phone_number" => cut(&clean, 17),
        _ => cut(&clean, 20),
    }
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn template_data(t: &SubscribeTemplate, f: &WechatFields) -> serde_json::Value {
    let time = local_time(f.time).format("%Y年%m月%d日 %H:%M").to_string();
    serde_json::json!({
        t.title_key.as_str(): { "value": fit_value(&t.title_key, &f.title) },
        t.status_key.as_str(): { "value": fit_value(&t.status_key, &f.status) },
        t.time_key.as_str(): { "value": time },
        t.note_key.as_str(): { "value": fit_value(&t.note_key, &f.note) },
    })
}

/// Writes the notice, and queues its subscribe message when it has one (both ignored when the
/// dedup key was used before).
pub async fn enqueue(
    db: &impl ConnectionTrait,
    template: Option<&SubscribeTemplate>,
    notice: Notice<'_>,
) -> ApiResult<()> {
    let now = Utc::now();
    let row = notification::ActiveModel {
        user_id: Set(notice.user_id),
        kind: Set(notice.kind.to_owned()),
        title: Set(notice.title),
        body: Set(notice.body),
        demand_id: Set(notice.demand_id),
        page: Set(notice.page.clone()),
        dedup_key: Set(notice.dedup_key.clone()),
        created_at: Set(now),
        ..Default::default()
    };
    let inserted = notification::Entity::insert(row)
        .on_conflict(
            OnConflict::column(notification::Column::DedupKey)
                .do_nothing()
                .to_owned(),
        )
        .try_insert()
        .exec(db)
        .await?;
    let sea_orm::TryInsertResult::Inserted(saved) = inserted else {
        return Ok(());
    };
    let told = Told {
        user_id: notice.user_id,
        notification_id: saved.last_insert_id,
        dedup_key: &notice.dedup_key,
    };
    queue_message(
        db,
        template,
        notice.kind,
        notice.page.as_deref(),
        notice.wechat.as_ref(),
        told,
    )
    .await
}

/// The same notice to many people (see `enqueue_each`).
pub struct Notices<'a> {
    pub kind: &'a str,
    pub title: String,
    pub body: String,
    pub demand_id: Option<i64>,
    pub page: Option<String>,
    /// Each person's dedup key is this key followed by `:u` and their id (`dedup_key`).
    pub key: &'a str,
    /// What the subscribe message shows; None keeps it in-app.
    pub wechat: Option<WechatFields>,
}

/// A person's dedup key for a notice sent to many under `key`.
pub fn dedup_key(key: &str, user_id: i64) -> String {
    format!("{}{user_id}", dedup_prefix(key))
}

fn dedup_prefix(key: &str) -> String {
    format!("{key}:u")
}

/// Writes `notice` to everyone `to` selects (a statement whose one column, `id`, is a person's
/// id) in one statement, each under their own dedup key, and queues the subscribe message of
/// each person told. Returns the people told (none told before under their key).
pub async fn enqueue_each(
    db: &impl ConnectionTrait,
    template: Option<&SubscribeTemplate>,
    to: SelectStatement,
    notice: Notices<'_>,
) -> ApiResult<Vec<i64>> {
    use notification::Column as N;
    const TO: &str = "told";
    let prefix = dedup_prefix(notice.key);
    let rows = Query::select()
        .expr(Expr::col((Alias::new(TO), Alias::new("id"))))
        .expr(Expr::val(notice.kind))
        .expr(Expr::val(notice.title.as_str()))
        .expr(Expr::val(notice.body.as_str()))
        .expr(Expr::val(notice.demand_id))
        .expr(Expr::val(notice.page.clone()))
        // `||` as an operator: a custom expression's placeholders differ by backend.
        .expr(Expr::val(prefix).binary(
            BinOper::Custom("||"),
            Expr::col((Alias::new(TO), Alias::new("id"))).cast_as("TEXT"),
        ))
        .expr(Expr::val(Utc::now()))
        .from_subquery(to, Alias::new(TO))
        // SQLite reads `INSERT … SELECT … ON CONFLICT` as a join's ON without a WHERE.
        .and_where(Expr::cust("1 = 1"))
        .to_owned();
    let insert = Query::insert()
        .into_table(notification::Entity)
        .columns([
            N::UserId,
            N::Kind,
            N::Title,
            N::Body,
            N::DemandId,
            N::Page,
            N::DedupKey,
            N::CreatedAt,
        ])
        .select_from(rows)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))?
        .on_conflict(OnConflict::column(N::DedupKey).do_nothing().to_owned())
        .returning(Query::returning().columns([N::Id, N::UserId]))
        .to_owned();
    let mut told = Vec::new();
    for row in db.query_all(&insert).await? {
        let (id, user_id): (i64, i64) = (row.try_get("", "id")?, row.try_get("", "user_id")?);
        let key = dedup_key(notice.key, user_id);
        let t = Told {
            user_id,
            notification_id: id,
            dedup_key: &key,
        };
        queue_message(
            db,
            template,
            notice.kind,
            notice.page.as_deref(),
            notice.wechat.as_ref(),
            t,
        )
        .await?;
        told.push(user_id);
    }
    told.sort_unstable();
    Ok(told)
}

/// A notice as written: to whom, its row, its dedup key.
struct Told<'a> {
    user_id: i64,
    notification_id: i64,
    dedup_key: &'a str,
}

/// Queues the subscribe message of a notice just written, when it has one and a template.
async fn queue_message(
    db: &impl ConnectionTrait,
    template: Option<&SubscribeTemplate>,
    kind: &str,
    page: Option<&str>,
    fields: Option<&WechatFields>,
    told: Told<'_>,
) -> ApiResult<()> {
    if let (Some(t), Some(f)) = (template, fields) {
        outbox::enqueue(
            db,
            outbox::wechat::message(
                kind,
                told.dedup_key,
                told.user_id,
                told.notification_id,
                &t.template_id,
                page,
                template_data(t, f),
            ),
        )
        .await?;
    }
    Ok(())
}

/// A person's notices, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    user_id: i64,
    unread_only: bool,
    after_id: Option<i64>,
    limit: u64,
) -> ApiResult<Vec<notification::Model>> {
    let mut q = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .order_by_desc(notification::Column::Id)
        .limit(limit + 1);
    if unread_only {
        q = q.filter(notification::Column::ReadAt.is_null());
    }
    if let Some(after) = after_id {
        q = q.filter(notification::Column::Id.lt(after));
    }
    Ok(q.all(db).await?)
}

/// How many of a person's notices are unread.
pub async fn unread(db: &impl ConnectionTrait, user_id: i64) -> ApiResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

pub async fn mark_read(db: &impl ConnectionTrait, user_id: i64, id: Option<i64>) -> ApiResult<u64> {
    let mut q = notification::Entity::update_many()
        .col_expr(
            notification::Column::ReadAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(id) = id {
        let exists = notification::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|n| n.user_id == user_id);
        if exists.is_none() {
            return Err(ApiError::not_found("notification_not_found", "通知不存在"));
        }
        q = q.filter(notification::Column::Id.eq(id));
    }
    Ok(q.exec(db).await?.rows_affected)
}

/// Records templates the person accepted in `wx.requestSubscribeMessage`: one credit each.
pub async fn add_credits(db: &impl ConnectionTrait, user_id: i64, template_ids: &[String]) -> ApiResult<()> {
    for t in template_ids {
        subscribe_credit::ActiveModel {
            user_id: Set(user_id),
            template_id: Set(t.clone()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Who hears of a demand's progress by text message.
pub struct Texted<'a> {
    /// People who filed or follow it: each with a bound phone and no subscribe credit for the
    /// purpose's template (WeChat carries it for the others).
    pub people: &'a [i64],
    /// The number a hotline caller called from, when the demand came by phone.
    pub caller_phone: Option<&'a str>,
}

/// Queues the text messages of `kind` (`demand_accepted`, `demand_replied`) with `params`,
/// once per person and reason (`key`), when SMS has a template for it. In the caller's
/// transaction, beside the in-app notices.
pub async fn text(
    db: &impl ConnectionTrait,
    settings: &crate::settings::Settings,
    to: Texted<'_>,
    kind: &str,
    key: &str,
    params: &[String],
) -> ApiResult<()> {
    let templates = &settings.sms.templates;
    let template = match kind {
        "demand_accepted" => templates.demand_accepted.as_deref(),
        "demand_replied" => templates.demand_replied.as_deref(),
        _ => None,
    };
    let Some(template) = template.filter(|t| !t.is_empty()) else {
        return Ok(());
    };
    let wechat = template_for(&settings.wechat, kind).map(|t| t.template_id.as_str());
    let mut texted = Vec::new();
    for &user_id in to.people {
        let Some(phone) = entity::user::Entity::find_by_id(user_id)
            .one(db)
            .await?
            .and_then(|u| u.phone)
            .filter(|p| !p.is_empty())
        else {
            continue;
        };
        if let Some(t) = wechat
            && unspent_credits(db, user_id, t).await? > 0
        {
            continue;
        }
        let m = outbox::sms::message(
            kind,
            &format!("{key}:u{user_id}"),
            &phone,
            Some(user_id),
            template,
            params,
        );
        outbox::enqueue(db, m).await?;
        texted.push(outbox::sms::recipient(&phone));
    }
    if let Some(phone) = to.caller_phone.filter(|p| !p.is_empty())
        && !texted.contains(&outbox::sms::recipient(phone))
    {
        let m = outbox::sms::message(kind, &format!("{key}:caller"), phone, None, template, params);
        outbox::enqueue(db, m).await?;
    }
    Ok(())
}

pub async fn unspent_credits(db: &impl ConnectionTrait, user_id: i64, template_id: &str) -> ApiResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(subscribe_credit::Entity::find()
        .filter(subscribe_credit::Column::UserId.eq(user_id))
        .filter(subscribe_credit::Column::TemplateId.eq(template_id))
        .filter(subscribe_credit::Column::SpentAt.is_null())
        .filter(subscribe_credit::Column::NotificationId.is_null())
        .count(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(id: &str) -> SubscribeTemplate {
        SubscribeTemplate {
            template_id: id.into(),
            title_key: "thing1".into(),
            status_key: "phrase2".into(),
            time_key: "time3".into(),
            note_key: "thing4".into(),
        }
    }

    #[test]
    fn each_notice_goes_with_its_purposes_template_and_staff_never_spend_the_demand_template() {
        let mut w = crate::settings::Settings::defaults().unwrap().wechat;
        w.demand_template = Some(template("t-demand"));
        let id = |w: &WechatSettings, kind: &str| template_for(w, kind).map(|t| t.template_id.clone());
        assert_eq!(id(&w, "demand_accepted").as_deref(), Some("t-demand"));
        assert_eq!(id(&w, "demand_rejected").as_deref(), Some("t-demand"));
        assert_eq!(
            id(&w, "demand_overdue"),
            None,
            "staff have no template of their own yet"
        );
        w.templates.demand_replied = Some(template("t-replied"));
        w.templates.work_new = Some(template("t-work"));
        assert_eq!(id(&w, "demand_replied").as_deref(), Some("t-replied"));
        assert_eq!(id(&w, "demand_dispatched").as_deref(), Some("t-work"));
        assert_eq!(id(&w, "work_new").as_deref(), Some("t-work"));
        let staff: Vec<&str> = purposes(&w)
            .iter()
            .filter(|(_, a, t)| *a == Audience::Staff && t.is_some())
            .map(|(p, ..)| *p)
            .collect();
        assert_eq!(staff, ["work_new"]);
    }

    #[test]
    fn values_fit_wechat_limits() {
        assert_eq!(
            fit_value("thing1", "关于跨境电商企业出口退税办理时限过长的问题反映"),
            "关于跨境电商企业出口退税办理时限过长的…"
        );
        assert_eq!(fit_value("thing1", "短标题"), "短标题");
        assert_eq!(fit_value("phrase2", "已答复"), "已答复");
        assert_eq!(fit_value("phrase2", "已受理(1)"), "已受理");
        assert_eq!(fit_value("phrase2", "重新办理中的诉求"), "重新办理中");
        assert_eq!(fit_value("thing4", "第一行\n第二行"), "第一行第二行");
        assert_eq!(fit_value("thing4", "").chars().count(), 0);
    }
}
