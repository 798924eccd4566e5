#ifndef RNN_TEAM_H
#define RNN_TEAM_H

// A fork–join team of threads with a low-latency hand-off, for the engine's parallel parts
// (sampling joins once per layer per character: a few microseconds of dispatch would cost more
// than the work). Workers spin briefly (about 50 µs) waiting for the next job, then sleep on a
// condition variable; the calling thread runs part 0 itself.

/// A part of a job: `ctx` is the job's context, `part` in 0..<parts.
typedef void (*rnn_team_task)(void *ctx, long part);

/// Runs `task(ctx, 0..<parts)` with parts 1… on the team's workers and part 0 on the caller,
/// returning when all are done. `parts` beyond the team's size (workers + 1), a team already busy
/// (a nested call, or another thread's job) or `parts` ≤ 1 run on the caller, one after another.
/// The team (`threads` − 1 workers) is created on first use and lives for the process.
void rnn_team_run(int threads, long parts, rnn_team_task task, void *ctx);

#endif
