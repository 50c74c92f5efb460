//! The dialogue in Chinese: what a line asks for ([`Intent`]) and the reply, written for a phone
//! screen. The facts come from a [`Backend`] the api implements, so this crate needs no database.
use std::future::Future;

/// Who is speaking, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    /// The WeCom user id.
    pub user_id: String,
    /// The group chat, when the message came from one.
    pub chat_id: Option<String>,
}

/// What a demand filed from the chat is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackKind {
    /// 「反馈」 or 「诉求」.
    Demand,
    /// 「投诉」.
    Complaint,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    Help,
    Bind,
    /// 「进度 SQ20261128-0001」.
    Progress(String),
    Feedback {
        kind: FeedbackKind,
        text: String,
    },
    /// Anything that reads like a question about policies.
    Question(String),
    /// 「人工」: a person, please.
    HandOff,
    /// A keyword with nothing after it, or an empty line.
    Incomplete(&'static str),
}

/// Drops the robot's `@name` prefix (and any other leading mentions) and surrounding spaces.
pub fn strip_mentions(text: &str) -> &str {
    let mut rest = text.trim();
    while let Some(after) = rest.strip_prefix('@').or_else(|| rest.strip_prefix('＠')) {
        rest = after
            .split_once(|c: char| c.is_whitespace())
            .map(|(_, r)| r.trim_start())
            .unwrap_or("");
    }
    rest
}

const FEEDBACK: &[(&str, FeedbackKind)] = &[
    ("反馈", FeedbackKind::Demand),
    ("诉求", FeedbackKind::Demand),
    ("投诉", FeedbackKind::Complaint),
];

/// Reads one line.
pub fn parse(text: &str) -> Intent {
    let t = strip_mentions(text);
    let head = |word: &str| {
        t.strip_prefix(word)
            .map(|r| r.trim_start_matches([' ', '：', ':', '，', ',']).trim())
    };
    if t.is_empty() {
        return Intent::Incomplete("empty");
    }
    if matches!(t, "帮助" | "help" | "?" | "？" | "菜单") {
        return Intent::Help;
    }
    if t == "绑定" {
        return Intent::Bind;
    }
    if matches!(t, "人工" | "转人工" | "人工客服" | "找管家") {
        return Intent::HandOff;
    }
    if let Some(rest) = head("进度").or_else(|| head("查询进度")) {
        let number = rest.trim().to_ascii_uppercase();
        return if number.is_empty() {
            Intent::Incomplete("progress")
        } else {
            Intent::Progress(number)
        };
    }
    for &(word, kind) in FEEDBACK {
        if let Some(rest) = head(word) {
            return if rest.is_empty() {
                Intent::Incomplete("feedback")
            } else {
                Intent::Feedback {
                    kind,
                    text: rest.to_owned(),
                }
            };
        }
    }
    Intent::Question(t.to_owned())
}

/// Words that make a line a question but say nothing about which policy (「人才补贴怎么申请」
/// asks about 「人才补贴」).
const QUESTION_WORDS: &[&str] = &[
    "请问",
    "有没有",
    "有什么",
    "有哪些",
    "能不能",
    "怎么样",
    "怎么",
    "怎样",
    "如何",
    "哪些",
    "什么",
    "可以",
    "能否",
    "申请",
    "申报",
    "办理",
    "享受",
    "政策",
    "吗",
    "呢",
    "啊",
    "？",
    "?",
    "。",
    "，",
    ",",
];

/// The topic of a question: the line without its question words (the line itself when nothing
/// else is left).
pub fn topic(question: &str) -> String {
    let mut t = question.to_owned();
    for w in QUESTION_WORDS {
        t = t.replace(w, " ");
    }
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() { question.trim().to_owned() } else { t }
}

/// A policy found for a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyHit {
    pub title: String,
    /// One line: for whom and what they get.
    pub summary: String,
    /// The mini-program page.
    pub page: String,
}

/// A demand filed from the chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filed {
    pub number: String,
    /// False when the speaker's WeCom id is bound to no person: filed for the group.
    pub bound: bool,
}

/// Where a hand-off went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandOff {
    /// To the speaker's butler (the owner of the group they came from).
    Butler,
    /// To the waiting pool of the customer-service staff.
    Queue,
    /// Not possible here (a WeCom group: the butlers are in it).
    NotHere,
}

/// What the speaker may see of a demand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    Found {
        title: String,
        status: String,
        updated: String,
    },
    /// Unknown, or not the speaker's to see (the reply does not tell which).
    NotVisible,
}

/// The facts behind the dialogue. Errors are logged by the implementation; the dialogue only
/// says something went wrong.
pub trait Backend {
    fn policies(&self, speaker: &Speaker, question: &str) -> impl Future<Output = Result<Vec<PolicyHit>, ()>>;
    fn file(&self, speaker: &Speaker, kind: FeedbackKind, text: &str) -> impl Future<Output = Result<Filed, ()>>;
    fn progress(&self, speaker: &Speaker, number: &str) -> impl Future<Output = Result<Progress, ()>>;
    /// A one-time code the speaker enters in the mini-program to bind this WeCom id.
    fn bind_code(&self, speaker: &Speaker) -> impl Future<Output = Result<String, ()>>;
    /// Hands the conversation to a person.
    fn hand_off(&self, speaker: &Speaker) -> impl Future<Output = Result<HandOff, ()>>;
}

pub const HELP: &str = "我是亲清企业服务助手，可以：\n\
1. 问政策：直接发问题，如「人才补贴怎么申请」\n\
2. 提诉求：发「反馈 + 内容」或「投诉 + 内容」\n\
3. 查进度：发「进度 SQ编号」\n\
4. 绑定身份：发「绑定」，在小程序输入绑定码\n\
5. 找人工：发「人工」";

const SORRY: &str = "系统繁忙，请稍后再试，或在「亲清」小程序中办理。";

/// The reply to one line.
pub async fn answer<B: Backend>(backend: &B, speaker: &Speaker, text: &str) -> String {
    match parse(text) {
        Intent::Help => HELP.to_owned(),
        Intent::Incomplete("feedback") => "请在「反馈」后写明具体问题，如：反馈 办理开户时材料要求不清楚".to_owned(),
        Intent::Incomplete("progress") => "请在「进度」后写诉求编号，如：进度 SQ20261128-0001".to_owned(),
        Intent::Incomplete(_) => format!("没太明白您的意思。\n{HELP}"),
        Intent::Bind => match backend.bind_code(speaker).await {
            Ok(code) => format!(
                "您的绑定码：{code}\n请在10分钟内打开「亲清」小程序 →「我的」→「绑定企业微信」输入（连字符可不输）。输错5次后绑定码失效。绑定后，您在群里提交的诉求会记在您的企业名下。"
            ),
            Err(()) => SORRY.to_owned(),
        },
        Intent::HandOff => match backend.hand_off(speaker).await {
            Ok(HandOff::Butler) => "已为您转接企业服务管家，请稍候，管家会在这里回复您。".to_owned(),
            Ok(HandOff::Queue) => "已为您转接人工客服，请稍候。".to_owned(),
            Ok(HandOff::NotHere) => "管家就在群里：请直接@您的企业服务管家，或拨打政务服务热线。".to_owned(),
            Err(()) => SORRY.to_owned(),
        },
        Intent::Progress(number) => match backend.progress(speaker, &number).await {
            Ok(Progress::Found { title, status, updated }) => {
                format!(
                    "诉求 {number}\n「{}」\n当前状态：{status}\n更新时间：{updated}",
                    clip(&title, 40)
                )
            }
            Ok(Progress::NotVisible) => {
                format!("没有找到您可以查看的诉求 {number}。请核对编号；如尚未绑定身份，请先发送「绑定」。")
            }
            Err(()) => SORRY.to_owned(),
        },
        Intent::Feedback { kind, text } => match backend.file(speaker, kind, &text).await {
            Ok(Filed { number, bound: true }) => {
                format!("已收到，诉求编号 {number}。企业服务管家会尽快受理，可发送「进度 {number}」查询。")
            }
            Ok(Filed { number, bound: false }) => format!(
                "已收到，诉求编号 {number}，已记在本群名下。\n您尚未绑定身份：发送「绑定」获取绑定码，在「亲清」小程序中输入后，诉求会记在您的企业名下，并可查询进度。"
            ),
            Err(()) => SORRY.to_owned(),
        },
        Intent::Question(q) => match backend.policies(speaker, &topic(&q)).await {
            Ok(hits) if hits.is_empty() => format!(
                "暂未找到与「{}」相关的政策。可换个说法再问，或发送「反馈 + 内容」提出诉求。",
                clip(&q, 20)
            ),
            Ok(hits) => {
                let mut out = String::from("为您找到以下政策：");
                for (i, h) in hits.iter().take(3).enumerate() {
                    out.push_str(&format!(
                        "\n{}. {}\n{}\n小程序：{}",
                        i + 1,
                        clip(&h.title, 30),
                        clip(&h.summary, 40),
                        h.page
                    ));
                }
                out
            }
            Err(()) => SORRY.to_owned(),
        },
    }
}

/// At most `n` characters, with an ellipsis when cut.
pub fn clip(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(n).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_intents_and_strips_the_mention() {
        assert_eq!(strip_mentions("@亲清助手 帮助"), "帮助");
        assert_eq!(strip_mentions("@a @b  进度 SQ1"), "进度 SQ1");
        assert_eq!(strip_mentions("@亲清助手"), "");
        assert_eq!(parse("@亲清助手 帮助"), Intent::Help);
        assert_eq!(parse("绑定"), Intent::Bind);
        assert_eq!(
            parse("进度 sq20261128-0001"),
            Intent::Progress("SQ20261128-0001".into())
        );
        assert_eq!(parse("进度"), Intent::Incomplete("progress"));
        assert_eq!(
            parse("反馈：开户材料要求不清楚"),
            Intent::Feedback {
                kind: FeedbackKind::Demand,
                text: "开户材料要求不清楚".into()
            }
        );
        assert_eq!(
            parse("投诉 窗口排队太久"),
            Intent::Feedback {
                kind: FeedbackKind::Complaint,
                text: "窗口排队太久".into()
            }
        );
        assert_eq!(parse("诉求"), Intent::Incomplete("feedback"));
        assert_eq!(parse("人才补贴怎么申请"), Intent::Question("人才补贴怎么申请".into()));
        assert_eq!(parse("  "), Intent::Incomplete("empty"));
        assert_eq!(topic("请问人才补贴怎么申请？"), "人才补贴");
        assert_eq!(topic("跨境电商有哪些政策"), "跨境电商");
        assert_eq!(topic("怎么申请"), "怎么申请");
    }

    struct Fake;

    impl Backend for Fake {
        async fn policies(&self, _: &Speaker, q: &str) -> Result<Vec<PolicyHit>, ()> {
            if q.contains("失败") {
                return Err(());
            }
            Ok((0..5)
                .filter(|_| q.contains("人才"))
                .map(|i| PolicyHit {
                    title: format!("人才引进补贴{i}"),
                    summary: "面向区内企业引进的高层次人才，最高补贴50万元".into(),
                    page: format!("subpackages/policy/detail/index?id={i}"),
                })
                .collect())
        }
        async fn file(&self, s: &Speaker, _: FeedbackKind, _: &str) -> Result<Filed, ()> {
            Ok(Filed {
                number: "SQ20261128-0001".into(),
                bound: s.user_id == "bound",
            })
        }
        async fn progress(&self, _: &Speaker, n: &str) -> Result<Progress, ()> {
            Ok(if n == "SQ1" {
                Progress::Found {
                    title: "开户".into(),
                    status: "办理中".into(),
                    updated: "11-28 10:00".into(),
                }
            } else {
                Progress::NotVisible
            })
        }
        async fn bind_code(&self, _: &Speaker) -> Result<String, ()> {
            Ok("123456".into())
        }
        async fn hand_off(&self, s: &Speaker) -> Result<HandOff, ()> {
            Ok(if s.chat_id.is_some() {
                HandOff::NotHere
            } else {
                HandOff::Butler
            })
        }
    }

    fn run(user: &str, text: &str) -> String {
        let speaker = Speaker {
            user_id: user.into(),
            chat_id: Some("g".into()),
        };
        futures_executor(answer(&Fake, &speaker, text))
    }

    /// A minimal executor: every future of the fake is ready at once.
    fn futures_executor<F: Future>(f: F) -> F::Output {
        use std::pin::pin;
        use std::task::{Context, Poll, Waker};
        let mut f = pin!(f);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }

    #[test]
    fn a_person_is_asked_for_in_plain_words() {
        assert_eq!(parse("转人工"), Intent::HandOff);
        assert_eq!(parse("@亲清助手 人工"), Intent::HandOff);
        assert_eq!(parse("人工智能政策"), Intent::Question("人工智能政策".into()));
        assert!(
            run("u", "人工").contains("@您的企业服务管家"),
            "in a group the butler is there"
        );
        let one_to_one = Speaker {
            user_id: "u".into(),
            chat_id: None,
        };
        assert!(futures_executor(answer(&Fake, &one_to_one, "人工")).contains("已为您转接企业服务管家"));
    }

    #[test]
    fn replies_fit_a_phone_and_say_what_to_do() {
        let hits = run("u", "人才补贴");
        assert_eq!(hits.matches("小程序：").count(), 3, "three policies at most");
        assert!(hits.contains("subpackages/policy/detail/index?id=0"));
        assert!(run("u", "外星补贴").contains("暂未找到"));
        assert!(run("u", "失败").contains("系统繁忙"));
        let bound = run("bound", "反馈 开户难");
        assert!(bound.contains("SQ20261128-0001") && !bound.contains("绑定"));
        let unbound = run("u", "反馈 开户难");
        assert!(unbound.contains("SQ20261128-0001") && unbound.contains("发送「绑定」"));
        assert!(run("u", "进度 SQ1").contains("办理中"));
        assert!(run("u", "进度 SQ2").contains("没有找到"));
        assert!(run("u", "绑定").contains("123456"));
        assert!(run("u", "@亲清助手").contains("没太明白"));
        for reply in [hits, unbound, run("u", "帮助")] {
            assert!(reply.lines().all(|l| l.chars().count() <= 80), "{reply}");
        }
    }
}
