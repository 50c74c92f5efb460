//! Tencent Cloud SMS (`SendSms`, API version 2021-01-11): one text message to one number with
//! an approved template, the request signed with TC3-HMAC-SHA256 (Tencent Cloud's "signature
//! v3"; the signing is checked against the documented example in the tests below). Numbers never
//! reach a log: errors carry the provider's code and a message with digit runs masked.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use crate::settings::SmsSettings;

const SERVICE: &str = "sms";
const VERSION: &str = "2021-01-11";
const CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// Why a message did not go.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmsError {
    #[error("短信未配置")]
    NotConfigured,
    /// It did not reach the provider, or the provider asks to try later.
    #[error("{0}")]
    Transient(String),
    /// It may or may not have gone (the answer did not come back in time).
    #[error("{0}")]
    Uncertain(String),
    /// The provider refused it for good (a bad number, a template not approved, the key).
    #[error("{0}")]
    Refused(String),
}

/// Masks every run of five digits or more, so no phone number lands in a log or an error
/// column, whatever the provider's message repeats.
pub fn mask_digits(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() >= 5 {
            out.push_str("***");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// A mainland number in E.164 (`+8613800000000`); other forms as given.
pub fn e164(phone: &str) -> String {
    let digits: String = phone.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if digits.starts_with('+') {
        digits
    } else if digits.len() == 11 && digits.starts_with('1') {
        format!("+86{digits}")
    } else if digits.len() == 13 && digits.starts_with("86") {
        format!("+{digits}")
    } else {
        digits
    }
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    // HMAC takes a key of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The `Authorization` header of a POST of `payload` (JSON) to `host` for `service`, signed at
/// `timestamp` with TC3-HMAC-SHA256 over the headers `content-type` and `host`.
pub fn tc3_authorization(
    secret_id: &str,
    secret_key: &str,
    service: &str,
    host: &str,
    timestamp: i64,
    payload: &str,
) -> String {
    let date = DateTime::<Utc>::from_timestamp(timestamp, 0)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string();
    let canonical = format!(
        "POST\n/\n\ncontent-type:{CONTENT_TYPE}\nhost:{host}\n\ncontent-type;host\n{}",
        sha256_hex(payload.as_bytes())
    );
    let scope = format!("{date}/{service}/tc3_request");
    let to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}",
        sha256_hex(canonical.as_bytes())
    );
    let secret_date = hmac(format!("TC3{secret_key}").as_bytes(), &date);
    let secret_service = hmac(&secret_date, service);
    let secret_signing = hmac(&secret_service, "tc3_request");
    let signature = hex::encode(hmac(&secret_signing, &to_sign));
    format!("TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders=content-type;host, Signature={signature}")
}

/// Whether the provider's error code asks to try again later.
fn transient_code(code: &str) -> bool {
    code.starts_with("InternalError")
        || code.starts_with("RequestLimitExceeded")
        || code == "LimitExceeded.PhoneNumberThirtySecondLimit"
        || code == "LimitExceeded.PhoneNumberOneHourLimit"
}

fn classify(code: &str, message: &str) -> SmsError {
    let text = format!("{code}: {}", mask_digits(message));
    if transient_code(code) {
        SmsError::Transient(text)
    } else {
        SmsError::Refused(text)
    }
}

#[derive(Clone)]
pub struct SmsClient {
    http: reqwest::Client,
    endpoint: String,
    region: String,
    secret_id: Option<String>,
    secret_key: Option<SecretString>,
    sdk_app_id: Option<String>,
    sign_name: Option<String>,
}

impl SmsClient {
    pub fn new(settings: &SmsSettings) -> Result<Self, reqwest::Error> {
        let http = super::http(settings.timeout_ms)?;
        Ok(Self {
            http,
            endpoint: settings.endpoint.trim_end_matches('/').to_owned(),
            region: settings.region.clone(),
            secret_id: settings.secret_id.clone().filter(|s| !s.is_empty()),
            secret_key: settings.secret_key.clone(),
            sdk_app_id: settings.sdk_app_id.clone(),
            sign_name: settings.sign_name.clone(),
        })
    }

    pub fn is_configured(&self) -> bool {
        self.secret_id.is_some() && self.secret_key.is_some() && self.sdk_app_id.is_some() && self.sign_name.is_some()
    }

    /// Sends template `template_id` with `params` to `phone`; `context` comes back in the
    /// provider's records (the outbox row's id).
    pub async fn send(&self, phone: &str, template_id: &str, params: &[String], context: &str) -> Result<(), SmsError> {
        let (Some(id), Some(key), Some(app), Some(sign)) =
            (&self.secret_id, &self.secret_key, &self.sdk_app_id, &self.sign_name)
        else {
            return Err(SmsError::NotConfigured);
        };
        let payload = serde_json::json!({
            "PhoneNumberSet": [e164(phone)],
            "SmsSdkAppId": app,
            "SignName": sign,
            "TemplateId": template_id,
            "TemplateParamSet": params,
            "SessionContext": context,
        })
        .to_string();
        let host = self
            .endpoint
            .split("://")
            .nth(1)
            .unwrap_or(&self.endpoint)
            .split('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let timestamp = Utc::now().timestamp();
        let authorization = tc3_authorization(id, key.expose_secret(), SERVICE, &host, timestamp, &payload);
        let sent = self
            .http
            .post(format!("{}/", self.endpoint))
            .header("Authorization", authorization)
            .header("Content-Type", CONTENT_TYPE)
            .header("Host", &host)
            .header("X-TC-Action", "SendSms")
            .header("X-TC-Version", VERSION)
            .header("X-TC-Timestamp", timestamp.to_string())
            .header("X-TC-Region", &self.region)
            .body(payload)
            .send()
            .await;
        let res = match sent {
            Ok(res) => res,
            // Sent, but no answer in time: the message may have gone.
            Err(err) if err.is_timeout() => return Err(SmsError::Uncertain("短信服务未在时限内应答".into())),
            Err(err) => {
                return Err(SmsError::Transient(format!(
                    "短信服务不可达：{}",
                    mask_digits(&err.to_string())
                )));
            }
        };
        let status = res.status();
        if status.is_server_error() {
            return Err(SmsError::Transient(format!("短信服务返回 HTTP {status}")));
        }
        let body: serde_json::Value = match res.json().await {
            Ok(v) => v,
            Err(err) if err.is_timeout() => return Err(SmsError::Uncertain("短信服务未在时限内应答".into())),
            Err(_) => return Err(SmsError::Uncertain(format!("短信服务的应答无法读取（HTTP {status}）"))),
        };
        let response = &body["Response"];
        if let Some(code) = response["Error"]["Code"].as_str() {
            return Err(classify(
                code,
                response["Error"]["Message"].as_str().unwrap_or_default(),
            ));
        }
        let one = &response["SendStatusSet"][0];
        match one["Code"].as_str() {
            Some("Ok") => Ok(()),
            Some(code) => Err(classify(code, one["Message"].as_str().unwrap_or_default())),
            None => Err(SmsError::Uncertain(format!(
                "短信服务的应答没有发送结果（HTTP {status}）"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tencent Cloud's documented example of signature v3 (a CVM `DescribeInstances` request
    /// at 1551113065 with the documentation's key).
    #[test]
    fn the_signature_matches_tencent_clouds_documented_example() {
        let payload = r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
        let authorization = tc3_authorization(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******",
            "Gu5t9xGARNpq86cd98joQYCN3*******",
            "cvm",
            "cvm.tencentcloudapi.com",
            1_551_113_065,
            payload,
        );
        assert_eq!(
            authorization,
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, \
             SignedHeaders=content-type;host, \
             Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
        );
        // The payload's hash of the example, as documented.
        assert_eq!(
            sha256_hex(payload.as_bytes()),
            "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
    }

    #[test]
    fn numbers_are_masked_and_written_in_e164() {
        assert_eq!(
            mask_digits("InvalidParameterValue: +8613800138000 is invalid, code 1014"),
            "InvalidParameterValue: +*** is invalid, code 1014"
        );
        assert_eq!(e164("138 0013 8000"), "+8613800138000");
        assert_eq!(e164("8613800138000"), "+8613800138000");
        assert_eq!(e164("+85291234567"), "+85291234567");
    }

    #[test]
    fn provider_codes_are_sorted_into_retry_and_give_up() {
        assert!(matches!(classify("InternalError.Timeout", ""), SmsError::Transient(_)));
        assert!(matches!(
            classify("LimitExceeded.PhoneNumberThirtySecondLimit", ""),
            SmsError::Transient(_)
        ));
        assert!(matches!(
            classify("FailedOperation.TemplateUnapprovedOrNotExist", ""),
            SmsError::Refused(_)
        ));
        assert!(matches!(
            classify("InvalidParameterValue.IncorrectPhoneNumber", "13800138000"),
            SmsError::Refused(m) if !m.contains("13800138000")
        ));
    }
}
