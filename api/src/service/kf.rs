//! The dialogue through 微信客服: WeCom's `kf_msg_or_event` callback says there is something
//! new; `kf/sync_msg` (from the cursor kept per account) brings the messages. Each of a WeChat
//! user's texts is answered once, by its message id (a callback delivered twice, or two
//! replicas syncing at once, file nothing twice), with the bot's dialogue; the reply goes
//! through the outbox (`outbox::kf`, inside WeCom's 48-hour window of five messages), with a
//! mini-program card for the best policy found. A user who came by a group's link
//! (`enter_session` with the group's scene) speaks for that group.
use bot::dialogue::{self, Speaker};
use chrono::{DateTime, Utc};
use entity::{kf_cursor, kf_customer};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::cache::Cache;
use crate::clients::wecom::{KfMessage, WecomClient, WecomError};
use crate::domain::customer_group::group_of_scene;
use crate::error::{ApiError, ApiResult};
use crate::search::PolicyIndex;
use crate::service::outbox;
use crate::service::wecom::{self, ApiBackend, KfTalk, Taken};
use crate::settings::Settings;

/// What one sync took in.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Synced {
    pub messages: usize,
    pub answered: usize,
}

pub struct Deps<'a> {
    pub db: &'a DatabaseConnection,
    pub settings: &'a Settings,
    pub cache: &'a Cache,
    pub index: &'a PolicyIndex,
    pub wecom: &'a WecomClient,
    /// The mini-program's AppID (the cards open it).
    pub app_id: Option<&'a str>,
}

async fn customer(db: &DatabaseConnection, external_userid: &str) -> ApiResult<Option<kf_customer::Model>> {
    Ok(kf_customer::Entity::find()
        .filter(kf_customer::Column::ExternalUserid.eq(external_userid))
        .one(db)
        .await?)
}

/// Records a user: the group of their link's scene (when given) and when they last wrote.
async fn seen(
    db: &DatabaseConnection,
    external_userid: &str,
    open_kfid: &str,
    group_id: Option<i64>,
    wrote_at: Option<DateTime<Utc>>,
) -> ApiResult<kf_customer::Model> {
    kf_customer::Entity::insert(kf_customer::ActiveModel {
        external_userid: Set(external_userid.to_owned()),
        open_kfid: Set(open_kfid.to_owned()),
        group_id: Set(group_id),
        last_in_at: Set(wrote_at),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(kf_customer::Column::ExternalUserid)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let c = customer(db, external_userid)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("kf customer vanished")))?;
    let later = wrote_at.filter(|t| c.last_in_at.is_none_or(|last| *t > last));
    if group_id.is_none() && later.is_none() {
        return Ok(c);
    }
    let mut a: kf_customer::ActiveModel = c.into();
    if let Some(g) = group_id {
        a.group_id = Set(Some(g));
    }
    if let Some(t) = later {
        a.last_in_at = Set(Some(t));
    }
    Ok(a.update(db).await?)
}

/// Takes in one message or event: a user entering by a group's link is recorded with the
/// group; a user's text is answered once (by its id). Returns the reply, or None when there was
/// nothing to answer or it was answered before.
pub async fn take_in(d: &Deps<'_>, open_kfid: &str, m: &KfMessage) -> ApiResult<Option<String>> {
    if let Some(ev) = m.event.as_ref().filter(|_| m.msgtype == "event") {
        if ev.event_type == "enter_session"
            && let Some(user) = ev.external_userid.as_deref()
        {
            let group = match ev.scene_param.as_deref().and_then(group_of_scene) {
                Some(g) => crate::service::customer_groups::get(d.db, g).await.ok().map(|g| g.id),
                None => None,
            };
            seen(d.db, user, open_kfid, group, None).await?;
        }
        return Ok(None);
    }
    let (Some(user), Some(text), 3) = (m.external_userid.as_deref(), m.text.as_ref(), m.origin) else {
        return Ok(None);
    };
    let wrote_at = m.send_time.and_then(|t| DateTime::from_timestamp(t, 0));
    let c = seen(d.db, user, open_kfid, None, wrote_at).await?;
    let key = format!("kf:{}", m.msgid);
    if let Taken::Retry(_) = wecom::take(d.db, &key, "kf", None, user).await? {
        return Ok(None);
    }
    let speaker = Speaker {
        user_id: user.to_owned(),
        chat_id: None,
    };
    let mut backend = ApiBackend::new(d.db, d.settings, d.cache, d.index);
    backend.kf = Some(KfTalk {
        open_kfid,
        group_id: c.group_id,
        wecom: d.wecom,
    });
    let reply = dialogue::answer(&backend, &speaker, &text.content).await;
    wecom::answered(d.db, &key, &reply, backend.filed.get()).await?;
    outbox::enqueue(d.db, outbox::kf::text(open_kfid, user, &key, &reply)).await?;
    let best = backend.found.borrow().first().cloned();
    if let (Some((id, title)), Some(app_id)) = (best, d.app_id) {
        let page = format!("subpackages/policy/detail/index.html?id={id}");
        outbox::enqueue(
            d.db,
            outbox::kf::card(open_kfid, user, &format!("{key}:card"), app_id, &title, &page),
        )
        .await?;
    }
    Ok(Some(reply))
}

/// A user's text taken in as `kf/sync_msg` would bring it (a fresh message id), after their
/// entering by a link with `scene` when given: the development server's simulator path.
pub async fn as_if_synced(
    d: &Deps<'_>,
    open_kfid: &str,
    user: &str,
    content: String,
    scene: Option<String>,
) -> ApiResult<Option<String>> {
    use crate::clients::wecom::{KfEvent, KfText};
    let now = Utc::now().timestamp();
    let id = uuid::Uuid::new_v4().simple().to_string();
    if let Some(scene) = scene {
        let enter = KfMessage {
            msgid: format!("dev-enter-{id}"),
            open_kfid: open_kfid.to_owned(),
            external_userid: None,
            send_time: Some(now),
            origin: 4,
            msgtype: "event".into(),
            text: None,
            event: Some(KfEvent {
                event_type: "enter_session".into(),
                external_userid: Some(user.to_owned()),
                open_kfid: Some(open_kfid.to_owned()),
                scene_param: Some(scene),
            }),
        };
        take_in(d, open_kfid, &enter).await?;
    }
    let text = KfMessage {
        msgid: format!("dev-{id}"),
        open_kfid: open_kfid.to_owned(),
        external_userid: Some(user.to_owned()),
        send_time: Some(now),
        origin: 3,
        msgtype: "text".into(),
        text: Some(KfText { content }),
        event: None,
    };
    take_in(d, open_kfid, &text).await
}

/// Takes in what is new for `open_kfid` after the callback with `token`.
pub async fn sync(d: &Deps<'_>, open_kfid: &str, token: &str) -> ApiResult<Synced> {
    let mut report = Synced::default();
    loop {
        let cursor = kf_cursor::Entity::find_by_id(open_kfid.to_owned())
            .one(d.db)
            .await?
            .map(|c| c.cursor)
            .unwrap_or_default();
        let page = match d.wecom.kf_sync(open_kfid, &cursor, token).await {
            Ok(page) => page,
            Err(WecomError::NotConfigured) => {
                tracing::info!(
                    open_kfid,
                    "development mode: would pull 微信客服 messages with kf/sync_msg"
                );
                return Ok(report);
            }
            Err(err) => return Err(ApiError::internal(err)),
        };
        for m in &page.msg_list {
            report.messages += 1;
            if take_in(d, open_kfid, m).await?.is_some() {
                report.answered += 1;
            }
        }
        if let Some(next) = page.next_cursor.filter(|c| !c.is_empty() && *c != cursor) {
            kf_cursor::Entity::insert(kf_cursor::ActiveModel {
                open_kfid: Set(open_kfid.to_owned()),
                cursor: Set(next),
                updated_at: Set(Utc::now()),
            })
            .on_conflict(
                OnConflict::column(kf_cursor::Column::OpenKfid)
                    .update_columns([kf_cursor::Column::Cursor, kf_cursor::Column::UpdatedAt])
                    .to_owned(),
            )
            .exec_without_returning(d.db)
            .await?;
            if page.has_more == 1 {
                continue;
            }
        }
        return Ok(report);
    }
}
