import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { decodeCursor, encodeCursor } from './cursor'

const bad = (key: unknown, shape: Parameters<typeof decodeCursor>[1]) =>
  assert.throws(() => decodeCursor(Buffer.from(JSON.stringify(key)).toString('base64url'), shape), { code: 'validation_failed' }, JSON.stringify(key))

describe('page cursors', () => {
  it('give back what the list encoded', () => {
    const key = ['2026-12-07T15:17:18.876000Z', 10338]
    assert.deepEqual(decodeCursor(encodeCursor(key), ['timestamp', 'integer']), key)
    assert.deepEqual(decodeCursor(encodeCursor(['ana pérez', 'b7da17a2-450f-45c8-8916-571bfba8f596']), ['text', 'uuid']), ['ana pérez', 'b7da17a2-450f-45c8-8916-571bfba8f596'])
    assert.deepEqual(decodeCursor(encodeCursor(['2026-12-07T09:17:18.876-06:00', '42']), ['timestamp', 'integer']), ['2026-12-07T09:17:18.876-06:00', '42'])
    assert.equal(decodeCursor(undefined, ['integer']), null)
  })

  it('refuse a tampered cursor before it reaches SQL: each part must be what the list sorts by', () => {
    bad(['notadate', 1], ['timestamp', 'integer'])
    bad(['2026-02-30T00:00:00Z', 1], ['timestamp', 'integer'])
    bad(['2026-12-07T24:00:00Z', 1], ['timestamp', 'integer'])
    bad(['0000-01-01T00:00:00Z', 1], ['timestamp', 'integer'])
    bad(['2026-12-07T15:17:18Z', 1e308], ['timestamp', 'integer'])
    bad(['2026-12-07T15:17:18Z', 1.5], ['timestamp', 'integer'])
    bad(['2026-12-07T15:17:18Z', '99999999999999999999'], ['timestamp', 'integer'])
    bad([1, 2], ['text', 'uuid'])
    bad(['ana', 'not-a-uuid'], ['text', 'uuid'])
    bad(['a\u0000', 'b7da17a2-450f-45c8-8916-571bfba8f596'], ['text', 'uuid'])
    bad([null, 'b7da17a2-450f-45c8-8916-571bfba8f596'], ['text', 'uuid'])
    bad([1], ['integer', 'integer'])
    bad({ a: 1 }, ['integer'])
    assert.throws(() => decodeCursor('%%%', ['integer']), { code: 'validation_failed' })
  })
})
