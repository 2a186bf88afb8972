//! Building the running application: bind first (so tests can ask for port 0 and learn the
//! port), then serve until told to stop.

use crate::config::Settings;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use store::Db;
use tokio::net::TcpListener;

pub struct Application {
    listener: TcpListener,
    state: web::AppState,
}

impl Application {
    /// Connects to the database (running migrations) and binds the listener.
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let db = Db::connect(&settings.database_url)
            .await
            .map_err(|e| anyhow::anyhow!("cannot open the database: {e}"))?;
        Self::with_db(settings, db).await
    }

    pub async fn with_db(settings: &Settings, db: Db) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.server.bind)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.server.bind))?;
        Ok(Self {
            listener,
            state: web::AppState {
                db,
                config: Arc::new(settings.web_config()),
            },
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
        web::serve(self.listener, self.state, shutdown).await?;
        db.close().await;
        Ok(())
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
