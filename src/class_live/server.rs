//! The HTTP side of `class serve` (axum on a current-thread tokio runtime, its own thread):
//! `GET /api/v1/hello` checks a join code, `POST /api/v1/events` stores a learner's batch.
//! Every request needs the join code; bodies are bounded, parsed, made printable and
//! validated before anything is stored; each learner has a rate, wrong codes cost more, and
//! the number of learners is bounded (the checks are in `guard`). Nothing received is ever
//! run or shown raw.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::Path;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::SystemTime;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::db::{ClassDb, DbError};
use super::guard::{
    BAD_CODE_BURST, BAD_CODE_RATE, Bucket, LEARNER_BURST, LEARNER_RATE, Refusal, new_join_code,
    normalize_code, refuse, throttled,
};
use super::state::ClassState;
use crate::progress::live::protocol::{
    Ack, Batch, CODE_HEADER, EVENTS_PATH, EventBody, HELLO_PATH, Hello, MAX_BODY_BYTES, PROTOCOL,
};

/// Most learners one class holds (bounds the memory a flood of fake joins can take).
pub const MAX_LEARNERS: usize = 300;

/// Something in the class the instructor may want to read as it happens (already printable);
/// one line each, the same on the dashboard and in `class serve --no-dashboard`'s output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Activity {
    Joined {
        name: String,
    },
    Left {
        name: String,
    },
    Failed {
        name: String,
        step: String,
        why: String,
    },
    Refused {
        from: IpAddr,
        reason: String,
    },
}

impl std::fmt::Display for Activity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Activity::Joined { name } => write!(f, "{name} joined"),
            Activity::Left { name } => write!(f, "{name} left"),
            Activity::Failed { name, step, why } if why.is_empty() => {
                write!(f, "{name} failed {step}")
            }
            Activity::Failed { name, step, why } => write!(f, "{name} failed {step}: {why}"),
            Activity::Refused { from, reason } => write!(f, "refused {from}: {reason}"),
        }
    }
}

struct Inner {
    db: ClassDb,
    state: ClassState,
    learners: HashMap<String, Bucket>,
    bad_codes: HashMap<IpAddr, Bucket>,
}

/// What the server threads share with the dashboard.
pub struct Shared {
    code: String,
    class: String,
    inner: Mutex<Inner>,
    activity: Mutex<Option<Sender<Activity>>>,
}

impl Shared {
    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Reads the class's state (briefly: the server waits meanwhile).
    pub fn with_state<T>(&self, read: impl FnOnce(&ClassState) -> T) -> T {
        read(&self.inner().state)
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    fn notify(&self, item: Activity) {
        if let Some(tx) = self
            .activity
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            let _ = tx.send(item);
        }
    }
}

pub struct Server {
    pub shared: Arc<Shared>,
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot start the server: {0}")]
    Io(#[from] std::io::Error),
}

impl Server {
    /// Opens the class's database, rebuilds the state from it and serves on `listener`.
    pub fn start(
        data: &Path,
        listener: TcpListener,
        class: &str,
        activity: Option<Sender<Activity>>,
    ) -> Result<Server, ServeError> {
        let db = ClassDb::open(data)?;
        let code = db.join_code(new_join_code)?;
        let mut state = ClassState::default();
        for stored in db.events()? {
            // Stored only after it applied; a replay cannot fail.
            let _ = state.apply(&stored.learner, &stored.event, stored.received);
        }
        let shared = Arc::new(Shared {
            code,
            class: class.to_owned(),
            inner: Mutex::new(Inner {
                db,
                state,
                learners: HashMap::new(),
                bad_codes: HashMap::new(),
            }),
            activity: Mutex::new(activity),
        });
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = Router::new()
            .route(HELLO_PATH, get(hello))
            .route(EVENTS_PATH, post(events))
            .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
            .with_state(Arc::clone(&shared));
        let thread = std::thread::Builder::new()
            .name("class-server".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener)?;
                    axum::serve(
                        listener,
                        app.into_make_service_with_connect_info::<SocketAddr>(),
                    )
                    .with_graceful_shutdown(async move {
                        let _ = stopped.await;
                    })
                    .await
                })
            })?;
        Ok(Server {
            shared,
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Whether the server thread ended by itself (an I/O error).
    pub fn has_failed(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| t.is_finished())
    }

    /// Stops accepting, lets requests in flight finish, and closes the database.
    pub fn stop(mut self) -> std::io::Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(std::io::Error::other("the server thread panicked")),
            None => Ok(()),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// The join code check shared by both routes: `Err` is the answer to send.
fn check_code(shared: &Shared, from: IpAddr, headers: &HeaderMap) -> Result<(), Refusal> {
    let Some(given) = headers.get(CODE_HEADER) else {
        return Err(refuse(
            StatusCode::UNAUTHORIZED,
            format!(
                "no join code: send it in the `{CODE_HEADER}` header (`docker-guide class join URL --code CODE`)"
            ),
        ));
    };
    let given = given.to_str().map(normalize_code).unwrap_or_default();
    if given == normalize_code(&shared.code) {
        return Ok(());
    }
    let mut inner = shared.inner();
    let bucket = inner
        .bad_codes
        .entry(from)
        .or_insert_with(|| Bucket::full(BAD_CODE_BURST));
    if let Err(wait) = bucket.take(BAD_CODE_BURST, BAD_CODE_RATE) {
        return Err(throttled(
            wait,
            "too many wrong join codes from this address",
        ));
    }
    drop(inner);
    shared.notify(Activity::Refused {
        from,
        reason: "wrong join code".into(),
    });
    Err(refuse(StatusCode::FORBIDDEN, "wrong join code"))
}

async fn hello(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    if let Err(refusal) = check_code(&shared, from.ip(), &headers) {
        return refusal.into_response();
    }
    axum::Json(Hello {
        protocol: PROTOCOL.into(),
        class: shared.class.clone(),
    })
    .into_response()
}

async fn events(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refusal) = check_code(&shared, from.ip(), &headers) {
        return refusal.into_response();
    }
    let batch = match parse_batch(&body) {
        Ok(batch) => batch,
        Err(refusal) => return refusal.into_response(),
    };
    store(&shared, batch).unwrap_or_else(IntoResponse::into_response)
}

/// JSON → every string made printable (escape sequences never reach the instructor's
/// terminal, nor the database) → a batch → validated.
fn parse_batch(body: &[u8]) -> Result<Batch, Refusal> {
    let mut value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| refuse(StatusCode::BAD_REQUEST, format!("not JSON: {e}")))?;
    crate::progress::class::make_printable(&mut value);
    let batch: Batch = serde_json::from_value(value).map_err(|e| {
        refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("not a batch of events ({PROTOCOL}): {e}"),
        )
    })?;
    batch
        .validate()
        .map_err(|e| refuse(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
    Ok(batch)
}

fn store(shared: &Shared, batch: Batch) -> Result<Response, Refusal> {
    let received = SystemTime::now();
    let mut activity = Vec::new();
    let response = {
        let mut inner = shared.inner();
        let joins = matches!(batch.events[0].body, EventBody::Join { .. });
        let known = inner.state.is_joined(&batch.learner);
        if !known && !joins {
            return Err(refuse(
                StatusCode::CONFLICT,
                "this learner has not joined this class: run `docker-guide class join` again",
            ));
        }
        if !known && inner.state.learners.len() >= MAX_LEARNERS {
            return Err(refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("the class is full ({MAX_LEARNERS} learners)"),
            ));
        }
        let bucket = inner
            .learners
            .entry(batch.learner.clone())
            .or_insert_with(|| Bucket::full(LEARNER_BURST));
        if let Err(wait) = bucket.take(LEARNER_BURST, LEARNER_RATE) {
            return Err(throttled(wait, "too many requests from this learner"));
        }
        let fresh = match inner.db.insert(&batch.learner, &batch.events, received) {
            Ok(fresh) => fresh,
            Err(err) => {
                return Err(refuse(StatusCode::SERVICE_UNAVAILABLE, err.to_string()));
            }
        };
        for (event, _) in batch.events.iter().zip(fresh).filter(|(_, new)| *new) {
            // The first event of an unknown learner is a join (checked above), so this holds.
            let _ = inner.state.apply(&batch.learner, event, received);
            let name = || {
                inner
                    .state
                    .learners
                    .get(&batch.learner)
                    .map(|l| l.name.clone())
                    .unwrap_or_default()
            };
            match &event.body {
                EventBody::Join { name, .. } => {
                    activity.push(Activity::Joined { name: name.clone() })
                }
                EventBody::Leave => activity.push(Activity::Left { name: name() }),
                EventBody::Step { step, .. }
                    if step.status == crate::progress::export::ExportStatus::Failed =>
                {
                    let why = step.last_failure.as_ref().map_or(String::new(), |f| {
                        f.explanation_id
                            .clone()
                            .unwrap_or_else(|| f.summary.clone())
                    });
                    activity.push(Activity::Failed {
                        name: name(),
                        step: step.id.clone(),
                        why,
                    });
                }
                _ => {}
            }
        }
        let acked = batch.events.last().map_or(0, |e| e.seq);
        axum::Json(Ack { acked }).into_response()
    };
    for item in activity {
        shared.notify(item);
    }
    Ok(response)
}
