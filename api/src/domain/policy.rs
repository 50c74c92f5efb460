//! Policy eligibility (docs/design.md section 5): conditions over the enterprise profile as data, and
//! one pure function that says whether a profile matches **and why**. Hard conditions must all
//! hold; the overlap of the policy's tags with the enterprise's tags and qualifications ranks.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::FieldError;
use crate::domain::enterprise::{Scale, clean_labels};
use crate::domain::industry;

/// Eligibility conditions. An empty list or an absent bound places no restriction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Conditions {
    /// GB/T 4754-2017 codes of any level (`I`, `I65`, `I651`, `I6513`); the enterprise's class
    /// must fall under one of them.
    #[serde(default)]
    pub industries: Vec<String>,
    #[serde(default)]
    pub scales: Vec<Scale>,
    /// Whole years since registration, at least.
    #[serde(default)]
    pub min_years: Option<u32>,
    /// Whole years since registration, at most.
    #[serde(default)]
    pub max_years: Option<u32>,
    /// Every one of these is required (e.g. 高新技术企业, 专精特新).
    #[serde(default)]
    pub qualifications: Vec<String>,
    /// The enterprise's district must be one of these.
    #[serde(default)]
    pub districts: Vec<String>,
}

impl Conditions {
    /// Whether two conditions admit the same enterprises for the same reasons: the lists are
    /// sets (their order and repeats do not matter).
    pub fn same_as(&self, other: &Conditions) -> bool {
        fn set<T: Ord + Clone>(v: &[T]) -> Vec<T> {
            let mut v = v.to_vec();
            v.sort();
            v.dedup();
            v
        }
        let codes = |v: &[String]| set(&v.iter().map(|c| c.trim().to_ascii_uppercase()).collect::<Vec<_>>());
        codes(&self.industries) == codes(&other.industries)
            && set(&self.scales) == set(&other.scales)
            && self.min_years == other.min_years
            && self.max_years == other.max_years
            && set(&self.qualifications) == set(&other.qualifications)
            && set(&self.districts) == set(&other.districts)
    }

    /// Checks the codes and bounds and returns the conditions with labels cleaned.
    pub fn validated(mut self, path: &str) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        for (i, code) in self.industries.iter_mut().enumerate() {
            *code = code.trim().to_ascii_uppercase();
            if industry::lookup(code).is_none() {
                errors.push(FieldError::new(
                    format!("{path}.industries[{i}]"),
                    "unknown_industry",
                    format!("未知的国民经济行业代码：{code}"),
                ));
            }
        }
        if let (Some(min), Some(max)) = (self.min_years, self.max_years)
            && min > max
        {
            errors.push(FieldError::new(
                format!("{path}.maxYears"),
                "invalid_range",
                "成立年限上限不能小于下限",
            ));
        }
        self.industries.dedup();
        self.scales.dedup();
        self.qualifications = clean_labels(&self.qualifications);
        self.districts = clean_labels(&self.districts);
        if errors.is_empty() { Ok(self) } else { Err(errors) }
    }

    pub fn is_empty(&self) -> bool {
        self == &Conditions::default()
    }
}

/// What the matcher needs to know about an enterprise.
#[derive(Debug, Clone, Copy)]
pub struct Profile<'a> {
    pub industry_code: &'a str,
    pub scale: Scale,
    pub registered_at: NaiveDate,
    pub qualifications: &'a [String],
    pub district: Option<&'a str>,
    pub tags: &'a [String],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum ConditionKind {
    Everyone,
    Industry,
    Scale,
    Age,
    Qualification,
    District,
    Tag,
}

/// One condition checked, in words an entrepreneur reads ("why you see this").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    pub kind: ConditionKind,
    pub held: bool,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    pub matched: bool,
    /// Every hard condition with whether it held, then the shared tags.
    pub reasons: Vec<Reason>,
    /// The policy's tags the enterprise shares (through its tags or qualifications).
    pub shared_tags: Vec<String>,
}

impl Verdict {
    /// Higher ranks first: shared tags, then how specific the fit is.
    pub fn rank(&self) -> (usize, usize) {
        let specific = self
            .reasons
            .iter()
            .filter(|r| r.held && !matches!(r.kind, ConditionKind::Everyone | ConditionKind::Tag))
            .count();
        (self.shared_tags.len(), specific)
    }
}

/// The rank `evaluate(..).rank()` gives a policy that `admits` the profile, without writing
/// its reasons: the tags shared, then the hard conditions (each qualification counts once),
/// all of which hold.
pub fn fit(c: &Conditions, policy_tags: &[String], profile: &Profile<'_>) -> (usize, usize) {
    let shared = policy_tags
        .iter()
        .filter(|t| profile.tags.contains(t) || profile.qualifications.contains(t))
        .count();
    let specific = usize::from(!c.industries.is_empty())
        + usize::from(!c.scales.is_empty())
        + usize::from(c.min_years.is_some() || c.max_years.is_some())
        + c.qualifications.len()
        + usize::from(!c.districts.is_empty());
    (shared, specific)
}

fn reason(kind: ConditionKind, held: bool, text: String) -> Reason {
    Reason { kind, held, text }
}

fn industry_name(code: &str) -> String {
    industry::lookup(code).map_or_else(|| code.to_owned(), |i| format!("{}（{code}）", i.name))
}

/// Whole years from `from` to `today` (0 when `from` lies ahead).
pub fn years_between(from: NaiveDate, today: NaiveDate) -> u32 {
    today.years_since(from).unwrap_or(0)
}

/// The condition's industry code the enterprise's class falls under, if any.
fn industry_hit<'c>(c: &'c Conditions, class: &str) -> Option<&'c String> {
    c.industries.iter().find(|code| class.starts_with(code.as_str()))
}

fn scale_holds(c: &Conditions, scale: Scale) -> bool {
    c.scales.is_empty() || c.scales.contains(&scale)
}

fn age_holds(c: &Conditions, years: u32) -> bool {
    c.min_years.is_none_or(|m| years >= m) && c.max_years.is_none_or(|m| years <= m)
}

/// The registration dates the age conditions admit on `today`, as bounds a database can test:
/// registered on or before `.0`, and after `.1` (`None`: no bound). The same rule as
/// `age_holds(years_between(..))`, which a test checks day by day across leap years: `n` whole
/// years have passed exactly when the enterprise registered on or before the same day `n`
/// years back (28 February for 29 February in a common year).
pub fn registered_window(c: &Conditions, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let years_back = |n: u32| today.checked_sub_months(chrono::Months::new(n.saturating_mul(12)));
    // At least 0 years holds for every date, one ahead of today too (`years_between` is 0).
    let on_or_before = c
        .min_years
        .filter(|m| *m > 0)
        .map(|m| years_back(m).unwrap_or(NaiveDate::MIN));
    // More than `max` years back is `max + 1` years or more; none when no date lies that far.
    let after = c.max_years.and_then(|m| years_back(m.saturating_add(1)));
    (on_or_before, after)
}

fn district_holds(c: &Conditions, district: Option<&str>) -> bool {
    c.districts.is_empty() || district.is_some_and(|d| c.districts.iter().any(|w| w == d))
}

/// Whether the conditions admit the profile: `evaluate(..).matched` without writing the
/// reasons, for sets of thousands.
pub fn admits(c: &Conditions, profile: &Profile<'_>, today: NaiveDate) -> bool {
    (c.industries.is_empty() || industry_hit(c, profile.industry_code).is_some())
        && scale_holds(c, profile.scale)
        && ((c.min_years.is_none() && c.max_years.is_none())
            || age_holds(c, years_between(profile.registered_at, today)))
        && c.qualifications.iter().all(|q| profile.qualifications.contains(q))
        && district_holds(c, profile.district)
}

/// Evaluates one policy's conditions against one profile on `today`.
pub fn evaluate(conditions: &Conditions, policy_tags: &[String], profile: &Profile<'_>, today: NaiveDate) -> Verdict {
    use ConditionKind as K;
    let mut reasons = Vec::new();
    if conditions.is_empty() {
        reasons.push(reason(K::Everyone, true, "面向区内全部企业".into()));
    }
    if !conditions.industries.is_empty() {
        reasons.push(match industry_hit(conditions, profile.industry_code) {
            Some(code) => reason(K::Industry, true, format!("所属行业属于{}", industry_name(code))),
            None => reason(
                K::Industry,
                false,
                format!(
                    "所属行业{}不在政策范围（{}）",
                    industry_name(profile.industry_code),
                    conditions.industries.join("、")
                ),
            ),
        });
    }
    if !conditions.scales.is_empty() {
        let wanted = conditions
            .scales
            .iter()
            .map(|s| s.label())
            .collect::<Vec<_>>()
            .join("、");
        let held = scale_holds(conditions, profile.scale);
        let text = if held {
            format!("企业规模为{}（政策面向{wanted}企业）", profile.scale.label())
        } else {
            format!("企业规模为{}，政策仅面向{wanted}企业", profile.scale.label())
        };
        reasons.push(reason(K::Scale, held, text));
    }
    if conditions.min_years.is_some() || conditions.max_years.is_some() {
        let years = years_between(profile.registered_at, today);
        let held = age_holds(conditions, years);
        let wanted = match (conditions.min_years, conditions.max_years) {
            (Some(min), Some(max)) => format!("成立{min}至{max}年"),
            (Some(min), None) => format!("成立满{min}年"),
            (None, Some(max)) => format!("成立不超过{max}年"),
            (None, None) => String::new(),
        };
        let verb = if held { "符合" } else { "不符合" };
        reasons.push(reason(
            K::Age,
            held,
            format!("企业已成立{years}年，{verb}“{wanted}”的要求"),
        ));
    }
    for q in &conditions.qualifications {
        let held = profile.qualifications.contains(q);
        let text = if held {
            format!("具备{q}资质")
        } else {
            format!("尚未具备{q}资质")
        };
        reasons.push(reason(K::Qualification, held, text));
    }
    if !conditions.districts.is_empty() {
        let held = district_holds(conditions, profile.district);
        let text = match profile.district {
            Some(d) if held => format!("注册在{d}"),
            Some(d) => format!("注册在{d}，政策面向{}", conditions.districts.join("、")),
            None => format!("未登记所在片区，政策面向{}", conditions.districts.join("、")),
        };
        reasons.push(reason(K::District, held, text));
    }
    let matched = reasons.iter().all(|r| r.held);
    let shared_tags: Vec<String> = policy_tags
        .iter()
        .filter(|t| profile.tags.contains(t) || profile.qualifications.contains(t))
        .cloned()
        .collect();
    if !shared_tags.is_empty() {
        reasons.push(reason(
            K::Tag,
            true,
            format!("与企业标签相符：{}", shared_tags.join("、")),
        ));
    }
    Verdict {
        matched,
        reasons,
        shared_tags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_compare_as_sets() {
        let a = Conditions {
            industries: vec!["I65".into(), "C".into()],
            scales: vec![Scale::Small, Scale::Micro],
            qualifications: vec!["高新技术企业".into()],
            ..Conditions::default()
        };
        let b = Conditions {
            industries: vec!["c".into(), "I65".into(), "I65".into()],
            scales: vec![Scale::Micro, Scale::Small],
            qualifications: vec!["高新技术企业".into()],
            ..Conditions::default()
        };
        assert!(a.same_as(&b));
        let c = Conditions {
            min_years: Some(1),
            ..b.clone()
        };
        assert!(!a.same_as(&c));
        let d = Conditions {
            districts: vec!["黄岛区".into()],
            ..b
        };
        assert!(!a.same_as(&d));
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn labels(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    struct Ent {
        industry: &'static str,
        scale: Scale,
        registered: NaiveDate,
        quals: Vec<String>,
        district: Option<&'static str>,
        tags: Vec<String>,
    }

    fn software() -> Ent {
        Ent {
            industry: "I6513",
            scale: Scale::Small,
            registered: d("2021-06-01"),
            quals: labels(&["高新技术企业"]),
            district: Some("前湾保税港区"),
            tags: labels(&["跨境电商", "人工智能"]),
        }
    }

    fn check(c: &Conditions, tags: &[&str], e: &Ent) -> Verdict {
        let profile = Profile {
            industry_code: e.industry,
            scale: e.scale,
            registered_at: e.registered,
            qualifications: &e.quals,
            district: e.district,
            tags: &e.tags,
        };
        let v = evaluate(c, &labels(tags), &profile, d("2026-11-28"));
        // The quick test for large sets agrees with the full evaluation in every case below.
        assert_eq!(admits(c, &profile, d("2026-11-28")), v.matched, "{c:?}");
        // So does the feed's rank without reasons, wherever the policy matches.
        if v.matched {
            assert_eq!(fit(c, &labels(tags), &profile), v.rank(), "{c:?}");
        }
        v
    }

    #[test]
    fn no_conditions_match_everyone_and_say_so() {
        let v = check(&Conditions::default(), &[], &software());
        assert!(v.matched);
        assert_eq!(v.reasons.len(), 1);
        assert_eq!(v.reasons[0].kind, ConditionKind::Everyone);
    }

    #[test]
    fn industry_matches_at_every_level() {
        for code in ["I", "I65", "I651", "I6513"] {
            let c = Conditions {
                industries: vec![code.into()],
                ..Default::default()
            };
            let v = check(&c, &[], &software());
            assert!(v.matched, "{code}");
            assert!(v.reasons[0].text.contains(code), "{}", v.reasons[0].text);
        }
        for code in ["C", "I64", "I652", "I6511"] {
            let c = Conditions {
                industries: vec![code.into()],
                ..Default::default()
            };
            let v = check(&c, &[], &software());
            assert!(!v.matched, "{code}");
            assert!(!v.reasons[0].held);
            assert!(v.reasons[0].text.contains("应用软件开发"), "{}", v.reasons[0].text);
        }
        // Any one of several codes is enough.
        let c = Conditions {
            industries: vec!["C".into(), "I65".into()],
            ..Default::default()
        };
        assert!(check(&c, &[], &software()).matched);
    }

    #[test]
    fn scale_must_be_listed() {
        let c = Conditions {
            scales: vec![Scale::Micro, Scale::Small],
            ..Default::default()
        };
        let v = check(&c, &[], &software());
        assert!(v.matched);
        assert_eq!(v.reasons[0].text, "企业规模为小型（政策面向微型、小型企业）");
        let big = Ent {
            scale: Scale::Large,
            ..software()
        };
        let v = check(&c, &[], &big);
        assert!(!v.matched);
        assert_eq!(v.reasons[0].text, "企业规模为大型，政策仅面向微型、小型企业");
    }

    #[test]
    fn years_since_registration_bounds_are_inclusive() {
        // Registered 2021-06-01: five whole years on 2026-11-28.
        let within = |min, max| {
            let c = Conditions {
                min_years: min,
                max_years: max,
                ..Default::default()
            };
            check(&c, &[], &software())
        };
        assert!(within(Some(5), None).matched);
        assert!(!within(Some(6), None).matched);
        assert!(within(None, Some(5)).matched);
        assert!(!within(None, Some(4)).matched);
        let v = within(Some(1), Some(3));
        assert!(!v.matched);
        assert_eq!(v.reasons[0].text, "企业已成立5年，不符合“成立1至3年”的要求");
        assert_eq!(years_between(d("2026-11-29"), d("2026-11-28")), 0);
        assert_eq!(years_between(d("2025-11-28"), d("2026-11-28")), 1);
        assert_eq!(years_between(d("2025-11-29"), d("2026-11-28")), 0);
    }

    #[test]
    fn the_registration_window_is_the_age_rule_day_by_day() {
        // Every registration day of eleven years against today's in two leap years and the
        // years between, with bounds from none to four years.
        let bounds = [None, Some(0), Some(1), Some(2), Some(4)];
        let todays = [
            "2028-02-29",
            "2028-02-28",
            "2028-03-01",
            "2027-02-28",
            "2026-12-06",
            "2024-02-29",
        ];
        for today in todays.map(d) {
            for min_years in bounds {
                for max_years in bounds {
                    let c = Conditions {
                        min_years,
                        max_years,
                        ..Default::default()
                    };
                    let (on_or_before, after) = registered_window(&c, today);
                    let mut from = d("2019-01-01");
                    while from <= d("2029-12-31") {
                        let window = on_or_before.is_none_or(|b| from <= b) && after.is_none_or(|a| from > a);
                        assert_eq!(
                            window,
                            age_holds(&c, years_between(from, today)),
                            "{from} on {today}, {min_years:?}..{max_years:?}"
                        );
                        from = from.succ_opt().unwrap();
                    }
                }
            }
        }
    }

    #[test]
    fn every_qualification_is_required_and_each_is_explained() {
        let c = Conditions {
            qualifications: labels(&["高新技术企业", "专精特新"]),
            ..Default::default()
        };
        let v = check(&c, &[], &software());
        assert!(!v.matched);
        assert_eq!(
            v.reasons.iter().map(|r| (r.held, r.text.as_str())).collect::<Vec<_>>(),
            vec![(true, "具备高新技术企业资质"), (false, "尚未具备专精特新资质")]
        );
        let both = Ent {
            quals: labels(&["专精特新", "高新技术企业"]),
            ..software()
        };
        assert!(check(&c, &[], &both).matched);
    }

    #[test]
    fn district_must_be_listed_and_an_unknown_district_fails() {
        let c = Conditions {
            districts: labels(&["前湾保税港区", "青岛片区"]),
            ..Default::default()
        };
        assert!(check(&c, &[], &software()).matched);
        let elsewhere = Ent {
            district: Some("黄岛"),
            ..software()
        };
        assert!(!check(&c, &[], &elsewhere).matched);
        let unknown = Ent {
            district: None,
            ..software()
        };
        let v = check(&c, &[], &unknown);
        assert!(!v.matched);
        assert!(v.reasons[0].text.starts_with("未登记所在片区"));
    }

    #[test]
    fn combinations_need_every_condition_and_report_each() {
        let c = Conditions {
            industries: vec!["I65".into()],
            scales: vec![Scale::Small, Scale::Medium],
            min_years: Some(2),
            max_years: None,
            qualifications: labels(&["高新技术企业"]),
            districts: labels(&["前湾保税港区"]),
        };
        let v = check(&c, &[], &software());
        assert!(v.matched);
        assert_eq!(v.reasons.len(), 5);
        assert!(v.reasons.iter().all(|r| r.held));
        // One failing condition is enough to miss, and it is the one reported as not held.
        let young = Ent {
            registered: d("2025-01-01"),
            ..software()
        };
        let v = check(&c, &[], &young);
        assert!(!v.matched);
        let failed: Vec<_> = v.reasons.iter().filter(|r| !r.held).map(|r| r.kind).collect();
        assert_eq!(failed, vec![ConditionKind::Age]);
    }

    #[test]
    fn shared_tags_rank_but_never_decide() {
        let c = Conditions {
            industries: vec!["I".into()],
            ..Default::default()
        };
        let tagged = check(&c, &["跨境电商", "高新技术企业", "外贸"], &software());
        let untagged = check(&c, &["外贸"], &software());
        assert!(tagged.matched && untagged.matched);
        assert_eq!(tagged.shared_tags, vec!["跨境电商", "高新技术企业"]);
        assert!(tagged.rank() > untagged.rank());
        assert_eq!(tagged.reasons.last().unwrap().kind, ConditionKind::Tag);
        // Tags never make an ineligible enterprise eligible.
        let c = Conditions {
            industries: vec!["C".into()],
            ..Default::default()
        };
        let v = check(&c, &["跨境电商"], &software());
        assert!(!v.matched);
        assert_eq!(v.shared_tags, vec!["跨境电商"]);
    }

    #[test]
    fn a_more_specific_fit_ranks_higher_at_equal_tags() {
        let broad = check(&Conditions::default(), &[], &software());
        let narrow = check(
            &Conditions {
                industries: vec!["I65".into()],
                qualifications: labels(&["高新技术企业"]),
                ..Default::default()
            },
            &[],
            &software(),
        );
        assert!(narrow.rank() > broad.rank());
    }

    #[test]
    fn validation_names_each_bad_field_and_normalises() {
        let c = Conditions {
            industries: vec![" i65 ".into(), "Z99".into()],
            min_years: Some(5),
            max_years: Some(3),
            qualifications: labels(&[" 专精特新", "专精特新", ""]),
            ..Default::default()
        };
        let errors = c.clone().validated("conditions").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["conditions.industries[1]", "conditions.maxYears"]);
        let ok = Conditions {
            industries: vec![" i65 ".into()],
            qualifications: labels(&[" 专精特新", "专精特新", ""]),
            ..Default::default()
        }
        .validated("conditions")
        .unwrap();
        assert_eq!(ok.industries, vec!["I65"]);
        assert_eq!(ok.qualifications, vec!["专精特新"]);
    }

    #[test]
    fn conditions_read_as_camel_case_json_and_refuse_unknown_keys() {
        let c: Conditions =
            serde_json::from_str(r#"{"industries":["I65"],"scales":["small"],"minYears":2,"districts":["前湾"]}"#)
                .unwrap();
        assert_eq!(c.min_years, Some(2));
        assert!(serde_json::from_str::<Conditions>(r#"{"industry":["I65"]}"#).is_err());
    }
}
