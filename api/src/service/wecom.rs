//! The bot's facts: policies for a question, demands filed from a chat, progress, and the
//! binding of a WeCom user id to a person. Implements `bot::dialogue::Backend`.
use std::time::Duration;

use bot::dialogue::{Backend, FeedbackKind, Filed, HandOff, PolicyHit, Progress, Speaker, clip};
use chrono::Utc;
use entity::{bot_message, demand, enterprise, wecom_binding};
use rand::Rng;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::cache::Cache;
use crate::domain::access::Principal;
use crate::domain::demand::{Channel, ContentCheck, Environment, Kind, Origin};
use crate::domain::policy::admits;
use crate::error::{ApiError, ApiResult};
use crate::search::PolicyIndex;
use crate::search::SearchFilter;
use crate::service::demands::{self, Actor, Context, NewDemand};
use crate::service::policies::EnterpriseProfile;
use crate::service::{enterprises, groups, people, policies};
use crate::settings::Settings;
use crate::types::local_time;
use sea_orm::DatabaseConnection;

/// How long a bind code from 「绑定」 is valid.
const BIND_CODE_TTL: Duration = Duration::from_secs(600);
/// Wrong tries a code survives, and wrong tries a person may make in `BIND_CODE_TTL`.
pub const BIND_TRIES: u64 = 5;

/// A bind code is `TTT-SSSSSS`: a ticket naming the pending binding (not secret) and six secret
/// digits. The ticket lets each code count the wrong guesses made at it: after `BIND_TRIES`
/// the code is void and the bot must issue a new one. A person's wrong tries are limited too,
/// and the secret is compared in constant time.
fn ticket_key(ticket: &str) -> String {
    format!("wecom-bind:{ticket}")
}

fn ticket_tries_key(ticket: &str) -> String {
    format!("wecom-bind:{ticket}:tries")
}

fn person_tries_key(user_id: i64) -> String {
    format!("wecom-bind-tries:u{user_id}")
}

fn invalid_code(message: &str) -> ApiError {
    ApiError::invalid_field("code", "invalid_code", message)
}

/// Issues a code for a WeCom user: a free ticket holding the user id and the secret.
pub async fn issue_bind_code(cache: &crate::cache::Cache, wecom_user_id: &str) -> ApiResult<String> {
    for _ in 0..20 {
        let ticket = format!("{:03}", rand::rng().random_range(0..1000));
        let secret = format!("{:06}", rand::rng().random_range(0..1_000_000));
        let value = format!("{secret}|{wecom_user_id}");
        if cache.set_nx(&ticket_key(&ticket), &value, BIND_CODE_TTL).await? {
            cache.delete(&ticket_tries_key(&ticket)).await?;
            return Ok(format!("{ticket}-{secret}"));
        }
    }
    Err(ApiError::Unavailable {
        code: "bind_busy",
        message: "绑定请求较多，请稍后再发送「绑定」".into(),
        retry_after_secs: Some(60),
    })
}

/// Binds the WeCom user id behind a valid code to `user_id` (a later binding of the same WeCom
/// id replaces the earlier). The code works once.
pub async fn redeem(db: &impl ConnectionTrait, cache: &Cache, user_id: i64, code: &str) -> ApiResult<String> {
    use subtle::ConstantTimeEq;
    let person = person_tries_key(user_id);
    let wrong_so_far = cache
        .get(&person)
        .await?
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0);
    if wrong_so_far >= BIND_TRIES {
        return Err(ApiError::TooManyRequests {
            retry_after_secs: BIND_CODE_TTL.as_secs(),
        });
    }
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    let (ticket, secret) = digits.split_at(digits.len().min(3));
    let key = ticket_key(ticket);
    let stored = if digits.len() == 9 {
        cache.get(&key).await?
    } else {
        None
    };
    // Compared in constant time even when there is nothing to compare with.
    let (expected, wecom_user_id) = match stored.as_deref().and_then(|v| v.split_once('|')) {
        Some((expected, id)) => (expected.to_owned(), Some(id.to_owned())),
        None => ("\0\0\0\0\0\0".to_owned(), None),
    };
    let matches: bool = expected.as_bytes().ct_eq(secret.as_bytes()).into();
    match (matches, wecom_user_id, stored) {
        (true, Some(wecom_user_id), Some(value)) => {
            // Once: of two requests with the right code only one takes it.
            if !cache.delete_if(&key, &value).await? {
                return Err(invalid_code("验证码无效或已过期，请在群里重新发送「绑定」"));
            }
            bind(db, user_id, &wecom_user_id).await?;
            Ok(wecom_user_id)
        }
        (_, found, _) => {
            cache.hit(&person, BIND_CODE_TTL).await?;
            if found.is_some() {
                let (tries, _) = cache.hit(&ticket_tries_key(ticket), BIND_CODE_TTL).await?;
                if tries >= BIND_TRIES {
                    cache.delete(&key).await?;
                    return Err(invalid_code("验证码输错次数过多，已失效，请在群里重新发送「绑定」"));
                }
            }
            Err(invalid_code("验证码无效或已过期，请在群里重新发送「绑定」"))
        }
    }
}

pub async fn bind(db: &impl ConnectionTrait, user_id: i64, wecom_user_id: &str) -> ApiResult<()> {
    wecom_binding::Entity::insert(wecom_binding::ActiveModel {
        wecom_user_id: Set(wecom_user_id.to_owned()),
        user_id: Set(user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(wecom_binding::Column::WecomUserId)
            .update_columns([wecom_binding::Column::UserId, wecom_binding::Column::CreatedAt])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// The person a WeCom user id is bound to.
pub async fn bound_user(db: &impl ConnectionTrait, wecom_user_id: &str) -> ApiResult<Option<i64>> {
    Ok(wecom_binding::Entity::find()
        .filter(wecom_binding::Column::WecomUserId.eq(wecom_user_id))
        .one(db)
        .await?
        .map(|b| b.user_id))
}

/// What a callback's dedup row says.
pub enum Taken {
    /// First delivery: answer it.
    New,
    /// A retry: the reply given before (None while the first is still being answered).
    Retry(Option<String>),
}

/// Records a callback by its dedup key; a retry of one already taken in is told so.
pub async fn take(
    db: &impl ConnectionTrait,
    key: &str,
    endpoint: &str,
    chat_id: Option<&str>,
    from_user: &str,
) -> ApiResult<Taken> {
    let inserted = bot_message::Entity::insert(bot_message::ActiveModel {
        dedup_key: Set(key.to_owned()),
        endpoint: Set(endpoint.to_owned()),
        chat_id: Set(chat_id.map(str::to_owned)),
        from_user: Set(from_user.to_owned()),
        demand_id: Set(None),
        reply: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(bot_message::Column::DedupKey)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    if inserted == 1 {
        return Ok(Taken::New);
    }
    let row = bot_message::Entity::find()
        .filter(bot_message::Column::DedupKey.eq(key))
        .one(db)
        .await?;
    Ok(Taken::Retry(row.and_then(|r| r.reply)))
}

/// Stores the reply given to a callback (and the demand it filed).
pub async fn answered(db: &impl ConnectionTrait, key: &str, reply: &str, demand_id: Option<i64>) -> ApiResult<()> {
    if let Some(row) = bot_message::Entity::find()
        .filter(bot_message::Column::DedupKey.eq(key))
        .one(db)
        .await?
    {
        let mut active: bot_message::ActiveModel = row.into();
        active.reply = Set(Some(reply.to_owned()));
        if demand_id.is_some() {
            active.demand_id = Set(demand_id);
        }
        active.update(db).await?;
    }
    Ok(())
}

/// A 微信客服 conversation: the account, the customer group the user came from (their link's
/// scene), and the client to hand the conversation to a person.
pub struct KfTalk<'a> {
    pub open_kfid: &'a str,
    pub group_id: Option<i64>,
    pub wecom: &'a crate::clients::wecom::WecomClient,
}

/// The dialogue's backend for one callback. Remembers the demand it filed and the policies it
/// found.
pub struct ApiBackend<'a> {
    pub db: &'a DatabaseConnection,
    pub settings: &'a Settings,
    pub cache: &'a Cache,
    /// This replica's policy search index.
    pub index: &'a PolicyIndex,
    pub filed: std::cell::Cell<Option<i64>>,
    pub found: std::cell::RefCell<Vec<(i64, String)>>,
    /// Set when the speaker is a WeChat user in 微信客服.
    pub kf: Option<KfTalk<'a>>,
}

impl<'a> ApiBackend<'a> {
    pub fn new(db: &'a DatabaseConnection, settings: &'a Settings, cache: &'a Cache, index: &'a PolicyIndex) -> Self {
        Self {
            db,
            settings,
            cache,
            index,
            filed: std::cell::Cell::new(None),
            found: Default::default(),
            kf: None,
        }
    }

    /// The enterprises a speaker's place speaks for: a registered internal group's, or the
    /// customer group's a 客服 user came from.
    async fn place_enterprises(&self, speaker: &Speaker) -> ApiResult<Vec<i64>> {
        if let Some(kf) = &self.kf {
            return match kf.group_id {
                Some(g) => crate::service::customer_groups::enterprises_of(self.db, g).await,
                None => Ok(Vec::new()),
            };
        }
        Ok(match speaker.chat_id.as_deref() {
            Some(chat) => groups::by_chat(self.db, chat)
                .await?
                .map(|(_, e)| e)
                .unwrap_or_default(),
            None => Vec::new(),
        })
    }

    async fn hand_off_now(&self, speaker: &Speaker) -> ApiResult<HandOff> {
        let Some(kf) = &self.kf else {
            return Ok(HandOff::NotHere);
        };
        let owner = match kf.group_id {
            Some(g) => Some(crate::service::customer_groups::get(self.db, g).await?.owner_userid),
            None => None,
        };
        let (state, to) = match &owner {
            Some(o) => (3, Some(o.as_str())),
            None => (2, None),
        };
        match kf.wecom.kf_trans(kf.open_kfid, &speaker.user_id, state, to).await {
            Ok(()) => {}
            Err(crate::clients::wecom::WecomError::NotConfigured) => {
                tracing::info!(external_userid = %speaker.user_id, servicer = ?to, "development mode: would hand the 客服 conversation over");
            }
            Err(err) => return Err(ApiError::internal(err)),
        }
        Ok(if owner.is_some() {
            HandOff::Butler
        } else {
            HandOff::Queue
        })
    }

    async fn file_demand(&self, speaker: &Speaker, kind: FeedbackKind, text: &str) -> ApiResult<Filed> {
        let db = self.db;
        let user = bound_user(db, &speaker.user_id).await?;
        // A bound speaker files for their enterprise (the first they are a member of).
        let mut enterprise_id = None;
        if let Some(user_id) = user
            && let Some(roles) = people::active_roles(db, user_id).await?
        {
            enterprise_id = roles.iter().find_map(|r| r.enterprise_id);
        }
        // An unbound speaker in a registered group of one enterprise (or come from a customer
        // group of one) speaks for it.
        if user.is_none()
            && let [only] = self.place_enterprises(speaker).await?.as_slice()
        {
            enterprise_id = Some(*only);
        }
        let butler_id = match enterprise_id {
            Some(id) => enterprises::get(db, id).await?.butler_user_id,
            None => None,
        };
        let ctx = Context::load(db, self.settings).await?;
        let chat = speaker.chat_id.as_deref().unwrap_or("single");
        let new = NewDemand {
            kind: match kind {
                FeedbackKind::Demand => Kind::Demand,
                FeedbackKind::Complaint => Kind::Problem,
            },
            // Staff reclassify when they accept it.
            environment: Environment::Service,
            channel: Channel::Bot,
            title: clip(text, 30),
            content: text.to_owned(),
            anonymous: false,
            enterprise_id,
            butler_id,
            submitter_id: user,
            caller_phone: None,
            // Unbound speakers: the demand is the group's, and says who spoke in WeCom.
            origin: Some(if self.kf.is_some() {
                (Origin::Kf, speaker.user_id.clone())
            } else if user.is_some() {
                (Origin::WecomChat, chat.to_owned())
            } else {
                (Origin::WecomUnbound, format!("{chat}/{}", speaker.user_id))
            }),
            files: Default::default(),
            content_check: ContentCheck::Unchecked,
            request_key: None,
        };
        let d = demands::create(
            db,
            &ctx,
            Actor {
                id: user,
                role: None,
                unit_id: None,
            },
            new,
        )
        .await?;
        self.filed.set(Some(d.id));
        Ok(Filed {
            number: d.number,
            bound: user.is_some(),
        })
    }

    async fn find_progress(&self, speaker: &Speaker, number: &str) -> ApiResult<Progress> {
        let db = self.db;
        let Some(user_id) = bound_user(db, &speaker.user_id).await? else {
            return Ok(Progress::NotVisible);
        };
        let Some(d) = demand::Entity::find()
            .filter(demand::Column::Number.eq(number))
            .one(db)
            .await?
        else {
            return Ok(Progress::NotVisible);
        };
        let auth = Principal {
            id: user_id,
            roles: people::active_roles(db, user_id).await?.unwrap_or_default(),
        };
        let follower = demands::is_follower(db, d.id, user_id).await?;
        if !demands::can_read(&auth, &d, follower) {
            return Ok(Progress::NotVisible);
        }
        Ok(Progress::Found {
            status: d.status.label().to_owned(),
            updated: local_time(d.updated_at).format("%m-%d %H:%M").to_string(),
            title: d.title,
        })
    }

    /// The best three policies for a question; in a registered group, those that fit one of
    /// its enterprises come first (among the ten best by text).
    async fn find_policies(&self, speaker: &Speaker, question: &str) -> ApiResult<Vec<PolicyHit>> {
        let db = self.db;
        let filter = SearchFilter {
            statuses: vec![entity::codes::PolicyStatus::Published.code().to_owned()],
            ..SearchFilter::default()
        };
        policies::sync_index(db, self.index).await?;
        let hits = self.index.search(question, &filter, 10).map_err(ApiError::internal)?;
        let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
        let found = policies::by_ids(db, &ids).await?;
        let mut ranked: Vec<&entity::policy::Model> =
            ids.iter().filter_map(|id| found.iter().find(|p| p.id == *id)).collect();
        let linked = self.place_enterprises(speaker).await?;
        if !linked.is_empty() {
            let today = crate::types::today();
            let profiles: Vec<EnterpriseProfile> = enterprise::Entity::find()
                .filter(enterprise::Column::Id.is_in(linked))
                .all(db)
                .await?
                .iter()
                .map(EnterpriseProfile::from)
                .collect();
            // Stable: within each part the text ranking stands.
            ranked.sort_by_key(|p| {
                let c = policies::conditions(p);
                !profiles.iter().any(|e| admits(&c, &e.profile(), today))
            });
        }
        *self.found.borrow_mut() = ranked.iter().take(3).map(|p| (p.id, p.title.clone())).collect();
        Ok(ranked
            .into_iter()
            .take(3)
            .map(|p| PolicyHit {
                title: p.title.clone(),
                summary: format!("{}：{}", p.for_whom, p.benefits),
                page: format!("subpackages/policy/detail/index?id={}", p.id),
            })
            .collect())
    }
}

fn logged<T>(what: &str, r: ApiResult<T>) -> Result<T, ()> {
    r.map_err(|err| tracing::error!(error = ?err, what, "bot backend failed"))
}

impl Backend for ApiBackend<'_> {
    async fn policies(&self, speaker: &Speaker, question: &str) -> Result<Vec<PolicyHit>, ()> {
        logged("policies", self.find_policies(speaker, question).await)
    }

    async fn file(&self, speaker: &Speaker, kind: FeedbackKind, text: &str) -> Result<Filed, ()> {
        logged("file", self.file_demand(speaker, kind, text).await)
    }

    async fn progress(&self, speaker: &Speaker, number: &str) -> Result<Progress, ()> {
        logged("progress", self.find_progress(speaker, number).await)
    }

    async fn bind_code(&self, speaker: &Speaker) -> Result<String, ()> {
        logged("bind_code", issue_bind_code(self.cache, &speaker.user_id).await)
    }

    async fn hand_off(&self, speaker: &Speaker) -> Result<HandOff, ()> {
        logged("hand_off", self.hand_off_now(speaker).await)
    }
}
