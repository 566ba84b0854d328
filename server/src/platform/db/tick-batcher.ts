import DataLoader from 'dataloader'

export interface TickBatcherOptions {
  /** At most this many calls in one batch (default 64). */
  maxBatchSize?: number
  /**
   * At most this many batches running at once (default: no limit). Calls made while every slot is
   * taken join the next batch, which starts as soon as a running one ends (group commit).
   */
  concurrency?: number
}

/**
 * Gathers the calls made while the event loop handles one round of I/O (every request whose bytes
 * arrived together) and hands them to `run` as one batch, once that round is over (setImmediate).
 * Under load many requests share one statement, and so one round trip; alone, a call waits no
 * timer. `run` answers each key in order, with a value or an Error of its own. Nothing is cached.
 */
export function tickBatcher<K, V>(run: (keys: readonly K[]) => Promise<Array<V | Error>>, opts: TickBatcherOptions = {}) {
  const concurrency = opts.concurrency ?? Infinity
  let taken = 0
  const waiting: Array<() => void> = []
  const start = (dispatch: () => void) => {
    taken++
    setImmediate(dispatch)
  }
  return new DataLoader<K, V>(async (keys) => {
    try {
      return await run(keys)
    } finally {
      taken--
      const next = waiting.shift()
      if (next) start(next)
    }
  }, {
    cache: false,
    maxBatchSize: opts.maxBatchSize ?? 64,
    batchScheduleFn: (dispatch) => {
      if (taken < concurrency) start(dispatch)
      else waiting.push(dispatch)
    },
  })
}
