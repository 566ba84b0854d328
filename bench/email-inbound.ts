import { pathToFileURL } from 'node:url'
import nodemailer from 'nodemailer'
import { backgroundCaughtUp, freshStorage, sessionHeaders, startServer, type Engine } from './harness'

/** What the email inbound bench measures and with how much. */
export interface EmailInboundBenchOptions {
  engine?: Engine
  /** PostgreSQL server for the postgres engine (a fresh database is created and dropped). */
  databaseUrl?: string
  /** Messages measured (after a warm-up of `senders * 5`). */
  messages?: number
  /** Parallel SMTP clients, each on its own connection. */
  senders?: number
  /** Approximate size of each message. */
  messageBytes?: number
  log?: (line: string) => void
}

export interface EmailInboundBenchResult {
  name: string
  engine: Engine
  messages: number
  senders: number
  messageBytes: number
  seconds: number
  /** Messages per second from the first SMTP command to the last 250 (each 250 is sent after the ticket committed). */
  throughput: number
  /** Per message, DATA sent → 250 received, in ms. */
  p50: number
  p95: number
  p99: number
  errors: number
  /** Seconds the acknowledgements to the senders took to be sent after the last 250. */
  answersCaughtUpSeconds: number
  /** Messages per second from the first SMTP command until every acknowledgement was sent. */
  sustained: number
  target: string
}

const ADMIN = { email: 'bench-email@ayuda.test', password: 'contraseña-bench-1' }
const MAILBOX = 'soporte@bench.example'

/**
 * What a bench sender mails: `text` (the default) is ~`bytes` of plain text, all of it the new
 * ticket's description and search text; `client` is what a mail client sends (a short text part
 * with a signature and disclaimer, and an Outlook-style HTML alternative filling the rest), whose
 * cost is the HTML's sanitising rather than the search vector. BENCH_EMAIL_SHAPE chooses.
 */
export function benchMessage(i: number, run: string, bytes: number, shape = process.env.BENCH_EMAIL_SHAPE ?? 'text') {
  const common = { from: `Cliente ${i} <cliente${i % 500}@bench-clientes.example>`, to: MAILBOX, subject: `Bench ${run} #${i}`, messageId: `<bench-${run}-${i}@bench-clientes.example>` }
  if (shape === 'client') return { ...common, ...clientBody(i, bytes) }
  const line = 'Buen día, desde ayer la línea no tiene datos y la factura salió con un cargo que no reconozco. '
  return { ...common, text: line.repeat(Math.max(1, Math.ceil(bytes / line.length))).slice(0, bytes) }
}

function clientBody(i: number, bytes: number) {
  const paragraphs = [
    `Buen día, les escribo porque desde ayer la línea ${5500000000 + i} no tiene datos móviles aunque tiene saldo.`,
    'Ya reinicié el equipo, revisé que los datos estén activados y cambié la SIM a otro teléfono, y sigue igual.',
    'Además la factura de este mes salió con un cargo de $349.00 que no reconozco; les pido revisarlo y, si procede, la bonificación.',
    'Quedo atento a su respuesta. Pueden llamarme entre 9 y 18 horas.',
  ]
  const signature = ['Saludos cordiales,', `Juan Pérez ${i}`, 'Coordinador de Compras | Comercializadora del Norte S.A. de C.V.', 'Tel. +52 81 5555 0000 ext. 214',
    'AVISO DE CONFIDENCIALIDAD: este mensaje y sus anexos son confidenciales y para uso exclusivo de su destinatario. Si usted lo recibió por error, le pedimos avisar al remitente y borrarlo.']
  const text = [...paragraphs, '', '-- ', ...signature].join('\n\n')
  const p = (t: string) => `<p class="MsoNormal" style="margin:0cm;margin-bottom:.0001pt;font-size:11.0pt;font-family:&quot;Calibri&quot;,sans-serif;color:#1F497D"><span lang="ES-MX" style="mso-fareast-language:EN-US">${t}</span><o:p></o:p></p>\n`
  let html = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta charset="utf-8"><style>p.MsoNormal{margin:0cm;font-size:11.0pt;font-family:"Calibri",sans-serif}</style></head>`
    + `<body lang="ES-MX" link="#0563C1"><div class="WordSection1">\n${paragraphs.map(p).join('')}<p class="MsoNormal">&nbsp;</p>\n${signature.map(p).join('')}`
  while (Buffer.byteLength(html) + Buffer.byteLength(text) < bytes - 200) html += p('&nbsp;')
  return { text, html: `${html}</div></body></html>` }
}

/** `n` bench messages as raw MIME with their SMTP envelopes. */
async function composeMessages(n: number, runId: string, bytes: number): Promise<Array<{ envelope: { from: string; to: string[] }; raw: Buffer }>> {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true })
  const out = []
  for (let i = 0; i < n; i++) {
    const info = await composer.sendMail(benchMessage(i, runId, bytes))
    out.push({ envelope: { from: info.envelope.from as string, to: info.envelope.to }, raw: info.message as Buffer })
  }
  return out
}

/**
 * Inbound throughput of the email channel: the real server (server/src/main.ts) with its SMTP
 * receiver, `senders` parallel SMTP clients sending ~`messageBytes` messages to one mailbox, each
 * creating a ticket. Throughput counts only 250 replies, which the receiver sends after the
 * message and its ticket are committed. Target (issue 6): ≥ 200 messages/s on PostgreSQL.
 */
export async function run(opts: EmailInboundBenchOptions = {}): Promise<EmailInboundBenchResult> {
  const engine = opts.engine ?? 'postgres'
  const senders = opts.senders ?? 10
  const total = opts.messages ?? 1000
  const bytes = opts.messageBytes ?? 20 * 1024
  const log = opts.log ?? (() => {})
  const storage = await freshStorage(engine, opts.databaseUrl ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
  try {
    const server = await startServer({ ...storage.env, HELPDESK_ADMIN_EMAIL: ADMIN.email, HELPDESK_ADMIN_PASSWORD: ADMIN.password }, { smtp: true })
    try {
      const headers = await sessionHeaders(server.base, ADMIN.email, ADMIN.password)
      const created = await fetch(`${server.base}/api/v1/mailboxes`, {
        method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ address: MAILBOX, name: 'Soporte bench', inbound: 'smtp' }),
      })
      if (created.status !== 201) throw new Error(`mailbox not created: ${created.status} ${await created.text()}`)
      const transports = Array.from({ length: senders }, () => nodemailer.createTransport({
        host: '127.0.0.1', port: server.smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity,
      }))
      const runId = Date.now().toString(36)
      // The messages are composed before the clock starts, as a mail server relaying them would
      // have them: the senders' share of the two cores is then SMTP alone, not MIME building
      // (≈ 0.5 ms of CPU per 20 KB message that the server under test could not use).
      const raws = await composeMessages(senders * 5 + total, runId, bytes)
      const send = async (count: number, offset: number) => {
        const latencies: number[] = []
        let errors = 0
        let next = 0
        await Promise.all(transports.map(async (t) => {
          while (next < count) {
            const i = offset + next++
            const started = performance.now()
            try {
              const info = await t.sendMail(raws[i])
              if (/^250 /.test(info.response)) latencies.push(performance.now() - started)
              else errors++
            } catch {
              errors++
            }
          }
        }))
        return { latencies, errors }
      }
      log(`  email inbound (${engine}): warm-up`)
      await send(senders * 5, 0)
      log(`  email inbound (${engine}): ${total} messages of ${Math.round(bytes / 1024)} KB, ${senders} senders`)
      const started = performance.now()
      const { latencies, errors } = await send(total, senders * 5)
      const seconds = (performance.now() - started) / 1000
      for (const t of transports) t.close()
      // Each new ticket's sender is answered by background jobs sharing the CPU: how long they take
      // to catch up once the senders stop, and so the rate sustained with every answer sent.
      const caughtUp = await backgroundCaughtUp(server.base, headers, ['queueEmailNotifications', 'deliverEmail'])
      latencies.sort((a, b) => a - b)
      const pct = (p: number) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] * 10) / 10 : 0)
      return {
        name: `email inbound: SMTP → committed ticket${process.env.BENCH_EMAIL_SHAPE === 'client' ? ' (mail-client HTML)' : ''}`, engine, messages: latencies.length, senders, messageBytes: bytes,
        seconds: Math.round(seconds * 100) / 100, throughput: Math.round(latencies.length / seconds), p50: pct(50), p95: pct(95), p99: pct(99), errors,
        answersCaughtUpSeconds: Math.round(caughtUp * 10) / 10, sustained: Math.round(latencies.length / (seconds + caughtUp)),
        target: '≥ 200 messages/s on PostgreSQL',
      }
    } finally {
      await server.stop()
    }
  } finally {
    await storage.cleanup()
  }
}

// `node --import tsx bench/email-inbound.ts [pglite|postgres …]` runs it on its own.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const engines = (process.argv.slice(2).length ? process.argv.slice(2) : ['postgres', 'pglite']) as Engine[]
  for (const engine of engines) {
    const result = await run({ engine, log: console.log })
    console.log(JSON.stringify(result))
  }
  process.exit(0)
}
