//! What a person scanning a sign-in code is told about the browser that asks: its name, major
//! version and system, read from the `User-Agent` (`Chrome 126 · Windows`). Never trusted for
//! anything else.

/// `Chrome 126 · Windows`, `Edge 120 · macOS`, `浏览器 · 未知系统` when nothing is recognised.
pub fn describe(ua: &str) -> String {
    let version = |marker: &str| -> Option<String> {
        let at = ua.find(marker)? + marker.len();
        let v: String = ua[at..].chars().take_while(char::is_ascii_digit).collect();
        (!v.is_empty()).then_some(v)
    };
    // Order matters: Edge, Opera and the Chinese browsers also say Chrome; Chrome says Safari.
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("QQBrowser/", "QQ浏览器"),
        ("360SE", "360浏览器"),
        ("MetaSr", "搜狗浏览器"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Version/", "Safari"),
    ]
    .iter()
    .find(|(marker, _)| ua.contains(marker))
    .map_or_else(
        || "浏览器".to_owned(),
        |(marker, name)| match version(marker) {
            Some(v) => format!("{name} {v}"),
            None => (*name).to_owned(),
        },
    );
    let system = [
        ("Windows", "Windows"),
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(marker, _)| ua.contains(marker))
    .map_or("未知系统", |(_, name)| name);
    let text = format!("{browser} · {system}");
    text.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_browsers_are_named_with_their_system() {
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
        assert_eq!(describe(chrome), "Chrome 126 · Windows");
        let edge = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0.2210";
        assert_eq!(describe(edge), "Edge 120 · macOS");
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(describe(firefox), "Firefox 128 · Linux");
        let headless =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36";
        assert_eq!(describe(headless), "Chrome 156 · Linux");
        assert_eq!(describe(""), "浏览器 · 未知系统");
        assert_eq!(describe(&"x".repeat(500)).chars().count(), 10);
    }
}
