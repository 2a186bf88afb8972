//! The `victimcare` command. Everything happens in the library; this only hands over.

// glibc's allocator serialises on a lock when one thread frees what another allocated, which
// is what sqlx's SQLite worker thread and the async runtime do all day.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    victimcare::cli::main()
}
