//! Secrets kept at rest (a person's mini-program session key): AES-256-GCM under a key derived
//! from the server's secret, a fresh random nonce each time, stored as base64(nonce ‖ sealed).
//! Changing the server's secret makes what was sealed unreadable, which is safe: the session
//! key is refreshed at the next sign-in.
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use sha2::{Digest, Sha256};

/// The sealing key for a purpose, derived from the server's secret.
pub struct SealKey(LessSafeKey);

impl SealKey {
    pub fn derive(server_secret: &str, purpose: &str) -> Self {
        let digest = Sha256::new()
            .chain_update(b"qinqing-seal:")
            .chain_update(purpose.as_bytes())
            .chain_update(b":")
            .chain_update(server_secret.as_bytes())
            .finalize();
        // A 32-byte key always fits AES-256.
        let key = UnboundKey::new(&AES_256_GCM, &digest).unwrap_or_else(|_| unreachable!("32-byte key"));
        Self(LessSafeKey::new(key))
    }

    /// Seals `plain`, bound to `context` (e.g. the person's id: a sealed value moved to another
    /// row does not open).
    pub fn seal(&self, plain: &str, context: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::fill(&mut nonce);
        let mut buf = plain.as_bytes().to_vec();
        // Sealing in memory with a valid key and nonce cannot fail.
        if self
            .0
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(context.as_bytes()),
                &mut buf,
            )
            .is_err()
        {
            unreachable!("sealing in memory");
        }
        let mut out = nonce.to_vec();
        out.extend(buf);
        STANDARD.encode(out)
    }

    /// Opens what `seal` made with the same key and context.
    pub fn open(&self, sealed: &str, context: &str) -> Option<String> {
        let bytes = STANDARD.decode(sealed).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, rest) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut buf = rest.to_vec();
        let plain = self
            .0
            .open_in_place(nonce, Aad::from(context.as_bytes()), &mut buf)
            .ok()?;
        String::from_utf8(plain.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_with_its_key_and_context_only() {
        let key = SealKey::derive("server secret", "session_key");
        let sealed = key.seal("tiihtNczf5v6AKRyjwEUhQ==", "u1");
        assert!(!sealed.contains("tiihtNczf5v6AKRyjwEUhQ"));
        assert_eq!(key.open(&sealed, "u1").as_deref(), Some("tiihtNczf5v6AKRyjwEUhQ=="));
        assert_eq!(key.open(&sealed, "u2"), None, "bound to its row");
        assert_eq!(SealKey::derive("other secret", "session_key").open(&sealed, "u1"), None);
        assert_eq!(SealKey::derive("server secret", "other").open(&sealed, "u1"), None);
        assert_ne!(key.seal("x", "u1"), key.seal("x", "u1"), "a fresh nonce each time");
        assert_eq!(key.open("not base64!", "u1"), None);
        assert_eq!(key.open("AAAA", "u1"), None);
    }
}
