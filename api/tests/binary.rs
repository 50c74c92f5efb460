//! The server binary itself: production refuses unsafe settings and says which.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn run(envs: &[(&str, &str)]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_api"));
    cmd.current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn production_with_defaults_refuses_to_start_and_names_every_missing_setting() {
    let (ok, stderr) = run(&[("QINQING_ENV", "production")]);
    assert!(!ok);
    for name in [
        "QINQING_WECHAT__DEV_MODE",
        "QINQING_AUTH__JWT_SECRET",
        "QINQING_WECHAT__APP_ID",
        "QINQING_WECHAT__APP_SECRET",
        "QINQING_DATABASE__URL",
        "QINQING_REDIS__URL",
    ] {
        assert!(stderr.contains(name), "stderr should name {name}: {stderr}");
    }
}

#[test]
fn production_refuses_a_short_secret_and_does_not_print_it() {
    let (ok, stderr) = run(&[
        ("QINQING_ENV", "production"),
        ("QINQING_WECHAT__DEV_MODE", "false"),
        ("QINQING_AUTH__JWT_SECRET", "hunter2-hunter2"),
        ("QINQING_WECHAT__APP_ID", "wx0123456789"),
        ("QINQING_WECHAT__APP_SECRET", "s3cret-value"),
        ("QINQING_DATABASE__URL", "postgres://app:dbpass@127.0.0.1:1/none"),
        ("QINQING_REDIS__URL", "redis://127.0.0.1:1"),
    ]);
    assert!(!ok);
    assert!(stderr.contains("shorter than 32"), "{stderr}");
    assert!(
        !stderr.contains("QINQING_WECHAT__APP_ID"),
        "the app id is set: {stderr}"
    );
    for secret in ["hunter2-hunter2", "s3cret-value", "dbpass"] {
        assert!(!stderr.contains(secret), "a secret leaked: {stderr}");
    }
}

#[test]
fn an_unknown_setting_is_refused_by_name() {
    let (ok, stderr) = run(&[("QINQING_SERVER__PROT", "9000")]);
    assert!(!ok);
    assert!(stderr.contains("prot"), "{stderr}");
}
