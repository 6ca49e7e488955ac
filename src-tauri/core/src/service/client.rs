//! The client side of the centre service: what the CLI (and later the app) holds instead of an
//! embedded store. [`Client::sign_in`] opens a session; every [`Portfolio`](super::Portfolio)
//! method then sends its [`Call`] and decodes the answer, and errors keep the code the service gave.

use std::os::unix::net::UnixStream;
use std::path::Path;

use serde::de::DeserializeOwned;

use super::operations::{Call, Caller};
use super::wire::{self, Opened, Reply, Request};
use crate::accounts::User;
use crate::error::{CoreError, Result};

pub struct Client {
    stream: UnixStream,
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
        let mut stream = UnixStream::connect(socket)
            .map_err(|e| CoreError::ServiceUnavailable(format!("{}: {e}", socket.display())))?;
        let request = Request::SignIn {
            username: username.to_owned(),
            password: password.map(str::to_owned),
        };
        let opened: Opened = exchange(&mut stream, &request)?;
        Ok(Client {
            stream,
            session: opened.session,
            user: opened.user,
        })
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
        exchange::<()>(&mut self.stream, &request)
    }
}

impl Caller for Client {
    /// Sends one operation and decodes its answer.
    fn call<T: DeserializeOwned>(&mut self, call: Call) -> Result<T> {
        let request = Request::Call {
            session: self.session.clone(),
            call,
        };
        exchange(&mut self.stream, &request)
    }
}

fn exchange<T: DeserializeOwned>(stream: &mut UnixStream, request: &Request) -> Result<T> {
    wire::send(stream, request)?;
    match wire::receive_reply(stream)? {
        Some(Reply::Ok(value)) => serde_json::from_slice(&value)
            .map_err(|e| CoreError::Io(format!("the service's answer is not understood: {e}"))),
        Some(Reply::Err(payload)) => Err(CoreError::FromService(payload)),
        None => Err(CoreError::ServiceUnavailable(
            "the service closed the connection".into(),
        )),
    }
}
