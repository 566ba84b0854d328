import type { BenchSuite } from '../harness'
import { run as emailInbound } from '../email-inbound'

/** Inbound mail: SMTP → committed ticket, 10 parallel senders, 20 KB messages (its own server and database). */
export const emailSuite: BenchSuite = {
  name: 'email',
  async loads() { return [] },
  async compute(_ctx, engine) {
    const r = await emailInbound({ engine, databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', senders: 10, messageBytes: 20_000, messages: Number(process.env.BENCH_EMAIL_MESSAGES ?? 1000) })
    return [{ name: r.name, figures: { messagesPerSecond: r.throughput, p50: r.p50, p95: r.p95, p99: r.p99, errors: r.errors, messages: r.messages, answersCaughtUpSeconds: r.answersCaughtUpSeconds, sustained: r.sustained }, target: r.target }]
  },
}
