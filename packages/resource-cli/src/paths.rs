//! Where the CLI keeps things: a per-user tool cache and a per-project devnet folder.
use std::path::PathBuf;

/// Root of the versioned tool cache: `$RESOURCE_CACHE`, else `$XDG_CACHE_HOME/resource`,
/// else `~/.cache/resource`. Tools live in `<root>/<tool>-<version>` so a warm machine reuses them.
pub fn cache_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("RESOURCE_CACHE").filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(dir).join("resource");
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."));
    home.join(".cache").join("resource")
}

/// The devnet folder used when `--home` is not given: `$RESOURCE_DEVNET_HOME`, else `./.devnet`
/// (inside the project, never the user's home directory).
pub fn default_devnet_home() -> PathBuf {
    match std::env::var_os("RESOURCE_DEVNET_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(".devnet"),
    }
}
