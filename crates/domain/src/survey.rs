//! The victim satisfaction survey, on the police User Satisfaction Survey's five dimensions
//! and its 7-point scale, and the headline figure forces publish: "% satisfied", the top three
//! points, with a 95% confidence interval so that a small sample is not read as a trend.

use crate::Problem;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most characters of free text kept with a response.
pub const MAX_COMMENT: usize = 2000;

/// The five core questions, in the order of the victim's journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Making the first contact with the police.
    EaseOfContact,
    /// What the police did in response.
    ActionsTaken,
    /// Being kept up to date on progress (where the Code's duties show).
    KeptInformed,
    /// How officers and staff treated them.
    Treatment,
    /// The service as a whole.
    WholeExperience,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::EaseOfContact,
        Dimension::ActionsTaken,
        Dimension::KeptInformed,
        Dimension::Treatment,
        Dimension::WholeExperience,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::EaseOfContact => "ease_of_contact",
            Self::ActionsTaken => "actions_taken",
            Self::KeptInformed => "kept_informed",
            Self::Treatment => "treatment",
            Self::WholeExperience => "whole_experience",
        }
    }
}

/// A point on the 7-point scale, 7 (completely satisfied) down to 1 (completely dissatisfied).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Satisfaction(u8);

impl Satisfaction {
    pub fn parse(raw: &str) -> Option<Self> {
        raw.trim()
            .parse::<u8>()
            .ok()
            .filter(|n| (1..=7).contains(n))
            .map(Self)
    }

    pub fn value(self) -> u8 {
        self.0
    }

    /// Completely, very or fairly satisfied: the top three points, as published.
    pub fn is_satisfied(self) -> bool {
        self.0 >= 5
    }

    /// The words of the scale, for staff screens and exports (victims read them translated).
    pub fn label(self) -> &'static str {
        match self.0 {
            7 => "Completely satisfied",
            6 => "Very satisfied",
            5 => "Fairly satisfied",
            4 => "Neither satisfied nor dissatisfied",
            3 => "Fairly dissatisfied",
            2 => "Very dissatisfied",
            _ => "Completely dissatisfied",
        }
    }
}

/// A checked response. A question left unanswered ("don't know", "does not apply") is absent,
/// and counts in no figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyResponse {
    pub answers: BTreeMap<Dimension, Satisfaction>,
    pub comment: Option<String>,
    /// Kept apart from the victim: no staff screen or export can link it back.
    pub anonymous: bool,
}

impl SurveyResponse {
    /// Reads a response from form fields (named as [`Dimension::as_str`], `comment`,
    /// `anonymous`), listing every problem with the field it concerns.
    pub fn parse(field: impl Fn(&str) -> Option<String>) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut answers = BTreeMap::new();
        for d in Dimension::ALL {
            match field(d.as_str()).map(|v| v.trim().to_owned()) {
                None => {}
                Some(v) if v.is_empty() || v == "skip" => {}
                Some(v) => match Satisfaction::parse(&v) {
                    Some(s) => {
                        answers.insert(d, s);
                    }
                    None => problems.push(Problem::new(
                        d.as_str(),
                        "must be one of the answers from completely satisfied to completely \
                         dissatisfied",
                    )),
                },
            }
        }
        if answers.is_empty() && problems.is_empty() {
            problems.push(Problem::new(
                Dimension::ALL[0].as_str(),
                "answer at least one question",
            ));
        }
        let comment = field("comment")
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        if let Some(c) = &comment {
            if c.chars().count() > MAX_COMMENT {
                problems.push(Problem::new(
                    "comment",
                    format!("must be at most {MAX_COMMENT} characters"),
                ));
            }
            if c.chars()
                .any(|ch| ch.is_control() && ch != '\n' && ch != '\r')
            {
                problems.push(Problem::new(
                    "comment",
                    "must not contain control characters",
                ));
            }
        }
        let anonymous = field("anonymous").is_some_and(|v| v == "yes");
        if problems.is_empty() {
            Ok(Self {
                answers,
                comment,
                anonymous,
            })
        } else {
            Err(problems)
        }
    }
}

/// The answers to one question, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub answered: u64,
    pub satisfied: u64,
}

/// A proportion with its 95% confidence interval, in percent to one decimal place.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Percent {
    pub percent: f64,
    pub low: f64,
    pub high: f64,
}

impl Tally {
    pub fn add(&mut self, s: Satisfaction) {
        self.answered += 1;
        if s.is_satisfied() {
            self.satisfied += 1;
        }
    }

    /// "% satisfied" with a Wilson score interval, which stays inside 0–100 and honest for
    /// small samples and for figures near 0 or 100 (where the textbook interval does not).
    /// None when nobody answered.
    pub fn percent_satisfied(self) -> Option<Percent> {
        if self.answered == 0 {
            return None;
        }
        let n = self.answered as f64;
        let p = self.satisfied as f64 / n;
        let z = 1.959_963_984_540_054_f64;
        let z2 = z * z;
        let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
        let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
        let round = |x: f64| (x * 1000.0).round() / 10.0;
        Some(Percent {
            percent: round(p),
            low: round((centre - half).max(0.0)),
            high: round((centre + half).min(1.0)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn the_top_three_points_are_satisfied() {
        let satisfied: Vec<u8> = (1..=7)
            .filter_map(|n| Satisfaction::parse(&n.to_string()))
            .filter(|s| s.is_satisfied())
            .map(Satisfaction::value)
            .collect();
        assert_eq!(satisfied, vec![5, 6, 7]);
        assert_eq!(
            Satisfaction::parse("4").unwrap().label(),
            "Neither satisfied nor dissatisfied"
        );
        assert!(Satisfaction::parse("0").is_none() && Satisfaction::parse("8").is_none());
    }

    #[test]
    fn a_response_keeps_what_was_answered_and_names_what_was_wrong() {
        let r = SurveyResponse::parse(fields(&[
            ("kept_informed", "2"),
            ("treatment", "skip"),
            ("whole_experience", "6"),
            ("comment", "  Nobody rang me back.  "),
            ("anonymous", "yes"),
        ]))
        .unwrap();
        assert_eq!(r.answers.len(), 2);
        assert_eq!(r.answers[&Dimension::KeptInformed].value(), 2);
        assert_eq!(r.comment.as_deref(), Some("Nobody rang me back."));
        assert!(r.anonymous);

        let e = SurveyResponse::parse(fields(&[("treatment", "9")])).unwrap_err();
        assert_eq!(e[0].field, "treatment");
        let e = SurveyResponse::parse(fields(&[])).unwrap_err();
        assert_eq!(e[0].problem, "answer at least one question");
        let long = "x".repeat(MAX_COMMENT + 1);
        let e =
            SurveyResponse::parse(fields(&[("treatment", "5"), ("comment", &long)])).unwrap_err();
        assert_eq!(e[0].field, "comment");
    }

    #[test]
    fn percent_satisfied_matches_a_hand_count_with_an_honest_interval() {
        let mut t = Tally::default();
        for v in [7, 6, 5, 5, 4, 3, 1, 7, 6, 2] {
            t.add(Satisfaction::parse(&v.to_string()).unwrap());
        }
        assert_eq!((t.answered, t.satisfied), (10, 6));
        let p = t.percent_satisfied().unwrap();
        assert_eq!(p.percent, 60.0);
        // Wilson 95% for 6 of 10: 31.3% to 83.2%.
        assert_eq!((p.low, p.high), (31.3, 83.2));
        let all = Tally {
            answered: 5,
            satisfied: 5,
        };
        let p = all.percent_satisfied().unwrap();
        assert_eq!(p.high, 100.0);
        assert!(p.low > 50.0 && p.low < 60.0, "{p:?}");
        assert!(Tally::default().percent_satisfied().is_none());
    }
}
