//! The `victimcare` command. Everything happens in the library; this only hands over.

fn main() -> std::process::ExitCode {
    victimcare::cli::main()
}
