//! The listening side of the centre service: one [`Service`] holds the portfolio (opened at start,
//! or at the first sign-in when it is encrypted: that sign-in unseals its key) and the sessions, and
//! answers each [`Request`] with a [`Reply`]. [`Service::serve`] takes connections on a Unix socket,
//! each on a thread of its own; every operation then runs on the session's own connection to the
//! database, as its user, through the same `Store` method the embedded app calls.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::sessions::Sessions;
use super::wire::{self, ContentReader, Opened, Reply, Request};
use crate::accounts::UnlockAttempts;
use crate::error::{CoreError, Result};
use crate::evidence::Content;
use crate::store::Store;

/// Connections served at once, at most; more wait for one to end.
const MAX_CONNECTIONS: usize = 64;

/// A connection that sends nothing for this long is closed (its session stays, to its own expiry).
const QUIET_CONNECTION: Duration = Duration::from_secs(60 * 60);

/// How a service is started.
#[derive(Debug, Clone)]
pub struct ServiceOptions {
    pub data_dir: PathBuf,
    /// Close sessions idle this long instead of after the centre's lock time (tests use seconds).
    pub idle_override: Option<Duration>,
}

pub struct Service {
    data_dir: PathBuf,
    /// The portfolio, to fork each session's connection from; `None` until an encrypted one is
    /// opened by its first sign-in.
    portfolio: Mutex<Option<Store>>,
    unlocking: Mutex<UnlockAttempts>,
    sessions: Sessions,
    idle_override: Option<Duration>,
}

impl Service {
    /// Readies the service for the portfolio in `data_dir`, which it makes readable by its own
    /// account only. A plaintext portfolio is opened (and migrated) now.
    pub fn start(options: ServiceOptions) -> Result<Service> {
        std::fs::create_dir_all(&options.data_dir)?;
        std::fs::set_permissions(&options.data_dir, std::fs::Permissions::from_mode(0o700))?;
        let portfolio = match Store::is_encrypted(&options.data_dir)? {
            true => None,
            false => Some(Store::open(&options.data_dir)?),
        };
        Ok(Service {
            data_dir: options.data_dir,
            portfolio: Mutex::new(portfolio),
            unlocking: Mutex::new(UnlockAttempts::default()),
            sessions: Sessions::default(),
            idle_override: options.idle_override,
        })
    }

    /// Answers one request. Errors are answers too: the client gets their code and message.
    pub fn answer(&self, request: Request) -> Reply {
        let answered = match request {
            Request::SignIn { username, password } => self
                .sign_in(&username, password.as_deref())
                .and_then(|opened| to_json(&opened)),
            Request::SignOut { session } => self.sessions.end(&session).and_then(|()| to_json(&())),
            Request::Call { session, call } => {
                self.sessions.with(&session, |store| call.run(store))
            }
            Request::Attach { .. } => Err(CoreError::invalid(
                "an attachment's content must follow its request on the connection",
            )),
        };
        to_reply(answered)
    }

    /// Attaches the file whose content follows on `stream`: the session and the right to change the
    /// item are checked before a byte of it is read, and whatever is not read (after a refusal) is
    /// dropped so that the connection goes on. A connection whose content breaks off is ended.
    fn attach<S: std::io::Read>(
        &self,
        stream: &mut S,
        session: &str,
        evidence: &str,
        file_name: &str,
    ) -> std::result::Result<Reply, (Reply, CoreError)> {
        let mut content = ContentReader::new(stream);
        let answered = self.sessions.with(session, |store| {
            let content = Content {
                shown: file_name.to_owned(),
                reader: &mut content,
            };
            store.attach_content(evidence, file_name, content)
        });
        let reply = to_reply(answered.and_then(|attached| to_json(&attached)));
        match content.finish() {
            Ok(()) => Ok(reply),
            Err(broken) => Err((reply, broken.into())),
        }
    }

    fn sign_in(&self, username: &str, password: Option<&str>) -> Result<Opened> {
        let mut portfolio = self
            .portfolio
            .lock()
            .map_err(|_| CoreError::Io("the service failed badly; restart it".into()))?;
        let store = match portfolio.as_ref() {
            Some(opened) => {
                let mut store = opened.fork_signed_out()?;
                store.sign_in(username, password)?;
                store
            }
            None => {
                let mut attempts = self
                    .unlocking
                    .lock()
                    .map_err(|_| CoreError::Io("the service failed badly; restart it".into()))?;
                let store = attempts.open_signed_in(&self.data_dir, username, password)?;
                *portfolio = Some(store.fork_signed_out()?);
                store
            }
        };
        drop(portfolio);
        let user = store.current_user().ok_or(CoreError::SignInFailed)?;
        let idle = match self.idle_override {
            Some(idle) => Some(idle),
            None => match store.lock_after_minutes()? {
                0 => None,
                minutes => Some(Duration::from_secs(u64::from(minutes) * 60)),
            },
        };
        let session = self.sessions.begin(store, idle)?;
        Ok(Opened { session, user })
    }

    /// Binds the socket at `path`: a socket left by a service that is gone is replaced, one that
    /// answers is not (another service runs). Any local account may connect — every request needs a
    /// session, which only a sign-in gives.
    pub fn bind(path: &Path) -> Result<UnixListener> {
        if path.exists() {
            if UnixStream::connect(path).is_ok() {
                return Err(CoreError::Conflict(format!(
                    "a service already listens on {}",
                    path.display()
                )));
            }
            std::fs::remove_file(path)?;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let listener = UnixListener::bind(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o666))?;
        Ok(listener)
    }

    /// Serves connections on `listener` until the process ends.
    pub fn serve(self: Arc<Self>, listener: UnixListener) -> Result<()> {
        let busy = Arc::new(AtomicUsize::new(0));
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            while busy.load(Ordering::Acquire) >= MAX_CONNECTIONS {
                std::thread::sleep(Duration::from_millis(20));
            }
            busy.fetch_add(1, Ordering::AcqRel);
            let (service, busy) = (Arc::clone(&self), Arc::clone(&busy));
            std::thread::spawn(move || {
                let _ = service.converse(stream);
                busy.fetch_sub(1, Ordering::AcqRel);
            });
        }
        Ok(())
    }

    /// One connection: requests answered in turn until the client closes it.
    fn converse(&self, mut stream: UnixStream) -> Result<()> {
        stream.set_read_timeout(Some(QUIET_CONNECTION))?;
        loop {
            let reply = match wire::receive::<Request>(&mut stream) {
                Ok(Some(Request::Attach {
                    session,
                    evidence,
                    file_name,
                })) => match self.attach(&mut stream, &session, &evidence, &file_name) {
                    Ok(reply) => reply,
                    Err((reply, broken)) => {
                        let _ = wire::send_reply(&mut stream, &reply);
                        return Err(broken);
                    }
                },
                Ok(Some(request)) => self.answer(request),
                Ok(None) => return Ok(()),
                Err(err) => {
                    // A malformed frame ends the conversation, after saying why.
                    let _ = wire::send_reply(&mut stream, &Reply::Err(err.to_payload()));
                    return Err(err);
                }
            };
            wire::send_reply(&mut stream, &reply)?;
        }
    }
}

fn to_reply(answered: Result<Vec<u8>>) -> Reply {
    match answered {
        Ok(value) => Reply::Ok(value),
        Err(err) => Reply::Err(err.to_payload()),
    }
}

fn to_json(value: &impl serde::Serialize) -> Result<Vec<u8>> {
    serde_json::to_vec(value)
        .map_err(|e| CoreError::Io(format!("cannot encode the service's answer: {e}")))
}
