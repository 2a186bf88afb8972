//! The command line: `victimcare <command>`.

use crate::commands;
use crate::config::Settings;
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "victimcare",
    version,
    about = "Keeps victims of crime informed, supported and heard"
)]
pub struct Cli {
    /// A TOML configuration file (default: ./victimcare.toml if it exists).
    #[arg(long, global = true, env = "VICTIMCARE_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone, Default)]
pub struct DbArgs {
    /// `sqlite://PATH` or `postgres://…` (default: sqlite://./data/victimcare.db).
    #[arg(long, env = "VICTIMCARE_DATABASE_URL")]
    pub database_url: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server and API.
    Serve {
        #[command(flatten)]
        db: DbArgs,
        /// Address and port to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        bind: Option<SocketAddr>,
    },
    /// Run the server with demonstration data: loads it if the database is empty.
    Demo {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        bind: Option<SocketAddr>,
        /// How many cases the demonstration data has.
        #[arg(long, default_value_t = 2000)]
        cases: u64,
    },
    /// Bring the database schema up to date, then stop.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Import events from a JSON Lines file (one event per line). Safe to stop and rerun.
    Import {
        /// The file to read.
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
        /// Events per transaction.
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=10_000))]
        batch_size: u32,
        /// Do not draw a progress bar.
        #[arg(long)]
        quiet: bool,
    },
    /// Write a synthetic, realistic London event stream as JSON Lines.
    Generate {
        /// How many cases.
        #[arg(long)]
        cases: u64,
        /// The same seed always gives the same stream.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write ("-" for standard output).
        #[arg(long)]
        out: PathBuf,
        /// No event is later than this (RFC 3339); cases are reported over the year before it.
        #[arg(long, default_value = synth::DEFAULT_AS_OF)]
        as_of: chrono::DateTime<chrono::Utc>,
    },
    /// Recompute every case projection from the stored events and report any difference.
    Rebuild {
        #[command(flatten)]
        db: DbArgs,
        /// Report differences without writing the corrections.
        #[arg(long)]
        check_only: bool,
    },
    /// Manage the API keys other systems use.
    ApiKey {
        #[command(subcommand)]
        action: ApiKeyAction,
    },
    /// The Victims' Code engine.
    Code {
        #[command(subcommand)]
        action: CodeAction,
    },
    /// The England and Wales working-day calendar that Code deadlines are counted in.
    Calendar {
        #[command(subcommand)]
        action: CalendarAction,
    },
    /// Staff accounts for the console. `user create` makes the first administrator.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// The audit log: check that no record was changed, removed or slipped in.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// A victim's own link to their case, to print, text or hand over as a QR code. Each use
    /// issues a new link: the one issued before for the same victim stops working.
    Portal {
        #[command(subcommand)]
        action: PortalAction,
    },
    /// Send the messages waiting in the outbox, then keep sending as more arrive, until
    /// stopped (Ctrl-C). `serve` runs the same worker; any number may run at once.
    Worker {
        #[command(flatten)]
        db: DbArgs,
        /// Send what is due now and stop.
        #[arg(long)]
        once: bool,
    },
    /// The wording of the messages to victims: list it, change a text (read from standard
    /// input, with `((placeholders))`), or put the translation file's wording back.
    Templates {
        #[command(subcommand)]
        action: TemplatesAction,
    },
    /// The outbox's held bursts: list them, and release or discard one (a supervisor's call).
    Outbox {
        #[command(subcommand)]
        action: OutboxAction,
    },
    /// Run one scheduler pass: mark overdue obligations breached (opening a task for each),
    /// and make each victim's next periodic update. `serve` does this every minute.
    Tick {
        #[command(flatten)]
        db: DbArgs,
        /// Run as if it were this moment (RFC 3339), to see what would be breached by then.
        #[arg(long)]
        now: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// Compliance with the Victims' Code: obligations due in a period and how they ended.
    Compliance {
        #[command(flatten)]
        db: DbArgs,
        /// First due date counted (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// Last due date counted (YYYY-MM-DD), inclusive.
        #[arg(long)]
        to: String,
        /// rule, borough or month.
        #[arg(long, default_value = "rule")]
        group_by: String,
    },
    /// Copy a SQLite database while the service runs (a consistent snapshot; never
    /// overwrites). For PostgreSQL use pg_dump: see docs/operations.md. To restore, stop the
    /// service and put the copy in the database's place.
    Backup {
        /// The file to write; it must not exist.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Everything held about one victim (a subject access request): a readable document in
    /// their language and the same as JSON, written to a folder for the person who runs it
    /// only. Recorded in the audit log.
    SubjectAccess {
        #[command(flatten)]
        who: PortalVictim,
        /// The folder to write the two files in.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The keys that seal victims' personal data in the database: which key sealed how
    /// much, a new key (`rotate`), and sealing everything again under the current key.
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
    /// Retention: erase the personal data the policy says is no longer needed (`run`, with
    /// `--dry-run` to see first), and legal holds that stop it for a case.
    Retention {
        #[command(subcommand)]
        action: RetentionAction,
    },
    /// Helpline capacity: queueing maths, call records, the rota, staffing plans, and
    /// officers' attendance at home burglaries.
    Capacity {
        #[command(subcommand)]
        action: CapacityAction,
    },
    /// Measure performance; the last line printed is one JSON object of figures.
    Bench {
        #[command(subcommand)]
        what: BenchWhat,
    },
}

#[derive(Subcommand, Debug)]
pub enum KeysAction {
    /// The keys held, the one that seals, and how many values each sealed.
    Status {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Add a new key to the key file (it seals from now on; running instances take it up
    /// within seconds), then seal everything again under it while the service runs.
    Rotate {
        /// Who is rotating (recorded in the audit log).
        #[arg(long)]
        by: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Seal again under the current key every value sealed under an older key or none (after
    /// adding a key to `[security] field_keys` and restarting every instance).
    Reseal {
        /// Who is resealing (recorded in the audit log).
        #[arg(long)]
        by: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum RetentionAction {
    /// Erase the personal data of victims whose cases all closed more than
    /// `[retention] personal_data_years` ago and are under no legal hold.
    Run {
        /// Count what would be erased, and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Who is running it (recorded in the audit log).
        #[arg(long)]
        by: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Put a legal hold on a case: nothing about its victims is erased while it stands.
    Hold {
        #[arg(long)]
        crime_reference: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        by: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Lift the legal holds on a case.
    Release {
        #[arg(long)]
        crime_reference: String,
        #[arg(long)]
        by: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum CapacityAction {
    /// The fewest agents for one interval's calls (Erlang C; Erlang A with
    /// --patience-seconds), printed as JSON. No database is used.
    Erlang {
        /// Calls offered in the interval.
        #[arg(long)]
        calls: f64,
        #[arg(long, default_value_t = 30.0)]
        interval_minutes: f64,
        /// Average handling time: talk plus wrap-up.
        #[arg(long)]
        aht_seconds: f64,
        /// Answered within this many seconds counts as answered in time.
        #[arg(long)]
        target_answer_seconds: f64,
        /// Share of callers to answer in time, such as 0.8.
        #[arg(long)]
        service_level: f64,
        #[arg(long)]
        max_occupancy: Option<f64>,
        /// Share of rostered time off the phones: `agents` is `agents_raw` after it.
        #[arg(long, default_value_t = 0.0)]
        shrinkage: f64,
        /// Callers' average patience before hanging up: switches to Erlang A.
        #[arg(long)]
        patience_seconds: Option<f64>,
        /// Erlang A only: most callers who may hang up, such as 0.05.
        #[arg(long)]
        max_abandonment: Option<f64>,
    },
    /// Import the telephony platform's call detail records (CSV with a header: call_id,
    /// start_time, queue, caller, wait_seconds, talk_seconds, wrap_seconds, outcome). All or
    /// nothing; calls already held are skipped. Callers' numbers are kept only as digests.
    ImportCalls {
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Load the rota (CSV with a header: interval_start, agents), one row per half hour in
    /// London time (`2026-12-07 09:00`). Replaces what was loaded for the same intervals.
    Rota {
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The staffing plan for a week: per half hour, forecast calls, agents required and
    /// rostered, the rota and the gap, and what was achieved if the week has begun.
    Plan {
        /// ISO week, such as 2026-W49.
        #[arg(long)]
        week: String,
        /// Plan with Erlang C (callers never hang up) instead of Erlang A.
        #[arg(long)]
        erlang_c: bool,
        /// "If N messages of kind K go out at T": KIND:COUNT:WHEN (WHEN in RFC 3339 or London
        /// time `2026-12-07T09:00`). May be given more than once.
        #[arg(long)]
        what_if: Vec<String>,
        /// Print CSV instead of a table.
        #[arg(long)]
        csv: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Attendance at reported home burglaries by borough and month, and those still waiting.
    Attendance {
        /// First day of reports counted (YYYY-MM-DD).
        #[arg(long)]
        from: chrono::NaiveDate,
        /// Last day, inclusive.
        #[arg(long)]
        to: chrono::NaiveDate,
        #[arg(long)]
        borough: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum ApiKeyAction {
    /// Make a key. The key is printed once, as the last line, and cannot be shown again.
    Create {
        /// Who the key is for, such as "crime recording system".
        #[arg(long)]
        name: String,
        /// What it may do: `feed` (events, contacts and the reports read with them),
        /// `telephony` (incoming calls and screen-pop) or `agency` (one support agency's
        /// referrals; needs --agency).
        #[arg(long, default_value = "feed")]
        scope: String,
        /// For `--scope agency`: the agency's id in the support directory.
        #[arg(long)]
        agency: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List keys (never the keys themselves).
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Revoke a key: calls with it are refused from now on.
    Revoke {
        /// The key's id, as `list` shows it.
        id: i64,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum CodeAction {
    /// Read one case (JSON: case, victim, events) and print, as JSON, every obligation the
    /// built-in rule set creates. No database is used.
    Evaluate {
        /// The scenario file.
        file: PathBuf,
    },
    /// Check a rule set file and store it, in force from its effective date: events that
    /// happen from then on are judged by it. Obligations already made keep their rule set.
    Load {
        /// The rule set (TOML, in the shape of the built-in `rules/vcop-2021.toml`).
        file: PathBuf,
        /// In force from this date (YYYY-MM-DD); the file's `effective_from` if not given.
        #[arg(long)]
        effective_from: Option<chrono::NaiveDate>,
        /// Who is loading it (recorded).
        #[arg(long)]
        by: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List the rule sets: the built-in one and every one loaded, with their dates.
    RuleSets {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserAction {
    /// Create an account. The password is read from standard input (so it stays out of the
    /// shell's history); the authenticator secret to set up their app is printed once.
    Create {
        /// The name they sign in with.
        #[arg(long)]
        username: String,
        /// Their name as colleagues know it.
        #[arg(long)]
        name: String,
        /// helpline_agent, victim_care_officer, officer_in_case, supervisor, analyst,
        /// administrator or partner_agency_worker.
        #[arg(long)]
        role: String,
        /// Their team; for a partner agency worker, their agency's id in the support
        /// directory (such as `victim-support`).
        #[arg(long)]
        team: Option<String>,
        /// An officer's collar number: their cases are those where it is the officer's.
        #[arg(long)]
        collar_number: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List the accounts.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print the sign-in code an authenticator app would show now for this secret (for the
    /// demonstration's made-up staff, or to check an app's clock).
    Code { secret: String },
    /// A new password (from standard input) and a new authenticator secret (printed once) for
    /// a forgotten password or a lost phone: the account is unlocked and its sessions end.
    Reset {
        #[arg(long)]
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Disable an account; its sessions end at once.
    Disable {
        #[arg(long)]
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditAction {
    /// Walk the whole chain; fails naming the first broken record. Prints the last hash:
    /// keep it elsewhere, since only an older head can show records cut off the end.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum PortalAction {
    /// Print the link (its last line).
    Link {
        #[command(flatten)]
        who: PortalVictim,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Write the link as a QR code.
    Qr {
        #[command(flatten)]
        who: PortalVictim,
        #[arg(long, value_enum, default_value = "svg")]
        format: QrFormat,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Issue a new link and print the victim's card as PDF: crime reference, officer,
    /// helpline, the QR code and a short instruction in the victim's language. Needs
    /// Chromium (Debian: `apt-get install chromium`), found on the PATH or named by
    /// `--chromium` or `VICTIMCARE_CHROMIUM`.
    Card {
        #[command(flatten)]
        who: PortalVictim,
        /// The PDF file to write.
        #[arg(long)]
        out: PathBuf,
        /// The Chromium (or Chrome) program to print with.
        #[arg(long, env = "VICTIMCARE_CHROMIUM")]
        chromium: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Set the PIN a victim chose (told to the helpline after checking who they are), read
    /// from standard input so it stays out of the shell's history; or clear a forgotten one.
    /// Once set, the PIN and not the date of birth opens the victim's page.
    Pin {
        #[command(flatten)]
        who: PortalVictim,
        /// Remove the PIN instead: the date of birth opens the page again.
        #[arg(long)]
        clear: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(clap::Args, Debug)]
pub struct PortalVictim {
    /// The case's crime reference, like 1234567/26.
    #[arg(long)]
    pub crime_reference: String,
    /// Which victim of the case, from 1; needed when the case has more than one.
    #[arg(long)]
    pub victim: Option<usize>,
    /// Who is acting: issuing the link or setting the PIN (recorded).
    #[arg(long, default_value = "staff")]
    pub by: String,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum QrFormat {
    Svg,
    Png,
}

#[derive(Subcommand, Debug)]
pub enum CalendarAction {
    /// Print the bank holidays of the years given, one `YYYY-MM-DD<TAB>name` a line.
    Holidays {
        /// The first year.
        #[arg(long)]
        from: i32,
        /// The last year (included).
        #[arg(long)]
        to: i32,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print the date N working days after DATE (day 0 is DATE itself).
    AddWorkingDays {
        /// A date, YYYY-MM-DD.
        date: chrono::NaiveDate,
        /// How many working days.
        days: u32,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Correct the built-in calendar for one day; the calendar's version changes.
    Override {
        /// The day, YYYY-MM-DD.
        #[arg(long)]
        date: chrono::NaiveDate,
        /// Make the day a bank holiday with this name.
        #[arg(long, group = "change")]
        holiday: Option<String>,
        /// Make the day a working day (a holiday that moved).
        #[arg(long, group = "change")]
        working_day: bool,
        /// Withdraw this day's override; the built-in rules apply again.
        #[arg(long, group = "change")]
        revert: bool,
        /// Who is making the change, for the record.
        #[arg(long)]
        by: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum BenchWhat {
    /// Evaluate the Code rules over N generated cases in memory, on one core.
    Code {
        #[arg(long, default_value_t = 100_000)]
        cases: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Ingest N generated events through the API's code path (without HTTP), and compare with
    /// a raw multi-row INSERT of the same rows into a bare table.
    Ingest {
        #[arg(long, default_value_t = 100_000)]
        events: usize,
        /// Default: a new SQLite file in a temporary folder. For PostgreSQL, a new database is
        /// made on the named server and dropped afterwards.
        #[arg(long, env = "VICTIMCARE_DATABASE_URL")]
        database_url: Option<String>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Runs with and without the Code engine, alternating which goes first: the figures
        /// are the medians. One shared machine drifts by several per cent within a minute, so
        /// one pair of runs says little about a difference of a few.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=15))]
        rounds: u32,
    },
    /// Send N queued text messages through a local Notify-compatible provider that answers
    /// each in `latency-ms`, with one worker and then two: messages/s.
    Notify {
        #[arg(long, default_value_t = 100_000)]
        messages: usize,
        /// Default: a new SQLite file. For PostgreSQL, a new database on the named server.
        #[arg(long, env = "VICTIMCARE_DATABASE_URL")]
        database_url: Option<String>,
        #[arg(long, default_value_t = 50)]
        latency_ms: u64,
        /// Sends in flight per worker.
        #[arg(long, default_value_t = 256)]
        concurrency: usize,
    },
    /// Find victims by crime reference and by phone number among N cases: p50/p99 per kind.
    Search {
        #[arg(long, default_value_t = 1_000_000)]
        cases: usize,
        /// Default: a new SQLite file. For PostgreSQL, a new database on the named server.
        #[arg(long, env = "VICTIMCARE_DATABASE_URL")]
        database_url: Option<String>,
        /// Searches of each kind.
        #[arg(long, default_value_t = 2000)]
        queries: usize,
    },
    /// Plan a whole week (336 half hours) with Erlang A at volumes up to 2,000 calls per
    /// interval, and time one Erlang C evaluation beside pyworkforce's (when Python has it).
    Capacity {
        /// Plans to time.
        #[arg(long, default_value_t = 50)]
        rounds: usize,
    },
    /// The whole service under a mixed load at once: the feed, victims on their pages,
    /// agents searching and opening calls, the worker sending. Per-route throughput and
    /// p50/p99, errors (the run fails on any), and memory; the last line is JSON.
    Load {
        #[arg(long, default_value_t = 300)]
        seconds: u64,
        /// Victims reading their case page, one page every half second each.
        #[arg(long, default_value_t = 300)]
        sessions: usize,
        /// Helpline agents: a search and a call every second each.
        #[arg(long, default_value_t = 50)]
        agents: usize,
        #[arg(long, default_value_t = 200)]
        events_per_second: usize,
        /// Default: a new SQLite file. For PostgreSQL, a new database on the named server.
        #[arg(long, env = "VICTIMCARE_DATABASE_URL")]
        database_url: Option<String>,
    },
    /// Load the victim's case page at N concurrent sessions on the demonstration data, next
    /// to a static asset served by the same server: requests/s and p50/p99 latency.
    Portal {
        #[arg(long, default_value_t = 50)]
        sessions: usize,
        /// How long each of the two runs lasts.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
}

impl DbArgs {
    pub fn url(&self, settings: &Settings) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| settings.database_url.clone())
    }
}

/// Parses the command line, runs the command, and turns failure into a message and exit code 1.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("victimcare: the configuration is not valid: {e}");
            return ExitCode::from(2);
        }
    };
    crate::telemetry::init(&settings.log);
    for name in crate::config::ignored_env() {
        tracing::warn!(
            variable = %name,
            "this environment variable sets nothing: check its spelling, or put the setting in the configuration file"
        );
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("victimcare: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli.command, settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("victimcare: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum OutboxAction {
    /// Bursts held by the circuit breaker and waiting for a decision (`--all`: every one).
    Holds {
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Send a held burst: it is real.
    Release {
        hold_id: i64,
        /// Who decided (recorded).
        #[arg(long)]
        by: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Never send a held burst: it is wrong. The duties it carried stay open for people.
    Discard {
        hold_id: i64,
        #[arg(long)]
        by: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum TemplatesAction {
    /// Every text that can be changed, in one language, with the wording in force.
    List {
        #[arg(long, default_value = "en-GB")]
        lang: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Change one text in one language; the new wording is read from standard input.
    Set {
        #[arg(long)]
        lang: String,
        #[arg(long)]
        key: String,
        /// Who changed it (recorded).
        #[arg(long)]
        by: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Put the translation file's wording back.
    Reset {
        #[arg(long)]
        lang: String,
        #[arg(long)]
        key: String,
        #[arg(long)]
        by: String,
        #[command(flatten)]
        db: DbArgs,
    },
}
