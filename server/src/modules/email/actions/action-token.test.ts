import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { signActionToken, verifyActionToken } from './action-token'

const claims = { ticketId: '6efe3c60-1387-4aa1-8faf-110b0d141f78', userId: '48dfdb76-4505-4c83-930f-8853f5631e9a', action: 'confirm' as const, exp: 2_000_000_000 }
const now = new Date('2026-01-01T00:00:00Z')

describe('one-click action tokens', () => {
  it('round-trips and verifies with an older secret after rotation', () => {
    const token = signActionToken(claims, 'secreto-viejo-0123456789')
    assert.deepEqual(verifyActionToken(token, ['secreto-nuevo-0123456789', 'secreto-viejo-0123456789'], now), claims)
  })

  it('refuses a tampered body, another secret, an expired link and garbage', () => {
    const token = signActionToken(claims, 's'.repeat(32))
    const [body, sig] = token.split('.')
    const forged = Buffer.from(JSON.stringify({ t: claims.ticketId, u: claims.userId, a: 'reopen', e: claims.exp })).toString('base64url')
    assert.equal(verifyActionToken(`${forged}.${sig}`, ['s'.repeat(32)], now), null)
    assert.equal(verifyActionToken(`${body}.${sig}`, ['x'.repeat(32)], now), null)
    assert.equal(verifyActionToken(token, ['s'.repeat(32)], new Date(2_000_000_001_000)), null)
    assert.equal(verifyActionToken('nada', ['s'.repeat(32)], now), null)
    assert.equal(verifyActionToken(`${body}.${sig}.x`, ['s'.repeat(32)], now), null)
  })
})
