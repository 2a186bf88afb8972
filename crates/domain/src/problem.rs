use serde::Serialize;

/// One thing wrong with a piece of input, said so that the person who sent it can fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Where the problem is, as a JSON path relative to the thing checked (`payload.victims[0].email`).
    pub field: String,
    /// What is wrong, in plain words.
    pub problem: String,
}

impl Problem {
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            problem: problem.into(),
        }
    }
}
