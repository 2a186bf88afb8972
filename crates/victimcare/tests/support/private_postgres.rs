//! A PostgreSQL server of a test's own, for the fault tests: shared by the test binaries
//! (each includes this file as a module).

use std::process::Command;

/// A PostgreSQL server of the test's own (`initdb` in a temporary folder, its own port), so
/// it can be stopped and started without disturbing other tests. Stopped when dropped.
pub struct PrivatePostgres {
    bin: std::path::PathBuf,
    data: std::path::PathBuf,
    port: u16,
    _dir: tempfile::TempDir,
}

impl PrivatePostgres {
    /// `None` (the test is skipped, with a message) where PostgreSQL's programs are not
    /// installed, unless `VICTIMCARE_TEST_PG_REQUIRED=1` (as in CI) makes that a failure.
    pub fn start() -> Option<Self> {
        let Some(bin) = Command::new("pg_config")
            .arg("--bindir")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| std::path::PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
            .filter(|b| b.join("initdb").exists())
        else {
            assert!(
                std::env::var("VICTIMCARE_TEST_PG_REQUIRED").as_deref() != Ok("1"),
                "PostgreSQL's programs (initdb, pg_ctl) are needed"
            );
            eprintln!("skipped: PostgreSQL's programs are not installed");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let pg = Self {
            bin,
            data,
            port,
            _dir: dir,
        };
        if Self::as_root() {
            // PostgreSQL refuses to run as root: its folder belongs to its own user.
            let owned = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(pg._dir.path())
                .status()
                .unwrap();
            assert!(owned.success());
        }
        let init = pg.run(
            "initdb",
            &[
                "-D",
                pg.data.to_str().unwrap(),
                "-A",
                "trust",
                "-U",
                "postgres",
            ],
        );
        assert!(init, "initdb failed");
        pg.up();
        Some(pg)
    }

    fn as_root() -> bool {
        Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
    }

    fn run(&self, program: &str, args: &[&str]) -> bool {
        let path = self.bin.join(program);
        let mut command = if Self::as_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        };
        command
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    pub fn up(&self) {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off",
            self.port,
            self.data.display()
        );
        let log = self.data.join("server.log");
        let started = self.run(
            "pg_ctl",
            &[
                "-D",
                self.data.to_str().unwrap(),
                "-o",
                &options,
                "-l",
                log.to_str().unwrap(),
                "-w",
                "start",
            ],
        );
        assert!(started, "the private PostgreSQL did not start");
    }

    /// `fast` (clients disconnected, a clean shutdown) or `immediate` (as in a crash).
    pub fn down(&self, mode: &str) {
        let stopped = self.run(
            "pg_ctl",
            &["-D", self.data.to_str().unwrap(), "-m", mode, "-w", "stop"],
        );
        assert!(stopped, "the private PostgreSQL did not stop");
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let _ = self.run(
            "pg_ctl",
            &["-D", self.data.to_str().unwrap(), "-m", "immediate", "stop"],
        );
    }
}
