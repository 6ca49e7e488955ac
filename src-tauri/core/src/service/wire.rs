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
    /// Attaches a file to an evidence item: the request is followed on the connection by the file's
    /// content as [content frames](send_content), then answered with the `Attachment`.
    Attach {
        session: String,
        evidence: String,
        file_name: String,
    },
}

/// The largest content frame: a file travels in pieces of at most this size.
const CONTENT_FRAME: usize = 256 * 1024;

/// Sends everything `content` holds as content frames (each a 4-byte length and the bytes), ended
/// by an empty frame. Returns the bytes sent; an error reading `content` is returned as it is, and
/// the connection is then unusable (the other side sees it close mid-content).
pub fn send_content(stream: &mut impl Write, content: &mut dyn Read) -> std::io::Result<u64> {
    let mut buffer = vec![0u8; CONTENT_FRAME + 4];
    let mut sent = 0u64;
    loop {
        let read = content.read(&mut buffer[4..])?;
        buffer[..4].copy_from_slice(&(read as u32).to_be_bytes());
        stream.write_all(&buffer[..4 + read])?;
        if read == 0 {
            stream.flush()?;
            return Ok(sent);
        }
        sent += read as u64;
    }
}

/// Reads content frames as one stream of bytes, to their empty end frame.
pub struct ContentReader<'a, S: Read> {
    stream: &'a mut S,
    /// Bytes left in the current frame.
    left: usize,
    ended: bool,
}

impl<'a, S: Read> ContentReader<'a, S> {
    pub fn new(stream: &'a mut S) -> Self {
        ContentReader {
            stream,
            left: 0,
            ended: false,
        }
    }

    /// Reads and drops what is left of the content (after a refusal that read none or part of it),
    /// so that the next request on the connection starts where it should.
    pub fn finish(mut self) -> std::io::Result<()> {
        std::io::copy(&mut self, &mut std::io::sink()).map(|_| ())
    }
}

impl<S: Read> Read for ContentReader<'_, S> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.left == 0 {
            if self.ended {
                return Ok(0);
            }
            let mut length = [0u8; 4];
            self.stream.read_exact(&mut length)?;
            self.left = u32::from_be_bytes(length) as usize;
            if self.left > CONTENT_FRAME {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "a content frame of {} bytes is over the limit of {CONTENT_FRAME}",
                        self.left
                    ),
                ));
            }
            self.ended = self.left == 0;
        }
        let wanted = buf.len().min(self.left);
        let read = self.stream.read(&mut buf[..wanted])?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        self.left -= read;
        Ok(read)
    }
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

        let mut content = Vec::new();
        let file: Vec<u8> = (0..(CONTENT_FRAME * 2 + 17))
            .map(|i| (i % 251) as u8)
            .collect();
        assert_eq!(
            send_content(&mut content, &mut file.as_slice()).unwrap(),
            file.len() as u64
        );
        content.extend_from_slice(b"after");
        let mut wire = content.as_slice();
        let mut back = Vec::new();
        ContentReader::new(&mut wire)
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, file);
        assert_eq!(wire, b"after", "the reader stops at the end frame");
        let mut wire = content.as_slice();
        let mut partly = ContentReader::new(&mut wire);
        partly.read_exact(&mut [0u8; 10]).unwrap();
        partly.finish().unwrap();
        assert_eq!(wire, b"after", "finishing drops the rest of the content");
        let mut oversized = ((CONTENT_FRAME + 1) as u32).to_be_bytes().to_vec();
        oversized.extend_from_slice(&[0; 8]);
        assert!(ContentReader::new(&mut oversized.as_slice())
            .read(&mut [0u8; 8])
            .is_err());

        let mut cut = 10u32.to_be_bytes().to_vec();
        cut.extend_from_slice(b"{}");
        assert_eq!(
            receive::<Request>(&mut cut.as_slice()).unwrap_err().code(),
            "io_error"
        );
    }
}
