import DataLoader from 'dataloader'
import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import type { Role } from '../../../platform/db/platform.tables'
import { arrayParam } from '../../../platform/db/plan-cache'
import type { ReplyFile } from './reply-files'

/** A user as the notifier reads them. */
export interface NotifiedUser {
  id: string
  email: string | null
  name: string
  role: Role
  locale: string
  notification_prefs: Record<string, boolean> | null
  active: boolean
  /** What decides which tickets they may see (mail about a ticket goes only to staff who may open it). */
  organization_id: string | null
  org_manager: boolean
  ticket_scope: 'all' | 'teams' | 'assigned'
  team_ids: string[]
}

/**
 * What planning and writing notifications read for each event — users, whether a mailed-in ticket
 * may be acknowledged, the files sent with a new ticket, the mailbox a ticket's first email
 * arrived at — shared by the events planned together: each kind of read is one statement for all
 * of them (DataLoader), not one per event. Make one per batch of events (it keeps what it read).
 */
export function notificationReads(db: Executor) {
  const byTicket = <R extends { ticket_id: string }, V>(load: (ids: readonly string[]) => Promise<R[]>, value: (rows: R[]) => V) =>
    new DataLoader<string, V>(async (ids) => {
      const groups = new Map<string, R[]>()
      for (const row of await load(ids)) {
        const group = groups.get(row.ticket_id)
        if (group) group.push(row)
        else groups.set(row.ticket_id, [row])
      }
      return ids.map((id) => value(groups.get(id) ?? []))
    })
  return {
    db,
    users: new DataLoader<string, NotifiedUser | null>(async (ids) => {
      const rows = (await sql<NotifiedUser>`select id, email, name, role, locale, notification_prefs, active,
          organization_id, org_manager, ticket_scope, (select coalesce(array_agg(tm.team_id::text), '{}') from team_members tm where tm.user_id = u.id) as team_ids
        from users u where id = any(${arrayParam(ids, 'uuid')})`.execute(db)).rows
      const found = new Map(rows.map((r) => [r.id, r]))
      return ids.map((id) => found.get(id) ?? null)
    }),
    /** False for a ticket opened by automated mail we accepted (monitoring alerts): no acknowledgement. */
    acknowledged: byTicket(
      async (ids) => (await sql<{ ticket_id: string; notify: boolean }>`select distinct on (ticket_id) ticket_id, notify from inbound_messages
        where ticket_id = any(${arrayParam(ids, 'uuid')}) and status = 'ticket_created' order by ticket_id, received_at`.execute(db)).rows,
      (rows) => rows[0]?.notify ?? true,
    ),
    /** The files sent with a new ticket (the description's public files). */
    creationFiles: byTicket(
      async (ids) => (await sql<{ ticket_id: string; id: string; filename: string; size: number | string; content_type: string }>`
        select ticket_id, id, filename, size, content_type from attachments
        where ticket_id = any(${arrayParam(ids, 'uuid')}) and comment_id is null and internal = false
        order by created_at, filename, id`.execute(db)).rows,
      (rows): ReplyFile[] => rows.map((r) => ({ id: r.id, filename: r.filename, size: Number(r.size), contentType: r.content_type })),
    ),
    /** The mailbox a ticket's first email arrived at, if it came by mail. */
    mailboxOfTicket: byTicket(
      async (ids) => (await sql<{ ticket_id: string; mailbox_id: string }>`select distinct on (ticket_id) ticket_id, mailbox_id from inbound_messages
        where ticket_id = any(${arrayParam(ids, 'uuid')}) order by ticket_id, received_at`.execute(db)).rows,
      (rows) => rows[0]?.mailbox_id ?? null,
    ),
  }
}

export type NotificationReads = ReturnType<typeof notificationReads>
