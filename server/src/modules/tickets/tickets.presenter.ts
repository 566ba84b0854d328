import type { Actor } from '../../platform/auth/actor'
import type { Lang } from '../../platform/i18n/locale'
import { allowedTargets, withinReopenWindow } from './lifecycle/transitions'
import { abilitiesFor, can } from './tickets.policy'
import type { TicketDetail } from './queries/get-ticket-detail'
import type { FieldDef } from './custom-fields/custom-field-defs'

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null)
const staff = (a: Actor) => a.role !== 'customer'

/** Custom field values the viewer may see (customers: customer-visible fields only). */
export function visibleCustomFields(values: Record<string, unknown>, defs: Map<string, FieldDef> | FieldDef[], actor: Actor) {
  if (staff(actor)) return { ...values }
  const byKey = Array.isArray(defs) ? new Map(defs.map((d) => [d.key, d])) : defs
  return Object.fromEntries(Object.entries(values).filter(([k]) => byKey.get(k)?.customer_visible))
}

/**
 * A ticket as one viewer sees it, with that viewer's abilities. Customers never get internal
 * attributes (team, level, tags, watchers, external references, third party, calls) nor
 * agent-only custom fields. `related` holds the tickets it points to (duplicate of, merged into,
 * follow-up of) that the viewer may see (visibleTicketIds); the others are shown as null.
 */
export function presentTicket(d: TicketDetail, actor: Actor, lang: Lang, related: ReadonlySet<string>, now = new Date()) {
  const t = d.ticket
  const shown = (id: string | null) => (id && related.has(id) ? id : null)
  // Past the reopen window a resolved ticket only closes (a reply opens a follow-up): reopening is not offered.
  const reopenable = t.status !== 'resolved' || withinReopenWindow(t.resolved_at ? new Date(t.resolved_at) : null, now, d.reopenWindowDays)
  const abilities = reopenable ? abilitiesFor(actor, t) : { ...abilitiesFor(actor, t), reopen: false }
  const by = staff(actor) ? 'staff' : 'requester'
  const out: Record<string, unknown> = {
    id: t.id,
    number: Number(t.number),
    subject: t.subject,
    description: t.description,
    descriptionHtml: t.description_html,
    status: t.status,
    customStatus: { id: d.status.id, key: d.status.key, label: lang === 'en' ? d.status.label_en : d.status.label_es },
    priority: t.priority,
    channel: t.channel,
    type: { id: d.type.id, code: d.type.code, name: lang === 'en' ? d.type.name_en : d.type.name_es },
    category: d.category,
    requester: staff(actor) || actor.id === t.requester_id ? d.requester : { id: d.requester.id, name: d.requester.name, email: null, phone: null },
    organization: d.organization,
    site: d.site,
    assignee: d.assignee,
    customFields: visibleCustomFields(t.custom_fields, d.fields, actor),
    cancelReason: t.cancel_reason,
    cancelNote: t.cancel_note,
    duplicateOfId: shown(t.duplicate_of_id),
    mergedIntoId: shown(t.merged_into_id),
    followUpOfId: shown(t.follow_up_of_id),
    followUpOf: shown(t.follow_up_of_id) && d.followUpOfNumber ? { id: t.follow_up_of_id, number: d.followUpOfNumber } : null,
    createdAt: iso(t.created_at),
    updatedAt: iso(t.updated_at),
    statusChangedAt: iso(t.status_changed_at),
    resolvedAt: iso(t.resolved_at),
    closedAt: iso(t.closed_at),
    cancelledAt: iso(t.cancelled_at),
    abilities,
    allowedStatuses: can(actor, 'change_status', t) ? allowedTargets(t.status, by).filter((to) => reopenable || to !== 'open') : [],
  }
  if (staff(actor)) {
    Object.assign(out, {
      team: d.team,
      supportLevel: t.support_level,
      tags: t.tags,
      watchers: d.watchers,
      externalRefs: d.externalRefs,
      thirdParty: t.third_party,
      thirdPartyRef: t.third_party_ref,
      callCount: t.call_count,
      reopenCount: t.reopen_count,
      firstResponseAt: iso(t.first_response_at),
      createdById: t.created_by_id,
    })
  }
  return out
}

/** One row of a ticket list (joined names come with the row). */
export interface TicketListRow {
  id: string; number: number; subject: string; status: string; status_id: string; status_key: string; status_label_es: string; status_label_en: string
  priority: string; channel: string; type_code: string; type_name_es: string; type_name_en: string
  category_id: string | null; category_name: string | null; requester_id: string; requester_name: string
  organization_id: string | null; organization_name: string | null; site_id: string | null; site_code: string | null; site_name: string | null
  custom_fields: Record<string, unknown> | null; assignee_id: string | null; assignee_name: string | null
  team_id: string | null; team_name: string | null; tags: string[]; call_count: number
  created_at: Date; updated_at: Date; resolved_at: Date | null
  rank?: number; snippet?: string | null
}

/**
 * A list item for one viewer. `defs` are the custom field definitions (by key) that decide what a
 * customer sees; without them a customer gets no custom field values.
 */
export function presentTicketListItem(r: TicketListRow, actor: Actor, lang: Lang, defs: Map<string, FieldDef> = new Map()) {
  const out: Record<string, unknown> = {
    id: r.id,
    number: Number(r.number),
    subject: r.subject,
    status: r.status,
    customStatus: { id: r.status_id, key: r.status_key, label: lang === 'en' ? r.status_label_en : r.status_label_es },
    priority: r.priority,
    channel: r.channel,
    type: { code: r.type_code, name: lang === 'en' ? r.type_name_en : r.type_name_es },
    category: r.category_id ? { id: r.category_id, name: r.category_name ?? '' } : null,
    requester: { id: r.requester_id, name: r.requester_name },
    organization: r.organization_id ? { id: r.organization_id, name: r.organization_name ?? '' } : null,
    site: r.site_id ? { id: r.site_id, code: r.site_code ?? '', name: r.site_name ?? '' } : null,
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
    customFields: visibleCustomFields(r.custom_fields ?? {}, defs, actor),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    resolvedAt: iso(r.resolved_at),
  }
  if (staff(actor)) Object.assign(out, { team: r.team_id ? { id: r.team_id, name: r.team_name ?? '' } : null, tags: r.tags, callCount: r.call_count })
  if (r.snippet !== undefined) out.snippet = r.snippet
  return out
}

/** A comment for one viewer (the caller has already excluded internal notes for customers). */
export function presentComment(c: {
  id: string; ticket_id: string; author_id: string | null; author_name: string | null; author_role: string | null; internal: boolean
  channel: string; body_text: string; body_html: string; mentions: string[]; created_at: Date
}, actor: Actor) {
  return {
    id: c.id,
    ticketId: c.ticket_id,
    author: c.author_id ? { id: c.author_id, name: c.author_name ?? '', role: c.author_role ?? 'customer' } : null,
    internal: c.internal,
    channel: c.channel,
    body: c.body_text,
    bodyHtml: c.body_html,
    ...(staff(actor) ? { mentions: c.mentions } : {}),
    createdAt: iso(c.created_at),
  }
}
