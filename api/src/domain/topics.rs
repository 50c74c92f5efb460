//! Hot topics: the most frequent words of Chinese texts, segmented with jieba (words, not
//! substrings), with stop words and single characters left out.
use std::collections::HashMap;
use std::sync::LazyLock;

use jieba_rs::Jieba;

/// One dictionary for the whole process (loading it takes a moment).
pub static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Function words and words every complaint shares, which say nothing about the topic.
const STOP_WORDS: &[&str] = &[
    "我们", "你们", "他们", "这个", "那个", "一个", "没有", "不是", "就是", "还是", "但是", "因为", "所以", "如果",
    "可以", "希望", "问题", "反映", "企业", "公司", "目前", "现在", "已经", "非常", "比较", "什么", "怎么", "这样",
    "那么", "以及", "或者", "而且", "然后", "需要", "进行", "相关", "部门", "情况", "时候", "一些", "这些", "那些",
    "自己", "还有", "一直", "能够", "应该", "是否", "为了", "关于", "对于", "通过",
];

/// The `n` most frequent words, most frequent first (ties in first-seen order).
pub fn top_words<'a>(texts: impl IntoIterator<Item = &'a str>, n: usize) -> Vec<(String, usize)> {
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
    let mut order = 0;
    for text in texts {
        for word in JIEBA.cut(text, false) {
            let w = word.word.trim();
            let meaningful = w.chars().count() >= 2
                && w.chars().all(|c| c.is_alphanumeric())
                && !w.chars().all(|c| c.is_ascii_digit())
                && !STOP_WORDS.contains(&w);
            if meaningful {
                let entry = counts.entry(w.to_owned()).or_insert((0, order));
                entry.0 += 1;
                order += 1;
            }
        }
    }
    let mut words: Vec<(String, (usize, usize))> = counts.into_iter().collect();
    words.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.1.1.cmp(&b.1.1)));
    words.into_iter().take(n).map(|(w, (c, _))| (w, c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_segmented_words_and_skips_stop_words() {
        let texts = [
            "出口退税办理太慢，希望加快出口退税",
            "报关窗口排队时间长",
            "出口退税材料反复提交",
        ];
        let top = top_words(texts, 3);
        // jieba cuts 出口退税 into 出口 / 退税: words, not substrings; ties keep first-seen order.
        assert_eq!(top[..2], [("出口".to_owned(), 3), ("退税".to_owned(), 3)], "{top:?}");
        assert!(
            top.iter().all(|(w, _)| w != "希望" && w.chars().count() >= 2),
            "{top:?}"
        );
    }

    #[test]
    fn empty_input_gives_nothing() {
        assert!(top_words(std::iter::empty(), 5).is_empty());
    }
}
