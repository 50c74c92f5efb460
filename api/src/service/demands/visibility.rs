//! Who may read a demand, see who is behind it, and make each move; the lists as the caller
//! may see them, filtered without ever singling out an anonymous demand.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{demand, demand_attachment, demand_follower};
use sea_orm::sea_query::{ColumnRef, Expr, IntoColumnRef, NullOrdering, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, Order, QueryFilter, QueryOrder, QuerySelect,
};

use crate::domain::access::{Access, OWN_BUTLER, OWN_UNIT, Principal};
use crate::domain::demand::{Action, Channel, Environment, Kind, Status};
use crate::domain::queue::{DeadlineKind, Tab};
use crate::domain::role::Role;
use crate::error::ApiResult;

use super::*;

/// Who may make each move (the submitter's `rate` is checked apart: followers rate too).
pub fn rules(action: Action) -> &'static [Access] {
    match action {
        Action::Accept
        | Action::Reject
        | Action::Assign
        | Action::ApproveExtension
        | Action::FlagUnreasonable
        | Action::Merge
        | Action::Supervise => OWN_BUTLER,
        Action::Sign | Action::Return | Action::Reply | Action::Extend => OWN_UNIT,
        Action::Rate | Action::Comment | Action::Submit | Action::AutoClose => &[],
    }
}

/// Whether `auth` may make `action` on `d` (a rating: its submitter or a follower; one taken on
/// a hotline call-back, `by_staff`: the enterprise's butler or an admin). Checked before a
/// move's body is read too, so someone who may not make the move learns nothing of what it
/// takes.
pub fn may_attempt(auth: &Principal, d: &demand::Model, action: Action, follower: bool, by_staff: bool) -> bool {
    match action {
        Action::Rate if by_staff => auth.can(OWN_BUTLER, &owner(d)),
        Action::Rate => d.submitter_id == Some(auth.id) || follower,
        Action::Comment => can_read(auth, d, follower),
        other => auth.can(rules(other), &owner(d)),
    }
}

/// Whether `auth` may read the demand (`followers`: people following it).
pub fn can_read(auth: &Principal, d: &demand::Model, is_follower: bool) -> bool {
    let o = owner(d);
    is_follower
        || auth.can(
            &[
                Access::Admin,
                Access::EnterpriseButler,
                Access::UnitHandler,
                Access::Itself,
            ],
            &o,
        )
        || (!d.anonymous && auth.can(&[Access::EnterpriseMember], &o))
}

/// Whether `auth` sees who is behind the demand (anonymity hides it from handlers and colleagues).
pub fn sees_identity(auth: &Principal, d: &demand::Model) -> bool {
    auth.sees_identity(d.anonymous, &owner(d))
}

/// Filters of the demand list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub status: Option<Status>,
    pub unit_id: Option<i64>,
    pub environment: Option<Environment>,
    pub channel: Option<Channel>,
    pub enterprise_id: Option<i64>,
    pub overdue: Option<bool>,
    pub unreasonable: Option<bool>,
    pub q: Option<String>,
    /// Only what waits for the caller's own action (the staff queue).
    pub mine_to_act: bool,
    /// A tab of the console's queue.
    pub tab: Option<Tab>,
    pub kind: Option<Kind>,
    /// Filed on or after this day (Asia/Shanghai).
    pub from: Option<NaiveDate>,
    /// Filed on or before this day.
    pub to: Option<NaiveDate>,
    /// The next deadline first, instead of the newest first.
    pub by_deadline: bool,
}

impl ListFilter {
    /// Whether any filter narrows the demands (the tab and the order do not).
    pub fn narrows(&self) -> bool {
        let ListFilter {
            status,
            unit_id,
            environment,
            channel,
            enterprise_id,
            overdue,
            unreasonable,
            q,
            mine_to_act,
            tab: _,
            kind,
            from,
            to,
            by_deadline: _,
        } = self;
        status.is_some()
            || unit_id.is_some()
            || environment.is_some()
            || channel.is_some()
            || enterprise_id.is_some()
            || overdue.is_some()
            || unreasonable.is_some()
            || q.is_some()
            || *mine_to_act
            || kind.is_some()
            || from.is_some()
            || to.is_some()
    }
}

/// The deadlines the tabs read: now, and the end of the next working day (`due_soon`).
#[derive(Debug, Clone, Copy)]
pub struct Horizon {
    pub now: DateTime<Utc>,
    pub soon: DateTime<Utc>,
}

/// What the caller works on: a butler the enterprises they serve, a handler their units'
/// demands, an admin everything; nobody else anything.
fn works_on(auth: &Principal) -> Condition {
    works_on_by(
        auth,
        (demand::Entity, demand::Column::ButlerId).into_column_ref(),
        (demand::Entity, demand::Column::UnitId).into_column_ref(),
    )
}

/// `works_on`, given the columns that say whom a demand waits for (the queue's tally keeps them
/// too).
pub(super) fn works_on_by(auth: &Principal, butler: ColumnRef, unit: ColumnRef) -> Condition {
    use sea_orm::ExprTrait;
    if auth.is_admin() {
        return Condition::all();
    }
    let mut any = Condition::any().add(Expr::value(false));
    if auth.has_role(Role::Butler) {
        any = any.add(Expr::col(butler).eq(auth.id));
    }
    let units: Vec<i64> = auth.unit_ids().collect();
    if !units.is_empty() {
        any = any.add(Expr::col(unit).is_in(units));
    }
    any
}

/// A tab of the queue, as a condition (`Tab::holds`).
fn in_tab(tab: Tab, auth: &Principal, h: Horizon) -> Condition {
    let statuses: Vec<&str> = tab.statuses().iter().map(|s| s.code()).collect();
    let base = Condition::all()
        .add(works_on(auth))
        .add(demand::Column::Status.is_in(statuses));
    match tab {
        Tab::DueSoon => base.add(demand::Column::Overdue.eq(false)).add(due_soon(h)),
        Tab::Overdue => base.add(demand::Column::Overdue.eq(true)),
        Tab::ToCallBack => base.add(demand::Column::Channel.eq(Channel::Hotline)),
        _ => base,
    }
}

/// A deadline of the demand's status falls within the horizon (`DeadlineKind::statuses`): to
/// accept a submitted demand, to sign or reply to an assigned one, to reply to one in progress
/// or reopened.
pub(super) fn due_soon(h: Horizon) -> Condition {
    DeadlineKind::ALL.into_iter().fold(Condition::any(), |any, kind| {
        let column = match kind {
            DeadlineKind::Accept => demand::Column::AcceptDueAt,
            DeadlineKind::Sign => demand::Column::SignDueAt,
            DeadlineKind::Reply => demand::Column::ReplyDueAt,
        };
        any.add(
            Condition::all()
                .add(demand::Column::Status.is_in(kind.statuses().iter().map(|s| s.code())))
                .add(column.gt(h.now))
                .add(column.lte(h.soon)),
        )
    })
}

/// The deadline a demand works towards in its status, as an expression (`domain::queue::next_deadline`).
fn next_deadline_expr() -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::ExprTrait;
    let status = || Expr::col(demand::Column::Status);
    Expr::case(
        status().eq(Status::Submitted.code()),
        Expr::col(demand::Column::AcceptDueAt),
    )
    .case(
        status().eq(Status::Assigned.code()),
        Expr::col(demand::Column::SignDueAt).if_null(Expr::col(demand::Column::ReplyDueAt)),
    )
    .case(
        status().is_in([Status::InProgress.code(), Status::Reopened.code()]),
        Expr::col(demand::Column::ReplyDueAt),
    )
    .finally(Expr::val(Option::<DateTime<Utc>>::None))
    .into()
}

/// What `auth` may see, as a condition.
fn visible_to(auth: &Principal) -> Condition {
    use sea_orm::ExprTrait;
    if auth.is_admin() {
        return Condition::all();
    }
    let units: Vec<i64> = auth.unit_ids().collect();
    if units.is_empty() && !auth.has_role(Role::Butler) {
        return visible_to_person(auth);
    }
    let mut any = Condition::any().add(demand::Column::SubmitterId.eq(auth.id)).add(
        demand::Column::Id.in_subquery(
            Query::select()
                .column(demand_follower::Column::DemandId)
                .from(demand_follower::Entity)
                .and_where(Expr::col(demand_follower::Column::UserId).eq(auth.id))
                .take(),
        ),
    );
    if auth.has_role(Role::Butler) {
        any = any.add(demand::Column::ButlerId.eq(auth.id));
    }
    let units: Vec<i64> = auth.unit_ids().collect();
    if !units.is_empty() {
        any = any.add(demand::Column::UnitId.is_in(units));
    }
    let enterprises: Vec<i64> = auth.enterprise_ids().collect();
    if !enterprises.is_empty() {
        any = any.add(
            Condition::all()
                .add(demand::Column::EnterpriseId.is_in(enterprises))
                .add(demand::Column::Anonymous.eq(false)),
        );
    }
    any
}

/// What a person who is not staff sees: what they filed or follow, and their enterprises'
/// demands that are not anonymous. A few rows among many: as one set of ids, each part read
/// through its own index, rather than a condition the database tests on every demand.
fn visible_to_person(auth: &Principal) -> Condition {
    use sea_orm::ExprTrait;
    use sea_orm::sea_query::{SelectStatement, UnionType};
    let mut ids: SelectStatement = Query::select()
        .column(demand::Column::Id)
        .from(demand::Entity)
        .and_where(Expr::col(demand::Column::SubmitterId).eq(auth.id))
        .take();
    ids.union(
        UnionType::All,
        Query::select()
            .column(demand_follower::Column::DemandId)
            .from(demand_follower::Entity)
            .and_where(Expr::col(demand_follower::Column::UserId).eq(auth.id))
            .take(),
    );
    let enterprises: Vec<i64> = auth.enterprise_ids().collect();
    if !enterprises.is_empty() {
        ids.union(
            UnionType::All,
            Query::select()
                .column(demand::Column::Id)
                .from(demand::Entity)
                .and_where(Expr::col(demand::Column::EnterpriseId).is_in(enterprises))
                .and_where(Expr::col(demand::Column::Anonymous).eq(false))
                .take(),
        );
    }
    Condition::all().add(demand::Column::Id.in_subquery(ids))
}

/// The demands whose submitter and enterprise `auth` may see, as a condition: the SQL form of
/// `sees_identity`. A filter on who is behind demands (their enterprise, a name, a phone) is
/// always joined with it, so it never singles out an anonymous demand for someone from whom
/// its identity is hidden.
fn identity_visible(auth: &Principal) -> Condition {
    if auth.is_admin() {
        return Condition::all();
    }
    let mut any = Condition::any()
        .add(demand::Column::Anonymous.eq(false))
        .add(demand::Column::SubmitterId.eq(auth.id));
    if auth.has_role(Role::Butler) {
        any = any.add(demand::Column::ButlerId.eq(auth.id));
    }
    any
}

/// What waits for the caller: butlers accept/assign/approve, handlers sign/reply.
fn queue_of(auth: &Principal) -> Condition {
    let mut any = Condition::any();
    let staff_states = [Status::Submitted, Status::Accepted, Status::Reopened].map(|s| s.code());
    if auth.is_admin() || auth.has_role(Role::Butler) {
        let mut c = Condition::any()
            .add(demand::Column::Status.is_in(staff_states))
            .add(demand::Column::ExtensionDaysPending.is_not_null());
        if !auth.is_admin() {
            c = Condition::all().add(c).add(demand::Column::ButlerId.eq(auth.id));
        }
        any = any.add(c);
    }
    let units: Vec<i64> = auth.unit_ids().collect();
    if !units.is_empty() {
        any = any.add(
            Condition::all()
                .add(demand::Column::UnitId.is_in(units))
                .add(demand::Column::Status.is_in([Status::Assigned.code(), Status::InProgress.code()])),
        );
    }
    any.add(Expr::value(false))
}

/// Where a page starts: after a demand (newest first), or at a place in the deadline order.
#[derive(Debug, Clone, Copy)]
pub enum PageStart {
    First,
    AfterId(i64),
    Offset(u64),
}

/// A listed demand with the names a list shows, read in the same statement as the demand.
#[derive(Debug, FromQueryResult)]
pub struct ListedRow {
    #[sea_orm(nested)]
    pub demand: demand::Model,
    pub unit_name: Option<String>,
    pub enterprise_name: Option<String>,
    pub submitter_nickname: Option<String>,
    pub submitter_deleted_at: Option<DateTime<Utc>>,
}

/// `column` of the row whose `key` is the demand's `by`, as a subquery.
fn looked_up<C: ColumnTrait>(column: C, key: C, by: demand::Column) -> Expr {
    use sea_orm::ExprTrait;
    let table = column.entity_name();
    let sub = Query::select()
        .column((table.clone(), column))
        .from(table.clone())
        .and_where(Expr::col((table, key)).equals((demand::Entity, by)))
        .take();
    Expr::SubQuery(None, Box::new(sub.into()))
}

pub async fn list(
    db: &impl ConnectionTrait,
    auth: &Principal,
    f: &ListFilter,
    h: Horizon,
    start: PageStart,
    limit: u64,
) -> ApiResult<Vec<ListedRow>> {
    use entity::{enterprise, unit, user};
    // Each name as a subquery on its key rather than a join: PostgreSQL plans a list anew for
    // every request (its filters make a generic plan far worse), and a join of four tables
    // costs it more to plan than the list costs to run.
    let mut q = filtered(auth, f, h)
        .expr_as(
            looked_up(unit::Column::Name, unit::Column::Id, demand::Column::UnitId),
            "unit_name",
        )
        .expr_as(
            looked_up(
                enterprise::Column::Name,
                enterprise::Column::Id,
                demand::Column::EnterpriseId,
            ),
            "enterprise_name",
        )
        .expr_as(
            looked_up(user::Column::Nickname, user::Column::Id, demand::Column::SubmitterId),
            "submitter_nickname",
        )
        .expr_as(
            looked_up(user::Column::DeletedAt, user::Column::Id, demand::Column::SubmitterId),
            "submitter_deleted_at",
        )
        .limit(limit + 1);
    q = if f.by_deadline {
        q.order_by_with_nulls(next_deadline_expr(), Order::Asc, NullOrdering::Last)
            .order_by_asc(demand::Column::Id)
    } else {
        q.order_by_desc(demand::Column::Id)
    };
    match start {
        PageStart::First => {}
        PageStart::AfterId(after) => q = q.filter(demand::Column::Id.lt(after)),
        PageStart::Offset(n) => q = q.offset(n),
    }
    Ok(q.into_model::<ListedRow>().all(db).await?)
}

/// How many demands of each tab `auth` has, under the other filters. Without filters, from the
/// queue's tally (`queue_tally`); with them, as `tab_counts_scanned`.
pub async fn tab_counts(
    db: &impl ConnectionTrait,
    auth: &Principal,
    f: &ListFilter,
    h: Horizon,
) -> ApiResult<Vec<(Tab, u64)>> {
    if f.narrows() {
        return tab_counts_scanned(db, auth, f, h).await;
    }
    Ok(sum_tabs(&queue_tally::groups(db, auth, h).await?))
}

/// `tab_counts` read from the demands whatever the filters, in one pass over the open demands
/// the caller works on that pass them: the recount the tally is held to.
pub async fn tab_counts_scanned(
    db: &impl ConnectionTrait,
    auth: &Principal,
    f: &ListFilter,
    h: Horizon,
) -> ApiResult<Vec<(Tab, u64)>> {
    let f = ListFilter { tab: None, ..f.clone() };
    Ok(sum_tabs(&scanned_groups(db, auth, &f, h).await?))
}

/// Each tab, summed from the groups it holds (`Tab::holds`).
fn sum_tabs(groups: &[queue_tally::Group]) -> Vec<(Tab, u64)> {
    Tab::ALL
        .iter()
        .map(|tab| {
            let n: i64 = groups
                .iter()
                .map(|g| {
                    let hotline = g.channel == Channel::Hotline;
                    let held = |due_soon: bool| tab.holds(g.status, g.overdue, hotline, due_soon);
                    i64::from(held(true)) * g.soon + i64::from(held(false)) * (g.n - g.soon)
                })
                .sum();
            (*tab, u64::try_from(n).unwrap_or(0))
        })
        .collect()
}

/// The demands the caller works on that pass the filters, in each status, overdue or not, by
/// channel, and how many of them are due soon: one pass, a handful of groups.
async fn scanned_groups(
    db: &impl ConnectionTrait,
    auth: &Principal,
    f: &ListFilter,
    h: Horizon,
) -> ApiResult<Vec<queue_tally::Group>> {
    use sea_orm::ExprTrait;
    let open: Vec<&str> = Tab::open().iter().map(|s| s.code()).collect();
    type Row = (Status, bool, Channel, i64, Option<i64>);
    let rows: Vec<Row> = filtered(auth, f, h)
        .filter(works_on(auth))
        .filter(demand::Column::Status.is_in(open))
        .select_only()
        .columns([demand::Column::Status, demand::Column::Overdue, demand::Column::Channel])
        .expr(Expr::col(demand::Column::Id).count())
        .expr(Expr::case(due_soon(h), 1).finally(0).sum())
        .group_by(demand::Column::Status)
        .group_by(demand::Column::Overdue)
        .group_by(demand::Column::Channel)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(status, overdue, channel, n, soon)| queue_tally::Group {
            status,
            overdue,
            channel,
            n,
            soon: soon.unwrap_or(0),
        })
        .collect())
}

/// The demands `auth` may see under the filters, in no order.
fn filtered(auth: &Principal, f: &ListFilter, h: Horizon) -> sea_orm::Select<demand::Entity> {
    let mut q = demand::Entity::find().filter(visible_to(auth));
    if let Some(tab) = f.tab {
        q = q.filter(in_tab(tab, auth, h));
    }
    if let Some(k) = f.kind {
        q = q.filter(demand::Column::Kind.eq(k));
    }
    if let Some(day) = f.from {
        q = q.filter(demand::Column::CreatedAt.gte(crate::domain::report::start_of_day(day)));
    }
    if let Some(day) = f.to {
        q = q.filter(demand::Column::CreatedAt.lte(crate::domain::calendar::end_of_day(day)));
    }
    if let Some(s) = f.status {
        q = q.filter(demand::Column::Status.eq(s));
    }
    if let Some(u) = f.unit_id {
        q = q.filter(demand::Column::UnitId.eq(u));
    }
    if let Some(e) = f.environment {
        q = q.filter(demand::Column::Environment.eq(e));
    }
    if let Some(c) = f.channel {
        q = q.filter(demand::Column::Channel.eq(c));
    }
    if let Some(e) = f.enterprise_id {
        q = q
            .filter(demand::Column::EnterpriseId.eq(e))
            .filter(identity_visible(auth));
    }
    if let Some(o) = f.overdue {
        q = q.filter(demand::Column::Overdue.eq(o));
    }
    if let Some(u) = f.unreasonable {
        q = q.filter(demand::Column::Unreasonable.eq(u));
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        use crate::service::contains;
        // Who is behind a demand (its enterprise's name, the caller's phone) is searched only
        // where the caller may see it.
        let enterprises = Query::select()
            .column(entity::enterprise::Column::Id)
            .from(entity::enterprise::Entity)
            .and_where(contains(entity::enterprise::Column::Name, text))
            .take();
        let by_identity = Condition::any()
            .add(demand::Column::EnterpriseId.in_subquery(enterprises))
            .add(demand::Column::CallerPhone.eq(text));
        q = q.filter(
            Condition::any()
                .add(contains(demand::Column::Title, text))
                .add(contains(demand::Column::Content, text))
                .add(demand::Column::Number.eq(text.to_ascii_uppercase()))
                .add(Condition::all().add(by_identity).add(identity_visible(auth))),
        );
    }
    if f.mine_to_act {
        q = q.filter(queue_of(auth));
    }
    q
}

pub async fn attachments(db: &impl ConnectionTrait, demand_id: i64) -> ApiResult<Vec<demand_attachment::Model>> {
    Ok(demand_attachment::Entity::find()
        .filter(demand_attachment::Column::DemandId.eq(demand_id))
        .order_by_asc(demand_attachment::Column::Id)
        .all(db)
        .await?)
}
