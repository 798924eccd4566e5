#include "team.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#define RNN_MAX_WORKERS 63
#define RNN_SPINS 20000

#if defined(__x86_64__) || defined(__i386__)
#define RNN_RELAX() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define RNN_RELAX() __asm__ __volatile__("yield")
#else
#define RNN_RELAX() ((void)0)
#endif

// Who writes what: `workers` is written once, by team_init. `parts`, `task` and `ctx` are written
// only by the caller that won `busy`, before its (sequentially consistent, so releasing) bump of
// `epoch`, and read by workers after their acquiring load of `epoch` saw that bump; the caller
// changes them again only after every worker's releasing increment of `done` for the previous
// job. Everything else is atomic.
typedef struct {
  int workers;
  _Atomic unsigned long epoch;  // bumped for every job
  _Atomic int done;             // workers finished with the current job
  _Atomic int sleepers;         // workers waiting on `wake`
  _Atomic int busy;             // a job is running
  long parts;
  rnn_team_task task;
  void *ctx;
  pthread_mutex_t lock;
  pthread_cond_t wake;
} rnn_team;

static rnn_team team;
static pthread_once_t team_once = PTHREAD_ONCE_INIT;
// The size asked for by the latest call; team_init (run once, under pthread_once, which orders it
// after the caller's store) reads it. Atomic because callers on several threads may store at once;
// relaxed because it publishes nothing else.
static _Atomic int team_requested;

typedef struct {
  long index;
} worker_arg;

static void *worker_main(void *raw) {
  long index = ((worker_arg *)raw)->index;
  free(raw);
  unsigned long seen = 0;  // the epoch before the first job (the thread may start after it was bumped)
  for (;;) {
    unsigned long e;
    int spins = 0;
    while ((e = atomic_load_explicit(&team.epoch, memory_order_acquire)) == seen) {
      if (++spins < RNN_SPINS) {
        RNN_RELAX();
        continue;
      }
      pthread_mutex_lock(&team.lock);
      atomic_fetch_add(&team.sleepers, 1);
      while (atomic_load(&team.epoch) == seen) pthread_cond_wait(&team.wake, &team.lock);
      atomic_fetch_sub(&team.sleepers, 1);
      pthread_mutex_unlock(&team.lock);
      spins = 0;
    }
    seen = e;
    if (index < team.parts) team.task(team.ctx, index);
    atomic_fetch_add_explicit(&team.done, 1, memory_order_release);
  }
  return NULL;
}

static void team_init(void) {
  int workers = atomic_load_explicit(&team_requested, memory_order_relaxed) - 1;
  if (workers > RNN_MAX_WORKERS) workers = RNN_MAX_WORKERS;
  if (workers < 0) workers = 0;
  pthread_mutex_init(&team.lock, NULL);
  pthread_cond_init(&team.wake, NULL);
  atomic_store(&team.epoch, 0);
  atomic_store(&team.done, 0);
  atomic_store(&team.sleepers, 0);
  atomic_store(&team.busy, 0);
  int started = 0;
  for (int i = 0; i < workers; i++) {
    worker_arg *arg = malloc(sizeof(worker_arg));
    if (!arg) break;
    arg->index = i + 1;
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&thread, &attr, worker_main, arg) != 0) {
      free(arg);
      pthread_attr_destroy(&attr);
      break;
    }
    pthread_attr_destroy(&attr);
    started++;
  }
  team.workers = started;
}

void rnn_team_run(int threads, long parts, rnn_team_task task, void *ctx) {
  if (parts <= 1 || threads <= 1) {
    for (long i = 0; i < parts; i++) task(ctx, i);
    return;
  }
  atomic_store_explicit(&team_requested, threads, memory_order_relaxed);
  pthread_once(&team_once, team_init);
  int expected = 0;
  if (team.workers == 0 || parts > team.workers + 1 ||
      !atomic_compare_exchange_strong(&team.busy, &expected, 1)) {
    for (long i = 0; i < parts; i++) task(ctx, i);
    return;
  }
  team.parts = parts;
  team.task = task;
  team.ctx = ctx;
  atomic_store_explicit(&team.done, 0, memory_order_relaxed);
  atomic_fetch_add(&team.epoch, 1);  // seq_cst: ordered before the read of `sleepers`
  if (atomic_load(&team.sleepers) > 0) {
    pthread_mutex_lock(&team.lock);
    pthread_cond_broadcast(&team.wake);
    pthread_mutex_unlock(&team.lock);
  }
  task(ctx, 0);
  while (atomic_load_explicit(&team.done, memory_order_acquire) < team.workers) RNN_RELAX();
  atomic_store(&team.busy, 0);
}
