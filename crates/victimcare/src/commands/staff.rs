//! `victimcare user create|list|reset|disable` and `victimcare audit verify`.

use anyhow::Context as _;
use chrono::Utc;
use domain::staff::{Role, Username, check_password};
use store::{AuditCheck, AuditEntry, Db, NewStaffUser};

/// The password, from standard input (one line). At a terminal, `which` names it in the
/// prompt ("first", "new") and what is typed is not shown.
pub fn read_password(which: &str) -> anyhow::Result<String> {
    use std::io::IsTerminal as _;
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(format!(
            "Type their {which} password (at least 12 characters), then press Enter: "
        ))
        .context("cannot read the password from the terminal");
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// Checks every flag, reporting all the problems at once.
pub fn new_user(
    username: &str,
    name: &str,
    role: &str,
    team: Option<String>,
    collar_number: Option<String>,
    password: String,
    agencies: &[String],
) -> anyhow::Result<NewStaffUser> {
    let mut problems = Vec::new();
    let username = Username::parse(username)
        .map_err(|e| problems.push(format!("--username: {e}")))
        .ok();
    let role = Role::parse(role)
        .map_err(|e| problems.push(format!("--role: {e}")))
        .ok();
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        problems.push("--name: must be 1 to 100 characters".into());
    }
    if let Err(e) = check_password(&password) {
        problems.push(format!("password: {e}"));
    }
    if role == Some(Role::PartnerAgencyWorker)
        && !team.as_ref().is_some_and(|t| agencies.contains(t))
    {
        problems.push(format!(
            "--team: a partner agency worker's team is their agency's id in the support \
             directory, one of: {}",
            agencies.join(", ")
        ));
    }
    if role == Some(Role::OfficerInCase) && collar_number.is_none() {
        problems.push("--collar-number: is required for an officer in the case".into());
    }
    match (username, role, problems.is_empty()) {
        (Some(username), Some(role), true) => Ok(NewStaffUser {
            username,
            display_name: name.to_owned(),
            role,
            team,
            collar_number,
            password,
        }),
        _ => Err(anyhow::anyhow!("{}", problems.join("\n"))),
    }
}

pub async fn create(db: &Db, new: NewStaffUser) -> anyhow::Result<String> {
    let now = Utc::now();
    let created = db.create_staff_user(new, now).await.map_err(|e| match e {
        store::StoreError::Refused(p) => anyhow::anyhow!(
            "{}",
            p.iter()
                .map(|p| format!("--{}: {}", p.field, p.problem))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        other => other.into(),
    })?;
    db.audit(
        &AuditEntry {
            actor: "command line".into(),
            action: "created staff account".into(),
            detail: format!("{} as {}", created.user.username, created.user.role),
            ..AuditEntry::default()
        },
        now,
    )
    .await?;
    Ok(format!(
        "Created {} ({}).\nAuthenticator secret (shown once; add it to their app): {}\n\
         Or open this set-up link with the app: {}",
        created.user.username,
        created.user.role.label(),
        created.totp_secret,
        created.totp_url
    ))
}

pub async fn list(db: &Db) -> anyhow::Result<String> {
    let mut out = String::new();
    for u in db.staff_users().await? {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            u.username,
            u.role,
            u.display_name,
            if u.disabled { "disabled" } else { "active" }
        ));
    }
    Ok(out)
}

/// The account named `--username`.
async fn account(db: &Db, username: &str) -> anyhow::Result<store::StaffUser> {
    let name = Username::parse(username).map_err(|e| anyhow::anyhow!("--username: {e}"))?;
    db.staff_users()
        .await?
        .into_iter()
        .find(|u| u.username == name.as_str())
        .ok_or_else(|| anyhow::anyhow!("--username: no account has this name"))
}

/// New credentials for an account that is in use: a disabled one stays disabled (enabling it
/// again is a decision of its own, not a side effect of a reset).
pub async fn reset(db: &Db, username: &str, password: &str) -> anyhow::Result<String> {
    check_password(password).map_err(|e| anyhow::anyhow!("password: {e}"))?;
    let user = account(db, username).await?;
    if user.disabled {
        anyhow::bail!("--username: this account is disabled");
    }
    let now = Utc::now();
    let reset = db
        .reset_staff_credentials(user.user_id, password, now)
        .await?;
    db.audit(
        &AuditEntry {
            actor: "command line".into(),
            action: "reset staff credentials".into(),
            detail: format!("user {}", user.user_id),
            ..AuditEntry::default()
        },
        now,
    )
    .await?;
    Ok(format!(
        "{} has a new password; their sessions have ended and the old authenticator no longer \
         works.\nNew authenticator secret (shown once; add it to their app): {}\n\
         Or open this set-up link with the app: {}",
        reset.user.username, reset.totp_secret, reset.totp_url
    ))
}

pub async fn disable(db: &Db, username: &str) -> anyhow::Result<String> {
    let user = account(db, username).await?;
    let now = Utc::now();
    db.disable_staff_user(user.user_id, now).await?;
    db.audit(
        &AuditEntry {
            actor: "command line".into(),
            action: "disabled staff account".into(),
            detail: format!("user {}", user.user_id),
            ..AuditEntry::default()
        },
        now,
    )
    .await?;
    Ok(format!(
        "{} is disabled; their sessions have ended.",
        user.username
    ))
}

pub async fn verify_audit(db: &Db) -> anyhow::Result<String> {
    match db.verify_audit().await? {
        AuditCheck::Intact { records, head } => Ok(format!(
            "The audit log is intact: {records} records. Last hash: {head}"
        )),
        AuditCheck::Broken { audit_id, problem } => Err(anyhow::anyhow!(
            "The audit log is broken at record {audit_id}: {problem}"
        )),
    }
}
