//! Installs the local chain node on demand.
//!
//! The node is `injectived` from PyPI's `injective-core` wheel (Cosmos SDK 0.50, wasmd 0.53,
//! wasmvm 2.1, ibc-go v8). It is a test fixture with a non-open-source licence, so it is fetched
//! into the user's cache when first needed and never vendored.
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use thiserror::Error;

use crate::paths::cache_root;

/// The pinned node release; bumping it installs a new cache folder beside the old one.
pub const INJECTIVE_CORE_VERSION: &str = "1.20.1";
const WHEEL_PAYLOAD: &str = "injective_core/bin/injectived.tar.zst";
const BINARY_IN_PAYLOAD: &str = "injectived-linux-x64";
const WASMVM_LIB: &str = "libwasmvm.x86_64.so";

#[derive(Debug, Error)]
pub enum NodeInstallError {
    #[error("RESOURCE_INJECTIVED points to {0}, which is not a file; fix the variable or unset it to let `resource` install the node")]
    OverrideMissing(PathBuf),
    #[error("the chain node (injectived) is not installed and could not be installed: `{command}` failed: {reason}. Install Python 3 with pip and allow access to the Python package index, or set RESOURCE_INJECTIVED=/path/to/injectived")]
    Download { command: String, reason: String },
    #[error("the downloaded injective-core wheel is unusable ({0}); delete {1} and try again")]
    BadWheel(String, PathBuf),
    #[error("cannot write the node into the cache at {path}: {source}; set RESOURCE_CACHE to a writable folder")]
    Io { path: PathBuf, source: io::Error },
    #[error("the chain node at {0} does not run on this machine: {1}")]
    Unusable(PathBuf, String),
}

/// A runnable node binary and the folder holding its `libwasmvm` shared library.
#[derive(Debug, Clone)]
pub struct NodeBinary {
    pub path: PathBuf,
    pub lib_dir: PathBuf,
}

impl NodeBinary {
    /// A command for the node with its shared library on the loader path.
    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.path);
        let mut lib_path = self.lib_dir.clone().into_os_string();
        if let Some(existing) = std::env::var_os("LD_LIBRARY_PATH").filter(|v| !v.is_empty()) {
            lib_path.push(":");
            lib_path.push(existing);
        }
        command.env("LD_LIBRARY_PATH", lib_path);
        command
    }
}

/// Folder of the cached node install.
pub fn install_dir() -> PathBuf {
    cache_root().join(format!("injective-core-{INJECTIVE_CORE_VERSION}"))
}

/// The node to use: `$RESOURCE_INJECTIVED` if set, else the cached install, installing it if missing.
pub fn ensure_node(progress: &dyn Fn(&str)) -> Result<NodeBinary, NodeInstallError> {
    if let Some(path) = std::env::var_os("RESOURCE_INJECTIVED").filter(|v| !v.is_empty()) {
        let path = PathBuf::from(path);
        if !path.is_file() {
            return Err(NodeInstallError::OverrideMissing(path));
        }
        let lib_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        return Ok(NodeBinary { path, lib_dir });
    }
    let dir = install_dir();
    let node = NodeBinary { path: dir.join("injectived"), lib_dir: dir.clone() };
    if !node.path.is_file() {
        // Several commands may start at once (parallel tests): one installs, the others wait for it.
        let _lock = InstallLock::acquire(dir.parent().expect("install dir has a parent"))?;
        if !node.path.is_file() {
            progress(&format!(
                "installing the chain node (injective-core {INJECTIVE_CORE_VERSION}, ~76 MB) into {}",
                dir.display()
            ));
            install(&dir)?;
        }
    }
    let version = node
        .command()
        .arg("version")
        .output()
        .map_err(|e| NodeInstallError::Unusable(node.path.clone(), e.to_string()))?;
    if !version.status.success() {
        return Err(NodeInstallError::Unusable(
            node.path.clone(),
            String::from_utf8_lossy(&version.stderr).trim().to_string(),
        ));
    }
    Ok(node)
}

/// Downloads the wheel with pip and unpacks the node into `dir` atomically: everything goes into a
/// temporary sibling folder that is renamed into place only when complete.
fn install(dir: &Path) -> Result<(), NodeInstallError> {
    let parent = dir.parent().expect("install dir has a parent");
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| NodeInstallError::Io { path, source }
    };
    fs::create_dir_all(parent).map_err(io_err(parent))?;
    let staging = parent.join(format!(".injective-core-{INJECTIVE_CORE_VERSION}.partial-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging).map_err(io_err(&staging))?;
    let result = download_and_unpack(&staging);
    if let Err(err) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(err);
    }
    let _ = fs::remove_dir_all(dir);
    fs::rename(&staging, dir).map_err(io_err(dir))?;
    Ok(())
}

fn download_and_unpack(staging: &Path) -> Result<(), NodeInstallError> {
    let wheel_dir = staging.join("wheel");
    let requirement = format!("injective-core=={INJECTIVE_CORE_VERSION}");
    let python = find_python();
    let args = ["-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet", "-d"];
    let command_text = format!("{python} {} {} {requirement}", args.join(" "), wheel_dir.display());
    let output = Command::new(&python)
        .args(args)
        .arg(&wheel_dir)
        .arg(&requirement)
        .output()
        .map_err(|e| NodeInstallError::Download { command: command_text.clone(), reason: e.to_string() })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let reason = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no output").trim().to_string();
        return Err(NodeInstallError::Download { command: command_text, reason });
    }
    let wheel = fs::read_dir(&wheel_dir)
        .map_err(|e| NodeInstallError::Io { path: wheel_dir.clone(), source: e })?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "whl"))
        .ok_or_else(|| NodeInstallError::BadWheel("pip saved no wheel".into(), wheel_dir.clone()))?;
    unpack_wheel(&wheel, staging)?;
    let _ = fs::remove_dir_all(&wheel_dir);
    Ok(())
}

fn find_python() -> String {
    for candidate in ["python3", "python"] {
        if Command::new(candidate).arg("--version").output().is_ok_and(|o| o.status.success()) {
            return candidate.to_string();
        }
    }
    "python3".to_string()
}

/// Extracts `injectived` and `libwasmvm` from the wheel's zstd-compressed tarball.
fn unpack_wheel(wheel: &Path, target: &Path) -> Result<(), NodeInstallError> {
    let bad = |what: String| NodeInstallError::BadWheel(what, wheel.to_path_buf());
    let file = fs::File::open(wheel).map_err(|e| bad(e.to_string()))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| bad(e.to_string()))?;
    let mut payload = Vec::new();
    archive
        .by_name(WHEEL_PAYLOAD)
        .map_err(|e| bad(format!("{WHEEL_PAYLOAD}: {e}")))?
        .read_to_end(&mut payload)
        .map_err(|e| bad(e.to_string()))?;
    let decoder = ruzstd::decoding::StreamingDecoder::new(payload.as_slice()).map_err(|e| bad(e.to_string()))?;
    let mut tarball = tar::Archive::new(decoder);
    let mut found = (false, false);
    for entry in tarball.entries().map_err(|e| bad(e.to_string()))? {
        let mut entry = entry.map_err(|e| bad(e.to_string()))?;
        let name = entry.path().map_err(|e| bad(e.to_string()))?.to_string_lossy().into_owned();
        let file_name = Path::new(&name).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let destination = match file_name.as_str() {
            BINARY_IN_PAYLOAD => {
                found.0 = true;
                target.join("injectived")
            }
            WASMVM_LIB => {
                found.1 = true;
                target.join(WASMVM_LIB)
            }
            _ => continue,
        };
        let mut out = fs::File::create(&destination)
            .map_err(|e| NodeInstallError::Io { path: destination.clone(), source: e })?;
        io::copy(&mut entry, &mut out).map_err(|e| NodeInstallError::Io { path: destination.clone(), source: e })?;
        set_executable(&destination).map_err(|e| NodeInstallError::Io { path: destination.clone(), source: e })?;
    }
    if !(found.0 && found.1) {
        return Err(bad(format!("{BINARY_IN_PAYLOAD} or {WASMVM_LIB} missing from {WHEEL_PAYLOAD}")));
    }
    Ok(())
}

fn set_executable(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
}

/// An exclusive `flock` on `<cache>/.injective-core.lock`, released when dropped.
struct InstallLock(#[allow(dead_code)] fs::File); // holds the lock until dropped

impl InstallLock {
    fn acquire(cache: &Path) -> Result<Self, NodeInstallError> {
        use std::os::fd::AsRawFd;
        fs::create_dir_all(cache).map_err(|source| NodeInstallError::Io { path: cache.to_path_buf(), source })?;
        let path = cache.join(".injective-core.lock");
        let file = fs::File::create(&path).map_err(|source| NodeInstallError::Io { path: path.clone(), source })?;
        // SAFETY: flock on a descriptor we own for the lifetime of the guard.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
            return Err(NodeInstallError::Io { path, source: io::Error::last_os_error() });
        }
        Ok(InstallLock(file))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A wheel laid out like injective-core's: a zip holding a zstd-compressed tarball.
    fn wheel(dir: &Path, files: &[(&str, &[u8])], payload_name: &str) -> PathBuf {
        let mut tarball = tar::Builder::new(Vec::new());
        for (name, bytes) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tarball.append_data(&mut header, name, *bytes).unwrap();
        }
        let tarball = tarball.into_inner().unwrap();
        let compressed =
            ruzstd::encoding::compress_to_vec(tarball.as_slice(), ruzstd::encoding::CompressionLevel::Fastest);
        let path = dir.join("injective_core-test-py3-none-any.whl");
        let mut zip = zip::ZipWriter::new(fs::File::create(&path).unwrap());
        zip.start_file("injective_core/__init__.py", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(b"").unwrap();
        zip.start_file(payload_name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(&compressed).unwrap();
        zip.finish().unwrap();
        path
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("resource-node-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn unpacks_the_node_and_its_library_as_executables() {
        let dir = scratch("unpack");
        let files: [(&str, &[u8]); 3] =
            [(BINARY_IN_PAYLOAD, b"node bytes"), (WASMVM_LIB, b"library bytes"), ("README", b"ignored")];
        let wheel = wheel(&dir, &files, WHEEL_PAYLOAD);
        let target = dir.join("out");
        fs::create_dir_all(&target).unwrap();
        unpack_wheel(&wheel, &target).unwrap();
        assert_eq!(fs::read(target.join("injectived")).unwrap(), b"node bytes");
        assert_eq!(fs::read(target.join(WASMVM_LIB)).unwrap(), b"library bytes");
        assert!(!target.join("README").exists());
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(target.join("injectived")).unwrap().permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "the node is executable");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_wheel_without_the_node_is_rejected() {
        let dir = scratch("incomplete");
        let only_library: [(&str, &[u8]); 1] = [(WASMVM_LIB, b"library bytes")];
        let wheel_path = wheel(&dir, &only_library, WHEEL_PAYLOAD);
        let err = unpack_wheel(&wheel_path, &dir).unwrap_err();
        assert!(matches!(err, NodeInstallError::BadWheel(..)), "{err}");
        let renamed = wheel(&dir, &[(BINARY_IN_PAYLOAD, b"x"), (WASMVM_LIB, b"y")], "elsewhere/payload.tar.zst");
        let err = unpack_wheel(&renamed, &dir).unwrap_err();
        assert!(err.to_string().contains(WHEEL_PAYLOAD), "{err}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
