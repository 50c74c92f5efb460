//! Uploaded files: type checked by content, stored behind `FileStore` (local disk by default),
//! readable by their uploader and by whoever may see a demand they are attached to.
use std::path::PathBuf;

use chrono::Utc;
use entity::{demand_attachment, file};
use futures_util::future::BoxFuture;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};

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

/// Demands the file is attached to.
/// Checks that files exist and belong to `owner_id`.
pub async fn check_owned(db: &impl ConnectionTrait, owner_id: i64, ids: &[i64], field: &str) -> ApiResult<()> {
    if ids.len() > 9 {
        return Err(ApiError::invalid_field(field, "too_many", "最多 9 个附件"));
    }
    if ids.is_empty() {
        return Ok(());
    }
    let found = file::Entity::find()
        .filter(file::Column::Id.is_in(ids.to_vec()))
        .filter(file::Column::OwnerId.eq(owner_id))
        .all(db)
        .await?;
    if found.len() != ids.iter().collect::<std::collections::HashSet<_>>().len() {
        return Err(ApiError::invalid_field(field, "not_found", "附件不存在或不属于您"));
    }
    Ok(())
}

pub async fn demands_of(db: &impl ConnectionTrait, file_id: i64) -> ApiResult<Vec<i64>> {
    Ok(demand_attachment::Entity::find()
        .filter(demand_attachment::Column::FileId.eq(file_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.demand_id)
        .collect())
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
