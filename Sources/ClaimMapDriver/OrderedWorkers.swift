import Foundation

/// Runs a worker over a stream of jobs on `threads` threads and hands the results back in the order the jobs came,
/// with at most `window` jobs in flight: reading runs ahead of writing by the window, never by the whole input, so
/// memory stays flat however long the stream. The caller's thread reads and delivers; the worker threads only work.
///
/// Job `n` and its result live in slot `n % window` of two rings; `submitted - delivered <= window` keeps a slot from
/// being reused before its result is delivered. One condition guards both rings: workers wait for a job, the
/// caller for the next result in order. A job is a batch (replay hands out 64 tokens at a time), so the lock is
/// taken a few times per millisecond, not per token.
package final class OrderedWorkers<Job: Sendable, Result: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let window: Int
    /// Makes each thread's worker, on that thread: per-thread state (replay's own session copy) is built here.
    private let makeWorker: @Sendable () -> (Job) -> Result
    // Guarded by `condition`; `submitted` is written only by the calling thread, which may read it without the lock.
    private var jobs: [Job?]
    private var results: [Result?]
    private var submitted = 0
    private var taken = 0
    private var finished = false
    private var running = 0

    package init(window: Int, makeWorker: @escaping @Sendable () -> (Job) -> Result) {
        precondition(window >= 1)
        self.window = window
        self.makeWorker = makeWorker
        jobs = Array(repeating: nil, count: window)
        results = Array(repeating: nil, count: window)
    }

    /// Pulls jobs from `next` until it returns nil, runs them on `threads` threads, and calls `deliver` with each
    /// result in job order on the calling thread. Returns once every result has been delivered and the threads
    /// have ended.
    package func run(threads: Int, next: () -> Job?, deliver: (Result) -> Void) {
        condition.lock()
        running = threads
        condition.unlock()
        for _ in 0..<threads {
            let thread = Thread { [self] in workerLoop(makeWorker()) }
            // The main thread's stack size: a token is parsed and evaluated exactly as on the main thread.
            thread.stackSize = 8 << 20
            thread.start()
        }
        var delivered = 0
        var inputDone = false
        while true {
            if !inputDone && submitted - delivered < window {
                if let job = next() {
                    condition.lock()
                    jobs[submitted % window] = job
                    submitted += 1
                    condition.broadcast()
                    condition.unlock()
                } else {
                    inputDone = true
                }
                // Write what is ready without waiting, so output keeps pace with reading.
                while let result = take(delivered, wait: false) {
                    deliver(result)
                    delivered += 1
                }
                continue
            }
            if delivered == submitted { break }
            if let result = take(delivered, wait: true) {
                deliver(result)
                delivered += 1
            }
        }
        condition.lock()
        finished = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    /// The result of job `index`, waiting for it when `wait`.
    private func take(_ index: Int, wait: Bool) -> Result? {
        condition.lock()
        defer { condition.unlock() }
        guard index < submitted else { return nil }
        while results[index % window] == nil {
            guard wait else { return nil }
            condition.wait()
        }
        let result = results[index % window]
        results[index % window] = nil
        // A slot is free again: the caller may submit.
        return result
    }

    private func workerLoop(_ work: (Job) -> Result) {
        condition.lock()
        while true {
            if taken < submitted {
                let index = taken
                taken += 1
                // Submitted and not yet taken, so the slot holds it (`take` empties only result slots).
                guard let job = jobs[index % window].take() else {
                    preconditionFailure("job \(index) was not submitted")
                }
                condition.unlock()
                let result = work(job)
                condition.lock()
                results[index % window] = result
                condition.broadcast()
                continue
            }
            if finished { break }
            condition.wait()
        }
        running -= 1
        condition.broadcast()
        condition.unlock()
    }
}
