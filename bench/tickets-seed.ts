import { sql, type RawBuilder } from 'kysely'
import type { AppContext } from '../server/src/platform/context'
import { inTransaction, type Executor } from '../server/src/platform/db/database'
import { actorForUser } from '../server/src/platform/auth/load-actor'
import type { Progress } from '../server/src/platform/cli/progress'
import { loadDemo } from '../server/src/modules/demo/load-demo'
import { DEMO_PASSWORD, DEMO_STAFF } from '../server/src/modules/demo/demo-data'
import { addComment } from '../server/src/modules/tickets/commands/add-comment'
import { recomputeTicketsSla } from '../server/src/modules/sla/live/recompute-ticket-sla'

/**
 * Seeds the ticket benchmark: a few hundred tickets through the real commands (the demo loader:
 * organizations, teams, staff, customers, the MVNO categories and SLA policies, tickets in every
 * status with replies, notes, calls and SLA), 20 of them brought to 20 comments with addComment,
 * then bulk copies of those tickets with INSERT … SELECT until `tickets` tickets exist. A copy takes
 * a template ticket of the status it draws (20 % active, 80 % resolved / closed / cancelled) with
 * its history, comments, external references, calls and SLA rows, moved in time (active tickets
 * over the last 30 days, the rest over the last year), a new number from the sequence, new Spanish
 * subject, description and comment texts, and extra replies until tickets average
 * `commentsPerTicket` comments. Secondary indexes are rebuilt after the copies, the deadlines the
 * copies passed are settled by the SLA engine's own recomputation (settleSla), then VACUUM (ANALYZE).
 */

export interface TicketSeedOptions {
  tickets: number
  commentsPerTicket: number
  /** Tickets created through the real commands (the copies' templates). */
  templates: number
  /** Copies per INSERT … SELECT batch (one transaction). */
  batch: number
  /** Batches running at once (PostgreSQL only; PGlite serialises them anyway). */
  parallel?: number
}

export interface TicketSeedState {
  tickets: number
  comments: number
  agentEmail: string
  password: string
  /** Tickets with exactly 20 comments (detail scenario). */
  detailIds: string[]
  /** A root category (its sub-categories are included by the filter), and a last-update range for it. */
  filterCategoryId: string
  rangeFrom: string
  rangeTo: string
  seconds: Record<string, number>
}

const DAY = 86_400

// Spanish help-desk vocabulary (a mobile virtual operator's support: top-ups, porting, billing, network, SIM shipping).
export const SUBJECTS = [
  'Recarga no reflejada en la línea', 'No puedo navegar con datos móviles', 'Solicitud de factura con RFC', 'Portabilidad sin confirmar',
  'Error al activar SIM en punto de venta', 'Cotización de líneas empresariales', 'SIM no recibida por paquetería', 'Intermitencia en llamadas de voz',
  'Cobro duplicado en tarjeta de crédito', 'Cambio de plan tarifario', 'Saldo descontado sin uso', 'No recibo mensajes SMS',
  'Falla en el portal de distribuidores', 'Reposición de SIM por robo', 'Consulta de consumo de datos', 'Roaming internacional sin servicio',
  'Alta de eSIM en teléfono nuevo', 'Error 500 en la plataforma de activaciones', 'Paquete de datos no aplicado', 'Línea suspendida sin aviso',
  'Aclaración de cargo en estado de cuenta', 'Cancelación de línea adicional', 'Problema con el link de pago', 'Sin cobertura en la colonia',
  'Actualización de datos del titular', 'Reembolso de recarga fallida', 'El NIP de portabilidad no llega', 'Reporte de equipo bloqueado por IMEI',
  'Llamadas que se cortan al minuto', 'Solicitud de cambio de número',
]
export const SENTENCES = [
  'El cliente reporta que desde ayer no puede navegar con datos móviles.', 'Ya reinició el equipo y revisó la configuración del APN.',
  'La recarga se aplicó en el portal pero el saldo no se refleja en la línea.', 'Adjunto el comprobante de pago y la referencia bancaria.',
  'Solicita la factura del pago realizado con su RFC actualizado.', 'La portabilidad lleva más de 24 horas sin confirmación.',
  'El NIP fue validado con el cliente por llamada.', 'El punto de venta muestra error 500 al activar una SIM nueva.',
  'Pide cotización de líneas adicionales con plan empresarial.', 'La guía de paquetería aparece como entregada pero no recibió la SIM.',
  'Hay intermitencia en llamadas de voz en la zona centro.', 'El cargo aparece dos veces en su tarjeta de crédito.',
  'Quiere cambiar a un plan con más datos y minutos ilimitados.', 'El saldo se descontó sin que usara la línea.',
  'No recibe mensajes de texto de bancos ni códigos de verificación.', 'El distribuidor no puede entrar a la plataforma de activaciones.',
  'Le robaron el teléfono y necesita reponer la SIM con el mismo número.', 'Está de viaje en Estados Unidos y el roaming no funciona.',
  'Compró un teléfono nuevo y quiere activar la eSIM.', 'El paquete de datos comprado no se aplicó a la línea.',
  'La línea quedó suspendida sin ningún aviso previo.', 'No reconoce un cargo en su estado de cuenta del mes pasado.',
  'El link de pago marca error al capturar la tarjeta.', 'En su colonia no hay cobertura desde la semana pasada.',
  'Necesita actualizar el nombre y el correo del titular.', 'La recarga falló y pide el reembolso del importe.',
  'El equipo aparece bloqueado por IMEI en la lista negra.', 'Las llamadas se cortan después de un minuto.',
  'Se escaló con el proveedor de red para revisar la radiobase.', 'El cliente es empresa y tiene cincuenta líneas activas.',
  'Se verificó la línea en el BSS y el aprovisionamiento está correcto.', 'Se solicitó captura de pantalla del error.',
  'El cliente confirma que el problema continúa por la tarde.', 'El pago se hizo en tienda de conveniencia con referencia.',
  'Pide que le llamen al número alterno que dejó registrado.', 'La activación quedó pendiente en la plataforma del operador.',
  'El saldo de la recarga aparece como pendiente de aplicar.', 'La factura salió con datos fiscales incorrectos.',
  'Se reprogramó el envío de la SIM a una nueva dirección.', 'Se pidió al cliente probar la SIM en otro equipo.',
]
export const REPLIES = [
  'Gracias por su reporte. Ya estamos revisando el caso con el área correspondiente.',
  'Para continuar necesitamos una captura de pantalla del error y el número de línea afectado.',
  'Escalamos el caso con el proveedor; el folio asignado es el que aparece en el ticket.',
  'Aplicamos el ajuste solicitado. ¿Nos confirma si ya quedó resuelto?',
  'Revisamos la recarga y el saldo ya aparece aplicado en la línea.',
  'La portabilidad quedó programada para la siguiente ventana de cambio.',
  'Le enviamos la factura al correo registrado con el RFC actualizado.',
  'Reiniciamos el aprovisionamiento de datos; por favor reinicie su equipo.',
  'El proveedor confirma una falla masiva en la zona; le avisaremos al restablecerse.',
  'Ya generamos la guía de reenvío de la SIM a la nueva dirección.',
  'Sigo sin poder navegar, ya reinicié el teléfono dos veces.',
  'Ya me llegó la SIM, muchas gracias por la ayuda.',
  'El cargo duplicado sigue apareciendo en mi tarjeta.',
  'Nota interna: validar en BSS antes de responder al cliente.',
  'Nota interna: posible duplicado de otro reporte de la misma zona.',
  'Se reembolsó el importe de la recarga fallida a la tarjeta del cliente.',
]

/** Tickets through the real commands, then bulk copies; returns what the loads need. */
export async function seedTickets(ctx: AppContext, opts: TicketSeedOptions, progress: Progress): Promise<TicketSeedState> {
  const seconds: Record<string, number> = {}
  let started = Date.now()
  const templates = Math.max(50, Math.min(opts.templates, opts.tickets))
  // Tickets of other suites (run before this one) are neither templates nor counted.
  const before = (await sql<{ n: number }>`select coalesce(max(number), 0)::bigint as n from tickets`.execute(ctx.db)).rows[0].n
  await loadDemo(ctx, { tickets: templates, progress })
  seconds.commands = (Date.now() - started) / 1000

  started = Date.now()
  const detailIds = await twentyComments(ctx, progress, before)
  seconds.detailComments = (Date.now() - started) / 1000

  started = Date.now()
  const copies = Math.max(0, opts.tickets - templates)
  if (copies > 0) await bulkCopies(ctx, copies, opts, progress, seconds, before)
  seconds.bulk = (Date.now() - started) / 1000

  started = Date.now()
  const swept = await settleSla(ctx, progress)
  seconds.slaSweep = (Date.now() - started) / 1000
  seconds.slaTicketsRecomputed = swept

  // As autovacuum would have by then (PGlite has none): visibility map and hint bits set, statistics fresh.
  started = Date.now()
  await sql`vacuum (analyze)`.execute(ctx.db)
  seconds.vacuumAnalyze = (Date.now() - started) / 1000

  const counts = (await sql<{ t: number; c: number }>`select (select count(*) from tickets)::int as t, (select count(*) from comments)::int as c`.execute(ctx.db)).rows[0]
  const root = (await sql<{ id: string }>`select c.id from categories c where c.depth = 0 order by (select count(*) from categories s where s.path && array[c.id]) desc, c.name limit 1`.execute(ctx.db)).rows[0]
  const now = ctx.now()
  return {
    tickets: counts.t,
    comments: counts.c,
    agentEmail: DEMO_STAFF[1].email,
    password: DEMO_PASSWORD,
    detailIds,
    filterCategoryId: root.id,
    rangeFrom: new Date(now.getTime() - 90 * DAY * 1000).toISOString(),
    rangeTo: new Date(now.getTime() - 30 * DAY * 1000).toISOString(),
    seconds,
  }
}

/**
 * The copies' SLA rows were moved in time, so active copies hold deadlines that passed unrecorded.
 * The SLA sweeper's own work (recomputeTicketsSla on every ticket due before now, in batches) is
 * done here, before the server starts, so the server does not spend the measured minutes catching
 * up; then the queued background jobs (the demo's notifications, escalations of those deadlines)
 * are dropped: the bench measures requests, not a backlog. Returns the tickets recomputed.
 */
export async function settleSla(ctx: AppContext, progress: Progress): Promise<number> {
  const now = ctx.now()
  const due = (await sql<{ n: number }>`select count(*)::int as n from ticket_sla_summary where next_due_at <= ${now}`.execute(ctx.db)).rows[0].n
  progress.start('SLA vencidos (recompute)', due)
  let done = 0
  let after = '00000000-0000-0000-0000-000000000000'
  for (;;) {
    const ids = (await sql<{ ticket_id: string }>`select ticket_id from ticket_sla_summary where next_due_at <= ${now} and ticket_id > ${after}::uuid
      order by ticket_id limit 2000`.execute(ctx.db)).rows.map((r) => r.ticket_id)
    if (!ids.length) break
    await inTransaction(ctx.db, (trx) => recomputeTicketsSla(trx, ids, { now }))
    after = ids[ids.length - 1]
    done += ids.length
    progress.tick(ids.length)
  }
  progress.stop()
  await sql`delete from jobs where status = 'queued'`.execute(ctx.db)
  return done
}

/** 20 open tickets brought to exactly 20 comments with addComment (agent replies, requester replies, notes). */
async function twentyComments(ctx: AppContext, progress: Progress, after: number): Promise<string[]> {
  const rows = (await sql<{ id: string; requester_id: string; assignee_id: string | null; n: number }>`
    select t.id, t.requester_id, t.assignee_id, (select count(*) from comments c where c.ticket_id = t.id)::int as n
    from tickets t where t.number > ${after} and t.status = 'open' and t.assignee_id is not null order by t.number limit 20`.execute(ctx.db)).rows
  progress.start('Tickets con 20 comentarios', rows.length)
  for (const r of rows) {
    const agent = (await actorForUser(ctx.db, r.assignee_id!))!
    const requester = (await actorForUser(ctx.db, r.requester_id))!
    const base = ctx.now().getTime() - 3 * DAY * 1000
    for (let i = r.n; i < 20; i++) {
      const who = i % 3 === 2 ? requester : agent
      await inTransaction(ctx.db, (trx) => addComment(trx, { actor: who, now: new Date(base + i * 600_000) }, r.id, {
        body: REPLIES[i % REPLIES.length], internal: who === agent && i % 5 === 4,
      }))
    }
    progress.tick()
  }
  progress.stop()
  return rows.map((r) => r.id)
}

// Status mix of the copies (percent): 20 % active, the rest finished.
const STATUS_MIX: Array<[string, number]> = [
  ['new', 4], ['open', 8], ['pending', 4], ['on_hold', 4], ['resolved', 12], ['closed', 60], ['cancelled', 8],
]

/** Pseudo-random integer in [0, mod) from a row number and a salt (PostgreSQL's own hash: the same on every run, independent per salt). */
const rnd = (g: RawBuilder<unknown>, salt: number, mod: number) => sql`(abs(hashint8extended((${g})::bigint, ${salt}::bigint)) % ${mod}::bigint)::int`

async function bulkCopies(ctx: AppContext, copies: number, opts: TicketSeedOptions, progress: Progress, seconds: Record<string, number>, after: number) {
  const now = ctx.now()
  // Templates by status, numbered within their status; a status without templates falls back to closed.
  await sql`create table bench_seed_templates as
    select t.id, t.status, row_number() over (partition by t.status order by t.number)::int as rn,
      count(*) over (partition by t.status)::int as n
    from tickets t where t.number > ${after}`.execute(ctx.db)
  // The templates' comments, history, references and calls, apart and indexed: the copies read them
  // while the big tables' own indexes are dropped.
  await sql`create table bench_seed_comments as select c.*, row_number() over (partition by c.ticket_id order by c.created_at, c.id) as k
    from comments c where c.ticket_id in (select id from bench_seed_templates)`.execute(ctx.db)
  await sql`create table bench_seed_history as select h.* from ticket_history h where h.ticket_id in (select id from bench_seed_templates)`.execute(ctx.db)
  await sql`create table bench_seed_refs as select x.* from ticket_external_refs x where x.ticket_id in (select id from bench_seed_templates)`.execute(ctx.db)
  await sql`create table bench_seed_calls as select k.* from ticket_calls k where k.ticket_id in (select id from bench_seed_templates)`.execute(ctx.db)
  for (const t of ['bench_seed_comments', 'bench_seed_history', 'bench_seed_refs', 'bench_seed_calls']) {
    await sql`create index on ${sql.raw(t)} (ticket_id)`.execute(ctx.db)
    await sql`analyze ${sql.raw(t)}`.execute(ctx.db)
  }
  await sql`analyze bench_seed_templates`.execute(ctx.db)
  const have = new Set((await sql<{ status: string }>`select distinct status from bench_seed_templates`.execute(ctx.db)).rows.map((r) => r.status))
  const thresholds: Array<{ status: string; upTo: number }> = []
  let acc = 0
  for (const [status, pct] of STATUS_MIX) { acc += pct; thresholds.push({ status: have.has(status) ? status : 'closed', upTo: acc }) }
  const pick = sql.join(thresholds.map((t) => sql`when ${rnd(sql`g`, 1, 100)} < ${t.upTo}::int then ${t.status}`), sql` `)
  const avgTemplateComments = (await sql<{ a: number }>`select (count(*)::float / greatest(1, (select count(*) from bench_seed_templates)))::float as a
    from comments where ticket_id in (select id from bench_seed_templates)`.execute(ctx.db)).rows[0].a
  const extraMax = Math.max(0, Math.round(2 * (opts.commentsPerTicket - avgTemplateComments)))
  const staff = (await sql<{ id: string }>`select id from users where role <> 'customer' and email like '%@atiende.demo' order by email`.execute(ctx.db)).rows.map((r) => r.id)

  // Secondary indexes of the tables the copies fill are dropped and rebuilt afterwards from their own
  // definitions (pg_get_indexdef): one sort per index instead of millions of single inserts.
  let started = performance.now()
  const indexes = (await sql<{ name: string; def: string }>`select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
    from pg_index i where i.indrelid = any(array['tickets', 'comments', 'ticket_history', 'ticket_external_refs', 'ticket_calls', 'ticket_sla_summary']::regclass[])
      and not i.indisprimary and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`.execute(ctx.db)).rows
  if (copies >= 20_000) for (const ix of indexes) await sql`drop index ${sql.raw(ix.name)}`.execute(ctx.db)
  seconds.dropIndexes = Math.round((performance.now() - started) / 10) / 100

  progress.start(`Tickets (${copies.toLocaleString('es-MX')} copias)`, copies)
  // PostgreSQL: batches on `parallel` connections at once (PGlite is one session: one at a time).
  let next = 0
  const worker = async () => {
    while (next < copies) {
      const from = next + 1
      const to = Math.min(copies, next + opts.batch)
      next = to
      await inTransaction(ctx.db, async (trx) => {
        await copyBatch({ from, to, now, pick, extraMax, staff, trx, seconds })
      })
      progress.tick(to - from + 1)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, opts.parallel ?? 1) }, worker))
  progress.stop()
  await sql`drop table bench_seed_templates, bench_seed_comments, bench_seed_history, bench_seed_refs, bench_seed_calls`.execute(ctx.db)

  if (copies >= 20_000) {
    started = performance.now()
    progress.start('Índices', indexes.length)
    for (const ix of indexes) {
      await inTransaction(ctx.db, async (trx) => {
        await sql`set local maintenance_work_mem = '256MB'`.execute(trx)
        await sql.raw(ix.def).execute(trx)
      })
      progress.tick()
    }
    progress.stop()
    seconds.createIndexes = Math.round((performance.now() - started) / 10) / 100
  }
}

interface BatchInput { from: number; to: number; now: Date; pick: RawBuilder<unknown>; extraMax: number; staff: string[]; trx: Executor; seconds: Record<string, number> }

/** Runs one statement of a batch and adds its duration to `seconds` (reported with the figures). */
async function timed(b: BatchInput, label: string, query: RawBuilder<unknown>) {
  const started = performance.now()
  await query.execute(b.trx)
  b.seconds[label] = Math.round(((b.seconds[label] ?? 0) + (performance.now() - started) / 1000) * 100) / 100
}

async function copyBatch(b: BatchInput) {
  const g = sql`g`
  // One row per copy: its id, template, time shift and texts.
  await timed(b, 'map', sql`create temp table seed_map on commit drop as
    select gen_random_uuid() as id, x.g, s.id as src_id,
      case when x.status = 'resolved'
        -- Resolved within the last five days: older ones would have been closed (closeResolvedTickets,
        -- every 15 minutes), and a seed full of them made the bench's server close tens of thousands mid-run.
        then (${b.now}::timestamptz - interval '1 hour' - ${rnd(g, 12, 5 * DAY)} * interval '1 second') - coalesce(src.resolved_at, src.created_at)
        else (${b.now}::timestamptz - (case when x.status in ('new','open','pending','on_hold') then interval '1 day' + ${rnd(g, 2, 29 * DAY)} * interval '1 second'
          else interval '2 days' + ${rnd(g, 3, 363 * DAY)} * interval '1 second' end)) - src.created_at end as shift,
      x.subject_i, x.d1, x.d2, x.d3, ${rnd(g, 7, b.extraMax + 1)} as extra
    from (select g, case ${b.pick} else 'closed' end as status, 1 + ${rnd(g, 4, SUBJECTS.length)} as subject_i,
            1 + ${rnd(g, 5, SENTENCES.length)} as d1, 1 + ${rnd(g, 6, SENTENCES.length)} as d2, 1 + ${rnd(g, 8, SENTENCES.length)} as d3
          from generate_series(${b.from}::int, ${b.to}::int) g) x
    join lateral (select n from bench_seed_templates where status = x.status limit 1) c on true
    join bench_seed_templates s on s.status = x.status and s.rn = 1 + ${rnd(g, 9, 1_000_003)} % c.n
    join tickets src on src.id = s.id`)
  await sql`analyze seed_map`.execute(b.trx)

  // Tickets: the template's row moved in time, new number (sequence) and new texts.
  await timed(b, 'tickets', sql`insert into tickets (id, subject, description, description_html, type_id, category_id, priority, status, status_id, channel,
      requester_id, organization_id, site_id, assignee_id, team_id, support_level, tags, custom_fields, third_party, third_party_ref,
      cancel_reason, cancel_note, call_count, reopen_count, created_by_id, created_at, updated_at, status_changed_at, first_response_at,
      resolved_at, closed_at, cancelled_at)
    select m.id, voc.s[m.subject_i], d.text, '<p>' || replace(d.text, '"', '&quot;') || '</p>', t.type_id, t.category_id, t.priority, t.status, t.status_id, t.channel,
      t.requester_id, t.organization_id, t.site_id, t.assignee_id, t.team_id, t.support_level, t.tags, t.custom_fields, t.third_party,
      case when t.third_party_ref is null then null else t.third_party_ref || '-' || m.g end,
      t.cancel_reason, t.cancel_note, t.call_count, t.reopen_count, t.created_by_id, t.created_at + m.shift,
      greatest(t.updated_at + m.shift, t.created_at + m.shift + m.extra * interval '20 minutes'), t.status_changed_at + m.shift,
      t.first_response_at + m.shift, t.resolved_at + m.shift, t.closed_at + m.shift, t.cancelled_at + m.shift
    from seed_map m join tickets t on t.id = m.src_id,
      (select ${SUBJECTS}::text[] as s, ${SENTENCES}::text[] as v) voc,
      lateral (select voc.v[m.d1] || ' ' || voc.v[m.d2] || ' ' || voc.v[m.d3] || ' Línea de referencia 55 ' || lpad((m.g % 100000000)::text, 8, '0') || '.' as text) d`)

  // Comments: the template's (new texts) plus `extra` replies alternating agent and requester.
  await timed(b, 'comments_map', sql`create temp table seed_comments on commit drop as
    select gen_random_uuid() as id, m.id as ticket_id, c.id as src_id, c.author_id, c.internal, c.channel, c.mentions, c.created_at + m.shift as created_at,
      1 + ${rnd(sql`(m.g * 31 + c.k)`, 10, REPLIES.length)} as body_i
    from seed_map m join bench_seed_comments c on c.ticket_id = m.src_id
    union all
    select gen_random_uuid(), m.id, null, case when e % 2 = 1 then coalesce(t.assignee_id, (${b.staff}::uuid[])[1 + (m.g % ${b.staff.length}::int)]) else t.requester_id end,
      false, t.channel, '{}'::uuid[], t.created_at + m.shift + e * interval '20 minutes', 1 + ${rnd(sql`(m.g * 37 + e)`, 11, REPLIES.length)}
    from seed_map m join tickets t on t.id = m.src_id, generate_series(1, m.extra) e`)
  await sql`analyze seed_comments`.execute(b.trx)
  await timed(b, 'comments', sql`insert into comments (id, ticket_id, author_id, internal, channel, body_text, body_html, mentions, created_at)
    select c.id, c.ticket_id, c.author_id, c.internal, c.channel, r.v[c.body_i], '<p>' || r.v[c.body_i] || '</p>', c.mentions, c.created_at
    from seed_comments c, (select ${REPLIES}::text[] as v) r`)

  // History: the template's rows moved in time (comment ids rewritten), plus one per extra reply.
  await timed(b, 'history', sql`insert into ticket_history (ticket_id, at, actor_id, via, via_token_id, action, field, old_value, new_value, internal)
    select m.id, h.at + m.shift, h.actor_id, h.via, h.via_token_id, h.action, h.field, h.old_value,
      case when h.action = 'comment_added' and sc.id is not null then jsonb_set(h.new_value, '{commentId}', to_jsonb(sc.id::text)) else h.new_value end,
      h.internal
    from seed_map m join bench_seed_history h on h.ticket_id = m.src_id
      left join seed_comments sc on sc.ticket_id = m.id and sc.src_id::text = h.new_value->>'commentId' and h.action = 'comment_added'
    union all
    select c.ticket_id, c.created_at, c.author_id, 'web', null, 'comment_added', null, null,
      jsonb_build_object('commentId', c.id::text, 'internal', false), false
    from seed_comments c where c.src_id is null`)

  // External references (call ids, provider cases) and calls, made unique per copy.
  await timed(b, 'refs', sql`insert into ticket_external_refs (ticket_id, kind, provider, value, created_at)
    select m.id, x.kind, x.provider, x.value || '-' || m.g, x.created_at + m.shift
    from seed_map m join bench_seed_refs x on x.ticket_id = m.src_id`)
  await timed(b, 'calls', sql`insert into ticket_calls (ticket_id, call_id, agent_id, direction, note, at)
    select m.id, case when k.call_id is null then null else k.call_id || '-' || m.g end, k.agent_id, k.direction, k.note, k.at + m.shift
    from seed_map m join bench_seed_calls k on k.ticket_id = m.src_id`)

  // SLA as the engine stored it for the template, moved in time.
  await timed(b, 'sla', sql`insert into ticket_sla (ticket_id, target, cycle, state, counting, target_ms, elapsed_ms, due_at, warning_at, warning, met_at, breached_at, computed_at)
    select m.id, s.target, s.cycle, s.state, s.counting, s.target_ms, s.elapsed_ms, s.due_at + m.shift, s.warning_at + m.shift, s.warning,
      s.met_at + m.shift, s.breached_at + m.shift, s.computed_at + m.shift
    from seed_map m join ticket_sla s on s.ticket_id = m.src_id`)
  await timed(b, 'sla_summary', sql`insert into ticket_sla_summary (ticket_id, policy_id, calendar_id, next_due_at, warning_at, overdue_since, computed_at)
    select m.id, s.policy_id, s.calendar_id, case when s.next_due_at >= '9999-01-01' then s.next_due_at else s.next_due_at + m.shift end,
      s.warning_at + m.shift, s.overdue_since + m.shift, s.computed_at + m.shift
    from seed_map m join ticket_sla_summary s on s.ticket_id = m.src_id
    on conflict (ticket_id) do update set policy_id = excluded.policy_id, calendar_id = excluded.calendar_id, next_due_at = excluded.next_due_at,
      warning_at = excluded.warning_at, overdue_since = excluded.overdue_since, computed_at = excluded.computed_at`)
}
