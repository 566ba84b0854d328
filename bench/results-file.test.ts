import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mergeResults } from './results-file'

describe('bench results file', () => {
  it('keeps other suites\' figures and replaces a scenario measured again, by name and connections', () => {
    const day = {
      postgres: {
        loads: [{ name: 'queue', connections: 1, p95: 9 }, { name: 'queue', connections: 8, p95: 50 }],
        compute: [{ name: 'SLA 1M', figures: { seconds: 1.1 } }],
      },
    }
    const run = { postgres: { loads: [{ name: 'queue', connections: 8, p95: 46 }], compute: [] }, pglite: { loads: [], compute: [{ name: 'SLA 100k', figures: { seconds: 0.4 } }] } }
    const merged = mergeResults(day, run, '2026-11-22T08:00:00.000Z')
    assert.deepEqual(merged.postgres.loads, [
      { name: 'queue', connections: 1, p95: 9 },
      { name: 'queue', connections: 8, p95: 46, measuredAt: '2026-11-22T08:00:00.000Z' },
    ])
    assert.deepEqual(merged.postgres.compute, [{ name: 'SLA 1M', figures: { seconds: 1.1 } }])
    assert.deepEqual(merged.pglite.compute, [{ name: 'SLA 100k', figures: { seconds: 0.4 }, measuredAt: '2026-11-22T08:00:00.000Z' }])
    assert.equal(day.postgres.loads[1].p95, 50, 'the previous results are not changed in place')
  })
})
