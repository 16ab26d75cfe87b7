//! Scratch workspaces: generated crates built together, for `corpus --compile` and
//! `bench-gen`.
//!
//! `DIR/ws/` is a workspace whose members are generated crates (`--workspace-member`
//! crates), with the repository's `Cargo.lock`, so they build with the versions the client
//! is tested with; `DIR/target/` is their one target dir, so dependencies build once and
//! stay built between runs. Cargo runs offline when the local registry cache suffices, else
//! online.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Scratch {
    pub ws: PathBuf,
    pub target: PathBuf,
    offline: bool,
}

impl Scratch {
    pub fn new(dir: &Path) -> Result<Scratch, String> {
        let ws = dir.join("ws");
        fs::create_dir_all(&ws).map_err(|e| format!("{}: {e}", ws.display()))?;
        Ok(Scratch {
            ws,
            target: dir.join("target"),
            offline: true,
        })
    }

    /// Makes `members` (directory names under `ws/`) the workspace's members and deletes
    /// the crates of earlier runs that are not among them.
    pub fn set_members(&self, members: &[String]) -> Result<(), String> {
        let entries = fs::read_dir(&self.ws).map_err(|e| format!("{}: {e}", self.ws.display()))?;
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().is_dir() && !members.contains(&name) {
                fs::remove_dir_all(entry.path())
                    .map_err(|e| format!("{}: {e}", entry.path().display()))?;
            }
        }
        let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
        let manifest = format!(
            "# Written by `cargo xtask`: a scratch workspace of generated crates.\n\
             [workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            list.join(", ")
        );
        write_if_changed(&self.ws.join("Cargo.toml"), &manifest)?;
        let lock = crate::workspace_root().join("Cargo.lock");
        fs::copy(&lock, self.ws.join("Cargo.lock"))
            .map(drop)
            .map_err(|e| format!("{}: {e}", lock.display()))
    }

    /// `cargo <args>` in the workspace, on its target dir, without colours; offline unless
    /// [`Scratch::run_with_fallback`] found that the registry cache does not suffice.
    pub fn cargo(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        if let Some((sub, rest)) = args.split_first() {
            cmd.arg(sub);
            if self.offline {
                cmd.arg("--offline");
            }
            cmd.args(rest);
        }
        cmd.current_dir(&self.ws)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_TERM_COLOR", "never");
        cmd
    }

    /// Runs `cargo <args>` offline, and once more online if cargo says it needs the network
    /// (then stays online).
    pub fn run_with_fallback(&mut self, args: &[&str]) -> Result<std::process::Output, String> {
        let shown = format!("cargo {}", args.join(" "));
        let output = self
            .cargo(args)
            .output()
            .map_err(|e| format!("{shown}: {e}"))?;
        if self.offline
            && !output.status.success()
            && String::from_utf8_lossy(&output.stderr).contains("offline")
        {
            eprintln!("{shown}: needs the network; retrying online");
            self.offline = false;
            return self
                .cargo(args)
                .output()
                .map_err(|e| format!("{shown}: {e}"));
        }
        Ok(output)
    }
}

/// Writes `contents` unless `path` already holds them (cargo tracks the manifest's mtime).
fn write_if_changed(path: &Path, contents: &str) -> Result<(), String> {
    if fs::read(path).ok().as_deref() == Some(contents.as_bytes()) {
        return Ok(());
    }
    fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
}
