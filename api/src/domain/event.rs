//! Engagement programs (docs/design.md section 4): their kinds and the status moves
//! draft → published → open → closed → archived.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use entity::codes::{EventKind, EventStatus};

/// Kinds that collect answers through a form.
pub fn needs_form(kind: EventKind) -> bool {
    matches!(kind, EventKind::MysteryShopperWeek | EventKind::ScorecardRound)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventMove {
    Publish,
    Open,
    Close,
    Archive,
}

/// Whether the audience sees an event at all.
pub fn is_visible(status: EventStatus) -> bool {
    matches!(status, EventStatus::Published | EventStatus::Open | EventStatus::Closed)
}

/// The only moves: publish a draft, open what is published, close what is open, archive what
/// is closed.
pub fn apply(status: EventStatus, m: EventMove) -> Option<EventStatus> {
    match (status, m) {
        (EventStatus::Draft, EventMove::Publish) => Some(EventStatus::Published),
        (EventStatus::Published, EventMove::Open) => Some(EventStatus::Open),
        (EventStatus::Open, EventMove::Close) => Some(EventStatus::Closed),
        (EventStatus::Closed, EventMove::Archive) => Some(EventStatus::Archived),
        _ => None,
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
        for &s in EventStatus::ALL {
            for m in moves {
                assert_eq!(apply(s, m).is_some(), allowed.contains(&(s, m)), "{s:?} {m:?}");
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for &k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.code()), Some(k));
        }
        for &s in EventStatus::ALL {
            assert_eq!(EventStatus::parse(s.code()), Some(s));
        }
        assert!(needs_form(EventKind::ScorecardRound));
        assert!(!needs_form(EventKind::ComplaintDay));
    }
}
