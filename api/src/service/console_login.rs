//! Signing in to the console by scanning (扫码登录): the console asks for a ticket, a staff member
//! scans its code with the mini-program and confirms, and the console, which alone knows the
//! ticket's secret, takes the session. A ticket lives two minutes, is confirmed once and gives
//! one session. Tickets live in the cache (shared by replicas through Redis), read back for
//! ten minutes so that a late answer says "expired" rather than "unknown".
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use rand::{Rng, RngCore};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::cache::Cache;
use crate::domain::access::{CONSOLE, Principal};
use crate::error::{ApiError, ApiResult};

/// How long a ticket may be confirmed and taken.
pub const TICKET_LIFE: Duration = Duration::from_secs(120);
/// How long a ticket is remembered (to answer `ticket_expired`, not `ticket_not_found`).
const REMEMBERED: Duration = Duration::from_secs(600);
/// Where a ticket's code leads in the mini-program.
pub const CONFIRM_PAGE: &str = "subpackages/console-login/index";

/// Where a ticket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Waiting,
    Confirmed,
    /// Its session was taken.
    Used,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    secret_hash: String,
    browser: String,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    stage: Stage,
    user_id: Option<i64>,
}

fn key(ticket: &str) -> String {
    format!("console-ticket:{ticket}")
}

fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn not_found() -> ApiError {
    ApiError::not_found("ticket_not_found", "登录二维码不存在，请在电脑上刷新二维码")
}

fn expired() -> ApiError {
    ApiError::Gone {
        code: "ticket_expired",
        message: "登录二维码已过期，请在电脑上刷新二维码".into(),
    }
}

/// A new ticket: what the QR names, and the secret only the console knows.
pub struct NewTicket {
    pub ticket: String,
    pub secret: String,
    pub expires_at: DateTime<Utc>,
}

/// 16 characters of RFC 4648 base32 (`[A-Z2-7]`): short enough for a mini-program code's
/// 32-character scene, 80 bits that nobody guesses in two minutes.
fn new_ticket() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// Whether `ticket` has a ticket's shape (anything else is not looked up).
pub fn is_ticket(ticket: &str) -> bool {
    ticket.len() == 16
        && ticket
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
}

pub async fn create(cache: &Cache, browser: String) -> ApiResult<NewTicket> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let now = Utc::now();
    let expires_at = now + chrono::Duration::from_std(TICKET_LIFE).unwrap_or_default();
    let stored = Stored {
        secret_hash: hash(&secret),
        browser,
        created_at: now,
        expires_at,
        stage: Stage::Waiting,
        user_id: None,
    };
    let value = serde_json::to_string(&stored).map_err(ApiError::internal)?;
    for _ in 0..5 {
        let ticket = new_ticket();
        if cache.set_nx(&key(&ticket), &value, REMEMBERED).await? {
            return Ok(NewTicket {
                ticket,
                secret,
                expires_at,
            });
        }
    }
    Err(ApiError::internal(anyhow::anyhow!("five ticket collisions in a row")))
}

/// A ticket as it is now, with the text it is stored as (for a change only if it is unchanged).
async fn load(cache: &Cache, ticket: &str) -> ApiResult<(Stored, String)> {
    if !is_ticket(ticket) {
        return Err(not_found());
    }
    let text = cache.get(&key(ticket)).await?.ok_or_else(not_found)?;
    let stored: Stored = serde_json::from_str(&text).map_err(ApiError::internal)?;
    Ok((stored, text))
}

/// Replaces the ticket only if nobody changed it since it was read: false when someone did.
async fn replace(cache: &Cache, ticket: &str, seen: &str, next: &Stored) -> ApiResult<bool> {
    if !cache.delete_if(&key(ticket), seen).await? {
        return Ok(false);
    }
    let value = serde_json::to_string(next).map_err(ApiError::internal)?;
    Ok(cache.set_nx(&key(ticket), &value, REMEMBERED).await?)
}

/// Where a ticket stands for the person scanning it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewStatus {
    Waiting,
    Confirmed,
    Expired,
}

/// A ticket as the person scanning it sees it.
pub struct TicketView {
    pub status: ViewStatus,
    pub browser: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub async fn view(cache: &Cache, ticket: &str) -> ApiResult<TicketView> {
    let (t, _) = load(cache, ticket).await?;
    let status = match t.stage {
        Stage::Waiting if t.expires_at <= Utc::now() => ViewStatus::Expired,
        Stage::Waiting => ViewStatus::Waiting,
        Stage::Confirmed | Stage::Used => ViewStatus::Confirmed,
    };
    Ok(TicketView {
        status,
        browser: t.browser,
        created_at: t.created_at,
        expires_at: t.expires_at,
    })
}

/// Whether a person may sign in to the console: a desk role (butler, handler, admin) or
/// discipline staff.
pub fn may_use_console(who: &Principal) -> bool {
    who.can(CONSOLE, &Default::default())
}

pub fn not_staff() -> ApiError {
    ApiError::Forbidden {
        code: "not_staff",
        message: "只有管家、单位经办人、管理员和纪检监察人员可以登录管理端".into(),
    }
}

/// `who` confirms the ticket: the console that shows it gets `who`'s session.
pub async fn confirm(cache: &Cache, ticket: &str, who: &Principal) -> ApiResult<()> {
    if !may_use_console(who) {
        return Err(not_staff());
    }
    let (t, seen) = load(cache, ticket).await?;
    if t.stage != Stage::Waiting {
        return Err(ApiError::conflict("ticket_confirmed", "该二维码已确认登录"));
    }
    if t.expires_at <= Utc::now() {
        return Err(expired());
    }
    let next = Stored {
        stage: Stage::Confirmed,
        user_id: Some(who.id),
        ..t
    };
    if !replace(cache, ticket, &seen, &next).await? {
        return Err(ApiError::conflict("ticket_confirmed", "该二维码已确认登录"));
    }
    Ok(())
}

/// What the console learns when it asks for the session.
pub enum Taken {
    /// Nobody confirmed yet.
    Waiting,
    /// Confirmed by this person: the session is theirs, once.
    SignedIn(i64),
}

/// The console asks for the session with its secret; while the ticket waits, the answer
/// waits too, up to `wait` (a long poll), checking every quarter second.
pub async fn take(cache: &Cache, ticket: &str, secret: &str, wait: Duration) -> ApiResult<Taken> {
    let until = tokio::time::Instant::now() + wait;
    loop {
        let (t, seen) = load(cache, ticket).await?;
        let right: bool = t.secret_hash.as_bytes().ct_eq(hash(secret).as_bytes()).into();
        if !right {
            return Err(ApiError::Forbidden {
                code: "ticket_secret_invalid",
                message: "登录凭证不匹配，请刷新二维码".into(),
            });
        }
        match (t.stage, t.user_id) {
            (Stage::Used, _) => return Err(ApiError::conflict("ticket_used", "该二维码已登录过，请刷新二维码")),
            (Stage::Confirmed, Some(user_id)) => {
                let next = Stored {
                    stage: Stage::Used,
                    ..t
                };
                if !replace(cache, ticket, &seen, &next).await? {
                    return Err(ApiError::conflict("ticket_used", "该二维码已登录过，请刷新二维码"));
                }
                return Ok(Taken::SignedIn(user_id));
            }
            _ if t.expires_at <= Utc::now() => return Err(expired()),
            _ if tokio::time::Instant::now() >= until => return Ok(Taken::Waiting),
            _ => tokio::time::sleep(Duration::from_millis(250)).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_are_sixteen_base32_characters() {
        for _ in 0..100 {
            assert!(is_ticket(&new_ticket()));
        }
        assert!(!is_ticket("ABCDEFGHIJKLMNO1"), "1 is not base32");
        assert!(!is_ticket("abcdefghijklmnop"));
        assert!(!is_ticket("ABCDEFGHIJKLMNOPQ"));
    }

    #[tokio::test]
    async fn an_expired_ticket_says_so_and_cannot_be_confirmed_or_taken() {
        let cache = Cache::memory("t:");
        let t = create(&cache, "Chrome 126 · Windows".into()).await.unwrap();
        // Two minutes and a second later.
        let (mut stored, _) = load(&cache, &t.ticket).await.unwrap();
        stored.expires_at = Utc::now() - chrono::Duration::seconds(1);
        cache
            .set(&key(&t.ticket), &serde_json::to_string(&stored).unwrap(), REMEMBERED)
            .await
            .unwrap();
        assert_eq!(view(&cache, &t.ticket).await.unwrap().status, ViewStatus::Expired);
        let butler = Principal {
            id: 7,
            roles: vec![crate::domain::access::ActiveRole {
                role: crate::domain::role::Role::Butler,
                enterprise_id: None,
                unit_id: None,
            }],
        };
        assert_eq!(
            confirm(&cache, &t.ticket, &butler).await.unwrap_err().code(),
            "ticket_expired"
        );
        let taken = take(&cache, &t.ticket, &t.secret, Duration::ZERO).await;
        assert_eq!(taken.err().map(|e| e.code()), Some("ticket_expired"));
        // Nobody but desk staff confirms, expired or not.
        let member = Principal {
            id: 8,
            roles: vec![crate::domain::access::ActiveRole {
                role: crate::domain::role::Role::Enterprise,
                enterprise_id: Some(1),
                unit_id: None,
            }],
        };
        assert_eq!(
            confirm(&cache, &t.ticket, &member).await.unwrap_err().code(),
            "not_staff"
        );
    }
}
