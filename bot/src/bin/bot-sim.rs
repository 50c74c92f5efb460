//! Talk to the bot without WeCom: each line you type is wrapped exactly as WeCom's intelligent
//! robot would send it (JSON, signed, encrypted, a fresh nonce and message id), posted to the
//! server, and the decrypted reply printed.
//!
//!   cargo run -p bot --bin bot-sim -- --server http://127.0.0.1:8080 [--user zhangsan] [--chat group-1]
//!
//! With `--kf` it speaks as a WeChat user in 微信客服 instead (a development server takes each
//! line in as `kf/sync_msg` would bring it; `--scene g<id>` enters by a customer group's link):
//!
//!   cargo run -p bot --bin bot-sim -- --kf [--user wm-demo-1] [--scene g1]
//!
//! Development servers use Tencent's sample keys (set A), which are the defaults here; pass
//! `--token` and `--key` for others.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{BufRead, Write};

use bot::crypto::Crypto;

struct Args {
    server: String,
    user: String,
    chat: Option<String>,
    token: String,
    key: String,
    /// 微信客服 instead of the robot, with the link's scene.
    kf: bool,
    scene: Option<String>,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        server: "http://127.0.0.1:8080".into(),
        user: "sim-user".into(),
        chat: Some("sim-group".into()),
        token: "QDG6eK".into(),
        key: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C".into(),
        kf: false,
        scene: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--server" => a.server = value()?,
            "--user" => a.user = value()?,
            "--chat" => a.chat = Some(value()?),
            "--single" => a.chat = None,
            "--token" => a.token = value()?,
            "--key" => a.key = value()?,
            "--kf" => a.kf = true,
            "--scene" => a.scene = Some(value()?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

/// Sends one line as a WeChat user in 微信客服 (the development server's `/dev/kf-messages`).
fn send_kf(client: &Client, line: &str, first: bool) -> Result<String, String> {
    let url = format!("{}/api/v1/dev/kf-messages", client.args.server.trim_end_matches('/'));
    let body = serde_json::json!({
        "externalUserid": client.args.user,
        "content": line,
        "scene": if first { client.args.scene.clone() } else { None },
    });
    let res = client
        .http
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .map_err(|e| format!("请求失败：{e}"))?;
    let status = res.status();
    let text = res.text().map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("服务器返回 {status}：{text}"));
    }
    let reply: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    Ok(reply["reply"].as_str().unwrap_or("（无回复）").to_owned())
}

/// Sends one line; returns the bot's answer.
fn send(client: &Client, line: &str, n: u64) -> Result<String, String> {
    if client.args.kf {
        return send_kf(client, line, n == 1);
    }
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs()
        .to_string();
    let nonce = format!("{:016x}", rand::random::<u64>());
    let msg = serde_json::json!({
        "msgid": format!("sim-{ts}-{n}-{nonce}"),
        "aibotid": "bot-sim",
        "chatid": client.args.chat,
        "chattype": if client.args.chat.is_some() { "group" } else { "single" },
        "from": {"userid": client.args.user},
        "msgtype": "text",
        "text": {"content": format!("@亲清助手 {line}")},
    });
    let encrypt = client.crypto.encrypt(msg.to_string().as_bytes());
    let sig = client.crypto.signature(&ts, &nonce, &encrypt);
    let url = format!(
        "{}/api/v1/bot/wecom/aibot?msg_signature={sig}&timestamp={ts}&nonce={nonce}",
        client.args.server.trim_end_matches('/')
    );
    let res = client
        .http
        .post(url)
        .body(serde_json::json!({ "encrypt": encrypt }).to_string())
        .send()
        .map_err(|e| format!("请求失败：{e}"))?;
    let status = res.status();
    let text = res.text().map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("服务器返回 {status}：{text}"));
    }
    if text.is_empty() {
        return Ok("（无回复）".into());
    }
    let reply: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let field = |k: &str| {
        reply[k]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| reply[k].to_string())
    };
    let opened = client
        .crypto
        .open(
            &field("msgsignature"),
            &field("timestamp"),
            &field("nonce"),
            &field("encrypt"),
        )
        .map_err(|e| format!("回复无法解密：{e}"))?;
    let inner: serde_json::Value = serde_json::from_slice(&opened.message).map_err(|e| e.to_string())?;
    Ok(inner["stream"]["content"].as_str().unwrap_or_default().to_owned())
}

struct Client {
    args: Args,
    crypto: Crypto,
    http: reqwest::blocking::Client,
}

fn main() {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "{e}\nusage: bot-sim --server URL [--user ID] [--chat ID | --single] [--token T --key K] [--kf [--scene g<id>]]"
            );
            std::process::exit(2);
        }
    };
    let crypto = match Crypto::new(&args.token, &args.key, "") {
        Ok(c) => c,
        Err(e) => {
            eprintln!("bad key: {e}");
            std::process::exit(2);
        }
    };
    let client = Client {
        args,
        crypto,
        http: reqwest::blocking::Client::new(),
    };
    println!(
        "亲清机器人模拟器 → {}（用户 {}，{}）。输入消息回车发送，「帮助」查看功能，Ctrl-D 退出。",
        client.args.server,
        client.args.user,
        if client.args.kf {
            "微信客服".to_owned()
        } else {
            client
                .args
                .chat
                .as_deref()
                .map_or("单聊".to_owned(), |c| format!("群 {c}"))
        }
    );
    let stdin = std::io::stdin();
    let mut n = 0;
    loop {
        print!("> ");
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        n += 1;
        match send(&client, line, n) {
            Ok(reply) => println!("{reply}\n"),
            Err(e) => println!("⚠ {e}\n"),
        }
    }
}
