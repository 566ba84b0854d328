import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { allowedTargets, checkTransition, type TransitionRequest } from './transitions'

const now = new Date('2026-03-10T12:00:00Z')
const base: TransitionRequest = { from: 'open', to: 'resolved', by: 'staff', now, resolvedAt: null, reopenWindowDays: 7 }
const check = (over: Partial<TransitionRequest>) => checkTransition({ ...base, ...over })

describe('checkTransition', () => {
  it('lets staff work a ticket through the normal path', () => {
    assert.deepEqual(check({ from: 'new', to: 'open' }), { ok: true, reopen: false })
    assert.equal(check({ from: 'open', to: 'pending' }).ok, true)
    assert.equal(check({ from: 'pending', to: 'resolved' }).ok, true)
    assert.equal(check({ from: 'resolved', to: 'closed' }).ok, true)
  })

  it('refuses moves that are not in the table, naming both statuses', () => {
    const r = check({ from: 'open', to: 'new' })
    assert.equal(r.ok, false)
    if (!r.ok) {
      assert.equal(r.code, 'transition_not_allowed')
      assert.equal(r.params.fromEs, 'En proceso')
      assert.equal(r.params.toEn, 'New')
    }
    assert.equal(check({ from: 'open', to: 'closed' }).ok, false)
  })

  it('treats closed and cancelled as final', () => {
    for (const from of ['closed', 'cancelled'] as const) {
      const r = check({ from, to: 'open' })
      assert.equal(r.ok, false)
      if (!r.ok) assert.equal(r.code, 'ticket_final')
    }
  })

  it('lets the requester only reply pending back to open, reopen, confirm or cancel', () => {
    assert.equal(check({ from: 'pending', to: 'open', by: 'requester' }).ok, true)
    assert.equal(check({ from: 'open', to: 'resolved', by: 'requester' }).ok, false)
    assert.equal(check({ from: 'resolved', to: 'closed', by: 'requester' }).ok, true)
    assert.equal(check({ from: 'open', to: 'cancelled', by: 'requester', cancelReason: 'requester_request' }).ok, true)
    assert.equal(check({ from: 'open', to: 'cancelled', by: 'requester', cancelReason: 'error' }).ok, false)
  })

  it('reopens a resolved ticket only inside the window', () => {
    const resolvedAt = new Date(now.getTime() - 6 * 86_400_000)
    assert.deepEqual(check({ from: 'resolved', to: 'open', by: 'requester', resolvedAt }), { ok: true, reopen: true })
    const late = check({ from: 'resolved', to: 'open', by: 'staff', resolvedAt: new Date(now.getTime() - 8 * 86_400_000) })
    assert.equal(late.ok, false)
    if (!late.ok) { assert.equal(late.code, 'reopen_window_expired'); assert.equal(late.params.days, 7) }
    assert.equal(check({ from: 'resolved', to: 'open', resolvedAt: new Date(now.getTime() - 8 * 86_400_000), reopenWindowDays: 10 }).ok, true)
  })

  it('requires a reason to cancel, and the original for a duplicate', () => {
    const none = check({ to: 'cancelled' })
    assert.equal(!none.ok && none.code, 'cancel_reason_required')
    const dup = check({ to: 'cancelled', cancelReason: 'duplicate' })
    assert.equal(!dup.ok && dup.code, 'duplicate_of_required')
    assert.equal(check({ to: 'cancelled', cancelReason: 'duplicate', duplicateOfId: 'x' }).ok, true)
  })

  it('requires the third party for on_hold', () => {
    const r = check({ to: 'on_hold' })
    assert.equal(!r.ok && r.code, 'third_party_required')
    assert.equal(check({ to: 'on_hold', thirdParty: 'Telcel' }).ok, true)
  })

  it('allows moving between custom statuses of one open code, never of a final one', () => {
    assert.equal(check({ from: 'on_hold', to: 'on_hold' }).ok, true)
    assert.equal(check({ from: 'closed', to: 'closed' }).ok, false)
  })

  it('lists the targets an actor may pick', () => {
    assert.deepEqual(allowedTargets('resolved', 'requester').sort(), ['closed', 'open'])
    assert.deepEqual(allowedTargets('closed', 'staff'), [])
  })
})
