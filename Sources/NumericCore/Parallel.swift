import CKernels
import COpenBLAS
import Synchronization

/// The project's own threading: one level of fork–join over `Parallel.threads` cores (a team of
/// threads in `CKernels/team.c` with a spin-then-sleep hand-off of about a microsecond), with
/// OpenBLAS kept single-threaded underneath.
///
/// Why not OpenBLAS's thread pool: the per-time-step work of a recurrent layer is a small GEMM
/// (`[B, H]·[H, G·H]`) plus element-wise gate math. OpenBLAS hands every small GEMM to its pool
/// (a thread hand-off per call) and its idle workers spin in `sched_yield` for ~0.1 s after each
/// call, taking a core from whatever runs next; the element-wise work would run on one core.
/// Instead, the B streams of a batch, independent through time, are split into one contiguous
/// share per core and each core runs every time step for its share alone, with no synchronisation
/// inside the time loop. Large GEMMs over all `T·B` rows are split by rows of the result the same
/// way (`BLAS.gemm` does it), each part a single-threaded OpenBLAS call.
public enum Parallel {
  /// Cores to use (default: the online CPUs, at most 8). Set with `BLAS.threads` before the first
  /// parallel work: the team of threads is made once, at the size in force then.
  public static var threads: Int {
    get { threadCount.load(ordering: .relaxed) }
    set { threadCount.store(max(1, newValue), ordering: .relaxed) }
  }

  /// Calls `body(part)` for `parts` contiguous, disjoint ranges covering `0..<count`,
  /// concurrently when `parts > 1`. `body` must touch only what its range owns.
  public static func forEachPart(of count: Int, parts: Int, _ body: (Range<Int>) -> Void) {
    let n = min(parts, count)
    if n <= 1 {
      body(0..<count)
      return
    }
    withoutActuallyEscaping(body) { body in
      var job = Job(count: count, parts: n, body: body)
      withUnsafeMutablePointer(to: &job) { pointer in
        rnn_team_run(
          Int32(threads), n,
          { context, part in
            let job = context!.assumingMemoryBound(to: Job.self).pointee
            let i = Int(part)
            job.body(job.count * i / job.parts..<job.count * (i + 1) / job.parts)
          }, pointer)
      }
    }
  }

  /// One `forEachPart` call, handed to the team's threads through a pointer.
  private struct Job {
    let count: Int
    let parts: Int
    let body: (Range<Int>) -> Void
  }

  /// How many parts to split `count` rows into: one per core, at most one per `minimumRows` rows.
  public static func parts(for count: Int, minimumRows: Int) -> Int {
    max(1, min(threads, count / max(1, minimumRows)))
  }

  /// The setting behind `threads`. Relaxed: it publishes nothing else, and the team of threads
  /// reads it once, when it is made.
  private static let threadCount = Atomic<Int>(defaultThreads())

  /// The online CPUs, at most 8; also makes OpenBLAS single-threaded, once, before any BLAS call
  /// goes through `Parallel` (OpenBLAS runs inside our parts: see the type's doc comment).
  private static func defaultThreads() -> Int {
    openblas_set_num_threads(1)
    return max(1, min(8, Int(openblas_get_num_procs())))
  }
}
