//! Wire conventions of docs/design.md section 8: IDs as strings, times in RFC 3339 with the
//! Asia/Shanghai offset, cursor pagination.
use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{IntoParams, PartialSchema, ToSchema};

use crate::error::{ApiError, FieldError};

/// A database id, sent as a decimal string (JavaScript numbers lose precision past 2^53).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(pub i64);

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Str(String),
            Num(i64),
        }
        match Raw::deserialize(d)? {
            Raw::Num(n) => Ok(Id(n)),
            Raw::Str(s) => s
                .parse::<i64>()
                .map(Id)
                .map_err(|_| serde::de::Error::custom("expected an id (a string of digits)")),
        }
    }
}

impl PartialSchema for Id {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some("^[0-9]+$"))
            .examples([serde_json::json!("42")])
            .into()
    }
}
impl ToSchema for Id {}

impl From<i64> for Id {
    fn from(v: i64) -> Self {
        Id(v)
    }
}

/// The id of an uploaded file (`POST /api/v1/files`). A schema of its own, so the OpenAPI
/// document shows every request that attaches files (the authorization tests find them by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FileId(pub Id);

impl FileId {
    pub fn ids(ids: &[FileId]) -> Vec<i64> {
        ids.iter().map(|f| f.0.0).collect()
    }
}

impl PartialSchema for FileId {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some("^[0-9]+$"))
            .description(Some(
                "上传文件的 id（`POST /api/v1/files`），只能用自己上传、尚未使用的文件",
            ))
            .examples([serde_json::json!("42")])
            .into()
    }
}
impl ToSchema for FileId {}

pub use crate::domain::time::{SHANGHAI_OFFSET_SECS, local_time, shanghai, today};

/// `?cursor=&limit=`
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Opaque cursor from the previous page's `nextCursor`.
    pub cursor: Option<String>,
    /// Items per page, 1–100 (default 20).
    pub limit: Option<u64>,
}

impl PageQuery {
    pub const DEFAULT_LIMIT: u64 = 20;
    pub const MAX_LIMIT: u64 = 100;

    pub fn limit(&self) -> Result<u64, ApiError> {
        match self.limit {
            None => Ok(Self::DEFAULT_LIMIT),
            Some(n) if (1..=Self::MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(ApiError::invalid(vec![FieldError::new(
                "limit",
                "out_of_range",
                "每页数量应在 1 到 100 之间",
            )])),
        }
    }

    /// The id of the last item of the previous page (lists run in id order, newest first
    /// unless a list says otherwise).
    pub fn after_id(&self) -> Result<Option<i64>, ApiError> {
        Ok(self.after::<1>("id")?.map(|[id]| id))
    }

    /// The position of the last item of the previous page, for a list in an order of its own
    /// (`kind` names the order: a cursor of another list is refused).
    pub fn after<const N: usize>(&self, kind: &str) -> Result<Option<[i64; N]>, ApiError> {
        let Some(cursor) = self.cursor.as_deref().filter(|c| !c.is_empty()) else {
            return Ok(None);
        };
        let parse = |text: &str| -> Option<[i64; N]> {
            let numbers: Vec<i64> = text
                .strip_prefix(kind)?
                .strip_prefix(':')?
                .split('.')
                .map(|n| n.parse().ok())
                .collect::<Option<_>>()?;
            numbers.try_into().ok()
        };
        URL_SAFE_NO_PAD
            .decode(cursor)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|text| parse(&text))
            .map(Some)
            .ok_or_else(|| ApiError::invalid(vec![FieldError::new("cursor", "invalid_cursor", "分页游标无效")]))
    }
}

pub fn encode_cursor(last_id: i64) -> String {
    encode_position("id", &[last_id])
}

/// The cursor after an item at `position` in a list ordered by `kind` (see `PageQuery::after`).
pub fn encode_position(kind: &str, position: &[i64]) -> String {
    let numbers: Vec<String> = position.iter().map(i64::to_string).collect();
    URL_SAFE_NO_PAD.encode(format!("{kind}:{}", numbers.join(".")))
}

/// Ids kept in a JSON column (photos, evidence files), as strings like the API's ids.
pub fn ids_json(ids: &[i64]) -> serde_json::Value {
    serde_json::Value::Array(ids.iter().map(|i| serde_json::Value::String(i.to_string())).collect())
}

/// The ids of such a column (anything that is not an id string is skipped).
pub fn ids_of(v: &serde_json::Value) -> Vec<Id> {
    v.as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str()?.parse().ok()).map(Id).collect())
        .unwrap_or_default()
}

/// `{items, nextCursor}`
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// Absent on the last page.
    pub next_cursor: Option<String>,
}

impl<T: ToSchema> Page<T> {
    /// Builds a page from rows fetched with `limit + 1`, so the extra row tells whether
    /// there is a next page.
    pub fn from_rows<R>(rows: Vec<R>, limit: u64, id_of: impl Fn(&R) -> i64, map: impl Fn(R) -> T) -> Self {
        let (rows, next_cursor) = split_page(rows, limit, id_of);
        Page {
            items: rows.into_iter().map(map).collect(),
            next_cursor,
        }
    }
}

/// The rows of a page fetched with `limit + 1`, and the next page's cursor when the extra row
/// came (for pages whose items are shaped asynchronously).
pub fn split_page<R>(mut rows: Vec<R>, limit: u64, id_of: impl Fn(&R) -> i64) -> (Vec<R>, Option<String>) {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|r| encode_cursor(id_of(r)))
    } else {
        None
    };
    (rows, next_cursor)
}

/// An object named by its id and name (a unit, an enterprise, a person).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Named {
    pub id: Id,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    #[test]
    fn ids_travel_as_strings_and_accept_both_forms() {
        assert_eq!(serde_json::to_string(&Id(42)).unwrap(), "\"42\"");
        assert_eq!(serde_json::from_str::<Id>("\"42\"").unwrap(), Id(42));
        assert_eq!(serde_json::from_str::<Id>("42").unwrap(), Id(42));
        assert!(serde_json::from_str::<Id>("\"4x\"").is_err());
    }

    #[test]
    fn times_carry_the_shanghai_offset() {
        let t = DateTime::parse_from_rfc3339("2026-11-28T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(local_time(t).to_rfc3339(), "2026-11-28T16:00:00+08:00");
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let q = PageQuery {
            cursor: Some(encode_cursor(99)),
            limit: None,
        };
        assert_eq!(q.after_id().unwrap(), Some(99));
        let bad = PageQuery {
            cursor: Some("!!".into()),
            limit: Some(500),
        };
        assert!(bad.after_id().is_err());
        assert!(bad.limit().is_err());
    }

    #[test]
    fn a_position_cursor_round_trips_and_serves_only_its_own_order() {
        let cursor = |c: String| PageQuery {
            cursor: Some(c),
            limit: None,
        };
        let q = cursor(encode_position("fit", &[2, 3, 41]));
        assert_eq!(q.after::<3>("fit").unwrap(), Some([2, 3, 41]));
        assert!(q.after::<3>("id").is_err(), "another list's order");
        assert!(q.after::<2>("fit").is_err(), "another length");
        assert!(q.after_id().is_err());
        assert!(cursor(encode_cursor(7)).after::<3>("fit").is_err());
        assert!(cursor(encode_position("fit", &[1, 2])).after::<3>("fit").is_err());
    }

    #[test]
    fn a_page_knows_when_there_is_more() {
        let page = Page::<Id>::from_rows(vec![5, 4, 3], 2, |r| *r, Id);
        assert_eq!(page.items, vec![Id(5), Id(4)]);
        assert_eq!(page.next_cursor, Some(encode_cursor(4)));
        let last = Page::<Id>::from_rows(vec![2], 2, |r| *r, Id);
        assert_eq!(last.next_cursor, None);
    }
}
