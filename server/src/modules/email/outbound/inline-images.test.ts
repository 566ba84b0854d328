import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createUser, type Client, type TestEnv, type TestUser } from '../../../../test/harness'
import { buildTicket } from '../../tickets/test-support/ticket-factories'
import { multipart, PNG_BYTES } from '../../tickets/attachments/test-factories'
import { startOutboundDesk, type CaptureSmtp, type OutboundDesk } from '../test-support/email-test-kit'
import { inlineImageIds, rewriteInlineImages } from './inline-images'

const ID = '7f3c2a10-0000-4000-8000-00000000000a'

describe('inline images in outbound mail', () => {
  it('finds the composer\'s attachment images and points them at cid: parts', () => {
    const html = `<p>Mire: <img src="/api/v1/attachments/${ID}" alt="luz.png"> y <img src="/api/v1/email/inbound/x/cid/y"></p><img alt="b" src="/api/v1/attachments/${ID}">`
    assert.deepEqual(inlineImageIds(html), [ID])
    const out = rewriteInlineImages(html, new Map([[ID, `${ID}@atiende`]]))
    assert.equal(out.match(/cid:7f3c2a10-0000-4000-8000-00000000000a@atiende/g)?.length, 2)
    assert.match(out, /\/api\/v1\/email\/inbound\/x\/cid\/y/)
    assert.equal(rewriteInlineImages(html, new Map()), html)
  })

  describe('agent reply with a pasted image', () => {
    let env: TestEnv
    let capture: CaptureSmtp
    let agentUser: TestUser
    let agent: Client
    let customer: TestUser
    let desk: OutboundDesk

    before(async () => {
      desk = await startOutboundDesk()
      ;({ env, capture, agentUser, agent, customer } = desk)
    })
    after(() => desk.close())

    const uploadPng = async (ticketId: string, filename: string) => {
      const body = multipart([{ filename, content: PNG_BYTES, contentType: 'image/png' }])
      const res = await agent.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/attachments`, payload: body.payload, headers: body.headers })
      assert.equal(res.statusCode, 201, res.body)
      return res.json().items[0].id as string
    }

    it('sends the image inside the customer\'s mail (cid:), and never an internal note\'s image', async () => {
      const t = await buildTicket(env.ctx, agentUser.id, { requesterId: customer.id, subject: 'Sin señal' })
      await env.drainJobs()
      await capture.waitFor(1)
      const before = capture.messages.length
      const id = await uploadPng(t.id, 'luz.png')
      const res = await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Así se ve la luz:', bodyHtml: `<p>Así se ve la luz: <img src="/api/v1/attachments/${id}" alt="luz.png"></p>`, attachmentIds: [id] })
      assert.equal(res.statusCode, 201, res.body)
      await env.drainJobs()
      await capture.waitFor(before + 1)
      const mail = capture.messages.slice(before).find((m) => m.to.includes('ana@cliente.mx'))!.parsed
      const part = mail.attachments.find((a) => a.filename === 'luz.png')
      assert.ok(part, 'the image is a part of the mail')
      assert.equal(part.cid, `${id}@atiende`)
      assert.deepEqual(part.content, PNG_BYTES)
      assert.ok((mail.html || '').includes(`cid:${id}@atiende`) || (mail.html || '').includes('data:image/png'), 'the HTML shows the part')
      assert.ok(!(mail.html || '').includes(`/api/v1/attachments/${id}`))

      // An internal note's image (mentioning a colleague) stays a link: it is not public.
      const colleague = await createUser(env.ctx, { role: 'agent', name: 'Pedro Ruiz', email: 'pedro@ayuda.test' })
      const secret = await uploadPng(t.id, 'secreto.png')
      const nBefore = capture.messages.length
      const note = await agent.post(`/api/v1/tickets/${t.id}/comments`, { internal: true, mentions: [colleague.id], body: 'Pedro, mira', bodyHtml: `<p>Pedro, mira <img src="/api/v1/attachments/${secret}" alt="secreto.png"></p>`, attachmentIds: [secret] })
      assert.equal(note.statusCode, 201, note.body)
      await env.drainJobs()
      await capture.waitFor(nBefore + 1)
      const sent = capture.messages.slice(nBefore)
      assert.deepEqual(sent.map((m) => m.to[0]), ['pedro@ayuda.test'])
      assert.equal(sent[0].parsed.attachments.length, 0)
    })
  })
})
