//! What travels on the service's socket: frames of JSON, each a 4-byte big-endian length and then
//! that many bytes. A client sends a [`Request`] and reads one [`Reply`]; a connection may carry
//! any number of them in turn. Frames are bounded ([`MAX_FRAME`]) and the bound is checked before a
//! byte of the body is read, so a client cannot make the service hold more than that.

use std::io::{Read, Write};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::operations::Call;
use crate::error::{CoreError, ErrorPayload, Result};

/// The largest frame either side accepts (an operation's arguments, or its answer).
pub const MAX_FRAME: u32 = 64 * 1024 * 1024;

/// One request to the service.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Request {
    /// Opens a session: its token is in the reply, with the user.
    SignIn {
        username: String,
        password: Option<String>,
    },
    /// Ends a session (what locking the app does).
    SignOut { session: String },
    /// Runs one operation as the session's user.
    Call { session: String, call: Call },
}

/// The service's answer to one request: the operation's value as JSON, or its error. On the socket
/// a reply is one frame: `O` and the value's JSON, or `E` and the error's `{code, message, field}`,
/// so that an answer is encoded once, straight from the operation's value, and decoded once, straight
/// into the caller's type.
#[derive(Debug)]
pub enum Reply {
    /// The value, as JSON text.
    Ok(Vec<u8>),
    Err(ErrorPayload),
}

/// Writes one reply frame.
pub fn send_reply(stream: &mut impl Write, reply: &Reply) -> Result<()> {
    let mut body = Vec::new();
    match reply {
        Reply::Ok(value) => {
            body.reserve(value.len() + 1);
            body.push(b'O');
            body.extend_from_slice(value);
        }
        Reply::Err(payload) => {
            body.push(b'E');
            serde_json::to_writer(&mut body, payload)
                .map_err(|e| CoreError::Io(format!("cannot encode a service error: {e}")))?;
        }
    }
    send_frame(stream, &body)
}

/// Reads one reply frame; `None` when the service closed the connection.
pub fn receive_reply(stream: &mut impl Read) -> Result<Option<Reply>> {
    let Some(mut body) = receive_frame(stream)? else {
        return Ok(None);
    };
    match body.first() {
        Some(b'O') => {
            body.remove(0);
            Ok(Some(Reply::Ok(body)))
        }
        Some(b'E') => serde_json::from_slice(&body[1..])
            .map(|payload| Some(Reply::Err(payload)))
            .map_err(|e| CoreError::Io(format!("the service's error is not understood: {e}"))),
        _ => Err(CoreError::Io(
            "the service's reply is not understood".into(),
        )),
    }
}

/// What a sign-in through the service answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Opened {
    pub session: String,
    pub user: crate::accounts::User,
}

/// Writes one frame holding `value` as JSON.
pub fn send(stream: &mut impl Write, value: &impl Serialize) -> Result<()> {
    let body = serde_json::to_vec(value)
        .map_err(|e| CoreError::Io(format!("cannot encode a service message: {e}")))?;
    send_frame(stream, &body)
}

fn send_frame(stream: &mut impl Write, body: &[u8]) -> Result<()> {
    let length = u32::try_from(body.len())
        .ok()
        .filter(|n| *n <= MAX_FRAME)
        .ok_or_else(|| too_big(body.len() as u64))?;
    // One write for the length and the body: one system call, one wake-up on the other side.
    let mut frame = Vec::with_capacity(body.len() + 4);
    frame.extend_from_slice(&length.to_be_bytes());
    frame.extend_from_slice(body);
    stream.write_all(&frame)?;
    stream.flush()?;
    Ok(())
}

/// Reads one frame and decodes its JSON; `None` when the other side closed the connection between
/// frames.
pub fn receive<T: DeserializeOwned>(stream: &mut impl Read) -> Result<Option<T>> {
    let Some(body) = receive_frame(stream)? else {
        return Ok(None);
    };
    serde_json::from_slice(&body)
        .map(Some)
        .map_err(|e| CoreError::invalid(format!("a service message is not valid: {e}")))
}

fn receive_frame(stream: &mut impl Read) -> Result<Option<Vec<u8>>> {
    let mut length = [0u8; 4];
    match stream.read_exact(&mut length) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e.into()),
    }
    let length = u32::from_be_bytes(length);
    if length > MAX_FRAME {
        return Err(too_big(u64::from(length)));
    }
    let mut body = Vec::with_capacity(length as usize);
    stream.take(u64::from(length)).read_to_end(&mut body)?;
    if body.len() != length as usize {
        return Err(CoreError::Io(
            "the service connection closed mid-message".into(),
        ));
    }
    Ok(Some(body))
}

fn too_big(length: u64) -> CoreError {
    CoreError::invalid(format!(
        "a service message of {length} bytes is over the limit of {MAX_FRAME} bytes"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_round_trips_and_an_oversized_length_is_refused_before_reading() {
        let mut buffer = Vec::new();
        send(
            &mut buffer,
            &Request::SignOut {
                session: "s".into(),
            },
        )
        .unwrap();
        let back: Request = receive(&mut buffer.as_slice()).unwrap().unwrap();
        assert!(matches!(back, Request::SignOut { session } if session == "s"));

        let mut huge = (MAX_FRAME + 1).to_be_bytes().to_vec();
        huge.extend_from_slice(b"{}");
        let refused = receive::<Request>(&mut huge.as_slice()).unwrap_err();
        assert_eq!(refused.code(), "invalid_input");
        assert!(receive::<Request>(&mut [].as_slice()).unwrap().is_none());

        let mut cut = 10u32.to_be_bytes().to_vec();
        cut.extend_from_slice(b"{}");
        assert_eq!(
            receive::<Request>(&mut cut.as_slice()).unwrap_err().code(),
            "io_error"
        );
    }
}
