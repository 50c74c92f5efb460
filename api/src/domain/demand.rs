//! The demand (诉求) work order: its codes and the only moves its state machine allows
//! (docs/design.md section 3). Pure: no database, no clock.
use chrono::{DateTime, Utc};

pub use entity::codes::{Action, Channel, ContentCheck, Deadline, Environment, Kind, Origin, RatingSource, Status};

/// What a status says about the work.
pub trait StatusRules {
    /// Work on the demand is over.
    fn is_final(&self) -> bool;
    /// A unit holds the demand.
    fn is_with_unit(&self) -> bool;
}

impl StatusRules for Status {
    fn is_final(&self) -> bool {
        matches!(*self, Status::Closed | Status::Rejected | Status::Merged)
    }

    fn is_with_unit(&self) -> bool {
        matches!(*self, Status::Assigned | Status::InProgress)
    }
}

/// A demand's deadlines.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dues {
    pub accept: Option<DateTime<Utc>>,
    pub sign: Option<DateTime<Utc>>,
    pub reply: Option<DateTime<Utc>>,
}

/// The deadline a demand in `status` has passed at `now`, if any: acceptance while submitted;
/// the reply, or else the signature while not signed, while a unit holds it.
pub fn passed_deadline(status: Status, dues: Dues, now: DateTime<Utc>) -> Option<(Deadline, DateTime<Utc>)> {
    let past = |due: Option<DateTime<Utc>>| due.filter(|d| *d < now);
    match status {
        Status::Submitted => past(dues.accept).map(|d| (Deadline::Accept, d)),
        Status::Assigned | Status::InProgress => match past(dues.reply) {
            Some(d) => Some((Deadline::Reply, d)),
            None if status == Status::Assigned => past(dues.sign).map(|d| (Deadline::Sign, d)),
            None => None,
        },
        _ => None,
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
