import DataLoader from 'dataloader'

/**
 * Gathers the calls made while the event loop handles one round of I/O (every request whose bytes
 * arrived together) and hands them to `run` as one batch, once that round is over (setImmediate).
 * Under load many requests share one statement, and so one round trip; alone, a call waits no
 * timer. `run` answers each key in order, with a value or an Error of its own. Nothing is cached.
 */
export function tickBatcher<K, V>(run: (keys: readonly K[]) => Promise<Array<V | Error>>, maxBatchSize = 64) {
  return new DataLoader<K, V>(run, { cache: false, maxBatchSize, batchScheduleFn: (dispatch) => setImmediate(dispatch) })
}
