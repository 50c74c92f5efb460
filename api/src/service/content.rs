//! The check of text others will read (docs/design.md section 8), one policy for every place that
//! takes such text: where WeChat is configured its `msg_sec_check` judges it. Risky text is
//! refused (422 `content_risky`); text WeChat wants a person to look at is kept, marked
//! `review`; when WeChat cannot be reached nothing is lost: the text is kept, marked
//! `unchecked`. Text the system writes itself (a finding, an answer) is `system`.
use sea_orm::ConnectionTrait;

use crate::clients::wechat::{ContentVerdict, WechatClient};
use crate::domain::demand::ContentCheck;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::service::people;

/// Judges `text` written by `user_id`; `field` names it in a refusal.
pub async fn check(
    db: &impl ConnectionTrait,
    wechat: &WechatClient,
    user_id: i64,
    field: &str,
    text: &str,
) -> ApiResult<ContentCheck> {
    if !wechat.is_configured() {
        return Ok(ContentCheck::Unchecked);
    }
    let openid = people::get(db, user_id).await?.openid;
    match wechat.check_text(&openid, 2, text).await {
        Ok(ContentVerdict::Pass) => Ok(ContentCheck::Pass),
        Ok(ContentVerdict::Review) => Ok(ContentCheck::Review),
        Ok(ContentVerdict::Risky { label }) => {
            tracing::info!(user_id, label, "content refused by WeChat's check");
            Err(ApiError::Validation {
                code: "content_risky",
                message: "内容未通过安全检测，请修改后再提交".into(),
                fields: vec![FieldError::new(field, "content_risky", "内容含有不当信息")],
            })
        }
        Err(err) => {
            tracing::warn!(error = %err, "content check unavailable; the text is kept unchecked");
            Ok(ContentCheck::Unchecked)
        }
    }
}
