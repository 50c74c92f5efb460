//! The rules of reaching customer groups (客户群): WeCom's monthly mass-send quota, what one
//! day's digest for a group carries (urgent first, at most one card per attachment) and why the
//! rest waits; the JS-SDK signature of the butler's sidebar; and the mini-program's group ticket
//! (`wx.getGroupEnterInfo`), opened with the person's session key.
use aes::Aes128;
use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockModeDecrypt, KeyIvInit};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{Datelike, NaiveDate};
use sha1::{Digest, Sha1};

/// The quota's month of a day: `YYYY-MM`.
pub fn month_of(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// Days in the month of `day`.
pub fn days_in_month(day: NaiveDate) -> u32 {
    let first = day.with_day(1).unwrap_or(day);
    let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
    u32::try_from((next - first).num_days()).unwrap_or(31)
}

/// Mass-sends a group may receive in the month of `day`: WeCom's rule (as many as the month
/// has days) unless the deployment sets fewer.
pub fn monthly_quota(day: NaiveDate, configured: Option<u32>) -> u32 {
    let rule = days_in_month(day);
    configured.map_or(rule, |c| c.min(rule))
}

/// A policy waiting for a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub policy_id: i64,
    /// The application deadline: the sooner, the more urgent.
    pub apply_by: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
}

/// What today's digest does for one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// These policies go, in this order.
    Send(Vec<i64>, Waits),
    /// Nothing goes today; every pending policy waits for this reason.
    Hold(String),
}

/// The policies left for later and why (what people read).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Waits {
    pub policy_ids: Vec<i64>,
    pub reason: Option<String>,
}

/// Urgent first: an application deadline soonest (those without one last), then the earliest
/// published, then the id.
pub fn by_urgency(pending: &mut [Pending]) {
    pending.sort_by_key(|p| (p.apply_by.is_none(), p.apply_by, p.published_on, p.policy_id));
}

/// Today's digest for a group that has received `used` mass-sends this month and `sent_today`
/// whether it already had one today.
pub fn plan(
    mut pending: Vec<Pending>,
    day: NaiveDate,
    used: u32,
    quota: u32,
    sent_today: bool,
    max_cards: u32,
) -> Plan {
    if sent_today {
        return Plan::Hold("今天已推送过一次，明天继续".to_owned());
    }
    if used >= quota {
        return Plan::Hold(format!("本月群发次数已用完（{used}/{quota}），下月继续"));
    }
    by_urgency(&mut pending);
    let max = usize::try_from(max_cards.max(1)).unwrap_or(9);
    let later: Vec<i64> = pending.iter().skip(max).map(|p| p.policy_id).collect();
    let now: Vec<i64> = pending.iter().take(max).map(|p| p.policy_id).collect();
    let reason = (!later.is_empty()).then(|| {
        format!(
            "今天的推送已满 {max} 条，{} 起顺延",
            day.succ_opt().unwrap_or(day).format("%m-%d")
        )
    });
    Plan::Send(
        now,
        Waits {
            policy_ids: later,
            reason,
        },
    )
}

/// The `wx.agentConfig` / `wx.config` signature: SHA-1 over
/// `jsapi_ticket=…&noncestr=…&timestamp=…&url=…` (the URL without its `#` part).
pub fn js_signature(ticket: &str, nonce: &str, timestamp: i64, url: &str) -> String {
    let url = url.split('#').next().unwrap_or(url);
    let plain = format!("jsapi_ticket={ticket}&noncestr={nonce}&timestamp={timestamp}&url={url}");
    hex::encode(Sha1::digest(plain.as_bytes()))
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GroupTicketError {
    #[error("not base64 or wrong length")]
    Encoding,
    #[error("does not decrypt with this session key")]
    Decrypt,
    #[error("issued to another mini-program")]
    Watermark,
    #[error("no opengid in it")]
    NoGroup,
}

/// Opens `wx.getGroupEnterInfo`'s data (AES-128-CBC, the session key as key, PKCS#7) and
/// returns the group's `opengid` when the data was issued to `app_id`.
pub fn open_group_ticket(
    session_key: &str,
    encrypted: &str,
    iv: &str,
    app_id: &str,
) -> Result<String, GroupTicketError> {
    let key: [u8; 16] = STANDARD
        .decode(session_key)
        .ok()
        .and_then(|k| k.try_into().ok())
        .ok_or(GroupTicketError::Encoding)?;
    let iv: [u8; 16] = STANDARD
        .decode(iv)
        .ok()
        .and_then(|k| k.try_into().ok())
        .ok_or(GroupTicketError::Encoding)?;
    let mut buf = STANDARD.decode(encrypted).map_err(|_| GroupTicketError::Encoding)?;
    let plain = cbc::Decryptor::<Aes128>::new(&key.into(), &iv.into())
        .decrypt_padded::<Pkcs7>(&mut buf)
        .map_err(|_| GroupTicketError::Decrypt)?;
    let value: serde_json::Value = serde_json::from_slice(plain).map_err(|_| GroupTicketError::Decrypt)?;
    let issued_to = value.pointer("/watermark/appid").and_then(|v| v.as_str());
    if issued_to != Some(app_id) {
        return Err(GroupTicketError::Watermark);
    }
    value
        .get("opengid")
        .and_then(|v| v.as_str())
        .filter(|g| !g.is_empty())
        .map(str::to_owned)
        .ok_or(GroupTicketError::NoGroup)
}

/// The 客服 link's scene for a group (`kf/add_contact_way`), and back.
pub fn kf_scene(group_id: i64) -> String {
    format!("g{group_id}")
}

pub fn group_of_scene(scene: &str) -> Option<i64> {
    scene.strip_prefix('g')?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes::cipher::BlockModeEncrypt;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_quota_is_the_months_days_unless_set_lower() {
        assert_eq!(monthly_quota(d("2026-02-10"), None), 28);
        assert_eq!(monthly_quota(d("2028-02-10"), None), 29);
        assert_eq!(monthly_quota(d("2026-12-31"), None), 31);
        assert_eq!(monthly_quota(d("2026-11-01"), Some(4)), 4);
        assert_eq!(
            monthly_quota(d("2026-11-01"), Some(100)),
            30,
            "never above WeCom's rule"
        );
        assert_eq!(month_of(d("2026-12-04")), "2026-12");
    }

    fn p(id: i64, apply_by: Option<&str>) -> Pending {
        Pending {
            policy_id: id,
            apply_by: apply_by.map(d),
            published_on: Some(d("2026-11-01")),
        }
    }

    #[test]
    fn a_digest_takes_the_most_urgent_and_says_why_the_rest_waits() {
        let pending = vec![
            p(1, None),
            p(2, Some("2026-12-20")),
            p(3, Some("2026-12-08")),
            p(4, None),
        ];
        let Plan::Send(now, waits) = plan(pending, d("2026-12-04"), 3, 31, false, 2) else {
            panic!("it sends");
        };
        assert_eq!(now, vec![3, 2]);
        assert_eq!(waits.policy_ids, vec![1, 4]);
        assert_eq!(waits.reason.as_deref(), Some("今天的推送已满 2 条，12-05 起顺延"));
        let Plan::Send(all, none) = plan(vec![p(7, None)], d("2026-12-04"), 0, 31, false, 9) else {
            panic!("it sends");
        };
        assert_eq!((all, none), (vec![7], Waits::default()));
    }

    #[test]
    fn a_group_over_its_quota_or_served_today_holds_everything() {
        assert_eq!(
            plan(vec![p(1, None)], d("2026-12-04"), 31, 31, false, 9),
            Plan::Hold("本月群发次数已用完（31/31），下月继续".into())
        );
        assert_eq!(
            plan(vec![p(1, None)], d("2026-12-04"), 1, 31, true, 9),
            Plan::Hold("今天已推送过一次，明天继续".into())
        );
    }

    #[test]
    fn the_js_signature_matches_the_documented_example() {
        // WeCom's JS-SDK signature example (developer.work.weixin.qq.com /document/path/90506).
        let ticket = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg";
        assert_eq!(
            js_signature(
                ticket,
                "Wm3WZYTPz0wzccnW",
                1_414_587_457,
                "http://mp.weixin.qq.com?params=value"
            ),
            "0f9de62fce790f9a083d5c99e95740ceb90c27ed"
        );
        assert_eq!(
            js_signature(
                ticket,
                "Wm3WZYTPz0wzccnW",
                1_414_587_457,
                "http://mp.weixin.qq.com?params=value#frag"
            ),
            "0f9de62fce790f9a083d5c99e95740ceb90c27ed",
            "the fragment is not signed"
        );
    }

    /// Seals like WeChat does (for tests): AES-128-CBC with PKCS#7.
    pub fn seal(session_key: &[u8; 16], iv: &[u8; 16], plain: &str) -> String {
        let mut buf = plain.as_bytes().to_vec();
        let len = buf.len();
        buf.resize(len + 16, 0);
        let out = cbc::Encryptor::<Aes128>::new(&(*session_key).into(), &(*iv).into())
            .encrypt_padded::<Pkcs7>(&mut buf, len)
            .unwrap();
        STANDARD.encode(out)
    }

    #[test]
    fn a_group_ticket_opens_with_its_session_key_only() {
        let key = [7u8; 16];
        let iv = [9u8; 16];
        let data = seal(
            &key,
            &iv,
            r#"{"opengid":"tG-abc","watermark":{"appid":"wxapp","timestamp":1}}"#,
        );
        let (k, i) = (STANDARD.encode(key), STANDARD.encode(iv));
        assert_eq!(open_group_ticket(&k, &data, &i, "wxapp"), Ok("tG-abc".into()));
        assert_eq!(
            open_group_ticket(&k, &data, &i, "other"),
            Err(GroupTicketError::Watermark)
        );
        let wrong = STANDARD.encode([8u8; 16]);
        assert!(open_group_ticket(&wrong, &data, &i, "wxapp").is_err());
        assert_eq!(
            open_group_ticket("short", &data, &i, "wxapp"),
            Err(GroupTicketError::Encoding)
        );
        let none = seal(&key, &iv, r#"{"watermark":{"appid":"wxapp"}}"#);
        assert_eq!(
            open_group_ticket(&k, &none, &i, "wxapp"),
            Err(GroupTicketError::NoGroup)
        );
    }

    #[test]
    fn scenes_name_groups() {
        assert_eq!(group_of_scene(&kf_scene(42)), Some(42));
        assert_eq!(group_of_scene("x1"), None);
    }
}
