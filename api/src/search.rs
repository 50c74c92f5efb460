//! Full-text search over policies in Chinese: jieba segmentation (search mode at index time, so
//! a document that says 「高新技术企业」 also carries 「高新」「技术」「企业」) into a tantivy index
//! held in RAM. Each replica builds its own from the database at start and applies every change;
//! nothing here touches the database.
//!
//! A query is cut into words; every word must appear (title ×3, explainer ×2, text ×1, BM25),
//! the words as a phrase rank higher, and a word from the shipped synonym list
//! (`api/data/policy_synonyms.txt`) may be met by any member of its group (「高企」 finds
//! 「高新技术企业」). When no policy holds every word, any word will do, so a stray word typed on
//! a phone still finds something.
use std::ops::Bound;
use std::sync::{LazyLock, Mutex};

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TantivyDocument, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, Term, doc};
use utoipa::ToSchema;

use crate::domain::topics::JIEBA;

const TOKENIZER: &str = "jieba";
const WRITER_MEMORY: usize = 15_000_000;

/// Synonym groups: each member maps to its group.
static SYNONYMS: LazyLock<Vec<Vec<String>>> = LazyLock::new(|| {
    include_str!("../data/policy_synonyms.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .filter(|g| g.len() > 1)
        .collect()
});

/// What the index keeps of a policy.
#[derive(Debug, Clone)]
pub struct PolicyDoc {
    pub id: i64,
    pub title: String,
    pub issuer: String,
    /// The 明白纸 in one piece: for whom, what you get, how to apply, contact.
    pub explainer: String,
    pub text: String,
    pub tags: Vec<String>,
    pub status: String,
    pub published_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SearchFilter {
    pub issuer: Option<String>,
    pub tag: Option<String>,
    /// Statuses allowed; empty allows all.
    pub statuses: Vec<String>,
    pub published_from: Option<NaiveDate>,
    pub published_to: Option<NaiveDate>,
}

/// A piece of a snippet; `hit` pieces are what matched the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Hit {
    #[serde(skip)]
    pub id: i64,
    pub score: f32,
    pub title: Vec<Segment>,
    pub snippet: Vec<Segment>,
}

#[derive(Debug, thiserror::Error)]
#[error("search index: {0}")]
pub struct SearchError(#[from] tantivy::TantivyError);

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    issuer: Field,
    explainer: Field,
    text: Field,
    tag: Field,
    status: Field,
    published: Field,
}

pub struct PolicyIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    /// What the index last caught up with (see `service::policies::sync_index`).
    synced: Mutex<Synced>,
    /// Held by the one request catching the index up; the others wait for it.
    catching_up: tokio::sync::Mutex<()>,
    /// The index's answers to recent searches, for as long as the index does not change.
    answers: Mutex<Answers>,
}

/// What a search asked: the words as typed, the filter and how many.
type Asked = (String, SearchFilter, usize);

/// Recent answers of the index, each under the count of the index's writes it was found at:
/// the words people search for repeat (「人才补贴」 from thousands of enterprises), and ranking
/// and highlighting them again costs the server more than all of the request's SQL. Any write
/// of the index makes every answer of an earlier count unusable, so an answer is never staler
/// than the index itself.
#[derive(Default)]
struct Answers {
    writes: u64,
    found: std::collections::HashMap<Asked, Vec<Hit>>,
}

/// Answers kept at most (each up to 50 hits with their snippets); past it the map starts afresh.
const ANSWERS: usize = 256;

/// Writes this process made through a policy index (every policy change on a replica passes
/// there): a change shows at once to whatever keeps a copy keyed on it (the rule cache).
pub static INDEX_WRITES: crate::copies::Writes = crate::copies::Writes::new();

/// The table's stamp and each policy's revision when the index last caught up with it.
#[derive(Debug, Clone, Default)]
pub struct Synced {
    pub stamp: Option<(i64, i64)>,
    pub revisions: std::collections::HashMap<i64, i64>,
}

fn days(date: NaiveDate) -> i64 {
    date.signed_duration_since(NaiveDate::default()).num_days()
}

impl PolicyIndex {
    pub fn new() -> Result<Self, SearchError> {
        let mut schema = Schema::builder();
        let chinese = TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = Fields {
            id: schema.add_i64_field("id", INDEXED | STORED | FAST),
            title: schema.add_text_field("title", chinese.clone()),
            issuer: schema.add_text_field("issuer", STRING),
            explainer: schema.add_text_field("explainer", chinese.clone()),
            text: schema.add_text_field("text", chinese),
            tag: schema.add_text_field("tag", STRING),
            status: schema.add_text_field("status", STRING),
            published: schema.add_i64_field("published", INDEXED | FAST),
        };
        let index = Index::create_in_ram(schema.build());
        // Ordinal positions keep phrase queries meaningful over jieba's words.
        index.tokenizers().register(
            TOKENIZER,
            TextAnalyzer::from(tantivy_jieba::JiebaTokenizer::with_ordinal_position_mode(true)),
        );
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        let reader = index.reader()?;
        Ok(Self {
            reader,
            writer: Mutex::new(writer),
            fields,
            synced: Mutex::new(Synced::default()),
            catching_up: tokio::sync::Mutex::new(()),
            answers: Mutex::new(Answers::default()),
        })
    }

    /// What the index last caught up with.
    pub fn synced(&self) -> Synced {
        self.synced.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Waits for any other catch-up to end: one at a time, so the requests that find the index
    /// behind do not all index the same policies at once.
    pub async fn catching_up(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.catching_up.lock().await
    }

    pub fn set_synced(&self, synced: Synced) {
        if let Ok(mut s) = self.synced.lock() {
            *s = synced;
        }
    }

    fn document(&self, p: &PolicyDoc) -> TantivyDocument {
        let f = self.fields;
        let mut d = doc!(
            f.id => p.id,
            f.title => p.title.as_str(),
            f.issuer => p.issuer.as_str(),
            f.explainer => p.explainer.as_str(),
            f.text => p.text.as_str(),
            f.status => p.status.as_str(),
        );
        for tag in &p.tags {
            d.add_text(f.tag, tag);
        }
        if let Some(date) = p.published_on {
            d.add_i64(f.published, days(date));
        }
        d
    }

    fn write(&self, f: impl FnOnce(&mut IndexWriter, &Self) -> Result<(), SearchError>) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Whatever happens to the write, the answers found before it are not used again.
        self.forget_answers();
        f(&mut writer, self)?;
        writer.commit()?;
        self.reader.reload()?;
        self.forget_answers();
        INDEX_WRITES.bump();
        // Policies are among what the replica's kept answers show (search).
        crate::copies::ANSWERED_WRITES.bump();
        Ok(())
    }

    /// Replaces the whole index with these policies.
    pub fn rebuild(&self, docs: &[PolicyDoc]) -> Result<(), SearchError> {
        self.write(|w, me| {
            w.delete_all_documents()?;
            for d in docs {
                w.add_document(me.document(d))?;
            }
            Ok(())
        })
    }

    /// Adds the policy or replaces its earlier version.
    pub fn upsert(&self, doc: &PolicyDoc) -> Result<(), SearchError> {
        self.upsert_all(std::slice::from_ref(doc))
    }

    /// Adds the policies or replaces their earlier versions, in one commit.
    pub fn upsert_all(&self, docs: &[PolicyDoc]) -> Result<(), SearchError> {
        self.write(|w, me| {
            for doc in docs {
                w.delete_term(Term::from_field_i64(me.fields.id, doc.id));
                w.add_document(me.document(doc))?;
            }
            Ok(())
        })
    }

    pub fn remove(&self, id: i64) -> Result<(), SearchError> {
        self.write(|w, me| {
            w.delete_term(Term::from_field_i64(me.fields.id, id));
            Ok(())
        })
    }

    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Words of a piece of query text (precise cut, so a query word is a whole word),
    /// whitespace and punctuation dropped.
    fn words(&self, text: &str) -> Vec<String> {
        JIEBA
            .cut(text, true)
            .into_iter()
            .map(|t| t.word.trim().to_lowercase())
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .collect()
    }

    /// The analyzer's terms of a phrase, as the index holds them (precise cut, in order).
    fn phrase(&self, field: Field, words: &[String]) -> Box<dyn Query> {
        if let [one] = words {
            return Box::new(TermQuery::new(
                Term::from_field_text(field, one),
                IndexRecordOption::WithFreqs,
            ));
        }
        Box::new(PhraseQuery::new(
            words.iter().map(|w| Term::from_field_text(field, w)).collect(),
        ))
    }

    /// One query word (or synonym group) over the three text fields, boosted by field.
    fn any_field(&self, alternatives: &[Vec<String>]) -> Box<dyn Query> {
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, boost) in [(f.title, 3.0), (f.explainer, 2.0), (f.text, 1.0)] {
            for words in alternatives.iter().filter(|w| !w.is_empty()) {
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(self.phrase(field, words), boost)),
                ));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// The query's required parts: synonym groups found in the text, then the remaining words.
    fn parts(&self, q: &str) -> Vec<Vec<Vec<String>>> {
        let mut rest = q.to_lowercase();
        let mut parts = Vec::new();
        // Longest members first, so 「高新技术企业」 is not read as 「高企」 plus leftovers.
        let mut members: Vec<(&String, &Vec<String>)> =
            SYNONYMS.iter().flat_map(|g| g.iter().map(move |m| (m, g))).collect();
        members.sort_by_key(|(m, _)| std::cmp::Reverse(m.chars().count()));
        for (member, group) in members {
            if rest.contains(member.as_str()) {
                rest = rest.replace(member.as_str(), " ");
                parts.push(group.iter().map(|m| self.words(m)).collect());
            }
        }
        parts.extend(self.words(&rest).into_iter().map(|w| vec![vec![w]]));
        parts
    }

    fn filters(&self, filter: &SearchFilter) -> Vec<(Occur, Box<dyn Query>)> {
        let f = self.fields;
        let term = |field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(issuer) = &filter.issuer {
            out.push((Occur::Must, term(f.issuer, issuer)));
        }
        if let Some(tag) = &filter.tag {
            out.push((Occur::Must, term(f.tag, tag)));
        }
        if !filter.statuses.is_empty() {
            let any = filter
                .statuses
                .iter()
                .map(|s| (Occur::Should, term(f.status, s)))
                .collect();
            out.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if filter.published_from.is_some() || filter.published_to.is_some() {
            let bound = |d: Option<NaiveDate>| {
                d.map_or(Bound::Unbounded, |d| {
                    Bound::Included(Term::from_field_i64(f.published, days(d)))
                })
            };
            out.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    bound(filter.published_from),
                    bound(filter.published_to),
                )),
            ));
        }
        out
    }

    fn build(&self, parts: &[Vec<Vec<String>>], filter: &SearchFilter, every_word: bool) -> BooleanQuery {
        let occur = if every_word { Occur::Must } else { Occur::Should };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = parts.iter().map(|p| (occur, self.any_field(p))).collect();
        // The words side by side, as typed, rank first.
        let flat: Vec<String> = parts
            .iter()
            .filter_map(|p| p.first())
            .flat_map(|w| w.iter().cloned())
            .collect();
        if flat.len() > 1 {
            clauses.push((Occur::Should, Box::new(BoostQuery::new(self.any_field(&[flat]), 2.0))));
        }
        if !every_word {
            // With only optional words, one of them must still be there.
            let any: Vec<(Occur, Box<dyn Query>)> = parts.iter().map(|p| (Occur::Should, self.any_field(p))).collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        clauses.extend(self.filters(filter));
        BooleanQuery::new(clauses)
    }

    fn forget_answers(&self) {
        let mut answers = self.answers.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        answers.writes += 1;
        answers.found.clear();
    }

    /// The best `limit` policies for the query, best first, with highlighted snippets: the
    /// index's answer to the same search when it has not changed since, or found now.
    pub fn search(&self, q: &str, filter: &SearchFilter, limit: usize) -> Result<Vec<Hit>, SearchError> {
        let asked: Asked = (q.to_owned(), filter.clone(), limit);
        let writes = {
            let answers = self.answers.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(hits) = answers.found.get(&asked) {
                return Ok(hits.clone());
            }
            answers.writes
        };
        let hits = self.find(q, filter, limit)?;
        let mut answers = self.answers.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // An answer found while the index changed is not kept.
        if answers.writes == writes {
            if answers.found.len() >= ANSWERS {
                answers.found.clear();
            }
            answers.found.insert(asked, hits.clone());
        }
        Ok(hits)
    }

    fn find(&self, q: &str, filter: &SearchFilter, limit: usize) -> Result<Vec<Hit>, SearchError> {
        let parts = self.parts(q);
        if parts.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let limit = limit.clamp(1, 100);
        let mut query = self.build(&parts, filter, true);
        let mut top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        if top.is_empty() {
            query = self.build(&parts, filter, false);
            top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        }
        let f = self.fields;
        let mut titles = SnippetGenerator::create(&searcher, &query, f.title)?;
        titles.set_max_num_chars(200);
        let explainers = SnippetGenerator::create(&searcher, &query, f.explainer)?;
        let texts = SnippetGenerator::create(&searcher, &query, f.text)?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let d: TantivyDocument = searcher.doc(address)?;
            let Some(id) = d.get_first(f.id).and_then(|v| v.as_i64()) else {
                continue;
            };
            let title = d.get_first(f.title).and_then(|v| v.as_str()).unwrap_or_default();
            let title_snippet = titles.snippet_from_doc(&d);
            let mut body = explainers.snippet_from_doc(&d);
            if body.highlighted().is_empty() {
                let text = texts.snippet_from_doc(&d);
                if !text.highlighted().is_empty() || body.fragment().is_empty() {
                    body = text;
                }
            }
            hits.push(Hit {
                id,
                score,
                title: if title_snippet.highlighted().is_empty() {
                    vec![Segment {
                        text: title.to_owned(),
                        hit: false,
                    }]
                } else {
                    segments(&title_snippet)
                },
                snippet: segments(&body),
            });
        }
        Ok(hits)
    }
}

/// Cuts a snippet into plain and highlighted pieces (merging touching highlights).
fn segments(snippet: &Snippet) -> Vec<Segment> {
    let text = snippet.fragment();
    let mut ranges: Vec<std::ops::Range<usize>> = snippet.highlighted().to_vec();
    ranges.sort_by_key(|r| r.start);
    let mut out: Vec<Segment> = Vec::new();
    let mut at = 0;
    let push = |piece: &str, hit: bool, out: &mut Vec<Segment>| {
        if piece.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.hit == hit => last.text.push_str(piece),
            _ => out.push(Segment {
                text: piece.to_owned(),
                hit,
            }),
        }
    };
    for r in ranges {
        let start = r.start.max(at);
        if start >= r.end || r.end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(r.end) {
            continue;
        }
        push(&text[at..start], false, &mut out);
        push(&text[start..r.end], true, &mut out);
        at = r.end;
    }
    push(&text[at..], false, &mut out);
    out
}

/// Synonym groups as shipped (for the documentation endpoint and tests).
pub fn synonym_groups() -> &'static [Vec<String>] {
    &SYNONYMS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(id: i64, title: &str, explainer: &str, text: &str) -> PolicyDoc {
        PolicyDoc {
            id,
            title: title.into(),
            issuer: "青岛自贸片区管委".into(),
            explainer: explainer.into(),
            text: text.into(),
            tags: vec!["人才".into()],
            status: "published".into(),
            published_on: NaiveDate::from_ymd_opt(2026, 3, 1),
        }
    }

    fn corpus() -> PolicyIndex {
        let index = PolicyIndex::new().unwrap();
        index
            .rebuild(&[
                policy(
                    1,
                    "高层次人才引进补贴实施细则",
                    "面向新引进的博士和高级职称人才，给予人才引进补贴每人最高50万元。",
                    "为加快集聚高层次人才，对新引进人才给予住房补贴和生活补贴。",
                ),
                policy(
                    2,
                    "高新技术企业认定奖励办法",
                    "首次通过高新技术企业认定的企业，给予一次性奖励20万元。",
                    "鼓励企业加大研发投入，申报高新技术企业。",
                ),
                policy(
                    3,
                    "跨境电子商务通关便利化措施",
                    "跨境电商企业可享受7×24小时通关、汇总征税。",
                    "优化跨境电子商务零售进出口商品通关流程。",
                ),
                policy(
                    4,
                    "小微企业首贷贴息政策",
                    "首次获得银行贷款的小微企业，按贷款利息的50%给予补贴。",
                    "支持金融机构扩大首贷投放，对企业首贷给予贴息。",
                ),
                policy(
                    5,
                    "人才公寓配租管理办法",
                    "面向区内企业引进的各类人才，提供人才公寓。",
                    "人才公寓租金按市场价的一定比例收取，不再发放补贴。",
                ),
            ])
            .unwrap();
        index
    }

    fn ids(hits: &[Hit]) -> Vec<i64> {
        hits.iter().map(|h| h.id).collect()
    }

    fn find(index: &PolicyIndex, q: &str) -> Vec<Hit> {
        index.search(q, &SearchFilter::default(), 10).unwrap()
    }

    #[test]
    fn segmented_words_find_a_policy_that_says_them_apart() {
        // 「人才补贴」 is never written as such: the policy says 「人才引进补贴」.
        let hits = find(&corpus(), "人才补贴");
        assert_eq!(hits.first().map(|h| h.id), Some(1), "{:?}", ids(&hits));
        // The talent-flat policy mentions both words too but ranks below the subsidy itself.
        assert!(ids(&hits).contains(&5));
    }

    #[test]
    fn synonyms_expand_abbreviations() {
        let hits = find(&corpus(), "高企");
        assert_eq!(ids(&hits), vec![2]);
        assert!(
            hits[0].title.iter().any(|s| s.hit && s.text.contains("高新")),
            "{:?}",
            hits[0].title
        );
        let hits = find(&corpus(), "跨境电商通关");
        assert_eq!(ids(&hits).first(), Some(&3));
        assert_eq!(ids(&find(&corpus(), "首贷")), vec![4]);
    }

    #[test]
    fn the_closer_match_ranks_first() {
        let index = corpus();
        let hits = find(&index, "首贷贴息");
        assert_eq!(ids(&hits), vec![4]);
        let hits = find(&index, "人才公寓");
        assert_eq!(ids(&hits).first(), Some(&5));
    }

    #[test]
    fn substrings_are_not_words() {
        // 「才引」 is two characters across a word boundary: no policy says it.
        assert!(find(&corpus(), "才引").is_empty());
        assert!(find(&corpus(), "   ，。").is_empty());
    }

    #[test]
    fn a_stray_word_falls_back_to_any_word() {
        // No policy mentions 火星; every word cannot match, so any word does.
        let hits = find(&corpus(), "火星 高新技术企业");
        assert_eq!(ids(&hits), vec![2]);
    }

    #[test]
    fn snippets_highlight_the_words() {
        let hits = find(&corpus(), "汇总征税");
        assert_eq!(ids(&hits), vec![3]);
        let marked: String = hits[0]
            .snippet
            .iter()
            .filter(|s| s.hit)
            .map(|s| s.text.as_str())
            .collect();
        assert!(
            marked.contains("汇总") && marked.contains("征税"),
            "{:?}",
            hits[0].snippet
        );
        let whole: String = hits[0].snippet.iter().map(|s| s.text.as_str()).collect();
        assert!(whole.contains("跨境电商企业可享受"));
    }

    #[test]
    fn filters_narrow_by_issuer_tag_status_and_date() {
        let index = corpus();
        let mut draft = policy(6, "人才补贴申报指南（征求意见稿）", "人才补贴", "人才补贴");
        draft.status = "draft".into();
        draft.issuer = "人社局".into();
        draft.tags = vec!["征求意见".into()];
        draft.published_on = None;
        index.upsert(&draft).unwrap();
        let only = |filter: SearchFilter| ids(&index.search("人才补贴", &filter, 10).unwrap());
        assert!(only(SearchFilter::default()).contains(&6));
        assert!(
            !only(SearchFilter {
                statuses: vec!["published".into(), "expired".into()],
                ..Default::default()
            })
            .contains(&6)
        );
        assert_eq!(
            only(SearchFilter {
                issuer: Some("人社局".into()),
                ..Default::default()
            }),
            vec![6]
        );
        assert_eq!(
            only(SearchFilter {
                tag: Some("征求意见".into()),
                ..Default::default()
            }),
            vec![6]
        );
        let march = NaiveDate::from_ymd_opt(2026, 3, 1);
        let dated = only(SearchFilter {
            published_from: march,
            published_to: march,
            ..Default::default()
        });
        assert!(dated.contains(&1) && !dated.contains(&6));
        assert!(
            only(SearchFilter {
                published_from: NaiveDate::from_ymd_opt(2026, 4, 1),
                ..Default::default()
            })
            .is_empty()
        );
    }

    #[test]
    fn changes_replace_and_remove() {
        let index = corpus();
        assert_eq!(index.len(), 5);
        let mut changed = policy(2, "专精特新企业培育办法", "认定为专精特新的企业给予奖励。", "");
        changed.tags = vec![];
        index.upsert(&changed).unwrap();
        assert_eq!(index.len(), 5);
        assert!(find(&index, "高企").is_empty());
        assert_eq!(ids(&find(&index, "小巨人")), vec![2]);
        index.remove(2).unwrap();
        assert!(find(&index, "专精特新").is_empty());
        assert_eq!(index.len(), 4);
    }

    #[test]
    fn an_answer_is_used_again_only_while_the_index_is_unchanged() {
        let index = corpus();
        let first = find(&index, "首贷");
        assert_eq!(ids(&first), vec![4]);
        assert_eq!(index.answers.lock().unwrap().found.len(), 1, "the answer is kept");
        assert_eq!(ids(&find(&index, "首贷")), vec![4]);
        // Another filter or limit is another search.
        let only_drafts = SearchFilter {
            statuses: vec!["draft".into()],
            ..SearchFilter::default()
        };
        assert!(index.search("首贷", &only_drafts, 10).unwrap().is_empty());
        assert_eq!(index.answers.lock().unwrap().found.len(), 2);
        // A new policy that says the words is found at once.
        index
            .upsert(&policy(6, "首贷续贷风险补偿办法", "小微企业首贷给予风险补偿。", ""))
            .unwrap();
        assert_eq!(
            index.answers.lock().unwrap().found.len(),
            0,
            "a write forgets the answers"
        );
        let mut after = ids(&find(&index, "首贷"));
        after.sort_unstable();
        assert_eq!(after, vec![4, 6]);
        index.remove(4).unwrap();
        assert_eq!(ids(&find(&index, "首贷")), vec![6]);
    }

    #[test]
    fn the_synonym_list_is_well_formed() {
        let groups = synonym_groups();
        assert!(
            groups
                .iter()
                .any(|g| g.contains(&"高企".to_owned()) && g.contains(&"高新技术企业".to_owned()))
        );
        let mut seen = std::collections::HashSet::new();
        for member in groups.iter().flatten() {
            assert!(seen.insert(member.clone()), "{member} is in two groups");
        }
    }
}
