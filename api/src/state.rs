//! What every handler can reach: the database, the cache, the WeChat client, the JWT keys.
use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::jwt::JwtKeys;
use crate::cache::Cache;
use crate::clients::sms::SmsClient;
use crate::clients::wechat::WechatClient;
use crate::clients::wecom::WecomClient;
use crate::search::PolicyIndex;
use crate::service::files::FileStore;
use crate::service::policies::RuleCache;
use crate::settings::Settings;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub cache: Cache,
    pub wechat: WechatClient,
    /// WeCom's server API (customer groups, mass-sends, 微信客服).
    pub wecom: WecomClient,
    /// Text messages (Tencent Cloud SMS).
    pub sms: SmsClient,
    pub jwt: JwtKeys,
    pub files: Arc<dyn FileStore>,
    /// This replica's policy search index (rebuilt at start, kept in step on every change).
    pub policies: Arc<PolicyIndex>,
    /// This replica's compiled copy of the published policies' conditions (checked against the
    /// table on every use).
    pub policy_rules: Arc<RuleCache>,
    /// Rate limits (shared through the cache, falling back to this process).
    pub limiter: Arc<crate::ratelimit::Limiter>,
    /// Each person's active roles, kept for a second (see `auth::roles`).
    pub roles: Arc<crate::auth::roles::RoleCache>,
    /// Enterprises as the policy feed reads them, kept for a second (see `copies`).
    pub enterprises: Arc<crate::copies::Copies<Arc<entity::enterprise::Model>>>,
    /// The working-day calendar, kept for a second (see `service::calendar::current`).
    pub calendar: Arc<crate::service::calendar::Copy>,
    /// Answers 503 at once while the database is unreachable (one probe at a time).
    pub breaker: Arc<crate::breaker::Breaker>,
    /// Answers to the reads asked most, kept while nothing is written (see `answers`).
    pub answers: Arc<crate::answers::Answers>,
    /// Job leases this replica holds (key → token), given back on a graceful stop.
    pub leases: Arc<std::sync::Mutex<std::collections::HashMap<String, String>>>,
}

impl AppState {
    /// The working-day calendar as it stands (this replica's copy).
    pub async fn calendar(&self) -> crate::error::ApiResult<Arc<crate::domain::calendar::WorkCalendar>> {
        crate::service::calendar::current(&self.calendar, &self.db).await
    }
}
