import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { listCidReferences, rewriteCidReferences } from './cid'
import { sanitizeEmailHtml } from './sanitize'

describe('rewriteCidReferences', () => {
  const html = sanitizeEmailHtml('<p><img src="cid:image001.png@01DA" alt="a"><img src="cid:Logo%40x"><img src="cid:unknown@x"></p>')

  it('rewrites known Content-IDs to the stored attachment URLs and leaves unknown ones', () => {
    const out = rewriteCidReferences(html, new Map([['<image001.png@01DA>', '/api/v1/attachments/7?x=1&y=2'], ['logo@x', '/api/v1/attachments/8']]))
    assert.match(out, /src="\/api\/v1\/attachments\/7\?x=1&amp;y=2"/)
    assert.match(out, /src="\/api\/v1\/attachments\/8"/)
    assert.match(out, /src="cid:unknown@x"/)
  })

  it('accepts a plain object map', () => {
    assert.match(rewriteCidReferences(html, { 'image001.png@01DA': '/a/1' }), /src="\/a\/1"/)
  })

  it('escapes URLs so they cannot break out of the attribute', () => {
    const out = rewriteCidReferences(html, { 'image001.png@01DA': '/a/1" onerror="alert(1)' })
    assert.doesNotMatch(out, /" onerror="/)
  })

  it('lists the Content-IDs an HTML body refers to', () => {
    assert.deepEqual(listCidReferences(html), ['image001.png@01DA', 'Logo@x', 'unknown@x'])
  })
})
