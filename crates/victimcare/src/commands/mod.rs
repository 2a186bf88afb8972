//! One module per subcommand.

mod api_key;
mod bench;
mod bench_capacity;
mod bench_load;
mod bench_notify;
mod bench_portal;
mod bench_search;
mod calendar;
mod capacity;
mod code;
mod compliance;
mod generate;
mod import;
mod keys;
mod portal;
mod rebuild;
mod serve;
mod staff;
mod subject_access;

use crate::cli::{
    ApiKeyAction, AuditAction, BenchWhat, CalendarAction, CapacityAction, CodeAction, Command,
    KeysAction, OutboxAction, PortalAction, RetentionAction, TemplatesAction, UserAction,
};
use crate::config::Settings;
use anyhow::Context as _;
use store::Db;

pub async fn run(command: Command, mut settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::Serve { db, bind } => {
            settings.database_url = db.url(&settings);
            if let Some(bind) = bind {
                settings.server.bind = bind;
            }
            serve::serve(settings).await
        }
        Command::Demo { db, bind, cases } => {
            settings.database_url = db.url(&settings);
            if let Some(bind) = bind {
                settings.server.bind = bind;
            }
            serve::demo(settings, cases).await
        }
        Command::Migrate { db } => {
            let url = db.url(&settings);
            open(&url, &settings).await?;
            println!("The database schema is up to date.");
            Ok(())
        }
        Command::Import {
            file,
            db,
            batch_size,
            quiet,
        } => {
            let db = open(&db.url(&settings), &settings).await?;
            import::import(&db, &file, batch_size as usize, quiet).await
        }
        Command::Generate {
            cases,
            seed,
            out,
            as_of,
        } => generate::generate(cases, seed, &out, as_of),
        Command::Rebuild { db, check_only } => {
            let db = open(&db.url(&settings), &settings).await?;
            rebuild::rebuild(&db, !check_only).await
        }
        Command::ApiKey { action } => match action {
            ApiKeyAction::Create {
                name,
                scope,
                agency,
                db,
            } => {
                let agencies = agency_ids(&settings)?;
                let db = open(&db.url(&settings), &settings).await?;
                api_key::create(&db, &name, &scope, agency.as_deref(), &agencies).await
            }
            ApiKeyAction::List { db } => {
                api_key::list(&open(&db.url(&settings), &settings).await?).await
            }
            ApiKeyAction::Revoke { id, db } => {
                api_key::revoke(&open(&db.url(&settings), &settings).await?, id).await
            }
        },
        Command::Code { action } => match action {
            CodeAction::Evaluate { file } => code::evaluate(&file),
            CodeAction::Load {
                file,
                effective_from,
                by,
                db,
            } => {
                code::load(
                    &open(&db.url(&settings), &settings).await?,
                    &file,
                    effective_from,
                    &by,
                )
                .await
            }
            CodeAction::RuleSets { db } => {
                code::list(&open(&db.url(&settings), &settings).await?).await
            }
        },
        Command::Calendar { action } => match action {
            CalendarAction::Holidays { from, to, db } => {
                calendar::holidays(&open(&db.url(&settings), &settings).await?, from, to).await
            }
            CalendarAction::AddWorkingDays { date, days, db } => {
                calendar::add_working_days(&open(&db.url(&settings), &settings).await?, date, days)
                    .await
            }
            CalendarAction::Override {
                date,
                holiday,
                working_day,
                revert,
                by,
                db,
            } => {
                let change = calendar::change_from_flags(holiday, working_day, revert)?;
                calendar::change(
                    &open(&db.url(&settings), &settings).await?,
                    date,
                    &change,
                    &by,
                )
                .await
            }
        },
        Command::User { action } => match action {
            UserAction::Create {
                username,
                name,
                role,
                team,
                collar_number,
                db,
            } => {
                let db = open(&db.url(&settings), &settings).await?;
                let password = staff::read_password("first")?;
                let agencies = agency_ids(&settings)?;
                let new = staff::new_user(
                    &username,
                    &name,
                    &role,
                    team,
                    collar_number,
                    password,
                    &agencies,
                )?;
                println!("{}", staff::create(&db, new).await?);
                Ok(())
            }
            UserAction::List { db } => {
                let db = open(&db.url(&settings), &settings).await?;
                print!("{}", staff::list(&db).await?);
                Ok(())
            }
            UserAction::Code { secret } => {
                let code =
                    store::totp_code(secret.trim(), chrono::Utc::now()).ok_or_else(|| {
                        anyhow::anyhow!("SECRET: is not a base32 authenticator secret")
                    })?;
                println!("{code}");
                Ok(())
            }
            UserAction::Reset { username, db } => {
                let password = staff::read_password("new")?;
                let db = open(&db.url(&settings), &settings).await?;
                println!("{}", staff::reset(&db, &username, &password).await?);
                Ok(())
            }
            UserAction::Disable { username, db } => {
                let db = open(&db.url(&settings), &settings).await?;
                println!("{}", staff::disable(&db, &username).await?);
                Ok(())
            }
        },
        Command::Audit { action } => match action {
            AuditAction::Verify { db } => {
                let db = open(&db.url(&settings), &settings).await?;
                println!("{}", staff::verify_audit(&db).await?);
                Ok(())
            }
        },
        Command::Portal { action } => match action {
            PortalAction::Link { who, db } => {
                let db = open(&db.url(&settings), &settings).await?;
                let url = portal::issue(&db, &who, &settings.web.public_url).await?;
                println!("{url}");
                Ok(())
            }
            PortalAction::Qr {
                who,
                format,
                out,
                db,
            } => {
                let db = open(&db.url(&settings), &settings).await?;
                let url = portal::issue(&db, &who, &settings.web.public_url).await?;
                portal::write_qr(&url, format, &out)?;
                println!("Wrote the QR code of the new link to {}.", out.display());
                Ok(())
            }
            PortalAction::Card {
                who,
                out,
                chromium,
                db,
            } => {
                let chromium = portal::find_chromium(chromium)?;
                let db = open(&db.url(&settings), &settings).await?;
                portal::card(&db, &who, &settings.web, &chromium, &out).await?;
                println!("Wrote the card with a new link to {}.", out.display());
                Ok(())
            }
            PortalAction::Pin { who, clear, db } => {
                let db = open(&db.url(&settings), &settings).await?;
                println!("{}", portal::pin(&db, &who, clear).await?);
                Ok(())
            }
        },
        Command::Worker { db, once } => {
            let db = open(&db.url(&settings), &settings).await?;
            let Some(worker) = settings.worker(db)? else {
                anyhow::bail!(
                    "no channel to send on: set [notify] smtp_url or api_key \
                     (or VICTIMCARE_NOTIFY__SMTP_URL, VICTIMCARE_NOTIFY__API_KEY)"
                );
            };
            if once {
                let pass = worker.drain(chrono::Utc::now()).await?;
                println!(
                    "Sent {}, waiting for quiet hours to end {}, to try again {}, for a person {}.",
                    pass.sent, pass.waiting, pass.retrying, pass.to_person
                );
                return Ok(());
            }
            let every = std::time::Duration::from_secs(settings.notify.interval_seconds.max(1));
            tokio::select! {
                () = worker.run(every) => {},
                () = crate::startup::shutdown_signal() => {},
            }
            Ok(())
        }
        Command::Templates { action } => match action {
            TemplatesAction::List { lang, db } => {
                let lang = web::i18n::Lang::parse(&lang)
                    .ok_or_else(|| anyhow::anyhow!("--lang: not one of our languages"))?;
                let db = open(&db.url(&settings), &settings).await?;
                let (changed, _) = db.message_texts().await?;
                let texts = web::i18n::Texts::new(lang);
                for (key, placeholders) in web::messages::EDITABLE {
                    let ours = changed
                        .iter()
                        .find(|t| t.lang == lang.code() && t.key == *key);
                    let (text, whose) = match ours {
                        Some(t) => (
                            t.text.clone(),
                            format!("changed by {} on {}", t.set_by, t.set_at.format("%Y-%m-%d")),
                        ),
                        None => (texts.get(key), "from the translation file".into()),
                    };
                    let may: Vec<String> =
                        placeholders.iter().map(|p| format!("(({p}))")).collect();
                    println!(
                        "{key} [{whose}; may use: {}]\n  {text}",
                        if may.is_empty() {
                            "nothing".into()
                        } else {
                            may.join(" ")
                        }
                    );
                }
                Ok(())
            }
            TemplatesAction::Set { lang, key, by, db } => {
                let lang = web::i18n::Lang::parse(&lang)
                    .ok_or_else(|| anyhow::anyhow!("--lang: not one of our languages"))?;
                let mut text = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                    .context("cannot read the wording from standard input")?;
                let text = text.trim();
                web::messages::check_wording(&key, text).map_err(|e| anyhow::anyhow!("{e}"))?;
                let db = open(&db.url(&settings), &settings).await?;
                let version = db
                    .set_message_text(lang.code(), &key, Some(text), &by, chrono::Utc::now())
                    .await?;
                println!(
                    "{key} ({}) is changed (version {version}); messages use it from the worker's next pass.",
                    lang.code()
                );
                Ok(())
            }
            TemplatesAction::Reset { lang, key, by, db } => {
                let lang = web::i18n::Lang::parse(&lang)
                    .ok_or_else(|| anyhow::anyhow!("--lang: not one of our languages"))?;
                if !web::messages::EDITABLE.iter().any(|(k, _)| *k == key) {
                    anyhow::bail!("--key: `{key}` is not a message text that can be changed");
                }
                let db = open(&db.url(&settings), &settings).await?;
                db.set_message_text(lang.code(), &key, None, &by, chrono::Utc::now())
                    .await?;
                println!(
                    "{key} ({}) is back to the translation file's wording.",
                    lang.code()
                );
                Ok(())
            }
        },
        Command::Outbox { action } => match action {
            OutboxAction::Holds { all, db } => {
                let db = open(&db.url(&settings), &settings).await?;
                let holds = db.message_holds(all).await?;
                if holds.is_empty() {
                    println!("No held bursts.");
                }
                for h in holds {
                    println!(
                        "hold {}: {} '{}' messages held at {}{}",
                        h.hold_id,
                        h.held,
                        h.kind,
                        h.held_at.format("%Y-%m-%d %H:%M"),
                        match (&h.decision, &h.decided_by) {
                            (Some(d), Some(by)) => format!(", {d} by {by}"),
                            _ => ", waiting for a decision".into(),
                        }
                    );
                }
                Ok(())
            }
            OutboxAction::Release { hold_id, by, db } => {
                let db = open(&db.url(&settings), &settings).await?;
                let now = chrono::Utc::now();
                let moved = db
                    .decide_hold(hold_id, store::HoldDecision::Release, &by, now)
                    .await?;
                println!("Released hold {hold_id}: {moved} messages will be sent.");
                Ok(())
            }
            OutboxAction::Discard { hold_id, by, db } => {
                let db = open(&db.url(&settings), &settings).await?;
                let now = chrono::Utc::now();
                let moved = db
                    .decide_hold(hold_id, store::HoldDecision::Discard, &by, now)
                    .await?;
                println!(
                    "Discarded hold {hold_id}: {moved} messages will not be sent; \
                     the duties they carried stay open."
                );
                Ok(())
            }
        },
        Command::Tick { db, now } => {
            let db = open(&db.url(&settings), &settings).await?;
            let support = crate::startup::SupportPass::from_settings(&settings)?;
            compliance::tick(&db, now.unwrap_or_else(chrono::Utc::now), &support).await
        }
        Command::Keys { action } => match action {
            KeysAction::Status { db } => {
                keys::status(&open(&db.url(&settings), &settings).await?).await
            }
            KeysAction::Rotate { by, db } => keys::rotate(&settings, &db.url(&settings), &by).await,
            KeysAction::Reseal { by, db } => {
                keys::reseal(&open(&db.url(&settings), &settings).await?, &by, false).await
            }
        },
        Command::Backup { out, db } => {
            let source = open(&db.url(&settings), &settings).await?;
            source.backup_to(&out).await?;
            // Read the copy back: a backup that cannot be opened is not a backup.
            let copy_url = format!("sqlite://{}", out.display());
            let copy = open(&copy_url, &settings).await?;
            let counts = copy.table_counts().await?;
            let rows: i64 = counts.iter().map(|c| c.rows).sum();
            println!(
                "Backed up to {}: {} tables, {rows} rows.",
                out.display(),
                counts.len()
            );
            println!("{}", serde_json::to_string(&counts)?);
            Ok(())
        }
        Command::SubjectAccess { who, out, db } => {
            let db = open(&db.url(&settings), &settings).await?;
            subject_access::export(&db, &who.crime_reference, who.victim, &who.by, &out).await
        }
        Command::Retention { action } => match action {
            RetentionAction::Run { dry_run, by, db } => {
                let db = open(&db.url(&settings), &settings).await?;
                let years = settings.retention.personal_data_years;
                anyhow::ensure!(
                    (1..=100).contains(&years),
                    "[retention] personal_data_years must be from 1 to 100"
                );
                let keep = chrono::TimeDelta::days(365 * years + years / 4);
                let report = db
                    .run_retention(keep, dry_run, &by, chrono::Utc::now())
                    .await?;
                if dry_run {
                    println!(
                        "Dry run: {} victims' personal data is due for erasure ({} years after \
                         their cases closed); {} of them are kept by a legal hold. Nothing was \
                         changed.",
                        report.due, years, report.held
                    );
                } else {
                    println!(
                        "Erased the personal data of {} victims ({} events' copies); {} kept by \
                         a legal hold.",
                        report.erased, report.events_scrubbed, report.held
                    );
                }
                println!("{}", serde_json::to_string(&report)?);
                Ok(())
            }
            RetentionAction::Hold {
                crime_reference,
                reason,
                by,
                db,
            } => {
                let db = open(&db.url(&settings), &settings).await?;
                let case_id = case_id_of(&db, &crime_reference).await?;
                anyhow::ensure!(
                    !reason.trim().is_empty(),
                    "--reason: say why the case is held"
                );
                db.place_hold(case_id, reason.trim(), &by, chrono::Utc::now())
                    .await?;
                println!(
                    "{crime_reference} is on legal hold: nothing about its victims is erased."
                );
                Ok(())
            }
            RetentionAction::Release {
                crime_reference,
                by,
                db,
            } => {
                let db = open(&db.url(&settings), &settings).await?;
                let case_id = case_id_of(&db, &crime_reference).await?;
                let n = db.lift_holds(case_id, &by, chrono::Utc::now()).await?;
                println!("Lifted {n} legal holds on {crime_reference}.");
                Ok(())
            }
        },
        Command::Capacity { action } => match action {
            CapacityAction::Erlang {
                calls,
                interval_minutes,
                aht_seconds,
                target_answer_seconds,
                service_level,
                max_occupancy,
                shrinkage,
                patience_seconds,
                max_abandonment,
            } => capacity::erlang(&capacity::ErlangQuestion {
                calls,
                interval_minutes,
                aht_seconds,
                target_answer_seconds,
                service_level,
                max_occupancy,
                shrinkage,
                patience_seconds,
                max_abandonment,
            }),
            CapacityAction::ImportCalls { file, db } => {
                capacity::import_calls(&open(&db.url(&settings), &settings).await?, &file).await
            }
            CapacityAction::Rota { file, db } => {
                capacity::rota(&open(&db.url(&settings), &settings).await?, &file).await
            }
            CapacityAction::Plan {
                week,
                erlang_c,
                what_if,
                csv,
                db,
            } => {
                let db = open(&db.url(&settings), &settings).await?;
                capacity::plan(&db, &settings.capacity, &week, erlang_c, &what_if, csv).await
            }
            CapacityAction::Attendance {
                from,
                to,
                borough,
                db,
            } => {
                let db = open(&db.url(&settings), &settings).await?;
                capacity::attendance(&db, from, to, borough).await
            }
        },
        Command::Compliance {
            db,
            from,
            to,
            group_by,
        } => {
            let (from, to, group_by) =
                web::api::compliance_params(Some(&from), Some(&to), Some(&group_by)).map_err(
                    |problems| {
                        anyhow::anyhow!(
                            "{}",
                            problems
                                .iter()
                                .map(|p| format!("--{}: {}", p.field.replace('_', "-"), p.problem))
                                .collect::<Vec<_>>()
                                .join("\n")
                        )
                    },
                )?;
            let db = open(&db.url(&settings), &settings).await?;
            compliance::report(&db, from, to, group_by).await
        }
        Command::Bench { what } => match what {
            BenchWhat::Code { cases, seed } => bench::code(cases, seed),
            BenchWhat::Ingest {
                events,
                database_url,
                seed,
                rounds,
            } => bench::ingest(events, database_url, seed, rounds).await,
            BenchWhat::Notify {
                messages,
                database_url,
                latency_ms,
                concurrency,
            } => bench_notify::notify(messages, database_url, latency_ms, concurrency).await,
            BenchWhat::Search {
                cases,
                database_url,
                queries,
            } => bench_search::search(cases, database_url, queries).await,
            BenchWhat::Capacity { rounds } => bench_capacity::capacity(rounds),
            BenchWhat::Load {
                seconds,
                sessions,
                agents,
                events_per_second,
                database_url,
            } => {
                bench_load::load(
                    seconds,
                    sessions,
                    agents,
                    events_per_second,
                    database_url,
                    settings,
                )
                .await
            }
            BenchWhat::Portal { sessions, seconds } => {
                bench_portal::portal(sessions, seconds, settings).await
            }
        },
    }
}

/// The case id of a crime reference given on the command line.
async fn case_id_of(db: &Db, raw: &str) -> anyhow::Result<i64> {
    let reference = domain::CrimeReference::parse(raw)
        .map_err(|p| anyhow::anyhow!("--crime-reference: {p}"))?;
    Ok(db
        .case_by_reference(&reference)
        .await?
        .ok_or_else(|| anyhow::anyhow!("--crime-reference: no case {raw} is held"))?
        .case_id)
}

/// A database of the benchmark's own (see `bench::fresh`).
pub(crate) async fn bench_fresh(url: Option<&str>) -> anyhow::Result<store::scratch::ScratchDb> {
    bench::fresh(url).await
}

/// Opens the database, bringing its schema up to date.
pub(crate) async fn open(url: &str, settings: &Settings) -> anyhow::Result<Db> {
    Db::connect(url, settings.keys()?)
        .await
        .with_context(|| format!("cannot open the database at {}", redact(url)))
}

/// A database URL fit to print: any password replaced.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The ids of the support directory's agencies: a partner's account or key names one.
fn agency_ids(settings: &Settings) -> anyhow::Result<Vec<String>> {
    Ok(settings
        .web_config()?
        .support_directory
        .find(None, None)
        .iter()
        .map(|a| a.id.clone())
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_never_print() {
        assert_eq!(
            super::redact("postgres://vc:s3cret@db:5432/vc"),
            "postgres://vc:***@db:5432/vc"
        );
        assert_eq!(super::redact("postgres://vc@db/vc"), "postgres://vc@db/vc");
        assert_eq!(
            super::redact("sqlite://./data/victimcare.db"),
            "sqlite://./data/victimcare.db"
        );
    }
}
