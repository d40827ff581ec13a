//! Running child processes: each in its own process group, output streamed to the terminal while
//! xtask reads it, and SIGINT / SIGTERM / SIGHUP forwarded to the running child's group so that
//! xtask itself survives the signal long enough to clean up (stop a devnet, print the summary).

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Once;

use anyhow::{Context, Result};

/// Process group of the child currently run in the foreground (0: none).
static CHILD_PGID: AtomicI32 = AtomicI32::new(0);
/// The first terminating signal received (0: none).
static SIGNAL: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_signal(sig: libc::c_int) {
    // Only async-signal-safe work here: atomics and kill(2).
    let _ = SIGNAL.compare_exchange(0, sig, Ordering::SeqCst, Ordering::SeqCst);
    let pgid = CHILD_PGID.load(Ordering::SeqCst);
    if pgid > 0 {
        unsafe {
            libc::kill(-pgid, sig);
        }
    }
}

/// Installs the forwarding handler for SIGINT, SIGTERM and SIGHUP (idempotent).
pub fn install_signal_handlers() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| unsafe {
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            action.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(sig, &action, std::ptr::null_mut());
        }
    });
}

/// The signal that asked xtask to stop, if one arrived.
pub fn interrupted() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        sig => Some(sig),
    }
}

pub fn signal_name(sig: i32) -> &'static str {
    match sig {
        libc::SIGINT => "SIGINT",
        libc::SIGTERM => "SIGTERM",
        libc::SIGHUP => "SIGHUP",
        _ => "a signal",
    }
}

/// Marks `child` as the one signals are forwarded to, until dropped.
struct Foreground;

impl Foreground {
    fn new(child: &Child) -> Foreground {
        CHILD_PGID.store(child.id() as i32, Ordering::SeqCst);
        // A signal that arrived between spawn and registration must still reach the child.
        if let Some(sig) = interrupted() {
            unsafe {
                libc::kill(-(child.id() as i32), sig);
            }
        }
        Foreground
    }
}

impl Drop for Foreground {
    fn drop(&mut self) {
        CHILD_PGID.store(0, Ordering::SeqCst);
    }
}

/// How to run a command.
#[derive(Debug, Clone, Copy)]
pub struct Opts {
    /// Forward xtask's terminating signals to the child (false: the child is shielded from them,
    /// used for cleanup commands that must finish).
    pub forward_signals: bool,
    /// Capture stderr too (still echoed live); otherwise stderr goes straight to the terminal so
    /// cargo keeps its colours and progress bar.
    pub capture_stderr: bool,
}

pub const FORWARD: Opts = Opts { forward_signals: true, capture_stderr: false };

/// What a finished command left behind.
#[derive(Debug)]
pub struct Ran {
    pub status: ExitStatus,
    /// The last lines of stderr when captured.
    pub stderr_tail: Vec<String>,
}

/// Prints the command line before running it.
pub fn describe(cmd: &Command) -> String {
    let program = std::path::Path::new(cmd.get_program());
    // `$CARGO` is a long toolchain path: show it as the command users type.
    let mut s =
        if program.file_name().is_some_and(|f| f == "cargo") && program != std::path::Path::new("/usr/bin/cargo") {
            "cargo".to_string()
        } else {
            program.to_string_lossy().into_owned()
        };
    for arg in cmd.get_args() {
        s.push(' ');
        s.push_str(&shell_word(arg));
    }
    s
}

fn shell_word(arg: &OsStr) -> String {
    let a = arg.to_string_lossy();
    if !a.is_empty() && a.chars().all(|c| c.is_ascii_alphanumeric() || "-_=./,:+@".contains(c)) {
        a.into_owned()
    } else {
        format!("'{}'", a.replace('\'', r"'\''"))
    }
}

/// Runs `cmd` to completion: stdin closed, stdout read line by line (each line echoed to our stdout
/// at once and handed to `on_line`), stderr either inherited or echoed and its tail kept.
pub fn run_streaming(cmd: &mut Command, opts: Opts, mut on_line: impl FnMut(&str)) -> Result<Ran> {
    install_signal_handlers();
    cmd.stdin(Stdio::null()).stdout(Stdio::piped());
    cmd.stderr(if opts.capture_stderr { Stdio::piped() } else { Stdio::inherit() });
    // Own process group: a terminal Ctrl-C reaches only xtask, which forwards it (or not).
    cmd.process_group(0);
    let mut child = cmd.spawn().with_context(|| format!("could not start `{}`", describe(cmd)))?;
    let guard = opts.forward_signals.then(|| Foreground::new(&child));

    let stderr_thread = child.stderr.take().map(|err| {
        std::thread::spawn(move || {
            let mut tail: Vec<String> = Vec::new();
            let mut reader = BufReader::new(err);
            let mut buf = Vec::new();
            while reader.read_until(b'\n', &mut buf).map(|n| n > 0).unwrap_or(false) {
                let line = String::from_utf8_lossy(&buf).trim_end_matches(['\n', '\r']).to_string();
                eprintln!("{line}");
                tail.push(line);
                if tail.len() > 40 {
                    tail.remove(0);
                }
                buf.clear();
            }
            tail
        })
    });

    let stdout = child.stdout.take().expect("stdout is piped");
    let mut reader = BufReader::new(stdout);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {
                let line = String::from_utf8_lossy(&buf);
                let line = line.trim_end_matches(['\n', '\r']);
                // `println!` (not a raw stdout handle): libtest captures it in xtask's own tests, so
                // their fake summaries never reach a suite that is counting real ones.
                println!("{line}");
                on_line(line);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    let status = child.wait().with_context(|| format!("waiting for `{}`", describe(cmd)))?;
    drop(guard);
    let stderr_tail = stderr_thread.map(|t| t.join().unwrap_or_default()).unwrap_or_default();
    Ok(Ran { status, stderr_tail })
}

/// Runs `cmd` with all output captured (nothing echoed), signals forwarded.
pub fn run_captured(cmd: &mut Command) -> Result<std::process::Output> {
    install_signal_handlers();
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.process_group(0);
    let child = cmd.spawn().with_context(|| format!("could not start `{}`", describe(cmd)))?;
    let guard = Foreground::new(&child);
    let out = child.wait_with_output().with_context(|| format!("waiting for `{}`", describe(cmd)))?;
    drop(guard);
    Ok(out)
}

/// Runs `cmd` with inherited stdout/stderr (for long installs whose progress the user should see).
pub fn run_inherit(cmd: &mut Command) -> Result<ExitStatus> {
    install_signal_handlers();
    cmd.stdin(Stdio::null());
    cmd.process_group(0);
    let mut child = cmd.spawn().with_context(|| format!("could not start `{}`", describe(cmd)))?;
    let guard = Foreground::new(&child);
    let status = child.wait().with_context(|| format!("waiting for `{}`", describe(cmd)))?;
    drop(guard);
    Ok(status)
}

/// Fails with a clear message when a signal asked us to stop.
pub fn bail_if_interrupted() -> Result<()> {
    if let Some(sig) = interrupted() {
        anyhow::bail!("interrupted by {}", signal_name(sig));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_lines_and_keeps_stderr_tail() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo one; echo two; echo oops >&2; exit 3"]);
        let mut lines = Vec::new();
        let ran = run_streaming(&mut cmd, Opts { forward_signals: true, capture_stderr: true }, |l| {
            lines.push(l.to_string())
        })
        .unwrap();
        assert_eq!(lines, ["one", "two"]);
        assert_eq!(ran.stderr_tail, ["oops"]);
        assert_eq!(ran.status.code(), Some(3));
    }

    #[test]
    fn describes_commands_shell_style() {
        let mut cmd = Command::new("cargo");
        cmd.args(["test", "-p", "x", "--", "it's here"]);
        assert_eq!(describe(&cmd), r"cargo test -p x -- 'it'\''s here'");
    }
}
