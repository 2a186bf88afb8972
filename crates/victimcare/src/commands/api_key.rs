use chrono::Utc;
use store::Db;

pub async fn create(
    db: &Db,
    name: &str,
    scope: &str,
    agency: Option<&str>,
    agencies: &[String],
) -> anyhow::Result<()> {
    let name = domain::text::ShortText::parse(name)
        .map_err(|problem| anyhow::anyhow!("--name {problem}"))?;
    let scope = store::ApiScope::parse(scope)
        .ok_or_else(|| anyhow::anyhow!("--scope must be feed, telephony or agency"))?;
    let key = match (scope, agency) {
        (store::ApiScope::Agency, Some(a)) if agencies.iter().any(|k| k == a) => {
            db.create_agency_api_key(name.as_str(), a, Utc::now())
                .await?
        }
        (store::ApiScope::Agency, _) => anyhow::bail!(
            "--agency must be the agency's id in the support directory, one of: {}",
            agencies.join(", ")
        ),
        (_, Some(_)) => anyhow::bail!("--agency is only for a key with --scope agency"),
        (_, None) => {
            db.create_scoped_api_key(name.as_str(), scope, Utc::now())
                .await?
        }
    };
    println!(
        "Made API key {} ({}) for {name}. Keep it secret: it is shown only now.",
        key.api_key_id,
        scope.as_str()
    );
    println!("{}", key.secret);
    Ok(())
}

pub async fn list(db: &Db) -> anyhow::Result<()> {
    let keys = db.list_api_keys().await?;
    if keys.is_empty() {
        println!("There are no API keys. Make one with: victimcare api-key create --name NAME");
    }
    for k in keys {
        let state = match k.revoked_at {
            Some(at) => format!("revoked {}", at.format("%Y-%m-%d %H:%M")),
            None => "active".to_owned(),
        };
        println!(
            "{}\t{}\tmade {}\t{state}",
            k.api_key_id,
            k.name,
            k.created_at.format("%Y-%m-%d %H:%M")
        );
    }
    Ok(())
}

pub async fn revoke(db: &Db, id: i64) -> anyhow::Result<()> {
    if db.revoke_api_key(id, Utc::now()).await? {
        println!("API key {id} is revoked. Calls with it are refused from now on.");
        Ok(())
    } else {
        anyhow::bail!("there is no active API key with id {id} (see: victimcare api-key list)")
    }
}
