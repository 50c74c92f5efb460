//! Short-lived HS256 access tokens with `iss`, `aud`, `sub`, `exp` all checked.
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
}

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
        let data = decode::<Claims>(token, &self.decoding, &self.validation).map_err(|err| match err.kind() {
            ErrorKind::ExpiredSignature => ApiError::unauthorized("token_expired", "登录已过期，请重新登录"),
            _ => ApiError::unauthorized("token_invalid", "登录凭证无效，请重新登录"),
        })?;
        let user_id = data
            .claims
            .sub
            .parse::<i64>()
            .map_err(|_| ApiError::unauthorized("token_invalid", "登录凭证无效，请重新登录"))?;
        Ok(Verified {
            user_id,
            session: data.claims.sid,
        })
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
