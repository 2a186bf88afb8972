use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("bad database URL: {0}")]
    BadUrl(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The SQLite file cannot be written (a read-only disk, or its permissions).
    #[error(
        "the database file {path} is read-only (its disk or its permissions): nothing can be stored until it can be written"
    )]
    ReadOnly { path: String },
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Events sent again under a known (source, id) with different content; nothing was
    /// written. `indexes` are positions in the batch.
    #[error("{} events reuse the id of a different event", indexes.len())]
    ConflictingResend { indexes: Vec<usize> },
    /// A deadline fell outside the years the calendar covers.
    #[error("a deadline cannot be computed: {0}")]
    Calendar(#[from] domain::calendar::CalendarError),
    /// Something stored cannot be read back: a bug or a hand edit, never bad input.
    #[error("stored {what} {id} cannot be read: {problem}")]
    Corrupt {
        what: &'static str,
        id: i64,
        problem: String,
    },
    /// The request was understood but cannot be done; every reason, by field.
    #[error("refused: {}", .0.iter().map(|p| format!("{}: {}", p.field, p.problem)).collect::<Vec<_>>().join("; "))]
    Refused(Vec<domain::Problem>),
    /// Too much is being checked at once; try again shortly.
    #[error("busy: too many checks at once")]
    Busy,
    /// Hashing a secret failed (the hasher's own error; never the secret).
    #[error("hashing failed: {0}")]
    Hashing(String),
    /// Obligations that would be owed to someone who is not a victim of their case: a bug,
    /// caught before anything of the batch is written. `count` is of (case, person) pairs.
    #[error("obligations name {count} people who are not victims of the case they are for")]
    UnlinkedObligations { count: i64 },
    #[error("no such {what}")]
    NotFound { what: &'static str },
    /// The database holds values sealed under keys this instance was not given: opening it
    /// would only fail later, one page at a time.
    #[error(
        "the database holds personal data sealed under key {}, which was not given: set \
         VICTIMCARE_SECURITY__FIELD_KEYS or point [security] field_keys_file at the key file \
         the other instances use",
        .0.join(", ")
    )]
    MissingKeys(Vec<String>),
}
