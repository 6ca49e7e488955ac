//! The client side of the centre service: what the CLI (and later the app) holds instead of an
//! embedded store. [`Client::sign_in`] opens a session; every [`Portfolio`](super::Portfolio)
//! method then sends its [`Call`] and decodes the answer, and errors keep the code the service gave.

use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::operations::{Call, Caller, PortfolioFiles};
use super::wire::{self, Opened, Reply, Request};
use crate::accounts::User;
use crate::error::{CoreError, Result};
use crate::evidence::{open_attachment_source, Attachment};

pub struct Client {
    socket: PathBuf,
    /// The connection; `None` after one broke off mid-content (the next request opens another:
    /// the session is the token's, not the connection's).
    stream: Option<UnixStream>,
    session: String,
    user: User,
}

/// Shows whom the session acts for, never its token.
impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("user", &self.user.username)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Signs in to the service listening at `socket`.
    pub fn sign_in(socket: &Path, username: &str, password: Option<&str>) -> Result<Client> {
        let mut stream = connect(socket)?;
        let request = Request::SignIn {
            username: username.to_owned(),
            password: password.map(str::to_owned),
        };
        let opened: Opened = exchange(&mut stream, &request)?;
        Ok(Client {
            socket: socket.to_path_buf(),
            stream: Some(stream),
            session: opened.session,
            user: opened.user,
        })
    }

    fn stream(&mut self) -> Result<&mut UnixStream> {
        match self.stream {
            Some(ref mut stream) => Ok(stream),
            None => Ok(self.stream.insert(connect(&self.socket)?)),
        }
    }

    /// The user this session acts for.
    pub fn user(&self) -> &User {
        &self.user
    }

    /// Ends the session.
    pub fn sign_out(mut self) -> Result<()> {
        let request = Request::SignOut {
            session: std::mem::take(&mut self.session),
        };
        exchange::<()>(self.stream()?, &request)
    }
}

impl PortfolioFiles for Client {
    /// Reads the file here, as this account (what it may not read, the service is never asked to
    /// store), and sends its content after the request.
    fn attach(&mut self, evidence: &str, source: &Path) -> Result<Attachment> {
        let (mut file, file_name, _) = open_attachment_source(source)?;
        let request = Request::Attach {
            session: self.session.clone(),
            evidence: evidence.to_owned(),
            file_name,
        };
        let stream = self.stream()?;
        wire::send(stream, &request)?;
        if let Err(broken) = wire::send_content(stream, &mut file) {
            // Mid-content, the connection cannot carry another request: the service sees it end,
            // stores nothing, and the next request opens a new one.
            self.stream = None;
            return Err(CoreError::AttachmentUnreadable {
                path: source.display().to_string(),
                reason: broken.to_string(),
            });
        }
        receive_answer(stream)
    }
}

impl Caller for Client {
    /// Sends one operation and decodes its answer.
    fn call<T: DeserializeOwned>(&mut self, call: Call) -> Result<T> {
        let request = Request::Call {
            session: self.session.clone(),
            call,
        };
        exchange(self.stream()?, &request)
    }
}

fn connect(socket: &Path) -> Result<UnixStream> {
    UnixStream::connect(socket)
        .map_err(|e| CoreError::ServiceUnavailable(format!("{}: {e}", socket.display())))
}

fn exchange<T: DeserializeOwned>(stream: &mut UnixStream, request: &Request) -> Result<T> {
    wire::send(stream, request)?;
    receive_answer(stream)
}

fn receive_answer<T: DeserializeOwned>(stream: &mut UnixStream) -> Result<T> {
    match wire::receive_reply(stream)? {
        Some(Reply::Ok(value)) => serde_json::from_slice(&value)
            .map_err(|e| CoreError::Io(format!("the service's answer is not understood: {e}"))),
        Some(Reply::Err(payload)) => Err(CoreError::FromService(payload)),
        None => Err(CoreError::ServiceUnavailable(
            "the service closed the connection".into(),
        )),
    }
}
