import { useEffect, useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { Button } from '../../../ui/Button'
import { Alert } from '../../../ui/Feedback'
import { SelectField } from '../../../ui/Field'
import { errorMessage } from '../../../app/api-client'
import { useSession } from '../../../app/session'
import { Icon } from '../../../ui/Icon'
import { CANCEL_REASONS, PRIORITIES } from '../../../../../common/src/tickets/tickets.types'
import { labelOf, type Category } from '../api/config.api'
import { ticketsApi, type Priority, type TicketDetail, type TicketPatch } from '../api/tickets.api'
import { useStaffDirectory, useTicketConfig } from '../hooks/useTicketConfig'
import { useStatusChoices } from '../hooks/useStatusChoices'
import { flattenCategories } from './FilterPanel'
import { usableCategories } from '../categories'
import { StatusBadge } from './TicketLabels'
import { CustomFieldInputs, fieldsForType, missingRequired } from './CustomFieldInputs'
import { SlaTargets } from './SlaBadge'
import { CancelDialog, OnHoldForm } from './StatusChangeForms'
import { slaOf } from '../sla'

/** Editable fields: each change is saved at once (PATCH) and shows the server's message if refused. */
function FieldsCard({ ticket, onPatch }: { ticket: TicketDetail; onPatch: (p: TicketPatch) => Promise<void> }) {
  const { t, i18n } = useTranslation()
  const { types, categories, customFields } = useTicketConfig()
  const { agents, teams } = useStaffDirectory()
  const [error, setError] = useState<string | null>(null)
  const [retypeTo, setRetypeTo] = useState<string | null>(null)
  const editable = ticket.abilities?.update !== false
  const patch = async (p: TicketPatch) => {
    setError(null)
    try { await onPatch(p) } catch (err) { setError(errorMessage(err)) }
  }
  // A type whose required fields this ticket lacks asks for them first (the server refuses the change without them).
  const changeType = (typeId: string) => {
    const missing = missingRequired(requiredFor(customFields, typeId), ticket.customFields ?? {}, i18n.language)
    if (missing.length) { setError(null); setRetypeTo(typeId) } else { setRetypeTo(null); void patch({ type: typeId }) }
  }
  return (
    <section className="card stack" aria-labelledby="fields-h">
      <h2 id="fields-h">{t('ticket.fields')}</h2>
      {error ? <Alert>{error}</Alert> : null}
      <StatusFields ticket={ticket} editable={editable} onPatch={onPatch} patch={patch} clearError={() => setError(null)} />
      <SelectField label={t('fields.priority')} value={ticket.priority} disabled={!editable} onChange={(e) => void patch({ priority: e.target.value as Priority })}>
        {PRIORITIES.map((p) => <option key={p} value={p}>{t(`priority.${p}`)}</option>)}
      </SelectField>
      <SelectField label={t('fields.assignee')} value={ticket.assignee?.id ?? ''} disabled={!editable || ticket.abilities?.assign === false}
        onChange={(e) => void patch({ assigneeId: e.target.value || null })}>
        <option value="">{t('filters.unassigned')}</option>
        {ticket.assignee && !agents.some((a) => a.id === ticket.assignee?.id) ? <option value={ticket.assignee.id}>{ticket.assignee.name}</option> : null}
        {agents.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
      </SelectField>
      <SelectField label={t('fields.team')} value={ticket.team?.id ?? ''} disabled={!editable} onChange={(e) => void patch({ teamId: e.target.value || null })}>
        <option value="">{t('common.none')}</option>
        {ticket.team && !teams.some((x) => x.id === ticket.team?.id) ? <option value={ticket.team.id}>{ticket.team.name}</option> : null}
        {teams.map((tm) => <option key={tm.id} value={tm.id}>{tm.name}{tm.level ? ` (N${tm.level})` : ''}</option>)}
      </SelectField>
      <SelectField label={t('fields.type')} value={retypeTo ?? ticket.type?.id ?? ''} disabled={!editable} onChange={(e) => changeType(e.target.value)}>
        {ticket.type && !types.some((x) => x.id === ticket.type?.id) ? <option value={ticket.type.id}>{ticket.type.name}</option> : null}
        {types.filter((ty) => ty.active !== false || ty.id === ticket.type?.id).map((ty) => <option key={ty.id} value={ty.id}>{labelOf(ty, i18n.language)}</option>)}
      </SelectField>
      {retypeTo ? (
        <RetypeFields key={retypeTo} ticket={ticket} typeId={retypeTo} onDone={() => setRetypeTo(null)} onPatch={onPatch}
          typeName={labelOf(types.find((x) => x.id === retypeTo) ?? { nameEs: '', nameEn: '' }, i18n.language)} />
      ) : null}
      <SelectField label={t('fields.category')} value={ticket.category?.id ?? ''} disabled={!editable} onChange={(e) => void patch({ categoryId: e.target.value || null })}>
        <option value="">{t('common.none')}</option>
        {ticket.category && !categories.some((x) => x.id === ticket.category?.id) ? <option value={ticket.category.id}>{ticket.category.name}</option> : null}
        {offeredCategories(categories, ticket.category?.id).map((c) => <option key={c.id} value={c.id}>{'— '.repeat(c.level)}{c.name}</option>)}
      </SelectField>
    </section>
  )
}

/** The categories offered: active ones under active parents, and the ticket's own whatever it is. */
function offeredCategories(all: Category[], current: string | undefined) {
  const usable = new Set(usableCategories(all).map((c) => c.id))
  return flattenCategories(all).filter((c) => c.id === current || usable.has(c.id))
}

/** The required fields of a type. */
const requiredFor = (all: Parameters<typeof fieldsForType>[0], typeId: string) => fieldsForType(all, typeId).filter((f) => f.required)

/** What a new type requires and the ticket lacks, asked for before the type changes (one PATCH with both). */
function RetypeFields({ ticket, typeId, typeName, onPatch, onDone }: {
  ticket: TicketDetail; typeId: string; typeName: string; onPatch: (p: TicketPatch) => Promise<void>; onDone: () => void
}) {
  const { t, i18n } = useTranslation()
  const { customFields } = useTicketConfig()
  const { agents } = useStaffDirectory()
  const current = ticket.customFields ?? {}
  const [fields] = useState(() => requiredFor(customFields, typeId).filter((f) => missingRequired([f], current, i18n.language).length))
  const [values, setValues] = useState<Record<string, unknown>>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const save = async (e: FormEvent) => {
    e.preventDefault()
    const missing = missingRequired(fields, values, i18n.language)
    if (missing.length) { setError(t('calls.missing', { fields: missing.join(', ') })); return }
    setBusy(true)
    setError(null)
    try { await onPatch({ type: typeId, customFields: values }); onDone() } catch (err) { setError(errorMessage(err)) } finally { setBusy(false) }
  }
  return (
    <form className="stack" onSubmit={save} aria-label={t('ticket.retypeTitle', { type: typeName })}>
      <p className="small" style={{ margin: 0 }}>{t('ticket.retypeNeeds', { type: typeName })}</p>
      {error ? <Alert>{error}</Alert> : null}
      <CustomFieldInputs fields={fields} values={values} users={agents} onChange={(k, v) => { setError(null); setValues((old) => ({ ...old, [k]: v })) }} />
      <div className="row">
        <Button size="sm" type="submit" variant="primary" busy={busy}>{t('ticket.retypeSave')}</Button>
        <Button size="sm" onClick={onDone}>{t('common.cancel')}</Button>
      </div>
    </form>
  )
}

/**
 * The status select, limited to the moves the server allows (`allowedStatuses`). On hold asks for the
 * third party first (OnHoldForm, then one PATCH with both); cancelling is its own action with a reason
 * (CancelDialog). An on-hold ticket shows its third party; a cancelled one its reason and note.
 */
function StatusFields({ ticket, editable, onPatch, patch, clearError }: {
  ticket: TicketDetail; editable: boolean; clearError: () => void
  /** onPatch throws the server's refusal (the forms show it); patch shows it in the card. */
  onPatch: (p: TicketPatch) => Promise<void>; patch: (p: TicketPatch) => Promise<void>
}) {
  const { t } = useTranslation()
  const { choices, codeOf } = useStatusChoices()
  // The key of the on-hold status chosen (a custom one may map to on hold), while its third party is asked for.
  const [holding, setHolding] = useState<string | null>(null)
  const [cancelling, setCancelling] = useState(false)
  const allowed = ticket.allowedStatuses
  const canChange = editable && ticket.abilities?.changeStatus !== false
  const currentKey = ticket.customStatus?.key ?? ticket.status
  // The admin's statuses whose base status the ticket may move to, and those sharing its own (e.g. «Escalado a N2» beside «En proceso»).
  const options = choices.filter((c) => c.key === currentKey || (c.code !== 'cancelled' && (c.code === ticket.status || !allowed || allowed.includes(c.code))))
  if (!options.some((c) => c.key === currentKey)) options.unshift({ key: currentKey, code: ticket.status, label: ticket.customStatus?.label || t(`status.${ticket.status}`), custom: false })
  const canCancel = canChange && ticket.abilities?.cancel !== false && (!allowed || allowed.includes('cancelled'))
  const choose = (key: string) => {
    if (codeOf(key) === 'on_hold' && ticket.status !== 'on_hold') { clearError(); setHolding(key); return }
    setHolding(null)
    void patch({ status: { status: key } })
  }
  return (
    <>
      <SelectField label={t('fields.status')} value={holding ?? currentKey} disabled={!canChange}
        onChange={(e) => choose(e.target.value)}>
        {options.map((c) => <option key={c.key} value={c.key}>{c.label}</option>)}
      </SelectField>
      {holding && ticket.status !== 'on_hold' ? (
        <OnHoldForm onCancel={() => setHolding(null)} onSubmit={async (c) => { await onPatch({ status: { ...c, status: holding } }); setHolding(null) }} />
      ) : null}
      {ticket.status === 'on_hold' && ticket.thirdParty ? (
        <dl className="dl">
          <dt>{t('fields.thirdParty')}</dt><dd>{ticket.thirdParty}</dd>
          {ticket.thirdPartyRef ? <><dt>{t('fields.thirdPartyRef')}</dt><dd>{ticket.thirdPartyRef}</dd></> : null}
        </dl>
      ) : null}
      {ticket.status === 'cancelled' && ticket.cancelReason ? (
        <dl className="dl">
          <dt>{t('statusChange.cancelReason')}</dt><dd>{t(`statusChange.reasons.${ticket.cancelReason}`)}</dd>
          {ticket.cancelNote ? <><dt>{t('statusChange.cancelNote')}</dt><dd>{ticket.cancelNote}</dd></> : null}
        </dl>
      ) : null}
      {canCancel && !holding ? (
        <div><Button size="sm" variant="danger" onClick={() => setCancelling(true)}>{t('statusChange.cancelAction')}</Button></div>
      ) : null}
      <CancelDialog open={cancelling} onClose={() => setCancelling(false)} title={t('statusChange.cancelTitle', { number: ticket.number })}
        confirmLabel={t('statusChange.confirm')} reasons={CANCEL_REASONS} ticket={ticket} onSubmit={(c) => onPatch({ status: c })} />
    </>
  )
}

/** The requester, their organization and site, and their other tickets. */
function RequesterCard({ ticket }: { ticket: TicketDetail }) {
  const { t } = useTranslation()
  const requesterId = ticket.requester?.id
  const others = useQuery({
    queryKey: ['tickets', 'list', { requesterId }, 'requester-card'],
    queryFn: ({ signal }) => ticketsApi.list({ requesterId: requesterId ? [requesterId] : undefined }, { sort: '-updatedAt', limit: 6 }, signal),
    enabled: !!requesterId,
    retry: false,
  })
  const items = (others.data?.items ?? []).filter((x) => x.id !== ticket.id).slice(0, 5)
  return (
    <section className="card stack" aria-labelledby="req-h">
      <h2 id="req-h">{t('fields.requester')}</h2>
      <dl className="dl">
        <dt>{t('auth.name')}</dt><dd>{ticket.requester?.name ?? '—'}</dd>
        {ticket.requester?.email ? <><dt>{t('auth.email')}</dt><dd><a href={`mailto:${ticket.requester.email}`}>{ticket.requester.email}</a></dd></> : null}
        {ticket.requester?.phone ? <><dt>{t('fields.phone')}</dt><dd><a href={`tel:${ticket.requester.phone}`}>{ticket.requester.phone}</a></dd></> : null}
        {ticket.organization ? <><dt>{t('fields.organization')}</dt><dd>{ticket.organization.name}</dd></> : null}
        {ticket.site ? <><dt>{t('fields.site')}</dt><dd>{[ticket.site.code, ticket.site.name].filter(Boolean).join(' · ')}</dd></> : null}
      </dl>
      <h3>{t('ticket.otherTickets')}</h3>
      {items.length ? (
        <ul style={{ margin: 0, paddingLeft: '1.1rem' }}>
          {items.map((x) => <li key={x.id}><Link href={`/agent/tickets/${x.number}`}>#{x.number}</Link> {x.subject} <StatusBadge status={x.status} /></li>)}
        </ul>
      ) : <p className="muted small">{t('ticket.noOtherTickets')}</p>}
    </section>
  )
}

/**
 * Who else gets the public replies by email (the CC of the customer's mail, or people added here):
 * each can be removed; a staff member can be added, and the agent can follow the ticket themself.
 */
function WatchersCard({ ticket, onPatch }: { ticket: TicketDetail; onPatch: (p: TicketPatch) => Promise<void> }) {
  const { t } = useTranslation()
  const { user } = useSession()
  const { agents } = useStaffDirectory()
  const [adding, setAdding] = useState('')
  const [error, setError] = useState<string | null>(null)
  const watchers = ticket.watchers ?? []
  const editable = ticket.abilities?.update !== false
  const change = async (p: TicketPatch) => {
    setError(null)
    try { await onPatch(p); setAdding('') } catch (err) { setError(errorMessage(err)) }
  }
  const watching = !!user && watchers.some((w) => w.id === user.id)
  const addable = agents.filter((a) => !watchers.some((w) => w.id === a.id))
  return (
    <section className="card stack" aria-labelledby="watchers-h">
      <h2 id="watchers-h">{t('watchers.title')}</h2>
      {watchers.length ? (
        <ul className="watchers" style={{ margin: 0, paddingLeft: 0, listStyle: 'none' }}>
          {watchers.map((w) => (
            <li key={w.id} className="row-between">
              <span>{w.name}{w.email ? <span className="muted small"> · {w.email}</span> : null}</span>
              {editable ? (
                <Button size="sm" variant="ghost" aria-label={t('watchers.remove', { name: w.name })} onClick={() => void change({ removeWatcherIds: [w.id] })}>
                  <Icon name="close" />
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : <p className="muted small">{t('watchers.none')}</p>}
      {editable ? (
        <>
          <form className="row" onSubmit={(e) => { e.preventDefault(); if (adding) void change({ addWatcherIds: [adding] }) }}>
            <label className="sr-only" htmlFor="watcher-add">{t('watchers.add')}</label>
            <select id="watcher-add" value={adding} onChange={(e) => setAdding(e.target.value)}>
              <option value="">{t('watchers.pick')}</option>
              {addable.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
            </select>
            <Button size="sm" type="submit" disabled={!adding}>{t('common.add')}</Button>
          </form>
          {user ? (
            <div>
              <Button size="sm" onClick={() => void change(watching ? { removeWatcherIds: [user.id] } : { addWatcherIds: [user.id] })}>
                {watching ? t('watchers.unfollow') : t('watchers.follow')}
              </Button>
            </div>
          ) : null}
        </>
      ) : null}
      {error ? <Alert>{error}</Alert> : null}
    </section>
  )
}

const LINK_KINDS = ['related', 'parent', 'child', 'duplicate_of'] as const

/** Parent/child, related and duplicate links with navigation, and adding one by ticket number. */
function LinksCard({ ticket, onChanged }: { ticket: TicketDetail; onChanged: () => void }) {
  const { t } = useTranslation()
  const links = useQuery({ queryKey: ['ticket', ticket.id, 'links'], queryFn: () => ticketsApi.links(ticket.id), retry: false })
  const [kind, setKind] = useState<string>('related')
  const [number, setNumber] = useState('')
  const [error, setError] = useState<string | null>(null)
  const add = async () => {
    const n = Number(number.replace('#', ''))
    if (!Number.isInteger(n) || n <= 0) { setError(t('links.badNumber')); return }
    setError(null)
    try { await ticketsApi.addLink(ticket.id, kind, n); setNumber(''); onChanged() } catch (err) { setError(errorMessage(err)) }
  }
  return (
    <section className="card stack" aria-labelledby="links-h">
      <h2 id="links-h">{t('links.title')}</h2>
      {links.data?.length ? (
        <ul style={{ margin: 0, paddingLeft: '1.1rem' }}>
          {links.data.map((l) => (
            <li key={l.id}>{t(`links.kinds.${l.type}`, { defaultValue: l.type })}: <Link href={`/agent/tickets/${l.ticket.number}`}>#{l.ticket.number}</Link> {l.ticket.subject} <StatusBadge status={l.ticket.status} /></li>
          ))}
        </ul>
      ) : <p className="muted small">{t('links.none')}</p>}
      {ticket.abilities?.link !== false ? (
        <form className="row" onSubmit={(e) => { e.preventDefault(); void add() }}>
          <label className="sr-only" htmlFor="link-kind">{t('links.kind')}</label>
          <select id="link-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            {LINK_KINDS.map((k) => <option key={k} value={k}>{t(`links.kinds.${k}`)}</option>)}
          </select>
          <label className="sr-only" htmlFor="link-number">{t('links.number')}</label>
          <input id="link-number" inputMode="numeric" placeholder={t('links.number')} value={number} onChange={(e) => setNumber(e.target.value)} style={{ width: 110 }} />
          <Button size="sm" type="submit">{t('common.add')}</Button>
        </form>
      ) : null}
      {error ? <Alert>{error}</Alert> : null}
    </section>
  )
}

/** The custom fields of the ticket's type: edited together and saved with one PATCH (the server validates). */
function CustomFieldsCard({ ticket, onPatch }: { ticket: TicketDetail; onPatch: (p: TicketPatch) => Promise<void> }) {
  const { t, i18n } = useTranslation()
  const { customFields } = useTicketConfig()
  const { agents } = useStaffDirectory()
  const fields = fieldsForType(customFields, ticket.type?.id)
  const [values, setValues] = useState<Record<string, unknown>>(ticket.customFields ?? {})
  const [dirty, setDirty] = useState(false)
  const [msg, setMsg] = useState<{ kind: 'error' | 'success'; text: string } | null>(null)
  const [busy, setBusy] = useState(false)
  // Follow the ticket (live updates, other agents) unless this agent is editing.
  const serverValues = JSON.stringify(ticket.customFields ?? {})
  useEffect(() => { if (!dirty) setValues(JSON.parse(serverValues) as Record<string, unknown>) }, [serverValues, dirty])
  if (!fields.length) return null
  const editable = ticket.abilities?.update !== false
  const save = async (e: FormEvent) => {
    e.preventDefault()
    const missing = missingRequired(fields, values, i18n.language)
    if (missing.length) { setMsg({ kind: 'error', text: t('calls.missing', { fields: missing.join(', ') }) }); return }
    setBusy(true)
    setMsg(null)
    try {
      const changed = Object.fromEntries(fields.map((f) => [f.key, values[f.key] ?? null]).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(ticket.customFields?.[k as string] ?? null)))
      if (Object.keys(changed).length) await onPatch({ customFields: changed })
      setDirty(false)
      setMsg({ kind: 'success', text: t('ticket.fieldsSaved') })
    } catch (err) { setMsg({ kind: 'error', text: errorMessage(err) }) } finally { setBusy(false) }
  }
  return (
    <section className="card" aria-labelledby="cf-h">
      <form className="stack" onSubmit={save}>
        <h2 id="cf-h">{t('fields.customFields')}</h2>
        {msg ? <Alert kind={msg.kind}>{msg.text}</Alert> : null}
        <fieldset disabled={!editable} className="stack" style={{ border: 'none', padding: 0, margin: 0 }}>
          <CustomFieldInputs fields={fields} values={values} users={agents} onChange={(k, v) => { setDirty(true); setMsg(null); setValues((old) => ({ ...old, [k]: v })) }} />
        </fieldset>
        {editable ? (
          <div className="row">
            <Button size="sm" type="submit" variant="primary" busy={busy} disabled={!dirty}>{t('ticket.saveFields')}</Button>
            {dirty ? <Button size="sm" onClick={() => { setDirty(false); setMsg(null) }}>{t('common.cancel')}</Button> : null}
          </div>
        ) : null}
      </form>
    </section>
  )
}

/** The SLA policy in force and its targets: due times, countdowns, paused or met. */
function SlaCard({ ticket }: { ticket: TicketDetail }) {
  const { t } = useTranslation()
  const sla = slaOf(ticket)
  if (!sla || (!sla.policy && !sla.firstResponse && !sla.nextResponse && !sla.resolution)) return null
  return (
    <section className="card stack" aria-labelledby="sla-h">
      <h2 id="sla-h">{t('sla.title')}</h2>
      <p className="muted small" style={{ margin: 0 }}>{sla.policy ? t('sla.policy', { name: sla.policy.name }) : t('sla.none')}</p>
      <SlaTargets sla={sla} />
    </section>
  )
}

/** Calls received and external references (provider case, call ID). */
function CallsCard({ ticket, onChanged }: { ticket: TicketDetail; onChanged: () => void }) {
  const { t } = useTranslation()
  const [callId, setCallId] = useState('')
  const [msg, setMsg] = useState<{ kind: 'error' | 'success'; text: string } | null>(null)
  const add = async () => {
    try { await ticketsApi.addCall(ticket.id, { callId: callId.trim() || undefined }); setCallId(''); setMsg({ kind: 'success', text: t('calls.added') }); onChanged() } catch (err) { setMsg({ kind: 'error', text: errorMessage(err) }) }
  }
  return (
    <section className="card stack" aria-labelledby="calls-h">
      <h2 id="calls-h">{t('calls.title')}</h2>
      <p>{t('calls.count', { count: ticket.callCount ?? 0 })}</p>
      {ticket.externalRefs?.length ? (
        <dl className="dl">{ticket.externalRefs.map((r) => <div key={r.id} style={{ display: 'contents' }}><dt>{t(`refs.${r.kind}`)}</dt><dd>{r.provider ? `${r.provider}: ` : ''}{r.value}</dd></div>)}</dl>
      ) : null}
      {ticket.abilities?.addCall !== false ? (
        <form className="row" onSubmit={(e) => { e.preventDefault(); void add() }}>
          <label className="sr-only" htmlFor="add-call-id">{t('calls.callId')}</label>
          <input id="add-call-id" placeholder={t('calls.callId')} value={callId} onChange={(e) => setCallId(e.target.value)} style={{ width: 140 }} />
          <Button size="sm" type="submit">{t('calls.add')}</Button>
        </form>
      ) : null}
      {msg ? <Alert kind={msg.kind}>{msg.text}</Alert> : null}
    </section>
  )
}

export function TicketSidePanel({ ticket, onPatch, onChanged }: { ticket: TicketDetail; onPatch: (p: TicketPatch) => Promise<void>; onChanged: () => void }) {
  return (
    <aside className="side-panel">
      <SlaCard ticket={ticket} />
      <FieldsCard ticket={ticket} onPatch={onPatch} />
      <CustomFieldsCard key={ticket.id} ticket={ticket} onPatch={onPatch} />
      <RequesterCard ticket={ticket} />
      <WatchersCard ticket={ticket} onPatch={onPatch} />
      <LinksCard ticket={ticket} onChanged={onChanged} />
      <CallsCard ticket={ticket} onChanged={onChanged} />
    </aside>
  )
}
