//! A PostgreSQL server of a test's own, for the fault tests: shared by the test binaries
//! (each includes this file as a module).

// Each test binary uses a different part.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A PostgreSQL server of the test's own (`initdb` in a temporary folder, its own port), so
/// it can be stopped and started without disturbing other tests. Stopped when dropped.
pub struct PrivatePostgres {
    bin: std::path::PathBuf,
    data: std::path::PathBuf,
    port: u16,
    /// With TLS: the authority that signed the server's certificate.
    ca: Option<PathBuf>,
    /// With TLS: this machine's own address on its network, where the server listens too
    /// (so a connection can go to an address that is not a loopback one).
    lan: Option<std::net::IpAddr>,
    _dir: tempfile::TempDir,
}

impl PrivatePostgres {
    /// `None` (the test is skipped, with a message) where PostgreSQL's programs are not
    /// installed, unless `VICTIMCARE_TEST_PG_REQUIRED=1` (as in CI) makes that a failure.
    pub fn start() -> Option<Self> {
        Self::start_with(false)
    }

    /// The same, answering TLS with a certificate for `localhost`, `127.0.0.1` and this
    /// machine's own address ([`PrivatePostgres::lan`]) signed by an authority of the test's
    /// own ([`PrivatePostgres::ca`]).
    pub fn start_with_tls() -> Option<Self> {
        Self::start_with(true)
    }

    fn start_with(tls: bool) -> Option<Self> {
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
        let lan = if tls { own_address() } else { None };
        let ca = tls.then(|| make_certificates(dir.path(), lan));
        let pg = Self {
            bin,
            data,
            port,
            ca,
            lan,
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
        if let Some(lan) = pg.lan {
            use std::io::Write as _;
            // Appended as root keeps the file its owner's.
            let mut hba = std::fs::OpenOptions::new()
                .append(true)
                .open(pg.data.join("pg_hba.conf"))
                .unwrap();
            writeln!(hba, "host all all {lan}/32 trust").unwrap();
        }
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
        let listen = match self.lan {
            Some(lan) => format!("127.0.0.1,{lan}"),
            None => "127.0.0.1".to_owned(),
        };
        let mut options = format!(
            "-p {} -c listen_addresses={listen} -k {} -c fsync=off",
            self.port,
            self.data.display()
        );
        if self.ca.is_some() {
            let tls = self._dir.path().join("tls");
            options.push_str(&format!(
                " -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
                tls.join("server.crt").display(),
                tls.join("server.key").display()
            ));
        }
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

    pub fn port(&self) -> u16 {
        self.port
    }

    /// This machine's address on its network, if it has one (with TLS only).
    pub fn lan(&self) -> Option<std::net::IpAddr> {
        self.lan
    }

    /// The authority's certificate, for `sslrootcert` (with TLS only).
    pub fn ca(&self) -> Option<&Path> {
        self.ca.as_deref()
    }
}

/// The address this machine reaches its network from, unless it has only a loopback one.
/// (A UDP socket's "connect" sends nothing; it only picks the route.)
fn own_address() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("10.255.255.255:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// An authority and a server certificate it signed (for `localhost`, `127.0.0.1` and `lan`),
/// in `dir/tls`; returns the authority's certificate. The server's key is readable by its
/// owner alone, as PostgreSQL insists.
pub fn make_certificates(dir: &Path, lan: Option<std::net::IpAddr>) -> PathBuf {
    let tls = dir.join("tls");
    std::fs::create_dir_all(&tls).unwrap();
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(&tls)
            .output()
            .expect("openssl is needed to make the test's certificates");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    openssl(
        &[
            &["req", "-x509"][..],
            &ec,
            &[
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt",
                "-days",
                "2",
                "-subj",
                "/CN=victimcare test authority",
            ],
        ]
        .concat(),
    );
    openssl(
        &[
            &["req"][..],
            &ec,
            &[
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=localhost",
            ],
        ]
        .concat(),
    );
    let lan = lan.map(|ip| format!(",IP:{ip}")).unwrap_or_default();
    std::fs::write(
        tls.join("san.ext"),
        format!("subjectAltName=DNS:localhost,IP:127.0.0.1{lan}\n"),
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "2",
        "-extfile",
        "san.ext",
    ]);
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(
        tls.join("server.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    tls.join("ca.crt")
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let _ = self.run(
            "pg_ctl",
            &["-D", self.data.to_str().unwrap(), "-m", "immediate", "stop"],
        );
    }
}
