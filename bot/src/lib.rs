//! The WeCom side of Qinqing: the callback crypto, the message envelopes, and the dialogue.
//! No database and no web framework: the api crate serves the endpoints and implements the
//! dialogue's [`dialogue::Backend`].
pub mod crypto;
pub mod dialogue;
pub mod envelope;
pub mod webhook;
