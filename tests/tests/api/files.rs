//! Files: attached once, by their uploader, to one object whose readers read them; uploaded
//! images carry no metadata. (Every route that takes file ids is also in the authorization
//! matrix.)
use serde_json::{Value, json};
use tests::{Session, TestApp, assert_error, spawn_app};

use tests::world::{file_demand, ok, world};

async fn upload(app: &TestApp, who: &Session, bytes: &[u8], name: &str) -> String {
    let res = app.upload("/api/v1/files", &who.access, bytes.to_vec(), name).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

fn fields(err: &Value) -> Vec<(String, String)> {
    err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_owned(),
                f["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn demand_with(files: &[&str]) -> Value {
    json!({"kind": "demand", "environment": "service", "title": "窗口排队", "content": "见照片", "attachments": files})
}

#[tokio::test]
async fn a_file_is_attached_once_by_its_uploader_within_the_cap_and_each_bad_entry_is_named() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let mine = upload(&app, &w.member, tests::PNG, "a.png").await;
    let theirs = upload(&app, &w.other_member, tests::PNG, "b.png").await;
    // An id nobody has uploaded yet: the next file anyone uploads would get it.
    let next = (theirs.parse::<i64>().unwrap() + 1).to_string();

    let err = assert_error(
        app.post(
            "/api/v1/demands",
            Some(&w.member.access),
            &demand_with(&[&mine, &theirs, &next, &mine]),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        fields(&err),
        [
            ("attachments[1]".to_owned(), "not_owned".to_owned()),
            ("attachments[2]".to_owned(), "not_found".to_owned()),
            ("attachments[3]".to_owned(), "duplicate".to_owned()),
        ]
    );
    let ten: Vec<String> = vec![mine.clone(); 10];
    let ten: Vec<&str> = ten.iter().map(String::as_str).collect();
    let err = assert_error(
        app.post("/api/v1/demands", Some(&w.member.access), &demand_with(&ten))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(fields(&err), [("attachments".to_owned(), "too_many".to_owned())]);
    // Nothing was filed by the refusals, and the file is still free.
    let listed: Value = app.get_json("/api/v1/demands", Some(&w.member.access)).await;
    assert_eq!(listed["items"], json!([]));

    let res = app
        .post("/api/v1/demands", Some(&w.member.access), &demand_with(&[&mine]))
        .await;
    assert_eq!(res.status(), 201);
    // Once attached, it is not attached again, to this demand or another.
    let err = assert_error(
        app.post("/api/v1/demands", Some(&w.member.access), &demand_with(&[&mine]))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        fields(&err),
        [("attachments[0]".to_owned(), "already_attached".to_owned())]
    );
}

#[tokio::test]
async fn a_reply_attaches_only_the_handlers_own_files_and_a_future_upload_stays_private() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let d = file_demand(&app, &w.member, false).await;
    let id = d["id"].as_str().unwrap();
    ok(&app, &w.butler, id, "accept", json!({})).await;
    ok(&app, &w.butler, id, "assign", json!({"unitId": w.unit_a})).await;
    ok(&app, &w.handler_a, id, "sign", json!({})).await;
    // The other enterprise's file, and the id the next upload will get.
    let theirs = upload(&app, &w.other_member, tests::PNG, "secret.png").await;
    let next = (theirs.parse::<i64>().unwrap() + 1).to_string();
    let url = format!("/api/v1/demands/{id}/reply");
    let err = assert_error(
        app.post(
            &url,
            Some(&w.handler_a.access),
            &json!({"content": "已办理", "attachments": [theirs, next]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        fields(&err),
        [
            ("attachments[0]".to_owned(), "not_owned".to_owned()),
            ("attachments[1]".to_owned(), "not_found".to_owned()),
        ]
    );
    // The next upload (the other enterprise's) stays theirs: nothing points at it.
    let later = upload(&app, &w.other_member, tests::PNG, "later.png").await;
    assert_eq!(later, next);
    for who in [&w.member, &w.handler_a, &w.butler] {
        for file in [&theirs, &later] {
            app.get_error(&format!("/api/v1/files/{file}"), Some(&who.access), 403, "forbidden")
                .await;
        }
    }
    // The handler's own file goes with the reply, and the enterprise reads it.
    let evidence = upload(&app, &w.handler_a, tests::PNG, "evidence.png").await;
    let replied = ok(
        &app,
        &w.handler_a,
        id,
        "reply",
        json!({"content": "已办理", "attachments": [evidence]}),
    )
    .await;
    assert_eq!(replied["attachments"], json!([evidence]));
    let res = app
        .get(&format!("/api/v1/files/{evidence}"), Some(&w.member.access))
        .await;
    assert_eq!(res.status(), 200);
    app.get_error(
        &format!("/api/v1/files/{evidence}"),
        Some(&w.handler_b.access),
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn policy_attachments_are_the_administrations_and_no_one_elses() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let second = app.sign_in("f-second-admin").await;
    app.grant(&admin, &second.id(), json!({"role": "admin"})).await;
    let member = app.sign_in("f-member").await;
    let pdf = b"%PDF-1.7\n1 0 obj\n";
    let by_admin = upload(&app, &admin, pdf, "指南.pdf").await;
    let by_member = upload(&app, &member, pdf, "x.pdf").await;
    let body = |files: &[&str]| json!({"title": "人才补贴", "issuer": "人才局", "explainer": crate::policies::explainer("区内企业", "补贴"), "attachments": files});
    // Another admin's upload may be used; a member's may not.
    let err = assert_error(
        app.post(
            "/api/v1/policies",
            Some(&second.access),
            &body(&[&by_admin, &by_member]),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(fields(&err), [("attachments[1]".to_owned(), "not_owned".to_owned())]);
    let res = app
        .post("/api/v1/policies", Some(&second.access), &body(&[&by_admin]))
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    // Saved again with the same file: still its own; another policy may not take it.
    let res = app
        .put(
            &format!("/api/v1/policies/{id}"),
            Some(&admin.access),
            &body(&[&by_admin]),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let err = assert_error(
        app.post("/api/v1/policies", Some(&admin.access), &body(&[&by_admin]))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        fields(&err),
        [("attachments[0]".to_owned(), "already_attached".to_owned())]
    );
}

#[tokio::test]
async fn uploaded_photos_keep_their_picture_and_rotation_but_not_who_took_them_or_where() {
    let app = spawn_app().await;
    let who = app.sign_in("f-photographer").await;
    let original = tests::jpeg_with_metadata();
    assert!(original.windows(5).any(|w| w == b"Canon"));
    let id = upload(&app, &who, &original, "IMG_0001.jpg").await;
    let res = app.get(&format!("/api/v1/files/{id}"), Some(&who.access)).await;
    assert_eq!(res.status(), 200);
    let stored = res.bytes().await.unwrap().to_vec();
    let has = |needle: &[u8]| stored.windows(needle.len()).any(|w| w == needle);
    assert!(!has(b"Canon"), "the camera is gone");
    assert!(!has(b"Zhang San"), "the comment is gone");
    assert!(!has(b"\x88\x25"), "the GPS pointer is gone");
    assert!(has(b"\x12\x34\xFF\xD9"), "the picture is kept");
    // The rotation survives: one tag, Orientation = 6.
    assert!(has(
        b"Exif\0\0MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06"
    ));
    // A broken image cannot be cleaned, so it is refused.
    let res = app
        .upload("/api/v1/files", &who.access, b"\xFF\xD8\xFF\xE0photo".to_vec(), "p.jpg")
        .await;
    let err = assert_error(res, 422, "validation_failed").await;
    assert_eq!(fields(&err), [("file".to_owned(), "unreadable_image".to_owned())]);
}
