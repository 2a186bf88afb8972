//! Building the running application: bind first (so tests can ask for port 0 and learn the
//! port), then serve until told to stop.

use crate::config::Settings;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use store::Db;
use tokio::net::TcpListener;

pub struct Application {
    listener: TcpListener,
    state: web::AppState,
    scheduler_interval: Option<Duration>,
    support: SupportPass,
    /// The notification worker and how often it runs, if this instance sends.
    worker: Option<(crate::worker::Worker, Duration)>,
}

impl Application {
    /// Connects to the database (running migrations) and binds the listener.
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let db = Db::connect(&settings.database_url, settings.keys()?)
            .await
            .map_err(|e| anyhow::anyhow!("cannot open the database: {e}"))?;
        Self::with_db(settings, db).await
    }

    pub async fn with_db(settings: &Settings, db: Db) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.server.bind)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.server.bind))?;
        let seconds = settings.scheduler.interval_seconds;
        Ok(Self {
            listener,
            scheduler_interval: (seconds > 0).then(|| Duration::from_secs(seconds)),
            support: SupportPass::from_settings(settings)?,
            worker: match settings.notify.interval_seconds {
                0 => None,
                every => settings
                    .worker(db.clone())?
                    .map(|w| (w, Duration::from_secs(every))),
            },
            state: web::AppState::new(db, Arc::new(settings.web_config()?)),
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let db = self.state.db.clone();
        let scheduler = self
            .scheduler_interval
            .map(|every| tokio::spawn(run_scheduler(db.clone(), every, self.support)));
        // A pass stopped half way loses nothing: claimed messages go again after their lease.
        let worker = self
            .worker
            .map(|(worker, every)| tokio::spawn(worker.run(every)));
        web::serve(self.listener, self.state, shutdown).await?;
        if let Some(scheduler) = scheduler {
            scheduler.abort();
        }
        if let Some(worker) = worker {
            worker.abort();
        }
        db.close().await;
        Ok(())
    }
}

/// Runs a scheduler pass every `every`. A pass is one transaction, so stopping between or
/// even during passes loses nothing: the next pass (here or on another instance) picks up.
async fn run_scheduler(db: Db, every: Duration, support: SupportPass) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        match support.run(&db, chrono::Utc::now()).await {
            Ok(r) if r == PassReport::default() => {}
            Ok(r) => {
                tracing::info!(
                    chased = r.referrals_chased,
                    invited = r.invited,
                    burglaries_chased = r.burglaries_chased,
                    attendance_tasks_closed = r.attendance_tasks_closed,
                    "referrals and burglaries chased, survey invitations queued"
                )
            }
            Err(e) => tracing::error!(error = %e, "support pass failed; retrying next time"),
        }
        match db.tick(chrono::Utc::now()).await {
            Ok(report) if report.ran => tracing::info!(
                breached = report.breached,
                tasks_opened = report.tasks_opened,
                periodic_created = report.periodic_created,
                periodic_lapsed = report.periodic_lapsed,
                "scheduler pass"
            ),
            Ok(_) => tracing::debug!("scheduler pass left to another instance"),
            Err(e) => tracing::error!(error = %e, "scheduler pass failed; retrying next time"),
        }
    }
}

/// The scheduler's support work: chasing unanswered referrals and unattended burglaries, and
/// inviting victims to the survey at the moments chosen.
#[derive(Debug, Clone)]
pub struct SupportPass {
    pub chase_after: chrono::TimeDelta,
    pub moments: Vec<store::SurveyMoment>,
    pub attendance_after: chrono::TimeDelta,
}

/// What a support pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct PassReport {
    /// Tasks opened for referrals no agency answered.
    pub referrals_chased: u64,
    pub invited: u64,
    /// Tasks opened for home burglaries no officer has attended.
    pub burglaries_chased: u64,
    /// Those tasks closed because an officer has since attended.
    pub attendance_tasks_closed: u64,
}

impl SupportPass {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        Ok(Self {
            chase_after: chrono::TimeDelta::hours(
                settings.support.chase_after_hours.clamp(1, 24 * 30),
            ),
            moments: settings.surveys.moments()?,
            attendance_after: chrono::TimeDelta::hours(
                settings
                    .capacity
                    .attendance_task_after_hours
                    .clamp(1, 24 * 30),
            ),
        })
    }

    pub async fn run(
        &self,
        db: &Db,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<PassReport, store::StoreError> {
        let referrals_chased = db.chase_referrals(self.chase_after, now).await?;
        let invited = if self.moments.is_empty() {
            0
        } else {
            db.invite_to_surveys(&self.moments, now).await?
        };
        let (burglaries_chased, attendance_tasks_closed) =
            db.chase_unattended(self.attendance_after, now).await?;
        Ok(PassReport {
            referrals_chased,
            invited,
            burglaries_chased,
            attendance_tasks_closed,
        })
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
