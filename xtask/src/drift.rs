//! Comparing a freshly generated tree of files with the committed one (the drift checks of the
//! `interface` suite: `schema/` and `ts-bindings/src/`).

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// One way the committed tree differs from the generated one. Paths are relative to the trees' roots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// Generated, but not committed.
    Missing(PathBuf),
    /// Committed, but no longer generated.
    Extra(PathBuf),
    /// Both exist with different contents; `line` is the first line (1-based) that differs.
    Changed { path: PathBuf, line: usize, generated: String, committed: String },
}

impl Difference {
    pub fn path(&self) -> &Path {
        match self {
            Difference::Missing(p) | Difference::Extra(p) => p,
            Difference::Changed { path, .. } => path,
        }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let short = |s: &str| {
            let s = s.trim();
            if s.chars().count() > 100 {
                format!("{}...", s.chars().take(100).collect::<String>())
            } else {
                s.to_string()
            }
        };
        match self {
            Difference::Missing(p) => write!(f, "{} is generated but not committed", p.display()),
            Difference::Extra(p) => write!(f, "{} is committed but no longer generated", p.display()),
            Difference::Changed { path, line, generated, committed } => write!(
                f,
                "{} differs from what the code generates, first at line {line}: committed `{}`, generated `{}`",
                path.display(),
                short(committed),
                short(generated)
            ),
        }
    }
}

/// Every file under `root` (recursively) that `keep` accepts, by path relative to `root`.
pub fn files(root: &Path, keep: &dyn Fn(&Path) -> bool) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut out = BTreeMap::new();
    if !root.exists() {
        return Ok(out);
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).with_context(|| format!("could not read {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(root).expect("below root").to_path_buf();
            if keep(&rel) {
                let bytes = fs::read(&path).with_context(|| format!("could not read {}", path.display()))?;
                out.insert(rel, bytes);
            }
        }
    }
    Ok(out)
}

/// Differences of `committed` from `generated` (both trees filtered by `keep`), in path order.
pub fn compare(generated: &Path, committed: &Path, keep: &dyn Fn(&Path) -> bool) -> Result<Vec<Difference>> {
    let gen = files(generated, keep)?;
    let com = files(committed, keep)?;
    let mut diffs = Vec::new();
    for (path, g) in &gen {
        match com.get(path) {
            None => diffs.push(Difference::Missing(path.clone())),
            Some(c) if c != g => diffs.push(changed(path, g, c)),
            Some(_) => {}
        }
    }
    for path in com.keys().filter(|p| !gen.contains_key(*p)) {
        diffs.push(Difference::Extra(path.clone()));
    }
    diffs.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(diffs)
}

fn changed(path: &Path, generated: &[u8], committed: &[u8]) -> Difference {
    let g = String::from_utf8_lossy(generated);
    let c = String::from_utf8_lossy(committed);
    let (mut gl, mut cl) = (g.split('\n'), c.split('\n'));
    let mut line = 1;
    loop {
        match (gl.next(), cl.next()) {
            (Some(a), Some(b)) if a == b => line += 1,
            (a, b) => {
                return Difference::Changed {
                    path: path.to_path_buf(),
                    line,
                    generated: a.unwrap_or("<end of file>").to_string(),
                    committed: b.unwrap_or("<end of file>").to_string(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-drift-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        for (path, text) in files {
            let p = dir.join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        dir
    }

    #[test]
    fn identical_trees_have_no_differences() {
        let files = [("a.json", "{\n  \"x\": 1\n}\n"), ("sub/b.ts", "export {};\n")];
        let (g, c) = (tree("same-g", &files), tree("same-c", &files));
        assert_eq!(compare(&g, &c, &|_| true).unwrap(), []);
        let _ = (fs::remove_dir_all(g), fs::remove_dir_all(c));
    }

    #[test]
    fn missing_extra_and_changed_files_are_each_reported() {
        let g = tree("diff-g", &[("a.json", "{\n  \"x\": 1\n}\n"), ("new.json", "{}\n"), ("README.md", "same")]);
        let c = tree("diff-c", &[("a.json", "{\n  \"x\": 2\n}\n"), ("old.json", "{}\n"), ("README.md", "other")]);
        let only_json = |p: &Path| p.extension().is_some_and(|e| e == "json");
        let diffs = compare(&g, &c, &only_json).unwrap();
        assert_eq!(
            diffs,
            [
                Difference::Changed {
                    path: "a.json".into(),
                    line: 2,
                    generated: "  \"x\": 1".into(),
                    committed: "  \"x\": 2".into()
                },
                Difference::Missing("new.json".into()),
                Difference::Extra("old.json".into()),
            ]
        );
        assert_eq!(
            diffs[0].to_string(),
            "a.json differs from what the code generates, first at line 2: committed `\"x\": 2`, generated `\"x\": 1`"
        );
        // A file that only grew is reported at the first line the other lacks.
        let c2 = tree("diff-c2", &[("a.json", "{\n  \"x\": 1\n}\n"), ("new.json", "{}\n{}\n")]);
        let g2 = tree("diff-g2", &[("a.json", "{\n  \"x\": 1\n}\n"), ("new.json", "{}\n")]);
        let d = compare(&g2, &c2, &|_| true).unwrap();
        assert!(matches!(&d[..], [Difference::Changed { line: 2, .. }]), "{d:?}");
        for dir in [g, c, g2, c2] {
            let _ = fs::remove_dir_all(dir);
        }
    }
}
