//! Uploaded files: type checked by content, stored behind `FileStore` (local disk by default),
//! attached once to one object (`attach`), readable by their uploader and by whoever may read
//! that object (`readable`).
use std::path::PathBuf;

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::codes::Attachment;
use entity::{demand_attachment, file, form_submission, media_observation, plan_note, supervision_activity};
use futures_util::future::BoxFuture;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::domain::access::Principal;
use crate::error::{ApiError, ApiResult, FieldError};

/// Where file bytes live.
pub trait FileStore: Send + Sync {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> BoxFuture<'a, std::io::Result<()>>;
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, std::io::Result<Vec<u8>>>;
}

/// Files under a directory, sharded by the first bytes of their hash.
pub struct LocalDisk {
    root: PathBuf,
}

impl LocalDisk {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path(&self, key: &str) -> PathBuf {
        // Keys are hex digests made here; anything else would never be asked for.
        let clean: String = key.chars().filter(char::is_ascii_hexdigit).collect();
        let (a, rest) = clean.split_at(clean.len().min(2));
        self.root.join(a).join(rest)
    }
}

impl FileStore for LocalDisk {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> BoxFuture<'a, std::io::Result<()>> {
        Box::pin(async move {
            let path = self.path(key);
            if let Some(dir) = path.parent() {
                tokio::fs::create_dir_all(dir).await?;
            }
            // Write then rename, so a reader never sees half a file.
            let tmp = path.with_extension(format!("tmp{}", uuid::Uuid::new_v4().simple()));
            tokio::fs::write(&tmp, bytes).await?;
            tokio::fs::rename(&tmp, &path).await
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, std::io::Result<Vec<u8>>> {
        Box::pin(async move { tokio::fs::read(self.path(key)).await })
    }
}

/// The type of a file from its first bytes; only images and PDF are accepted.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some("image/jpeg"),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some("image/png"),
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some("image/gif"),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some("image/webp"),
        [b'%', b'P', b'D', b'F', b'-', ..] => Some("application/pdf"),
        _ => None,
    }
}

pub async fn save(
    db: &impl ConnectionTrait,
    store: &dyn FileStore,
    owner_id: i64,
    name: Option<String>,
    bytes: &[u8],
) -> ApiResult<file::Model> {
    let content_type = sniff(bytes).ok_or_else(|| {
        ApiError::invalid_field(
            "file",
            "unsupported_type",
            "只支持 JPEG、PNG、GIF、WebP 图片和 PDF 文件",
        )
    })?;
    // Nothing about who took a photo is kept (see `domain::image`).
    let bytes = crate::domain::image::strip_metadata(content_type, bytes)
        .map_err(|_| ApiError::invalid_field("file", "unreadable_image", "图片文件已损坏，无法读取，请重新选择"))?;
    let bytes = bytes.as_slice();
    let sha = hex::encode(Sha256::digest(bytes));
    store.put(&sha, bytes).await.map_err(ApiError::internal)?;
    Ok(file::ActiveModel {
        owner_id: Set(owner_id),
        content_type: Set(content_type.to_owned()),
        size: Set(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
        sha256: Set(sha.clone()),
        storage_key: Set(sha),
        original_name: Set(name.map(|n| n.chars().filter(|c| !c.is_control()).take(100).collect())),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<file::Model> {
    file::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("file_not_found", "文件不存在"))
}

/// What a file is attached to. A file is attached once and for good, and whoever may read the
/// object may read the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachedTo {
    Demand(i64),
    Complaint(i64),
    /// A scorecard answer or a mystery-shopper report.
    Submission(i64),
    PlanNote(i64),
    Observation(i64),
    /// A supervision activity.
    Activity(i64),
    Policy(i64),
    /// A conduct clue (discipline staff read it).
    Clue(i64),
}

impl AttachedTo {
    pub fn kind(self) -> Attachment {
        match self {
            AttachedTo::Demand(_) => Attachment::Demand,
            AttachedTo::Complaint(_) => Attachment::Complaint,
            AttachedTo::Submission(_) => Attachment::Submission,
            AttachedTo::PlanNote(_) => Attachment::PlanNote,
            AttachedTo::Observation(_) => Attachment::Observation,
            AttachedTo::Activity(_) => Attachment::Activity,
            AttachedTo::Policy(_) => Attachment::Policy,
            AttachedTo::Clue(_) => Attachment::Clue,
        }
    }

    pub fn id(self) -> i64 {
        match self {
            AttachedTo::Demand(id)
            | AttachedTo::Complaint(id)
            | AttachedTo::Submission(id)
            | AttachedTo::PlanNote(id)
            | AttachedTo::Observation(id)
            | AttachedTo::Activity(id)
            | AttachedTo::Policy(id)
            | AttachedTo::Clue(id) => id,
        }
    }

    pub fn of(f: &file::Model) -> Option<AttachedTo> {
        let id = f.attached_id?;
        Some(match f.attached_kind? {
            Attachment::Demand => AttachedTo::Demand(id),
            Attachment::Complaint => AttachedTo::Complaint(id),
            Attachment::Submission => AttachedTo::Submission(id),
            Attachment::PlanNote => AttachedTo::PlanNote(id),
            Attachment::Observation => AttachedTo::Observation(id),
            Attachment::Activity => AttachedTo::Activity(id),
            Attachment::Policy => AttachedTo::Policy(id),
            Attachment::Clue => AttachedTo::Clue(id),
        })
    }
}

/// Whose uploads may be attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uploader {
    /// Only this person's own.
    Person(i64),
    /// Any administrator's (a policy's attachments are the administration's).
    Admins,
}

/// The file ids of a request, each with the name of the field that carried it
/// (`attachments[2]`, `answers.photos[0].fileId`), and the list they came in.
#[derive(Debug, Clone, Default)]
pub struct FileRefs {
    pub field: String,
    pub items: Vec<(String, i64)>,
}

impl FileRefs {
    /// A list field: `field[0]`, `field[1]`, ...
    pub fn list(field: &str, ids: &[i64]) -> Self {
        Self {
            field: field.to_owned(),
            items: ids
                .iter()
                .enumerate()
                .map(|(i, id)| (format!("{field}[{i}]"), *id))
                .collect(),
        }
    }

    /// The photos of a form's answers (already validated by the form engine).
    pub fn of_answers(answers: &std::collections::HashMap<String, serde_json::Value>) -> Self {
        let mut items = Vec::new();
        let mut keys: Vec<&String> = answers.keys().collect();
        keys.sort();
        for key in keys {
            let Some(photos) = answers[key].as_array() else {
                continue;
            };
            for (i, p) in photos.iter().enumerate() {
                let id = p.get("fileId").and_then(|v| match v {
                    serde_json::Value::String(s) => s.parse().ok(),
                    other => other.as_i64(),
                });
                if let Some(id) = id {
                    items.push((format!("answers.{key}[{i}].fileId"), id));
                }
            }
        }
        Self {
            field: "answers".to_owned(),
            items,
        }
    }

    pub fn ids(&self) -> Vec<i64> {
        self.items.iter().map(|(_, id)| *id).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// At most this many files on one object.
pub const MAX_FILES: usize = 9;

/// Files that passed `check`, to be attached with `Claim::attach` in the transaction that
/// writes their object.
#[derive(Debug, Clone, Default)]
pub struct Claim {
    field: String,
    ids: Vec<i64>,
    /// Not attached to anything yet.
    fresh: Vec<i64>,
}

impl Claim {
    pub fn ids(&self) -> &[i64] {
        &self.ids
    }

    /// Attaches the files to `to` for good. Once: of two requests attaching the same file at
    /// the same time only one succeeds (the other gets 422 `already_attached`).
    pub async fn attach(self, db: &impl ConnectionTrait, to: AttachedTo) -> ApiResult<Vec<i64>> {
        if !self.fresh.is_empty() {
            let claimed = file::Entity::update_many()
                .col_expr(file::Column::AttachedKind, Expr::value(to.kind()))
                .col_expr(file::Column::AttachedId, Expr::value(to.id()))
                .col_expr(file::Column::AttachedAt, Expr::value(Utc::now()))
                .filter(file::Column::Id.is_in(self.fresh.clone()))
                .filter(file::Column::AttachedKind.is_null())
                .exec(db)
                .await?;
            if usize::try_from(claimed.rows_affected).unwrap_or(0) != self.fresh.len() {
                return Err(ApiError::invalid_field(
                    &self.field,
                    "already_attached",
                    "文件刚被用于其他内容，请重新上传",
                ));
            }
        }
        Ok(self.ids)
    }
}

/// The one rule of attaching files: each must exist, be the uploader's own (for policies, any
/// administrator's), appear once, and not be attached to anything yet (but `object`, the
/// object being saved again), with at most `cap` of them. Otherwise 422 naming each bad entry
/// (`not_found`, `not_owned`, `duplicate`, `already_attached`) or the list (`too_many`).
pub async fn check(
    db: &impl ConnectionTrait,
    by: Uploader,
    refs: &FileRefs,
    cap: usize,
    object: Option<AttachedTo>,
) -> ApiResult<Claim> {
    if refs.items.len() > cap {
        return Err(ApiError::invalid_field(
            &refs.field,
            "too_many",
            &format!("最多 {cap} 个附件"),
        ));
    }
    let ids = refs.ids();
    if ids.is_empty() {
        return Ok(Claim::default());
    }
    let found: HashMap<i64, file::Model> = file::Entity::find()
        .filter(file::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let admins: HashSet<i64> = match by {
        Uploader::Person(_) => HashSet::new(),
        Uploader::Admins => {
            let owners: Vec<i64> = found.values().map(|f| f.owner_id).collect();
            crate::service::people::holding(db, crate::domain::role::Role::Admin, &owners).await?
        }
    };
    let mut seen = HashSet::new();
    let mut errors = Vec::new();
    let mut fresh = Vec::new();
    for (field, id) in &refs.items {
        let f = found.get(id);
        let owned = f.is_some_and(|f| match by {
            Uploader::Person(user) => f.owner_id == user,
            Uploader::Admins => admins.contains(&f.owner_id),
        });
        let problem = if !seen.insert(*id) {
            Some(("duplicate", "同一文件不能重复添加"))
        } else if f.is_none() {
            Some(("not_found", "文件不存在"))
        } else if !owned {
            Some(("not_owned", "只能添加自己上传的文件"))
        } else {
            match f.and_then(AttachedTo::of) {
                None => {
                    fresh.push(*id);
                    None
                }
                Some(already) if Some(already) == object => None,
                Some(_) => Some(("already_attached", "该文件已用于其他内容，请重新上传")),
            }
        };
        if let Some((code, message)) = problem {
            errors.push(FieldError::new(field.as_str(), code, message));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    Ok(Claim {
        field: refs.field.clone(),
        ids,
        fresh,
    })
}

/// Demands the file is linked to (a report's photos also show on the findings' demands).
pub async fn demands_of(db: &impl ConnectionTrait, file_id: i64) -> ApiResult<Vec<i64>> {
    Ok(demand_attachment::Entity::find()
        .filter(demand_attachment::Column::FileId.eq(file_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.demand_id)
        .collect())
}

/// Whether `auth` may read the file: its uploader, and whoever may read the object it is
/// attached to (or a demand it is linked to). An unattached file is its uploader's alone.
pub async fn readable(db: &impl ConnectionTrait, auth: &Principal, f: &file::Model) -> ApiResult<bool> {
    use crate::domain::access::DISCIPLINE;
    use crate::service::{complaints, demands, events, plans, policies};
    if f.owner_id == auth.id {
        return Ok(true);
    }
    let demand_readable = |id: i64| async move {
        let d = match demands::get(db, id).await {
            Ok(d) => d,
            Err(_) => return Ok::<bool, ApiError>(false),
        };
        let follower = demands::is_follower(db, d.id, auth.id).await?;
        Ok(demands::can_read(auth, &d, follower))
    };
    let object = match AttachedTo::of(f) {
        None => false,
        Some(AttachedTo::Demand(id)) => demand_readable(id).await?,
        Some(AttachedTo::Complaint(id)) => {
            let c = complaints::get(db, id).await?;
            // A photo on the wall is for the wall's audience while the post is shown.
            (!c.hidden && events::visible(db, auth, c.event_id).await.is_ok())
                || match c.demand_id {
                    Some(d) => demand_readable(d).await?,
                    None => false,
                }
        }
        Some(AttachedTo::Submission(id)) => {
            let s = form_submission::Entity::find_by_id(id).one(db).await?;
            match s {
                None => false,
                Some(s) if auth.is_admin() || s.submitter_id == auth.id => true,
                // The assessed unit reads the report on its target.
                Some(s) => match s.assignment_id {
                    Some(a) => {
                        let unit = crate::service::mystery::unit_of_assignment(db, a).await?;
                        auth.unit_ids().any(|u| u == unit)
                    }
                    None => false,
                },
            }
        }
        Some(AttachedTo::PlanNote(id)) => match plan_note::Entity::find_by_id(id).one(db).await? {
            Some(n) => {
                let item = plans::item(db, n.item_id).await?;
                auth.is_admin() || auth.unit_ids().any(|mine| mine == item.unit_id)
            }
            None => false,
        },
        Some(AttachedTo::Observation(id)) => match media_observation::Entity::find_by_id(id).one(db).await? {
            Some(o) => o.author_id == auth.id || auth.is_admin() || auth.has_role(crate::domain::role::Role::Butler),
            None => false,
        },
        Some(AttachedTo::Activity(id)) => match supervision_activity::Entity::find_by_id(id).one(db).await? {
            Some(a) => a.supervisor_id == auth.id || auth.is_admin(),
            None => false,
        },
        // While the policy still lists it: an attachment taken off a policy is read by no one.
        Some(AttachedTo::Policy(id)) => {
            let p = policies::get(db, id).await?;
            (policies::is_public(&p) || auth.is_admin())
                && policies::attachments(db, id).await?.iter().any(|a| a.id == f.id)
        }
        // A clue's files are discipline staff's alone (and the reporter's, as the uploader).
        Some(AttachedTo::Clue(_)) => auth.can(DISCIPLINE, &Default::default()),
    };
    if object {
        return Ok(true);
    }
    for id in demands_of(db, f.id).await? {
        if demand_readable(id).await? {
            return Ok(true);
        }
        // A demand referred as a clue: discipline staff read its files through the clue.
        if auth.can(DISCIPLINE, &Default::default()) && crate::service::clues::referred_from(db, id).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_content_not_names() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"GIF89a.."), Some("image/gif"));
        assert_eq!(sniff(b"<html><script>"), None);
        assert_eq!(sniff(b"MZ\x90\0"), None);
        assert_eq!(sniff(b""), None);
    }

    #[tokio::test]
    async fn local_disk_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalDisk::new(dir.path());
        store.put("abcdef", b"hello").await.unwrap();
        assert_eq!(store.get("abcdef").await.unwrap(), b"hello");
        assert!(store.get("../../etc/passwd").await.is_err());
    }
}
