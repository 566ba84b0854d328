/**
 * What one mailed-in ticket costs the server, without SMTP or a mail client on the machine:
 * builds N messages of the email bench's shape (20 KB of text; with BENCH_EMAIL_SHAPE=client a mail
 * client's HTML message), hands them to receiveInbound 10 at a time (as the SMTP receiver does;
 * the second argument changes how many at once), then drains the jobs
 * they left with the worker's own passes. Prints, for each phase, throughput, Node and PostgreSQL
 * CPU and SQL statements per message and the slowest statements, and writes
 * /tmp/inbound.cpuprofile and /tmp/inbound-worker.cpuprofile.
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/profile-inbound.ts [n] [at once]
 */
import nodemailer from 'nodemailer'
import { benchMessage } from './email-inbound'
import { postgresCpu, postgresCpuSince, statementLines, statementTimer } from './statement-timer'
import { profileEnv, withCpuProfile } from './profile-env'
import { listMailboxRecords } from '../server/src/modules/email/mailboxes/mailbox-directory'
import { receiveInbound } from '../server/src/modules/email/inbound/receive-inbound'
import { createUser, loginAs } from '../server/test/harness'

const n = Number(process.argv[2] ?? 1000)
const senders = Number(process.argv[3] ?? 10)
const timer = statementTimer(100)
const { env } = await profileEnv()
const admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
const created = await admin.post('/api/v1/mailboxes', { address: 'soporte@bench.example', name: 'Soporte', inbound: 'smtp' })
if (created.statusCode !== 201) throw new Error(created.body)
const mailbox = (await listMailboxRecords(env.ctx.db)).find((m) => m.address === 'soporte@bench.example')!
const transport = nodemailer.createTransport({ streamTransport: true, buffer: true })
const raws = await Promise.all(Array.from({ length: n + 100 }, async (_, i) => (await transport.sendMail({
  ...benchMessage(i, 'perfil', 20_000), to: mailbox.address,
})).message as Buffer))

const receive = async (from: number, count: number) => {
  let next = from
  await Promise.all(Array.from({ length: senders }, async () => {
    while (next < from + count) {
      const outcome = await receiveInbound(env.ctx, { raw: raws[next++], mailbox, source: 'smtp', envelopeTo: [mailbox.address] })
      if (outcome.status !== 'ticket_created') throw new Error(JSON.stringify(outcome))
    }
  }))
}
await receive(0, 100) // warm up
await env.drainJobs(100_000)

const pgCpu = () => postgresCpu(env.ctx.db)
const phase = async (name: string, file: string, work: () => Promise<unknown>) => {
  timer.stats.clear()
  const pg0 = await pgCpu()
  timer.counting = true
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  console.log(`${name} starts ${Date.now() / 1000}`)
  await withCpuProfile(file, work)
  console.log(`${name} ends ${Date.now() / 1000}`)
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  timer.counting = false
  const pgMs = postgresCpuSince(pg0, await pgCpu()) * 1000
  const statements = [...timer.stats.values()].reduce((s, v) => s + v.count, 0)
  console.log(`${name}: ${n} messages in ${ms.toFixed(0)} ms (${(n / (ms / 1000)).toFixed(0)}/s), CPU ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms Node and ${(pgMs / n).toFixed(2)} ms PostgreSQL, ${(statements / n).toFixed(1)} statements per message`)
  for (const l of statementLines(timer.stats, n).slice(0, 25)) console.log(l)
}
await phase('receive', '/tmp/inbound.cpuprofile', () => receive(100, n))
await phase('worker', '/tmp/inbound-worker.cpuprofile', () => env.drainJobs(100_000))
await env.close()
