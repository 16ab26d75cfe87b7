//! Running a command and measuring it: wall time, and the peak resident memory of its process
//! tree as `wait4` reports it (the largest single process, such as the one `rustc` of a crate
//! build, which is what `/usr/bin/time -v` prints as "Maximum resident set size").
//!
//! One caveat of Linux's accounting: a child spawned with `vfork`/`posix_spawn` (as std
//! does) shares its parent's memory until `exec`, and inherits the parent's high-water mark
//! then, so the spawning process's own peak is a floor of every figure. The spawner here is
//! xtask, a few MB beside a compiler's hundreds.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One measured run.
#[derive(Debug, Clone)]
pub struct Measured {
    pub wall: Duration,
    /// Peak resident set size, in bytes.
    pub peak_rss: u64,
    pub success: bool,
    /// How it ended, for messages (`exit status 101`).
    pub status: String,
    pub stderr: String,
}

/// Runs `cmd` to completion (stdout discarded, stderr kept) and measures it.
pub fn run(cmd: &mut Command) -> Result<Measured, String> {
    let shown = format!("{cmd:?}");
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{shown}: {e}"))?;
    let mut pipe = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(pipe) = pipe.as_mut() {
            let _ = pipe.read_to_string(&mut text);
        }
        text
    });
    let pid = libc::pid_t::try_from(child.id()).map_err(|e| format!("{shown}: pid: {e}"))?;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own unwaited child; wait4 writes only to the two pointers, which
    // point to live locals of the right types. std's `Child` is not waited on afterwards.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    if rc != pid {
        return Err(format!(
            "{shown}: wait4: {}",
            std::io::Error::last_os_error()
        ));
    }
    let stderr = reader.join().unwrap_or_default();
    let (success, status) = if libc::WIFEXITED(status) {
        let code = libc::WEXITSTATUS(status);
        (code == 0, format!("exit status {code}"))
    } else if libc::WIFSIGNALED(status) {
        (
            false,
            format!("killed by signal {}", libc::WTERMSIG(status)),
        )
    } else {
        (false, format!("wait status {status}"))
    };
    Ok(Measured {
        wall,
        // Linux reports ru_maxrss in KiB.
        peak_rss: u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024,
        success,
        status,
        stderr,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// This (test) process's own peak RSS, the floor of what its children report.
    fn own_peak() -> u64 {
        // SAFETY: as in `run`, a zeroed rusage is valid and getrusage only writes to it.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
        u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024
    }

    /// A grandchild that touches 200 MiB is seen through the shell that waits for it, a
    /// small command is not charged for it, and a failure is a failure.
    #[test]
    fn peak_memory_of_the_process_tree() {
        const MIB: u64 = 1024 * 1024;
        let python = "b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])";
        let m = run(Command::new("sh").args(["-c", &format!("python3 -c \"{python}\"; true")]))
            .unwrap();
        assert!(m.success, "{m:?}");
        assert!(m.peak_rss >= 200 * MIB, "{m:?}");
        assert!(m.peak_rss < own_peak().max(200 * MIB) + 100 * MIB, "{m:?}");

        let small = run(&mut Command::new("true")).unwrap();
        assert!(small.peak_rss <= own_peak().max(20 * MIB), "{small:?}");
        let failed = run(Command::new("sh").args(["-c", "echo oops >&2; exit 3"])).unwrap();
        assert!(!failed.success);
        assert_eq!(
            (failed.status.as_str(), failed.stderr.as_str()),
            ("exit status 3", "oops\n")
        );
    }
}
