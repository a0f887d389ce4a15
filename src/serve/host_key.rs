//! The server's identity: an ed25519 host key made on the first start and kept, private
//! to the user, so that visitors' `known_hosts` stay valid across restarts. A key file
//! that others can read, or that is not a key, stops the server with one sentence
//! rather than being silently replaced.

use std::io::{Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use russh::keys::ssh_key::LineEnding;
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::{HashAlg, PrivateKey};

/// Where the key lives when `--host-key` is not given: the user's state directory
/// (`$XDG_STATE_HOME/linkj`, else `~/.local/state/linkj`).
pub fn default_path() -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".local/state"))
        })?;
    Some(state.join("linkj").join("ssh_host_ed25519_key"))
}

/// The key at `path`, made (mode 0600, its folder 0700) if there is none yet.
pub fn load_or_create(path: &Path) -> Result<PrivateKey, String> {
    let shown = path.display();
    match std::fs::metadata(path) {
        Ok(meta) => {
            if meta.permissions().mode() & 0o077 != 0 {
                return Err(format!(
                    "{shown}: the host key can be read by other users (mode {:o}); run `chmod 600 {shown}`",
                    meta.permissions().mode() & 0o777
                ));
            }
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("{shown}: cannot read the host key: {e}"))?;
            PrivateKey::from_openssh(text.as_bytes())
                .map_err(|e| format!("{shown}: not an OpenSSH private key: {e}"))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path),
        Err(e) => Err(format!("{shown}: cannot open the host key: {e}")),
    }
}

/// The key's SHA256 fingerprint as `ssh` shows it (`SHA256:…`).
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

fn create(path: &Path) -> Result<PrivateKey, String> {
    let shown = path.display();
    let mut seed = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut seed))
        .map_err(|e| format!("cannot read random bytes for a host key: {e}"))?;
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&seed));
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| format!("cannot encode the host key: {e}"))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)))
            .map_err(|e| format!("{}: cannot make the folder: {e}", dir.display()))?;
    }
    // Written under a temporary name and renamed: a crash never leaves half a key.
    let tmp = path.with_extension("tmp");
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    written.map_err(|e| format!("{shown}: cannot write the host key: {e}"))?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_kept_private_and_read_back_the_same() {
        let dir = std::env::temp_dir().join(format!("linkj-hostkey-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("state").join("key");
        let first = load_or_create(&path).expect("created");
        let mode = std::fs::metadata(&path).expect("file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let again = load_or_create(&path).expect("read");
        assert_eq!(fingerprint(&first), fingerprint(&again));
        assert!(fingerprint(&first).starts_with("SHA256:"));

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let loose = load_or_create(&path).expect_err("loose permissions");
        assert!(loose.contains("can be read by other users"), "{loose}");
        std::fs::write(&path, "not a key").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let bad = load_or_create(&path).expect_err("bad content");
        assert!(bad.contains("not an OpenSSH private key"), "{bad}");
        assert!(!bad.contains('\n'), "{bad}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
