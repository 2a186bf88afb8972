//! What a victim tells us about how we kept them informed: a rating from 1 to 5 and, if they
//! want, their own words.

/// The most characters of a comment we keep. Enough for a few paragraphs on a phone.
pub const MAX_COMMENT: usize = 2000;

/// How happy the victim is with how we kept them informed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rating(u8);

impl Rating {
    pub const ALL: [Rating; 5] = [Rating(5), Rating(4), Rating(3), Rating(2), Rating(1)];

    pub fn value(self) -> u8 {
        self.0
    }
}

/// Feedback fit to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    pub rating: Rating,
    /// Trimmed, never empty, at most [`MAX_COMMENT`] characters, no control characters but
    /// line breaks.
    pub comment: Option<String>,
}

/// Why feedback was refused, for the victim to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FeedbackError {
    #[error("rating: choose how happy you are, from 1 to 5")]
    NoRating,
    #[error("comment: must be at most {MAX_COMMENT} characters")]
    CommentTooLong,
}

impl FeedbackError {
    pub fn field(self) -> &'static str {
        match self {
            Self::NoRating => "rating",
            Self::CommentTooLong => "comment",
        }
    }

    /// The key of the message shown to the victim.
    pub fn text_key(self) -> &'static str {
        match self {
            Self::NoRating => "portal-feedback-no-rating",
            Self::CommentTooLong => "portal-feedback-too-long",
        }
    }
}

impl Feedback {
    /// Checks a form's rating ("1" to "5") and comment.
    pub fn parse(rating: Option<&str>, comment: Option<&str>) -> Result<Self, Vec<FeedbackError>> {
        let mut problems = Vec::new();
        let rating = rating
            .and_then(|r| r.trim().parse::<u8>().ok())
            .filter(|r| (1..=5).contains(r))
            .map(Rating);
        if rating.is_none() {
            problems.push(FeedbackError::NoRating);
        }
        let comment: Option<String> = comment
            .map(|c| {
                c.chars()
                    .filter(|ch| !ch.is_control() || *ch == '\n')
                    .collect::<String>()
            })
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        if comment
            .as_ref()
            .is_some_and(|c| c.chars().count() > MAX_COMMENT)
        {
            problems.push(FeedbackError::CommentTooLong);
        }
        match rating {
            Some(rating) if problems.is_empty() => Ok(Self { rating, comment }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_a_rating_and_the_words_trimmed() {
        let f = Feedback::parse(Some("4"), Some("  Kind officer.\r\n Slow letters.  ")).unwrap();
        assert_eq!(f.rating.value(), 4);
        assert_eq!(f.comment.as_deref(), Some("Kind officer.\n Slow letters."));
    }

    #[test]
    fn an_empty_comment_is_no_comment() {
        let f = Feedback::parse(Some("1"), Some("   ")).unwrap();
        assert_eq!(f.comment, None);
    }

    #[test]
    fn refuses_a_missing_or_impossible_rating() {
        for bad in [None, Some(""), Some("0"), Some("6"), Some("five")] {
            assert_eq!(
                Feedback::parse(bad, None),
                Err(vec![FeedbackError::NoRating]),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn refuses_a_comment_too_long_and_says_both_problems_at_once() {
        let long = "a".repeat(MAX_COMMENT + 1);
        assert_eq!(
            Feedback::parse(None, Some(&long)),
            Err(vec![FeedbackError::NoRating, FeedbackError::CommentTooLong])
        );
        // Characters, not bytes: Arabic or Polish text is not cut short.
        assert!(Feedback::parse(Some("3"), Some(&"ż".repeat(MAX_COMMENT))).is_ok());
    }
}
