import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createMailer, pooledByDefault } from './mailer'
import { startCaptureSmtp, type CaptureSmtp } from '../../modules/email/test-support/email-test-kit'

/** The SMTP mailer keeps its connection for the next mail unless SMTP_URL says `pool=false`. */
describe('SMTP mailer', () => {
  let capture: CaptureSmtp
  before(async () => { capture = await startCaptureSmtp() })
  after(async () => { await capture.stop() })

  const sendThree = async (smtpUrl: string) => {
    const mailer = createMailer({ smtpUrl, dataDir: '/nonexistent' })
    const opened = capture.connections()
    const sent = capture.messages.length
    try {
      for (let i = 0; i < 3; i++) await mailer.send({ from: 'soporte@ayuda.test', to: 'ana@cliente.mx', subject: `Aviso ${i}`, text: 'Hola' })
    } finally {
      mailer.close()
    }
    await capture.waitFor(sent + 3)
    return capture.connections() - opened
  }

  it('sends every mail over one connection by default', async () => {
    assert.equal(await sendThree(capture.url), 1)
  })

  it('opens one connection per mail with pool=false', async () => {
    assert.equal(await sendThree(`${capture.url}?pool=false`), 3)
  })

  it('adds pool=true to SMTP_URL only when it does not say', () => {
    assert.equal(pooledByDefault('smtp://user:p%40ss@mail.example:587'), 'smtp://user:p%40ss@mail.example:587?pool=true')
    assert.equal(pooledByDefault('smtps://mail.example?pool=false'), 'smtps://mail.example?pool=false')
    assert.equal(pooledByDefault('not a url'), 'not a url')
  })
})
