//! Short-lived HS256 access tokens with `iss`, `aud`, `sub`, `exp` all checked.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::settings::AuthSettings;

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// The person's id.
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    /// The sign-in (refresh-token family) the token belongs to: signing out ends it, and its
    /// access tokens are refused from then on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

/// A verified access token: whose, and of which sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub user_id: i64,
    pub session: Option<String>,
}

/// The token of an `Authorization: Bearer <token>` header (the scheme in any case).
pub fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl_secs: u64,
    verified: Arc<Mutex<HashMap<String, Known>>>,
}

/// A token this process verified in full, and when it expires. A person's token comes with
/// every request of the quarter hour it lives; checking its signature and claims each time cost
/// a twentieth of a whole demand list. A token is known by its exact text, so what is answered
/// for it is what the full check answered, until it expires.
#[derive(Clone)]
struct Known {
    verified: Verified,
    exp: i64,
}

/// Tokens known at most; past it the map starts afresh.
const KNOWN: usize = 10_000;

impl JwtKeys {
    pub fn new(settings: &AuthSettings) -> Self {
        let secret = settings.jwt_secret.expose_secret().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&settings.issuer]);
        validation.set_audience(&[&settings.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            ttl_secs: settings.access_ttl_secs,
            verified: Arc::default(),
        }
    }

    pub fn ttl_secs(&self) -> u64 {
        self.ttl_secs
    }

    /// An access token for `user_id` in the sign-in `session`.
    pub fn issue(&self, user_id: i64, session: &str) -> Result<String, ApiError> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: user_id.to_string(),
            iat: now,
            exp: now + i64::try_from(self.ttl_secs).unwrap_or(900),
            sid: Some(session.to_owned()),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(ApiError::internal)
    }

    /// The person and the sign-in of a valid token.
    pub fn verify(&self, token: &str) -> Result<Verified, ApiError> {
        self.verify_at(token, Utc::now().timestamp())
    }

    /// `verify` at `now` (seconds): a token verified before is answered from what its full
    /// check found, and refused once it has expired, with the leeway the full check allows.
    fn verify_at(&self, token: &str, now: i64) -> Result<Verified, ApiError> {
        let expired = || ApiError::unauthorized("token_expired", "登录已过期，请重新登录");
        let mut known = self.verified.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(k) = known.get(token) {
            if k.exp.saturating_add(i64::try_from(self.validation.leeway).unwrap_or(0)) < now {
                known.remove(token);
                return Err(expired());
            }
            return Ok(k.verified.clone());
        }
        drop(known);
        let data = decode::<Claims>(token, &self.decoding, &self.validation).map_err(|err| match err.kind() {
            ErrorKind::ExpiredSignature => expired(),
            _ => ApiError::unauthorized("token_invalid", "登录凭证无效，请重新登录"),
        })?;
        let user_id = data
            .claims
            .sub
            .parse::<i64>()
            .map_err(|_| ApiError::unauthorized("token_invalid", "登录凭证无效，请重新登录"))?;
        let verified = Verified {
            user_id,
            session: data.claims.sid,
        };
        let mut known = self.verified.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if known.len() >= KNOWN {
            known.clear();
        }
        known.insert(
            token.to_owned(),
            Known {
                verified: verified.clone(),
                exp: data.claims.exp,
            },
        );
        Ok(verified)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;
    use secrecy::SecretString;

    fn keys() -> JwtKeys {
        JwtKeys::new(&Settings::defaults().unwrap().auth)
    }

    #[test]
    fn a_token_round_trips() {
        let k = keys();
        let t = k.issue(7, "s1").unwrap();
        assert_eq!(
            k.verify(&t).unwrap(),
            Verified {
                user_id: 7,
                session: Some("s1".into())
            }
        );
    }

    #[test]
    fn a_token_from_another_key_or_audience_is_refused() {
        let mut other = Settings::defaults().unwrap().auth;
        other.jwt_secret = SecretString::from("another-secret-another-secret-123456");
        let foreign = JwtKeys::new(&other).issue(7, "s").unwrap();
        assert_eq!(keys().verify(&foreign).unwrap_err().code(), "token_invalid");

        let mut aud = Settings::defaults().unwrap().auth;
        aud.audience = "someone-else".into();
        let wrong_aud = JwtKeys::new(&aud).issue(7, "s").unwrap();
        assert_eq!(keys().verify(&wrong_aud).unwrap_err().code(), "token_invalid");
    }

    #[test]
    fn an_expired_token_is_refused_as_expired() {
        let k = keys();
        let now = Utc::now().timestamp();
        let claims = Claims {
            iss: "qinqing".into(),
            aud: "qinqing-miniprogram".into(),
            sub: "7".into(),
            iat: now - 3600,
            exp: now - 60,
            sid: None,
        };
        let t = encode(&Header::new(Algorithm::HS256), &claims, &k.encoding).unwrap();
        assert_eq!(k.verify(&t).unwrap_err().code(), "token_expired");
    }

    #[test]
    fn a_verified_token_is_known_until_it_expires() {
        let k = keys();
        let t = k.issue(7, "s1").unwrap();
        assert_eq!(k.verify(&t).unwrap().user_id, 7);
        let exp = k.verified.lock().unwrap()[&t].exp;
        assert!(exp > Utc::now().timestamp(), "the token is known with its expiry");
        // Known, it is answered until its expiry and the leeway have passed, then refused.
        assert_eq!(k.verify_at(&t, exp + 5).unwrap().user_id, 7);
        assert_eq!(k.verify_at(&t, exp + 7).unwrap_err().code(), "token_expired");
        assert!(k.verified.lock().unwrap().is_empty(), "an expired token is forgotten");
        // Another text, even one signature character off, is checked in full and refused.
        let at = t.len() - 10;
        let other = if &t[at..=at] == "A" { "B" } else { "A" };
        let forged = format!("{}{other}{}", &t[..at], &t[at + 1..]);
        assert_eq!(k.verify(&forged).unwrap_err().code(), "token_invalid");
        assert!(k.verified.lock().unwrap().is_empty(), "a refused token is not kept");
    }

    #[test]
    fn the_bearer_scheme_is_read_in_any_case() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer  abc "), Some("abc"));
        assert_eq!(bearer("BEARER abc"), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer "), None);
        assert_eq!(bearer("Bearerabc"), None);
    }

    #[test]
    fn the_none_algorithm_is_refused() {
        // header {"alg":"none","typ":"JWT"}, no signature.
        let t = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpc3MiOiJxaW5xaW5nIiwiYXVkIjoicWlucWluZy1taW5pcHJvZ3JhbSIsInN1YiI6IjEiLCJpYXQiOjAsImV4cCI6OTk5OTk5OTk5OX0.";
        assert!(keys().verify(t).is_err());
    }
}
