//! Engagement programs (DESIGN.md section 4): their kinds and the status moves
//! draft → published → open → closed → archived.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// 企业家吐槽日
    ComplaintDay,
    /// 神秘客暗访周
    MysteryShopperWeek,
    /// 出卷
    ScorecardRound,
    /// 督导活动
    SupervisionActivity,
}

impl EventKind {
    pub const ALL: [EventKind; 4] = [
        EventKind::ComplaintDay,
        EventKind::MysteryShopperWeek,
        EventKind::ScorecardRound,
        EventKind::SupervisionActivity,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventKind::ComplaintDay => "complaint_day",
            EventKind::MysteryShopperWeek => "mystery_shopper_week",
            EventKind::ScorecardRound => "scorecard_round",
            EventKind::SupervisionActivity => "supervision_activity",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EventKind::ComplaintDay => "企业家吐槽日",
            EventKind::MysteryShopperWeek => "神秘客暗访周",
            EventKind::ScorecardRound => "营商环境出卷",
            EventKind::SupervisionActivity => "督导活动",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Kinds that collect answers through a form.
    pub fn needs_form(self) -> bool {
        matches!(self, EventKind::MysteryShopperWeek | EventKind::ScorecardRound)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    Draft,
    Published,
    Open,
    Closed,
    Archived,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventMove {
    Publish,
    Open,
    Close,
    Archive,
}

impl EventStatus {
    pub const ALL: [EventStatus; 5] = [
        EventStatus::Draft,
        EventStatus::Published,
        EventStatus::Open,
        EventStatus::Closed,
        EventStatus::Archived,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventStatus::Draft => "draft",
            EventStatus::Published => "published",
            EventStatus::Open => "open",
            EventStatus::Closed => "closed",
            EventStatus::Archived => "archived",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EventStatus::Draft => "草稿",
            EventStatus::Published => "已发布",
            EventStatus::Open => "进行中",
            EventStatus::Closed => "已结束",
            EventStatus::Archived => "已归档",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the audience sees the event at all.
    pub fn is_visible(self) -> bool {
        matches!(self, EventStatus::Published | EventStatus::Open | EventStatus::Closed)
    }

    /// The only moves: publish a draft, open what is published, close what is open, archive
    /// what is closed.
    pub fn apply(self, m: EventMove) -> Option<EventStatus> {
        match (self, m) {
            (EventStatus::Draft, EventMove::Publish) => Some(EventStatus::Published),
            (EventStatus::Published, EventMove::Open) => Some(EventStatus::Open),
            (EventStatus::Open, EventMove::Close) => Some(EventStatus::Closed),
            (EventStatus::Closed, EventMove::Archive) => Some(EventStatus::Archived),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_forward_moves_are_allowed() {
        let moves = [
            EventMove::Publish,
            EventMove::Open,
            EventMove::Close,
            EventMove::Archive,
        ];
        let allowed = [
            (EventStatus::Draft, EventMove::Publish),
            (EventStatus::Published, EventMove::Open),
            (EventStatus::Open, EventMove::Close),
            (EventStatus::Closed, EventMove::Archive),
        ];
        for s in EventStatus::ALL {
            for m in moves {
                assert_eq!(s.apply(m).is_some(), allowed.contains(&(s, m)), "{s:?} {m:?}");
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.code()), Some(k));
        }
        for s in EventStatus::ALL {
            assert_eq!(EventStatus::parse(s.code()), Some(s));
        }
        assert!(EventKind::ScorecardRound.needs_form());
        assert!(!EventKind::ComplaintDay.needs_form());
    }
}
