//! The code values stored in the database's code columns, one enum per vocabulary, each with
//! its code (the stored text, also its JSON form) and the label people read. The rules over
//! them (which moves a status allows, what a role needs) are in the api's `domain`.
//!
//! A column of one of these types reads only its codes: a row holding anything else fails to
//! load (`DbErr::Type`) instead of being silently read as a default.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Declares a code enum: `Name { Variant = "code", "标签"; ... }`.
#[macro_export]
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
        #[sea_orm(rs_type = "String", db_type = "Text")]
        pub enum $name { $($(#[$vmeta])* #[sea_orm(string_value = $code)] #[serde(rename = $code)] $variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stored text.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// What people read.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }

        // By hand: the derive cannot read a code passed through this macro and would document
        // the variants' names instead of the codes on the wire.
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code,)+]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

code_enum!(
    /// Who a person is to the administration (docs/design.md section 2).
    Role {
        /// 企业成员: bound to one enterprise.
        Enterprise = "enterprise", "企业成员";
        /// 营商环境体验官 (appointed for a term).
        Officer = "officer", "营商环境体验官";
        /// 媒体观察员 (appointed for a term).
        Media = "media", "媒体观察员";
        /// 企业家督导委员会委员 (appointed for a term).
        Supervisor = "supervisor", "督导委员会委员";
        /// 专属企业服务管家 (staff).
        Butler = "butler", "企业服务管家";
        /// 职能单位经办人 (staff of one unit).
        Handler = "handler", "单位经办人";
        /// 管理员.
        Admin = "admin", "管理员";
        /// 纪检监察: the only role that sees conduct clues (docs/design.md section 10).
        Discipline = "discipline", "纪检监察";
    }
);

code_enum!(
    /// What a demand is.
    Kind {
        /// An individual need of one enterprise.
        Demand = "demand", "企业诉求";
        /// A general business-environment problem.
        Problem = "problem", "营商环境问题";
        Suggestion = "suggestion", "意见建议";
    }
);

code_enum!(
    /// The "six environments" every demand, score and task is filed under.
    Environment {
        Policy = "policy", "政策环境";
        Service = "service", "服务环境";
        Factor = "factor", "要素环境";
        Market = "market", "市场环境";
        Legal = "legal", "法治环境";
        Humanistic = "humanistic", "人文环境";
    }
);

code_enum!(
    /// Where a demand came from.
    Channel {
        Miniprogram = "miniprogram", "小程序";
        Bot = "bot", "企业群机器人";
        Hotline = "hotline", "自贸一拨通热线";
        Callback = "callback", "回访";
        ComplaintDay = "complaint_day", "企业家吐槽日";
        MysteryShopper = "mystery_shopper", "神秘客暗访";
        Scorecard = "scorecard", "出卷评价";
        Supervision = "supervision", "督导活动";
        Media = "media", "媒体观察";
        /// 突出问题反馈: a problem discipline staff send to a unit, without the reporter.
        Discipline = "discipline", "纪检监察反馈";
        /// A need raised on a butler's visit (三上门).
        Visit = "visit", "三上门走访";
        /// A complaint about an on-site inspection, from its rating.
        Inspection = "inspection", "涉企检查评价";
    }
);

code_enum!(
    /// Where a demand is in its life.
    Status {
        Submitted = "submitted", "已提交";
        Accepted = "accepted", "已受理";
        Rejected = "rejected", "不予受理";
        Assigned = "assigned", "已派单";
        InProgress = "in_progress", "办理中";
        Replied = "replied", "已答复";
        Reopened = "reopened", "重新办理";
        Closed = "closed", "已办结";
        /// Merged into another demand as a duplicate; followed there.
        Merged = "merged", "已合并";
    }
);

code_enum!(
    /// Everything that can happen to a demand. Moves change the status; the others do not.
    Action {
        Accept = "accept", "受理";
        Reject = "reject", "不予受理";
        Assign = "assign", "派单";
        Sign = "sign", "签收";
        Return = "return", "退回";
        Reply = "reply", "答复";
        Rate = "rate", "评价";
        AutoClose = "auto_close", "超期未评价自动办结";
        Extend = "extend", "申请延期";
        ApproveExtension = "approve_extension", "批准延期";
        FlagUnreasonable = "flag_unreasonable", "标记为不合理诉求";
        Merge = "merge", "合并";
        Supervise = "supervise", "督办";
        Comment = "comment", "留言";
        Submit = "submit", "提交";
    }
);

code_enum!(
    /// The deadline a demand missed.
    Deadline {
        Accept = "accept", "受理";
        Sign = "sign", "签收";
        Reply = "reply", "答复";
    }
);

code_enum!(
    /// Where a rating came from.
    RatingSource {
        Miniprogram = "miniprogram", "小程序评价";
        /// Taken by staff on a hotline call-back.
        Hotline = "hotline", "热线回访";
    }
);

code_enum!(
    /// What WeChat's content check said of a text others will read.
    ContentCheck {
        Pass = "pass", "通过";
        /// WeChat suggests a person looks at it; it is shown meanwhile.
        Review = "review", "待人工复核";
        /// Not checked: WeChat is not configured, or was unreachable.
        Unchecked = "unchecked", "未检测";
        /// Written by the system from checked or trusted text (a finding, a form's answer).
        System = "system", "系统生成";
    }
);

code_enum!(
    /// What a demand was filed from.
    Origin {
        Complaint = "complaint", "吐槽";
        Submission = "submission", "出卷答卷";
        MysteryReport = "mystery_report", "暗访报告";
        SupervisionActivity = "supervision_activity", "督导活动";
        Callback = "callback", "回访";
        MediaObservation = "media_observation", "媒体观察";
        /// A WeCom group chat, its speaker bound to a person.
        WecomChat = "wecom_chat", "企业群";
        /// A WeCom group chat, its speaker not bound (`<chat>/<user>`).
        WecomUnbound = "wecom_unbound", "企业群（未绑定）";
        /// A mini-program visit from a card in a WeCom customer group (the group's chat id).
        CustomerGroup = "customer_group", "企业客户群";
        /// A 微信客服 conversation (the WeChat user's external userid).
        Kf = "kf", "微信客服";
    }
);

code_enum!(
    /// What an uploaded file is attached to.
    Attachment {
        Demand = "demand", "诉求";
        Complaint = "complaint", "吐槽";
        Submission = "submission", "答卷";
        PlanNote = "plan_note", "督办进展";
        Observation = "observation", "媒体观察";
        Activity = "activity", "督导活动";
        Policy = "policy", "政策";
        Clue = "clue", "问题线索";
    }
);

code_enum!(
    /// Enterprise size.
    Scale {
        Micro = "micro", "微型";
        Small = "small", "小型";
        Medium = "medium", "中型";
        Large = "large", "大型";
    }
);

code_enum!(
    /// How closely a butler serves an enterprise.
    ServiceTier {
        Key = "key", "重点";
        Growth = "growth", "成长";
        General = "general", "一般";
    }
);

code_enum!(
    /// An engagement program.
    EventKind {
        ComplaintDay = "complaint_day", "企业家吐槽日";
        MysteryShopperWeek = "mystery_shopper_week", "神秘客暗访周";
        ScorecardRound = "scorecard_round", "营商环境出卷";
        SupervisionActivity = "supervision_activity", "督导活动";
    }
);

code_enum!(
    EventStatus {
        Draft = "draft", "草稿";
        Published = "published", "已发布";
        Open = "open", "进行中";
        Closed = "closed", "已结束";
        Archived = "archived", "已归档";
    }
);

code_enum!(
    /// What a supervision activity was.
    ActivityKind {
        Visit = "visit", "走访";
        Forum = "forum", "座谈";
        Inspection = "inspection", "检查";
    }
);

code_enum!(
    ObservationKind {
        Finding = "finding", "问题发现";
        Lead = "lead", "报道线索";
        Comment = "comment", "评论建议";
    }
);

code_enum!(
    /// The reach of a publicity record's outlet.
    Level {
        National = "national", "国家级";
        Provincial = "provincial", "省级";
        Municipal = "municipal", "市级";
        Online = "online", "网络媒体";
        Own = "own", "自有渠道";
    }
);

code_enum!(
    ItemKind {
        Task = "task", "任务";
        Problem = "problem", "问题";
    }
);

code_enum!(
    ItemStatus {
        NotStarted = "not_started", "未开始";
        InProgress = "in_progress", "推进中";
        Done = "done", "已完成";
    }
);

code_enum!(
    PolicyStatus {
        Draft = "draft", "草稿";
        Published = "published", "已发布";
        Expired = "expired", "已失效";
    }
);

code_enum!(
    /// How a policy reached a person.
    DeliveryVia {
        Publish = "publish", "发布推送";
        Digest = "digest", "每日汇总";
        /// They found it themselves (stored as `self` before the codes were typed).
        Own = "own", "自行查看";
        /// Explained by a butler on a visit (政策上门).
        Visit = "visit", "上门讲解";
    }
);

code_enum!(
    ReportKind {
        Weekly = "weekly", "周报";
        Monthly = "monthly", "月报";
    }
);

code_enum!(
    /// A day of the holiday calendar.
    DayKind {
        Off = "off", "放假";
        /// A weekend day worked instead (调休).
        Work = "work", "调休上班";
    }
);

code_enum!(
    BindingStatus {
        Pending = "pending", "待审核";
        Approved = "approved", "已通过";
        Rejected = "rejected", "已驳回";
    }
);

code_enum!(
    CallbackStatus {
        Open = "open", "待回访";
        Reached = "reached", "已回访";
        Refused = "refused", "拒访";
        Unreachable = "unreachable", "无法接通";
    }
);

code_enum!(
    /// A group chat's robot.
    GroupStatus {
        Active = "active", "正常";
        /// WeCom refused its webhook key (93000).
        BadKey = "bad_key", "webhook 无效";
    }
);

code_enum!(
    IdempotencyStatus {
        InProgress = "in_progress", "处理中";
        Done = "done", "已完成";
    }
);

code_enum!(
    /// The ways the outbox delivers.
    OutboxChannel {
        /// A WeChat subscribe message to a person.
        Wechat = "wechat", "微信订阅消息";
        /// A markdown message to a WeCom group through its robot's webhook.
        Webhook = "webhook", "企业微信群机器人";
        /// A text message to a phone.
        Sms = "sms", "短信";
        /// A confirmed-send task (企业群发) for a butler's customer groups.
        WecomMass = "wecom_mass", "企业微信群发";
        /// A 微信客服 message to a WeChat user.
        WecomKf = "wecom_kf", "微信客服";
    }
);

code_enum!(
    /// Where a delivery is.
    OutboxStatus {
        Pending = "pending", "待发送";
        Sending = "sending", "发送中";
        Sent = "sent", "已发送";
        Failed = "failed", "发送失败";
        /// Nothing to send it with (no subscribe credit, no template, WeChat not configured).
        Skipped = "skipped", "未发送";
        /// Claimed by a worker that died while sending: it may or may not have arrived; it is
        /// not sent again on its own (that could send it twice).
        Uncertain = "uncertain", "待核实";
    }
);

code_enum!(
    /// A call as the phone system told of it.
    CallStatus {
        Ringing = "ringing", "来电中";
        Answered = "answered", "通话中";
        /// Hung up without being answered: it lands on the call-back list.
        Missed = "missed", "未接";
        Done = "done", "已结束";
    }
);

code_enum!(
    /// Which way a call went.
    CallDirection {
        In = "in", "呼入";
        Out = "out", "呼出";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_lists_the_codes_that_go_on_the_wire() {
        let schema = serde_json::to_value(<Role as utoipa::PartialSchema>::schema()).unwrap();
        let wire: Vec<serde_json::Value> = Role::ALL.iter().map(|r| serde_json::to_value(r).unwrap()).collect();
        assert_eq!(schema["enum"], serde_json::Value::Array(wire));
        assert_eq!(schema["enum"][0], "enterprise");
        assert_eq!(schema["type"], "string");
        assert_eq!(serde_json::to_value(Status::InProgress).unwrap(), "in_progress");
    }
}

code_enum!(
    /// What an official did, as the reporter of a conduct clue names it.
    ClueCategory {
        Extortion = "extortion", "吃拿卡要";
        BuckPassing = "buck_passing", "推诿扯皮";
        ColdHard = "cold_hard", "冷硬横推";
        IllegalFees = "illegal_fees", "违规收费";
        Other = "other", "其他";
    }
);

code_enum!(
    /// Where a conduct clue is in its handling: 受理 → 初核 → 处置.
    ClueStatus {
        Received = "received", "待受理";
        Accepted = "accepted", "已受理";
        Checking = "checking", "初核中";
        Closed = "closed", "已办结";
    }
);

code_enum!(
    /// How a clue was disposed of.
    ClueOutcome {
        Talk = "talk", "谈话函询";
        Recommendation = "recommendation", "纪检监察建议";
        Sanction = "sanction", "党纪政务处分";
        FirstForm = "first_form", "第一种形态";
        Dismissed = "dismissed", "予以了结";
    }
);

code_enum!(
    /// What happened to a clue, on its history.
    ClueAction {
        Report = "report", "提交线索";
        Refer = "refer", "线索移送";
        Accept = "accept", "受理";
        Check = "check", "初核";
        Dispose = "dispose", "处置";
        Reveal = "reveal", "查看反映人身份";
        Feedback = "feedback", "突出问题反馈";
        Case = "case", "典型案例通报";
    }
);

code_enum!(
    /// How a clue came in.
    ClueSource {
        Report = "report", "反映";
        Referral = "referral", "诉求移送";
    }
);

code_enum!(
    /// A butler's visit to an enterprise (三上门).
    VisitKind {
        Policy = "policy", "政策上门";
        Care = "care", "关爱上门";
        Advice = "advice", "问计上门";
    }
);

code_enum!(
    /// The zone's lists of offences not punished (包容审慎监管).
    LeniencyList {
        /// 轻微违法免罚.
        Minor = "minor", "轻微违法免罚";
        /// 首违不罚.
        First = "first", "首违不罚";
    }
);

code_enum!(
    /// A WeCom customer group (客户群), as WeCom last told.
    CustomerGroupStatus {
        Active = "active", "正常";
        Dismissed = "dismissed", "已解散";
    }
);

code_enum!(
    /// Where a policy stands with a customer group.
    GroupPushState {
        /// Waiting for the group's next digest (see `wait_reason` for why it has not gone).
        Waiting = "waiting", "排队中";
        /// In a mass-send task the owner has to confirm.
        InTask = "in_task", "待确认";
        /// Sent into the group (confirmed mass-send, or the sidebar).
        Sent = "sent", "已发送";
    }
);

code_enum!(
    /// A confirmed-send task (企业群发, `add_msg_template`) for one butler.
    MassSendState {
        /// Written, not yet created in WeCom.
        Queued = "queued", "待创建";
        /// Created in WeCom: waiting for the butler to confirm it.
        Awaiting = "awaiting", "待确认";
        /// The butler confirmed: sent to every group it could reach.
        Confirmed = "confirmed", "已发送";
        /// WeCom refused it for good.
        Failed = "failed", "失败";
    }
);

code_enum!(
    /// One group of a mass-send task.
    MassSendGroupState {
        Pending = "pending", "待发送";
        Sent = "sent", "已发送";
        Failed = "failed", "未送达";
    }
);
