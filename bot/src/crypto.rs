//! WeCom's callback crypto (WXBizMsgCrypt): the SHA-1 signature over token, timestamp, nonce
//! and ciphertext, and AES-256-CBC over `random(16) ‖ len(u32 BE) ‖ msg ‖ receive_id` with
//! PKCS#7 padding to 32-byte blocks. The receive id is the corp id for a self-built app and
//! empty for the intelligent robot. Every malformed input is a [`CryptoError`], never a panic.
use aes::Aes256;
use aes::cipher::block_padding::NoPadding;
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;

const BLOCK: usize = 32;

/// What can be wrong with a key or a callback (the sample's error codes in brackets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// The EncodingAESKey is not 43 characters of base64 giving 32 bytes (-40004).
    #[error("the EncodingAESKey must be 43 base64 characters decoding to 32 bytes")]
    BadKey,
    /// The signature does not match (-40001).
    #[error("signature mismatch")]
    Signature,
    /// The ciphertext is not base64 (-40010).
    #[error("ciphertext is not base64")]
    Base64,
    /// The ciphertext is not a whole number of AES blocks, or is empty (-40007).
    #[error("ciphertext length is not a multiple of the block size")]
    BlockLength,
    /// The padding byte is outside 1..=32 or the padding is inconsistent (-40007).
    #[error("bad padding")]
    Padding,
    /// The plaintext is too short, or its length field runs past the end (-40008).
    #[error("bad plaintext buffer")]
    Buffer,
    /// The receive id after the message is not ours (-40005).
    #[error("receive id mismatch")]
    ReceiveId,
}

/// The keys of one callback endpoint.
#[derive(Clone)]
pub struct Crypto {
    token: String,
    key: [u8; 32],
    receive_id: String,
}

impl std::fmt::Debug for Crypto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Keys never reach a log.
        f.debug_struct("Crypto")
            .field("receive_id", &self.receive_id)
            .finish_non_exhaustive()
    }
}

/// A decrypted message with the random prefix it came with (to re-encrypt it in tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decrypted {
    pub random: [u8; 16],
    pub message: Vec<u8>,
}

/// Official keys end in a character whose low bits a strict decoder rejects.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

impl Crypto {
    pub fn new(token: &str, encoding_aes_key: &str, receive_id: &str) -> Result<Self, CryptoError> {
        if encoding_aes_key.len() != 43 {
            return Err(CryptoError::BadKey);
        }
        let bytes = LENIENT.decode(encoding_aes_key).map_err(|_| CryptoError::BadKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::BadKey)?;
        Ok(Self {
            token: token.to_owned(),
            key,
            receive_id: receive_id.to_owned(),
        })
    }

    pub fn receive_id(&self) -> &str {
        &self.receive_id
    }

    /// `hex(sha1(sorted(token, timestamp, nonce, encrypt).concat()))`.
    pub fn signature(&self, timestamp: &str, nonce: &str, encrypt: &str) -> String {
        let mut parts = [self.token.as_str(), timestamp, nonce, encrypt];
        parts.sort_unstable();
        let mut sha = Sha1::new();
        for p in parts {
            sha.update(p.as_bytes());
        }
        hex::encode(sha.finalize())
    }

    /// Checks a signature in constant time.
    pub fn verify(&self, signature: &str, timestamp: &str, nonce: &str, encrypt: &str) -> Result<(), CryptoError> {
        let expected = self.signature(timestamp, nonce, encrypt);
        if bool::from(
            expected
                .as_bytes()
                .ct_eq(signature.trim().to_ascii_lowercase().as_bytes()),
        ) {
            Ok(())
        } else {
            Err(CryptoError::Signature)
        }
    }

    /// Verifies and decrypts in one step (the order WeCom's callbacks need).
    pub fn open(&self, signature: &str, timestamp: &str, nonce: &str, encrypt: &str) -> Result<Decrypted, CryptoError> {
        self.verify(signature, timestamp, nonce, encrypt)?;
        self.decrypt(encrypt)
    }

    pub fn decrypt(&self, encrypt: &str) -> Result<Decrypted, CryptoError> {
        let mut buf = STANDARD.decode(encrypt.trim()).map_err(|_| CryptoError::Base64)?;
        if buf.is_empty() || !buf.len().is_multiple_of(BLOCK) {
            return Err(CryptoError::BlockLength);
        }
        let (key, iv) = self.key_iv();
        let plain = cbc::Decryptor::<Aes256>::new(&key.into(), &iv.into())
            .decrypt_padded::<NoPadding>(&mut buf)
            .map_err(|_| CryptoError::BlockLength)?;
        let pad = usize::from(*plain.last().ok_or(CryptoError::Buffer)?);
        if !(1..=BLOCK).contains(&pad)
            || pad > plain.len()
            || plain[plain.len() - pad..].iter().any(|&b| usize::from(b) != pad)
        {
            return Err(CryptoError::Padding);
        }
        let body = &plain[..plain.len() - pad];
        if body.len() < 20 {
            return Err(CryptoError::Buffer);
        }
        let mut random = [0u8; 16];
        random.copy_from_slice(&body[..16]);
        let len = u32::from_be_bytes([body[16], body[17], body[18], body[19]]) as usize;
        let rest = &body[20..];
        if len > rest.len() {
            return Err(CryptoError::Buffer);
        }
        let (message, receive_id) = rest.split_at(len);
        if receive_id != self.receive_id.as_bytes() {
            return Err(CryptoError::ReceiveId);
        }
        Ok(Decrypted {
            random,
            message: message.to_vec(),
        })
    }

    /// Encrypts with the given random prefix (tests reproduce Tencent's ciphertexts with it).
    pub fn encrypt_with(&self, message: &[u8], random: [u8; 16]) -> String {
        let mut buf = Vec::with_capacity(20 + message.len() + self.receive_id.len() + BLOCK);
        buf.extend_from_slice(&random);
        // A callback message is far below 4 GiB; saturate rather than wrap if one ever were not.
        buf.extend_from_slice(&u32::try_from(message.len()).unwrap_or(u32::MAX).to_be_bytes());
        buf.extend_from_slice(message);
        buf.extend_from_slice(self.receive_id.as_bytes());
        let pad = BLOCK - buf.len() % BLOCK;
        buf.extend(std::iter::repeat_n(pad as u8, pad));
        let len = buf.len();
        let (key, iv) = self.key_iv();
        let cipher = cbc::Encryptor::<Aes256>::new(&key.into(), &iv.into())
            .encrypt_padded::<NoPadding>(&mut buf, len)
            .map(<[u8]>::to_vec)
            .unwrap_or_default();
        STANDARD.encode(cipher)
    }

    /// Encrypts with a fresh random prefix.
    pub fn encrypt(&self, message: &[u8]) -> String {
        self.encrypt_with(message, rand::random())
    }

    fn key_iv(&self) -> ([u8; 32], [u8; 16]) {
        let mut iv = [0u8; 16];
        iv.copy_from_slice(&self.key[..16]);
        (self.key, iv)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn vectors() -> Value {
        serde_json::from_str(include_str!("../tests/vectors.json")).unwrap()
    }

    fn crypto(set: &Value) -> Crypto {
        Crypto::new(
            set["token"].as_str().unwrap(),
            set["encodingAesKey"].as_str().unwrap(),
            set["receiveId"].as_str().unwrap(),
        )
        .unwrap()
    }

    fn s<'a>(v: &'a Value, k: &str) -> &'a str {
        v[k].as_str().unwrap()
    }

    fn encrypt_field(xml: &str) -> &str {
        let start = xml.find("<Encrypt><![CDATA[").unwrap() + "<Encrypt><![CDATA[".len();
        let end = xml[start..].find("]]>").unwrap() + start;
        &xml[start..end]
    }

    #[test]
    fn the_official_keys_decode_leniently() {
        let a = Crypto::new("t", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "").unwrap();
        assert_eq!(
            hex::encode(a.key),
            "8d69989bbaabe67328014c194631ad0719b3dca035b64023df292447aab60760"
        );
        let b = Crypto::new("t", "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt", "").unwrap();
        assert_eq!(
            hex::encode(b.key),
            "eaa91d32babaf274ca76ece72583b5037ed6da8120a64314be4b6d453a2a854b"
        );
        for bad in [
            "",
            "short",
            "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2",
            "!WmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
        ] {
            assert_eq!(Crypto::new("t", bad, "").unwrap_err(), CryptoError::BadKey, "{bad}");
        }
    }

    #[test]
    fn url_verification_vectors_give_the_echo_strings() {
        let v = vectors();
        for set in ["setA", "setB"] {
            let c = crypto(&v[set]);
            let verify = &v[set]["verify"];
            let opened = c
                .open(
                    s(verify, "msgSignature"),
                    s(verify, "timestamp"),
                    s(verify, "nonce"),
                    s(verify, "echostr"),
                )
                .unwrap();
            assert_eq!(
                String::from_utf8(opened.message.clone()).unwrap(),
                s(verify, "expected"),
                "{set}"
            );
            // Re-encrypting with the recovered prefix gives Tencent's ciphertext byte for byte.
            assert_eq!(
                c.encrypt_with(&opened.message, opened.random),
                s(verify, "echostr"),
                "{set}"
            );
        }
    }

    #[test]
    fn message_vectors_decrypt_to_the_documented_plaintexts_and_re_encrypt_exactly() {
        let v = vectors();
        let a = &v["setA"]["message"];
        let b = &v["setB"]["message"];
        let cases = [
            ("setA", encrypt_field(s(a, "body")).to_owned(), a),
            ("setB", s(b, "encrypt").to_owned(), b),
        ];
        for (set, encrypt, m) in cases {
            let c = crypto(&v[set]);
            let opened = c
                .open(s(m, "msgSignature"), s(m, "timestamp"), s(m, "nonce"), &encrypt)
                .unwrap();
            assert_eq!(
                String::from_utf8(opened.message.clone()).unwrap(),
                s(m, "expectedPlaintext"),
                "{set}"
            );
            assert_eq!(c.encrypt_with(&opened.message, opened.random), encrypt, "{set}");
        }
        let j = &v["jsonA"];
        let c = crypto(j);
        let body: Value = serde_json::from_str(s(j, "body")).unwrap();
        let encrypt = s(&body, "encrypt");
        let opened = c
            .open(s(j, "msgSignature"), s(j, "timestamp"), s(j, "nonce"), encrypt)
            .unwrap();
        assert_eq!(
            String::from_utf8(opened.message.clone()).unwrap(),
            s(j, "expectedPlaintext")
        );
        assert_eq!(c.encrypt_with(&opened.message, opened.random), encrypt);
    }

    #[test]
    fn every_malformed_input_is_a_typed_error() {
        let v = vectors();
        let c = crypto(&v["setA"]);
        let verify = &v["setA"]["verify"];
        let (sig, ts, nonce, echo) = (
            s(verify, "msgSignature"),
            s(verify, "timestamp"),
            s(verify, "nonce"),
            s(verify, "echostr"),
        );
        assert_eq!(
            c.open("0".repeat(40).as_str(), ts, nonce, echo).unwrap_err(),
            CryptoError::Signature
        );
        assert_eq!(
            c.open(sig, "1409659590", nonce, echo).unwrap_err(),
            CryptoError::Signature
        );
        assert_eq!(c.decrypt("not base64!").unwrap_err(), CryptoError::Base64);
        assert_eq!(c.decrypt("").unwrap_err(), CryptoError::BlockLength);
        assert_eq!(
            c.decrypt(&STANDARD.encode([0u8; 31])).unwrap_err(),
            CryptoError::BlockLength
        );
        // Another receive id: the app's corp id is checked.
        let other = Crypto::new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wwsomeoneelse").unwrap();
        assert_eq!(other.decrypt(echo).unwrap_err(), CryptoError::ReceiveId);
        // The robot's empty receive id round-trips.
        let robot = Crypto::new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "").unwrap();
        assert_eq!(robot.decrypt(&robot.encrypt(b"{}")).unwrap().message, b"{}");
    }

    /// Encrypts raw blocks (already padded) so tests can forge bad padding and lengths.
    fn raw(c: &Crypto, mut plain: Vec<u8>) -> String {
        let len = plain.len();
        let (key, iv) = c.key_iv();
        let out = cbc::Encryptor::<Aes256>::new(&key.into(), &iv.into())
            .encrypt_padded::<NoPadding>(&mut plain, len)
            .unwrap()
            .to_vec();
        STANDARD.encode(out)
    }

    #[test]
    fn forged_padding_and_lengths_are_refused() {
        let c = Crypto::new("t", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "id").unwrap();
        // Pad byte 0 and 33 are outside 1..=32.
        let mut zero = vec![7u8; 64];
        zero[63] = 0;
        assert_eq!(c.decrypt(&raw(&c, zero)).unwrap_err(), CryptoError::Padding);
        let mut big = vec![7u8; 64];
        big[63] = 33;
        assert_eq!(c.decrypt(&raw(&c, big)).unwrap_err(), CryptoError::Padding);
        // Inconsistent padding bytes.
        let mut mixed = vec![3u8; 64];
        mixed[62] = 9;
        assert_eq!(c.decrypt(&raw(&c, mixed)).unwrap_err(), CryptoError::Padding);
        // A length field past the end.
        let mut long = vec![0u8; 16];
        long.extend_from_slice(&1000u32.to_be_bytes());
        long.extend_from_slice(b"hi");
        let pad = BLOCK - long.len() % BLOCK;
        long.extend(std::iter::repeat_n(pad as u8, pad));
        assert_eq!(c.decrypt(&raw(&c, long)).unwrap_err(), CryptoError::Buffer);
        // All padding, nothing else.
        assert_eq!(c.decrypt(&raw(&c, vec![32u8; 32])).unwrap_err(), CryptoError::Buffer);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn encrypt_then_decrypt_round_trips(msg in proptest::collection::vec(any::<u8>(), 0..2000), random in any::<[u8; 16]>(), id in "[a-z0-9]{0,20}") {
                let c = Crypto::new("token", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", &id).unwrap();
                let e = c.encrypt_with(&msg, random);
                let d = c.decrypt(&e).unwrap();
                prop_assert_eq!(d.message, msg);
                prop_assert_eq!(d.random, random);
                let sig = c.signature("1", "2", &e);
                prop_assert!(c.verify(&sig, "1", "2", &e).is_ok());
            }

            #[test]
            fn arbitrary_ciphertexts_never_panic(text in ".{0,400}", bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
                let c = Crypto::new("token", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "id").unwrap();
                let _ = c.decrypt(&text);
                let _ = c.decrypt(&STANDARD.encode(&bytes));
                let _ = c.open(&text, &text, &text, &text);
            }

            #[test]
            fn arbitrary_keys_never_panic(key in ".{0,60}") {
                let _ = Crypto::new("t", &key, "");
            }
        }
    }
}
