//! The demand (诉求) work order: its codes and the only moves its state machine allows
//! (DESIGN.md section 3). Pure: no database, no clock.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }
    };
}

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
    /// The "six environments" every demand is filed under.
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
    }
);

code_enum!(
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

impl Status {
    /// Work on the demand is over.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Closed | Status::Rejected | Status::Merged)
    }

    /// A unit holds the demand.
    pub fn is_with_unit(self) -> bool {
        matches!(self, Status::Assigned | Status::InProgress)
    }
}

/// A move not in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidTransition {
    pub from: Status,
    pub action: Action,
}

/// The state machine. `satisfied` matters only for `rate`.
pub fn next_status(from: Status, action: Action, satisfied: Option<bool>) -> Result<Status, InvalidTransition> {
    use Action as A;
    use Status as S;
    let to = match (from, action) {
        (S::Submitted, A::Accept) => S::Accepted,
        (S::Submitted, A::Reject) => S::Rejected,
        (S::Accepted | S::Reopened, A::Assign) => S::Assigned,
        (S::Assigned, A::Sign) => S::InProgress,
        (S::Assigned | S::InProgress, A::Return) => S::Accepted,
        (S::InProgress, A::Reply) => S::Replied,
        (S::Replied, A::Rate) => match satisfied {
            Some(true) => S::Closed,
            Some(false) => S::Reopened,
            None => return Err(InvalidTransition { from, action }),
        },
        (S::Replied, A::AutoClose) => S::Closed,
        // Side actions keep the status, where they make sense.
        (S::Assigned | S::InProgress, A::Extend | A::ApproveExtension) => from,
        (s, A::FlagUnreasonable | A::Supervise) if !matches!(s, S::Merged) => from,
        (s, A::Merge) if !s.is_final() => S::Merged,
        (_, A::Comment) => from,
        _ => return Err(InvalidTransition { from, action }),
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (status, action) pair: exactly the listed ones are allowed.
    #[test]
    fn only_the_moves_in_the_table_are_allowed() {
        use Action as A;
        use Status as S;
        let allowed: &[(S, A, Option<bool>, S)] = &[
            (S::Submitted, A::Accept, None, S::Accepted),
            (S::Submitted, A::Reject, None, S::Rejected),
            (S::Accepted, A::Assign, None, S::Assigned),
            (S::Reopened, A::Assign, None, S::Assigned),
            (S::Assigned, A::Sign, None, S::InProgress),
            (S::Assigned, A::Return, None, S::Accepted),
            (S::InProgress, A::Return, None, S::Accepted),
            (S::InProgress, A::Reply, None, S::Replied),
            (S::Replied, A::Rate, Some(true), S::Closed),
            (S::Replied, A::Rate, Some(false), S::Reopened),
            (S::Replied, A::AutoClose, None, S::Closed),
        ];
        let moves = [
            A::Accept,
            A::Reject,
            A::Assign,
            A::Sign,
            A::Return,
            A::Reply,
            A::Rate,
            A::AutoClose,
            A::Submit,
        ];
        for &from in Status::ALL {
            for &action in &moves {
                for satisfied in [None, Some(true), Some(false)] {
                    let expected = allowed
                        .iter()
                        .find(|(f, a, s, _)| *f == from && *a == action && (action != A::Rate || *s == satisfied))
                        .map(|(.., to)| *to);
                    let expected = if action == A::Rate && satisfied.is_none() {
                        None
                    } else {
                        expected
                    };
                    assert_eq!(
                        next_status(from, action, satisfied).ok(),
                        expected,
                        "{from:?} --{action:?}/{satisfied:?}-->"
                    );
                }
            }
        }
    }

    #[test]
    fn side_actions_keep_the_status_where_they_apply() {
        assert_eq!(
            next_status(Status::InProgress, Action::Extend, None),
            Ok(Status::InProgress)
        );
        assert!(next_status(Status::Replied, Action::Extend, None).is_err());
        assert!(next_status(Status::Submitted, Action::ApproveExtension, None).is_err());
        assert_eq!(
            next_status(Status::Closed, Action::FlagUnreasonable, None),
            Ok(Status::Closed)
        );
        assert_eq!(next_status(Status::Accepted, Action::Merge, None), Ok(Status::Merged));
        assert!(next_status(Status::Closed, Action::Merge, None).is_err());
        assert!(next_status(Status::Merged, Action::Supervise, None).is_err());
        assert_eq!(next_status(Status::Closed, Action::Comment, None), Ok(Status::Closed));
    }

    #[test]
    fn codes_round_trip() {
        for &s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.code());
        }
        for &c in Channel::ALL {
            assert_eq!(Channel::parse(c.code()), Some(c));
        }
        assert_eq!(Environment::ALL.len(), 6);
        assert_eq!(Environment::parse("humanistic"), Some(Environment::Humanistic));
    }
}
