//! The envelopes around the ciphertext, and the messages inside them: XML for a self-built
//! app, JSON for the intelligent robot (智能机器人). Parsing never panics; what is not a message
//! we understand is an [`EnvelopeError`].
use serde::{Deserialize, Serialize};

use crate::crypto::Crypto;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("the body is not the expected XML or JSON envelope")]
    Malformed,
    #[error("the envelope carries no ciphertext")]
    NoCiphertext,
}

#[derive(Deserialize)]
struct XmlEnvelope {
    #[serde(rename = "Encrypt")]
    encrypt: Option<String>,
}

/// The ciphertext of an app's XML callback body.
pub fn xml_ciphertext(body: &str) -> Result<String, EnvelopeError> {
    let env: XmlEnvelope = quick_xml::de::from_str(body).map_err(|_| EnvelopeError::Malformed)?;
    env.encrypt
        .map(|e| e.trim().to_owned())
        .filter(|e| !e.is_empty())
        .ok_or(EnvelopeError::NoCiphertext)
}

#[derive(Deserialize)]
struct JsonEnvelope {
    encrypt: Option<String>,
    #[serde(rename = "Encrypt")]
    encrypt_upper: Option<String>,
}

/// The ciphertext of a JSON callback body (`encrypt`, or `Encrypt` as some samples write it).
pub fn json_ciphertext(body: &str) -> Result<String, EnvelopeError> {
    let env: JsonEnvelope = serde_json::from_str(body).map_err(|_| EnvelopeError::Malformed)?;
    env.encrypt
        .or(env.encrypt_upper)
        .filter(|e| !e.is_empty())
        .ok_or(EnvelopeError::NoCiphertext)
}

/// A message a person sent to a self-built app (decrypted XML).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AppMessage {
    #[serde(rename = "ToUserName")]
    pub to_user: String,
    /// Absent from some events (`kf_msg_or_event`).
    #[serde(rename = "FromUserName", default)]
    pub from_user: String,
    #[serde(rename = "CreateTime")]
    pub create_time: i64,
    #[serde(rename = "MsgType")]
    pub msg_type: String,
    #[serde(rename = "Content", default)]
    pub content: Option<String>,
    #[serde(rename = "MsgId", default)]
    pub msg_id: Option<String>,
    #[serde(rename = "Event", default)]
    pub event: Option<String>,
    /// `change_external_chat`: the customer group.
    #[serde(rename = "ChatId", default)]
    pub chat_id: Option<String>,
    /// `change_external_chat`: `create`, `update` or `dismiss`.
    #[serde(rename = "ChangeType", default)]
    pub change_type: Option<String>,
    /// `kf_msg_or_event`: the token `kf/sync_msg` takes.
    #[serde(rename = "Token", default)]
    pub token: Option<String>,
    /// `kf_msg_or_event`: the 客服 account.
    #[serde(rename = "OpenKfId", default)]
    pub open_kf_id: Option<String>,
}

impl AppMessage {
    pub fn parse(xml: &str) -> Result<Self, EnvelopeError> {
        quick_xml::de::from_str(xml).map_err(|_| EnvelopeError::Malformed)
    }

    /// WeCom's dedup key: the message id, or sender and time for events.
    pub fn dedup_key(&self) -> String {
        match &self.msg_id {
            Some(id) => format!("app:{id}"),
            None => format!("app:{}:{}", self.from_user, self.create_time),
        }
    }
}

/// The passive text reply to an app message, encrypted and wrapped in its XML envelope.
pub fn app_reply(crypto: &Crypto, to: &AppMessage, text: &str, timestamp: &str, nonce: &str) -> String {
    let plain = format!(
        "<xml><ToUserName>{}</ToUserName><FromUserName>{}</FromUserName><CreateTime>{}</CreateTime><MsgType>text</MsgType><Content>{}</Content></xml>",
        cdata(&to.from_user),
        cdata(&to.to_user),
        timestamp,
        cdata(text)
    );
    let encrypt = crypto.encrypt(plain.as_bytes());
    let signature = crypto.signature(timestamp, nonce, &encrypt);
    format!(
        "<xml><Encrypt>{}</Encrypt><MsgSignature>{}</MsgSignature><TimeStamp>{timestamp}</TimeStamp><Nonce>{}</Nonce></xml>",
        cdata(&encrypt),
        cdata(&signature),
        cdata(nonce)
    )
}

/// Text inside CDATA (a `]]>` in it is split across two sections).
fn cdata(text: &str) -> String {
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct From {
    pub userid: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamRef {
    pub id: String,
}

/// A callback of the intelligent robot (decrypted JSON): a message in a group where it was
/// @-mentioned or in a single chat, or a stream refresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RobotMessage {
    pub msgid: String,
    #[serde(default)]
    pub aibotid: Option<String>,
    /// The group, for group chats.
    #[serde(default)]
    pub chatid: Option<String>,
    /// `single` or `group`.
    #[serde(default)]
    pub chattype: Option<String>,
    pub from: From,
    #[serde(default)]
    pub response_url: Option<String>,
    pub msgtype: String,
    #[serde(default)]
    pub text: Option<Text>,
    #[serde(default)]
    pub stream: Option<StreamRef>,
}

impl RobotMessage {
    pub fn parse(json: &str) -> Result<Self, EnvelopeError> {
        serde_json::from_str(json).map_err(|_| EnvelopeError::Malformed)
    }
}

/// The robot's reply: one finished stream with the whole answer, encrypted in its JSON envelope.
pub fn robot_reply(crypto: &Crypto, stream_id: &str, markdown: &str, timestamp: &str, nonce: &str) -> String {
    let plain = serde_json::json!({
        "msgtype": "stream",
        "stream": {"id": stream_id, "finish": true, "content": markdown},
    })
    .to_string();
    let encrypt = crypto.encrypt(plain.as_bytes());
    serde_json::json!({
        "encrypt": encrypt,
        "msgsignature": crypto.signature(timestamp, nonce, &encrypt),
        "timestamp": timestamp.parse::<u64>().unwrap_or(0),
        "nonce": nonce,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_a() -> Crypto {
        Crypto::new(
            "QDG6eK",
            "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
            "wx5823bf96d3bd56c7",
        )
        .unwrap()
    }

    #[test]
    fn reads_the_official_app_message() {
        let v: serde_json::Value = serde_json::from_str(include_str!("../tests/vectors.json")).unwrap();
        let body = v["setA"]["message"]["body"].as_str().unwrap();
        let encrypt = xml_ciphertext(body).unwrap();
        let plain = set_a().decrypt(&encrypt).unwrap().message;
        let m = AppMessage::parse(std::str::from_utf8(&plain).unwrap()).unwrap();
        assert_eq!(m.from_user, "mycreate");
        assert_eq!(m.content.as_deref(), Some("hello"));
        assert_eq!(m.msg_id.as_deref(), Some("4561255354251345929"));
        assert_eq!(m.dedup_key(), "app:4561255354251345929");
    }

    #[test]
    fn reads_json_envelopes_in_either_case() {
        assert_eq!(json_ciphertext(r#"{"encrypt":"abc"}"#).unwrap(), "abc");
        assert_eq!(json_ciphertext(r#"{"Encrypt":"abc"}"#).unwrap(), "abc");
        assert_eq!(json_ciphertext(r#"{"x":1}"#).unwrap_err(), EnvelopeError::NoCiphertext);
        assert_eq!(json_ciphertext("<xml/>").unwrap_err(), EnvelopeError::Malformed);
        assert_eq!(xml_ciphertext("{}").unwrap_err(), EnvelopeError::Malformed);
        assert_eq!(
            xml_ciphertext("<xml><A>1</A></xml>").unwrap_err(),
            EnvelopeError::NoCiphertext
        );
    }

    #[test]
    fn customer_group_and_kf_events_are_read() {
        let change = AppMessage::parse("<xml><ToUserName><![CDATA[corp]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[wrOgAA]]></ChatId><ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[add_member]]></UpdateDetail><JoinScene>1</JoinScene><MemChangeCnt>1</MemChangeCnt></xml>").unwrap();
        assert_eq!(change.event.as_deref(), Some("change_external_chat"));
        assert_eq!(
            (change.chat_id.as_deref(), change.change_type.as_deref()),
            (Some("wrOgAA"), Some("update"))
        );
        // 微信客服's event has no sender.
        let kf = AppMessage::parse("<xml><ToUserName><![CDATA[corp]]></ToUserName><CreateTime>1</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR]]></Token><OpenKfId><![CDATA[wkxxxx]]></OpenKfId></xml>").unwrap();
        assert_eq!(kf.from_user, "");
        assert_eq!(kf.open_kf_id.as_deref(), Some("wkxxxx"));
        assert!(kf.token.unwrap().starts_with("ENCA"));
    }

    #[test]
    fn app_replies_decrypt_to_a_text_message() {
        let c = set_a();
        let to = AppMessage {
            to_user: "wx5823bf96d3bd56c7".into(),
            from_user: "zhangsan".into(),
            create_time: 1,
            msg_type: "text".into(),
            content: Some("你好".into()),
            msg_id: Some("1".into()),
            event: None,
            chat_id: None,
            change_type: None,
            token: None,
            open_kf_id: None,
        };
        let reply = app_reply(&c, &to, "答复]]>内容", "1700000000", "n1");
        let encrypt = xml_ciphertext(&reply).unwrap();
        let sig_start = reply.find("<MsgSignature><![CDATA[").unwrap() + 23;
        let sig = &reply[sig_start..sig_start + 40];
        let plain = c.open(sig, "1700000000", "n1", &encrypt).unwrap().message;
        let back = AppMessage::parse(std::str::from_utf8(&plain).unwrap()).unwrap();
        assert_eq!(back.to_user, "zhangsan");
        assert_eq!(back.content.as_deref(), Some("答复]]>内容"));
    }

    #[test]
    fn robot_messages_and_replies() {
        let m = RobotMessage::parse(
            r#"{"msgid":"m1","aibotid":"b","chatid":"g1","chattype":"group","from":{"userid":"u1"},"response_url":"https://x","msgtype":"text","text":{"content":"@亲清 帮助"}}"#,
        )
        .unwrap();
        assert_eq!(m.chatid.as_deref(), Some("g1"));
        assert_eq!(m.text.unwrap().content, "@亲清 帮助");
        assert!(RobotMessage::parse(r#"{"msgid":1}"#).is_err());
        let c = Crypto::new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "").unwrap();
        let reply: serde_json::Value =
            serde_json::from_str(&robot_reply(&c, "s1", "**答**", "1700000000", "n")).unwrap();
        let encrypt = reply["encrypt"].as_str().unwrap();
        let plain = c
            .open(reply["msgsignature"].as_str().unwrap(), "1700000000", "n", encrypt)
            .unwrap()
            .message;
        let inner: serde_json::Value = serde_json::from_slice(&plain).unwrap();
        assert_eq!(inner["stream"]["content"], "**答**");
        assert_eq!(inner["stream"]["finish"], true);
    }

    mod fuzz {
        use proptest::prelude::*;

        use super::*;

        /// XML shaped like WeCom's, with any text in its fields.
        fn xmlish() -> impl Strategy<Value = String> {
            (
                "[\\PC<>&]{0,60}",
                "[\\PC]{0,30}",
                proptest::sample::select(vec!["Encrypt", "ToUserName", "Content", "MsgId", "xml", ""]),
            )
                .prop_map(|(a, b, tag)| format!("<xml><{tag}><![CDATA[{a}]]></{tag}>{b}</xml>"))
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn envelopes_and_messages_never_panic(body in prop_oneof![xmlish(), "\\PC{0,200}"]) {
                let _ = xml_ciphertext(&body);
                let _ = json_ciphertext(&body);
                if let Ok(m) = AppMessage::parse(&body) {
                    let _ = m.dedup_key();
                }
            }
        }
    }
}
