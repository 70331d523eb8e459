//! Two threads for a short query: the caller and one helper that spins while work is coming.
//!
//! A 12-token query splits each of its 48 matrix products between two threads. Through rayon
//! each split woke a sleeping worker (about 20 µs, a sixth of the query); this helper instead
//! waits for the next half by spinning, for [`SPIN`] after its last job, then sleeps until the next
//! query. Batches keep using rayon and `gemm`.

use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::Thread;
use std::time::{Duration, Instant};

/// How long the helper spins for the next job before sleeping.
const SPIN: Duration = Duration::from_micros(200);

/// One half handed to the helper; lives on the caller's stack until `done`.
struct Job<'a> {
    work: &'a (dyn Fn() + Sync),
    done: AtomicBool,
    panic: Mutex<Option<Box<dyn std::any::Any + Send>>>,
}

struct Shared {
    /// The job waiting for the helper (null: none). Type-erased `*const Job`.
    slot: AtomicPtr<()>,
    sleeping: AtomicBool,
}

pub struct Team {
    shared: Arc<Shared>,
    helper: Thread,
    /// One caller at a time; a second concurrent caller runs both halves itself.
    caller: Mutex<()>,
}

impl Team {
    /// The process's team, its helper started on first use.
    pub fn get() -> &'static Team {
        static TEAM: OnceLock<Team> = OnceLock::new();
        TEAM.get_or_init(Team::start)
    }

    fn start() -> Team {
        let shared = Arc::new(Shared {
            slot: AtomicPtr::new(std::ptr::null_mut()),
            sleeping: AtomicBool::new(false),
        });
        let for_helper = Arc::clone(&shared);
        let helper = std::thread::Builder::new()
            .name("jobmatch-encoder-helper".into())
            .spawn(move || helper_loop(&for_helper))
            .expect("the encoder's helper thread starts")
            .thread()
            .clone();
        Team {
            shared,
            helper,
            caller: Mutex::new(()),
        }
    }

    /// Runs `a` here and `b` on the helper, returning when both are done (a panic in either is
    /// raised here, after both have finished).
    pub fn join(&self, a: impl FnOnce(), b: impl Fn() + Sync) {
        let Ok(_guard) = self.caller.try_lock() else {
            a();
            b();
            return;
        };
        let job = Job {
            work: &b,
            done: AtomicBool::new(false),
            panic: Mutex::new(None),
        };
        self.shared
            .slot
            .store(&job as *const Job as *mut (), Ordering::SeqCst);
        // SeqCst with the helper's pair below: either it sees the job or this sees it asleep.
        if self.shared.sleeping.load(Ordering::SeqCst) {
            self.helper.unpark();
        }
        let mine = catch_unwind(AssertUnwindSafe(a));
        // `job` must outlive the helper's use of it: wait whatever happened to `a`.
        let mut spins = 0u32;
        while !job.done.load(Ordering::Acquire) {
            spins += 1;
            if spins < 1 << 16 {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
        if let Err(panic) = mine {
            resume_unwind(panic);
        }
        let helper_panic = job.panic.lock().expect("not poisoned").take();
        if let Some(panic) = helper_panic {
            resume_unwind(panic);
        }
    }
}

fn helper_loop(shared: &Shared) {
    let mut idle_since = Instant::now();
    loop {
        let job = shared.slot.swap(std::ptr::null_mut(), Ordering::AcqRel);
        if !job.is_null() {
            // SAFETY: the pointer was stored by `Team::join`, whose `Job` stays alive until `done`
            // is set below.
            let job = unsafe { &*(job as *const Job) };
            if let Err(panic) = catch_unwind(AssertUnwindSafe(job.work)) {
                *job.panic.lock().expect("not poisoned") = Some(panic);
            }
            job.done.store(true, Ordering::Release);
            idle_since = Instant::now();
            continue;
        }
        if idle_since.elapsed() < SPIN {
            std::hint::spin_loop();
            continue;
        }
        shared.sleeping.store(true, Ordering::SeqCst);
        // A job stored before the caller could see `sleeping` would wait forever: look again.
        if shared.slot.load(Ordering::SeqCst).is_null() {
            std::thread::park();
        }
        shared.sleeping.store(false, Ordering::Release);
        idle_since = Instant::now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn both_halves_run_every_time_including_after_the_helper_slept() {
        let team = Team::get();
        let count = AtomicUsize::new(0);
        for round in 0..2000 {
            if round % 500 == 0 {
                std::thread::sleep(SPIN * 3);
            }
            team.join(
                || {
                    count.fetch_add(1, Ordering::Relaxed);
                },
                || {
                    count.fetch_add(1, Ordering::Relaxed);
                },
            );
        }
        assert_eq!(count.load(Ordering::Relaxed), 4000);
    }

    #[test]
    fn a_panic_in_the_helpers_half_reaches_the_caller_and_the_team_still_works() {
        let team = Team::get();
        let caught = catch_unwind(AssertUnwindSafe(|| {
            team.join(|| {}, || panic!("helper half"))
        }));
        assert!(caught.is_err());
        let ran = AtomicBool::new(false);
        team.join(|| {}, || ran.store(true, Ordering::Relaxed));
        assert!(ran.load(Ordering::Relaxed));
    }
}
