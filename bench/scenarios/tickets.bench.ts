import { sql } from 'kysely'
import type { BenchSuite, Engine, HttpLoad } from '../harness'
import { backgroundCaughtUp, sessionHeaders } from '../harness'
import { BENCH_ADMIN } from './platform.bench'
import { seedTickets, SENTENCES, SUBJECTS, type TicketSeedState } from '../tickets-seed'

/** The jobs that email a new ticket's requester. */
const NOTIFICATION_JOBS = ['queueEmailNotifications', 'deliverEmail']

/** Tickets to seed: BENCH_TICKETS, else 100,000 (both engines; 1,000,000 on PostgreSQL is documented in docs/BENCHMARKS.md). */
function scale(): number {
  const n = Number(process.env.BENCH_TICKETS)
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 100_000
}

const envNumber = (name: string, fallback: number) => {
  const n = Number(process.env[name])
  return Number.isFinite(n) && n > 0 ? n : fallback
}

/** Two-word Spanish queries an agent types (one per request, in turn); accents left out on purpose in two. */
export const SEARCH_QUERIES = ['recarga saldo', 'portabilidad nip', 'factura rfc', 'activar sim', 'llamadas intermitencia', 'cobro tarjeta']

const ACTIVE = 'statusCategory=new&statusCategory=open&statusCategory=pending&statusCategory=on_hold'

/** Cycles through `items`, one per request. */
function rotate<T>(items: T[]): () => T {
  let i = 0
  return () => items[i++ % items.length]
}

/**
 * Issue 3's ticket scenarios at BENCH_TICKETS scale (comments BENCH_COMMENTS_PER_TICKET per
 * ticket on average, default 5): the agent's open queue, a filtered list (status + category +
 * last-update range, a root category with its sub-categories), two-word Spanish search, a ticket's detail and its 20 comments, and creating
 * tickets at concurrency 32 (last, so the reads run on the seeded data only).
 */
export const ticketsSuite: BenchSuite = {
  name: 'tickets',
  async seed(ctx, engine: Engine, progress) {
    const state = await seedTickets(ctx, {
      tickets: scale(),
      commentsPerTicket: envNumber('BENCH_COMMENTS_PER_TICKET', 5),
      templates: envNumber('BENCH_TICKET_TEMPLATES', 500),
      batch: envNumber('BENCH_SEED_BATCH', engine === 'postgres' ? 10_000 : 5_000),
      parallel: engine === 'postgres' ? envNumber('BENCH_SEED_PARALLEL', 2) : 1,
    }, progress)
    const customers = (await sql<{ id: string }>`select id from users where role = 'customer' order by email limit 40`.execute(ctx.db)).rows.map((r) => r.id)
    const leaves = (await sql<{ id: string }>`select id from categories c where not exists (select 1 from categories s where s.parent_id = c.id) order by name`.execute(ctx.db)).rows.map((r) => r.id)
    const matches: Record<string, number> = {}
    for (const q of SEARCH_QUERIES) {
      matches[q] = (await sql<{ n: number }>`select count(*)::int as n from tickets
        where search @@ (websearch_to_tsquery('es_unaccent', ${q}) || websearch_to_tsquery('en_unaccent', ${q}))`.execute(ctx.db)).rows[0].n
    }
    console.log(`  tickets ${state.tickets}, comments ${state.comments}, seed seconds ${JSON.stringify(state.seconds)}`)
    console.log(`  search matches (tickets): ${JSON.stringify(matches)}`)
    return { ...state, customers, leaves, matches }
  },
  async loads(base, raw) {
    const state = raw as unknown as TicketSeedState & { customers: string[]; leaves: string[] }
    const session = await sessionHeaders(base, state.agentEmail, state.password)
    const headers = { cookie: session.cookie }
    const n = Number(state.tickets ?? 0).toLocaleString('en-US')
    // Connections of the read loads (BENCH_READ_CONNECTIONS, default "1,8": each read load at 1 —
    // service time alone — then at 8, with requests queueing for the two cores).
    const readConnections = (process.env.BENCH_READ_CONNECTIONS ?? '1,8').split(',').map(Number).filter((c) => c > 0)
    const query = rotate(SEARCH_QUERIES)
    const detail = rotate(state.detailIds)
    const comments = rotate(state.detailIds)
    let k = 0
    const filtered = `/api/v1/tickets?statusCategory=closed&categoryId=${state.filterCategoryId}&updatedFrom=${encodeURIComponent(state.rangeFrom)}&updatedTo=${encodeURIComponent(state.rangeTo)}`
    const reads = (connections: number): HttpLoad[] => [
      { name: `queue: mine, active, by update (${n})`, path: `/api/v1/tickets?assignee=me&${ACTIVE}&sort=-updatedAt`, headers, connections, target: 'p95 ≤ 20 ms at 1,000,000' },
      { name: `filtered: status+category+updated (${n})`, path: filtered, headers, connections, target: 'p95 ≤ 20 ms at 1,000,000' },
      {
        name: `search: two Spanish words (${n})`, path: '/api/v1/tickets?q=recarga%20saldo', headers, connections, target: 'p95 ≤ 100 ms at 1,000,000',
        setupRequest: (req) => ({ ...req, path: `/api/v1/tickets?q=${encodeURIComponent(query())}` }),
      },
      {
        name: `detail: GET /tickets/:id (${n})`, path: `/api/v1/tickets/${state.detailIds[0]}`, headers, connections, target: 'p95 ≤ 20 ms at 1,000,000',
        setupRequest: (req) => ({ ...req, path: `/api/v1/tickets/${detail()}` }),
      },
      {
        name: `detail: its 20 comments (${n})`, path: `/api/v1/tickets/${state.detailIds[0]}/comments`, headers, connections, target: 'p95 ≤ 20 ms at 1,000,000',
        setupRequest: (req) => ({ ...req, path: `/api/v1/tickets/${comments()}/comments` }),
      },
    ]
    return [
      ...readConnections.flatMap(reads),
      {
        name: `create: POST /tickets (${n})`, method: 'POST', path: '/api/v1/tickets', headers: session, connections: 32, target: '≥ 1,500 tickets/s',
        // Each ticket's requester is emailed by background jobs that share the server's CPU: how
        // long they take to catch up once the load stops, and so the rate sustained with every mail sent.
        afterLoad: async (r): Promise<Record<string, number | string>> => {
          if (process.env.HELPDESK_WORKER === 'off') return { notifications: 'not sent (HELPDESK_WORKER=off)' }
          const caughtUp = await backgroundCaughtUp(base, await sessionHeaders(base, BENCH_ADMIN.email, BENCH_ADMIN.password), NOTIFICATION_JOBS)
          return { notificationsCaughtUpSeconds: Math.round(caughtUp * 10) / 10, sustainedTicketsPerSecond: Math.round(r.requests / (r.seconds + caughtUp)) }
        },
        body: JSON.stringify({ subject: SUBJECTS[0], description: SENTENCES[0] }),
        setupRequest: (req) => {
          k++
          return {
            ...req,
            body: JSON.stringify({
              subject: SUBJECTS[k % SUBJECTS.length], description: `${SENTENCES[k % SENTENCES.length]} ${SENTENCES[(k * 7) % SENTENCES.length]}`,
              categoryId: state.leaves[k % state.leaves.length], requesterId: state.customers[k % state.customers.length], channel: 'phone',
            }),
          }
        },
      },
    ]
  },
}
