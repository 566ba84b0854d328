import { sql } from 'kysely'
import type { Actor } from '../../../platform/auth/actor'
import type { Executor } from '../../../platform/db/database'
import { visibleTicketsWhere } from '../tickets.policy'

export interface ContactHit {
  id: string; name: string; email: string | null; phone: string | null
  organization_id: string | null; organization_name: string | null
  site_id: string | null; site_code: string | null; site_name: string | null
  open_tickets: number; last_ticket_id: string | null; last_ticket_number: number | null
}

/**
 * Finds contacts (customers) for the call-centre screen by phone (any formatting), email, name
 * (accent-insensitive, partial) or site code, exact matches first, with their open ticket count
 * and latest ticket among those the actor may see (an agent restricted to their teams counts theirs).
 */
export async function searchContacts(db: Executor, actor: Actor, q: string, limit: number): Promise<ContactHit[]> {
  const text = q.trim().toLowerCase()
  const digits = text.replace(/\D/g, '')
  const byPhone = digits.length >= 4
  const res = await sql<ContactHit & { score: number }>`
    with by_site as (select s.id, s.organization_id from sites s where lower(s.code) = ${text}),
    hits as (
      select u.id, case when lower(u.email) = ${text} then 100 when ${byPhone} and regexp_replace(u.phone, '\\D', '', 'g') = ${digits} then 90
                        else similarity(f_unaccent(lower(u.name)), f_unaccent(${text})) * 50 end as score
      from users u
      where u.role = 'customer' and u.active and (
        lower(u.email) like ${'%' + text + '%'}
        or f_unaccent(lower(u.name)) like ${'%' + text + '%'}
        or (${byPhone} and regexp_replace(u.phone, '\\D', '', 'g') like ${'%' + digits + '%'}))
      union all
      select u.id, 80 from users u join by_site bs on u.site_id = bs.id or (u.site_id is null and u.organization_id = bs.organization_id)
      where u.role = 'customer' and u.active
    ),
    best as (select id, max(score) as score from hits group by id order by max(score) desc limit ${limit})
    select u.id, u.name, u.email, u.phone, u.organization_id, o.name as organization_name, u.site_id, s.code as site_code, s.name as site_name,
      (select count(*)::int from tickets t where t.requester_id = u.id and t.status in ('new','open','pending','on_hold') and ${visibleTicketsWhere(actor)}) as open_tickets,
      lt.id as last_ticket_id, lt.number as last_ticket_number, best.score
    from best join users u on u.id = best.id
      left join organizations o on o.id = u.organization_id
      left join sites s on s.id = u.site_id
      left join lateral (select t.id, t.number from tickets t where t.requester_id = u.id and ${visibleTicketsWhere(actor)} order by t.updated_at desc limit 1) lt on true
    order by best.score desc, u.name`.execute(db)
  return res.rows
}

export function presentContact(c: ContactHit) {
  return {
    id: c.id, name: c.name, email: c.email, phone: c.phone,
    organization: c.organization_id ? { id: c.organization_id, name: c.organization_name ?? '' } : null,
    site: c.site_id ? { id: c.site_id, code: c.site_code ?? '', name: c.site_name ?? '' } : null,
    openTickets: c.open_tickets,
    lastTicket: c.last_ticket_id ? { id: c.last_ticket_id, number: Number(c.last_ticket_number) } : null,
  }
}
