import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { errorMessage } from '../../../app/api-client'
import { useDebounced } from '../../../app/useDebounced'
import { Button } from '../../../ui/Button'
import { Combobox } from '../../../ui/Combobox'
import { Alert } from '../../../ui/Feedback'
import { SelectField, TextArea, TextField } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { PRIORITIES } from '../../../../../common/src/tickets/tickets.types'
import { labelOf, type Category } from '../../tickets/api/config.api'
import { ACTIVE_STATUSES, ticketsApi, type Priority } from '../../tickets/api/tickets.api'
import { useStaffDirectory, useTicketConfig } from '../../tickets/hooks/useTicketConfig'
import { flattenCategories } from '../../tickets/components/FilterPanel'
import { CustomFieldInputs, fieldsForType, missingRequired } from '../../tickets/components/CustomFieldInputs'
import { StatusBadge } from '../../tickets/components/TicketLabels'
import { contactsApi, type Contact } from '../api/contacts.api'
import { stageFiles } from '../../tickets/api/staged-uploads.api'
import { FileDrop } from '../../portal/components/FileDrop'
import { callFieldValues, STEPS_FIELD_KEYS } from '../call-form'
import { usableCategories } from '../../tickets/categories'

interface Done { number: number; id: string; kind: 'created' | 'call'; callCount?: number }

/**
 * "Nuevo ticket por llamada" (R22): find the caller as you type (phone, email, name, site code) or
 * create them, pick type and category, describe, Enter files it and the number is shown large to
 * read out. The caller's open tickets offer "add a call" instead. Keyboard only.
 */
export default function CallCapturePage() {
  const { t, i18n } = useTranslation()
  const qc = useQueryClient()
  const { types, categories, customFields } = useTicketConfig()
  const { agents } = useStaffDirectory()
  usePageTitle(t('calls.screenTitle'))
  const [search, setSearch] = useState('')
  const [caller, setCaller] = useState<Contact | null>(null)
  const [newCaller, setNewCaller] = useState<{ name: string; phone: string; email: string } | null>(null)
  const [typeId, setTypeId] = useState('')
  const [catText, setCatText] = useState('')
  const [category, setCategory] = useState<Category | null>(null)
  const [priority, setPriority] = useState<Priority | ''>('')
  const [subject, setSubject] = useState('')
  const [description, setDescription] = useState('')
  const [steps, setSteps] = useState('')
  const [callId, setCallId] = useState('')
  const [custom, setCustom] = useState<Record<string, unknown>>({})
  const [files, setFiles] = useState<File[]>([])
  const staged = useRef(new WeakMap<File, string>())
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState<Done | null>(null)
  const doneRef = useRef<HTMLButtonElement>(null)
  const searchRef = useRef<HTMLDivElement>(null)

  const q = useDebounced(search.trim(), 180)
  const contacts = useQuery({ queryKey: ['contacts', q], queryFn: ({ signal }) => contactsApi.search(q, signal), enabled: q.length >= 2 && !caller, retry: false })
  const open = useQuery({
    queryKey: ['tickets', 'list', { requesterId: caller?.id, status: ACTIVE_STATUSES }, 'call'],
    queryFn: ({ signal }) => ticketsApi.list({ requesterId: [caller!.id], statusCategory: ACTIVE_STATUSES }, { sort: '-updatedAt', limit: 5 }, signal),
    enabled: !!caller, retry: false,
  })
  const effectiveType = typeId || types.find((ty) => ty.code === 'consulta')?.id || types[0]?.id || ''
  const typeFields = fieldsForType(customFields, effectiveType)
  const catItems = usableCategories(flattenCategories(categories)).filter((c) => (!catText || (c.path?.join(' ') ?? c.name).toLowerCase().includes(catText.toLowerCase()) || c.name.toLowerCase().includes(catText.toLowerCase()))).slice(0, 12)
  const catLabel = (c: Category) => c.fullName || (c.path?.length ? c.path.join(' › ') : c.name)

  useEffect(() => { if (done) doneRef.current?.focus() }, [done])

  const reset = () => {
    setSearch(''); setCaller(null); setNewCaller(null); setTypeId(''); setCatText(''); setCategory(null); setPriority('')
    setSubject(''); setDescription(''); setSteps(''); setCallId(''); setCustom({}); setFiles([]); setError(null); setDone(null)
    setTimeout(() => searchRef.current?.querySelector('input')?.focus(), 0)
  }

  const submit = async (e?: FormEvent) => {
    e?.preventDefault()
    if (busy) return
    const missing: string[] = []
    if (!caller && !(newCaller && newCaller.name.trim() && (newCaller.phone.trim() || newCaller.email.trim()))) missing.push(t('calls.caller'))
    if (!subject.trim()) missing.push(t('fields.subject'))
    // The "steps tried" box fills the type's steps field, when the type has one: it counts as given.
    const fieldValues = callFieldValues(typeFields, custom, steps)
    missing.push(...missingRequired(typeFields, fieldValues, i18n.language))
    if (missing.length) { setError(t('calls.missing', { fields: missing.join(', ') })); return }
    setBusy(true)
    setError(null)
    try {
      const text = steps.trim() ? `${description.trim()}\n\n${t('fields.stepsTried')}:\n${steps.trim()}` : description.trim()
      const attachmentIds = await stageFiles(files, staged.current)
      const created = await ticketsApi.create({
        subject: subject.trim(),
        description: text,
        channel: 'phone',
        type: effectiveType || undefined,
        categoryId: category?.id,
        priority: priority || undefined,
        ...(caller ? { requesterId: caller.id } : { requester: { name: newCaller!.name.trim(), phone: newCaller!.phone.trim() || null, email: newCaller!.email.trim() || null } }),
        ...(caller?.site ? { siteId: caller.site.id } : {}),
        customFields: fieldValues,
        ...(callId.trim() ? { callId: callId.trim() } : {}),
        ...(attachmentIds.length ? { attachmentIds } : {}),
      })
      setDone({ number: created.number, id: created.id, kind: 'created' })
      void qc.invalidateQueries({ queryKey: ['tickets'] })
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  const addCall = async (ticketId: string, number: number) => {
    setBusy(true)
    setError(null)
    try {
      const res = await ticketsApi.addCall(ticketId, { callId: callId.trim() || undefined }) as { callCount?: number } | null
      setDone({ number, id: ticketId, kind: 'call', callCount: res?.callCount })
      void qc.invalidateQueries({ queryKey: ['tickets'] })
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  // Ctrl+Enter in the text areas files the ticket too.
  const ctrlEnter = (e: KeyboardEvent) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void submit() } }

  if (done) {
    return (
      <div className="page call-screen">
        <section className="card done-card stack" aria-live="assertive">
          <h1>{done.kind === 'created' ? t('calls.created') : t('calls.callAdded')}</h1>
          <p>{t('calls.readOut')}</p>
          <p className="big-number" data-testid="ticket-number">{done.number}</p>
          {done.kind === 'call' && done.callCount ? <p>{t('calls.count', { count: done.callCount })}</p> : null}
          <div className="row" style={{ justifyContent: 'center' }}>
            <Button ref={doneRef} variant="primary" onClick={reset}>{t('calls.another')}</Button>
            <Link href={`/agent/tickets/${done.number}`} className="btn">{t('calls.openTicket')}</Link>
          </div>
        </section>
      </div>
    )
  }

  return (
    <div className="page call-screen">
      <h1>{t('calls.screenTitle')}</h1>
      <p className="muted">{t('calls.intro')}</p>
      <form onSubmit={submit} className="stack" noValidate>
        {error ? <Alert>{error}</Alert> : null}
        <div className="call-grid">
          <section className="card stack" aria-labelledby="caller-h">
            <h2 id="caller-h">{t('calls.caller')}</h2>
            {caller ? (
              <div className="stack">
                <Alert kind="info" title={caller.name}>
                  {[caller.phone, caller.email, caller.organization?.name, caller.site ? `${caller.site.code} · ${caller.site.name}` : null].filter(Boolean).join(' · ')}
                </Alert>
                <div><Button size="sm" onClick={() => { setCaller(null); setSearch('') }}>{t('calls.changeCaller')}</Button></div>
                <h3>{t('calls.openTickets')}</h3>
                {open.data?.items.length ? (
                  <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                    {open.data.items.map((x) => (
                      <li key={x.id} className="row-between">
                        <span><Link href={`/agent/tickets/${x.number}`}>#{x.number}</Link> {x.subject} <StatusBadge status={x.status} /></span>
                        <Button size="sm" onClick={() => void addCall(x.id, x.number)} busy={busy}>{t('calls.addCallTo', { number: x.number })}</Button>
                      </li>
                    ))}
                  </ul>
                ) : <p className="muted small">{t('calls.noOpenTickets')}</p>}
              </div>
            ) : newCaller ? (
              <div className="stack">
                <TextField label={t('auth.name')} required value={newCaller.name} onChange={(e) => setNewCaller({ ...newCaller, name: e.target.value })} autoFocus />
                <TextField label={t('fields.phone')} type="tel" value={newCaller.phone} onChange={(e) => setNewCaller({ ...newCaller, phone: e.target.value })} />
                <TextField label={t('auth.email')} type="email" value={newCaller.email} onChange={(e) => setNewCaller({ ...newCaller, email: e.target.value })} hint={t('calls.phoneOrEmail')} />
                <div><Button size="sm" onClick={() => setNewCaller(null)}>{t('calls.searchInstead')}</Button></div>
              </div>
            ) : (
              <div className="stack" ref={searchRef}>
                <Combobox label={t('calls.findCaller')} items={contacts.data ?? []} itemKey={(c) => c.id} itemText={(c) => c.name}
                  renderItem={(c) => <><strong>{c.name}</strong> <span className="muted small">{[c.phone, c.email, c.organization?.name, c.site?.code].filter(Boolean).join(' · ')}</span></>}
                  value={search} onInput={setSearch} onSelect={(c) => { setCaller(c); setSearch(c.name) }} autoFocus
                  hint={t('calls.findHint')} emptyText={q.length >= 2 && !contacts.isFetching ? t('calls.noMatch') : undefined} />
                <div>
                  <Button size="sm" onClick={() => {
                    const s = search.trim()
                    setNewCaller({ name: /[\d@]/.test(s) ? '' : s, phone: /^[+\d][\d\s()-]+$/.test(s) ? s : '', email: s.includes('@') ? s : '' })
                  }}>{t('calls.newCaller')}</Button>
                </div>
              </div>
            )}
            <TextField label={t('calls.callId')} value={callId} onChange={(e) => setCallId(e.target.value)} hint={t('calls.callIdHint')} />
          </section>
          <section className="card stack" aria-labelledby="issue-h">
            <h2 id="issue-h">{t('calls.issue')}</h2>
            <SelectField label={t('fields.type')} value={effectiveType} onChange={(e) => setTypeId(e.target.value)}>
              {types.filter((ty) => ty.active !== false).map((ty) => <option key={ty.id} value={ty.id}>{labelOf(ty, i18n.language)}</option>)}
            </SelectField>
            <Combobox label={t('fields.category')} items={catItems} itemKey={(c) => c.id} itemText={catLabel} value={catText}
              onInput={(v) => { setCatText(v); setCategory(null) }}
              onSelect={(c) => { setCategory(c); setCatText(catLabel(c)); if (c.defaultTypeId) setTypeId(c.defaultTypeId); if (c.defaultPriority) setPriority(c.defaultPriority) }}
              hint={category ? t('calls.categoryChosen', { name: catLabel(category) }) : t('calls.categoryHint')} emptyText={t('calls.noMatch')} />
            <SelectField label={t('fields.priority')} value={priority} onChange={(e) => setPriority(e.target.value as Priority | '')}>
              <option value="">{t('calls.defaultPriority')}</option>
              {PRIORITIES.map((p) => <option key={p} value={p}>{t(`priority.${p}`)}</option>)}
            </SelectField>
            <TextField label={t('fields.subject')} required value={subject} onChange={(e) => setSubject(e.target.value)} maxLength={250} />
            <TextArea label={t('fields.description')} value={description} onChange={(e) => setDescription(e.target.value)} onKeyDown={ctrlEnter} />
            <TextArea label={t('fields.stepsTried')} value={steps} onChange={(e) => setSteps(e.target.value)} onKeyDown={ctrlEnter} rows={3} />
            <CustomFieldInputs fields={typeFields.filter((f) => !STEPS_FIELD_KEYS.includes(f.key))} values={custom} onChange={(k, v) => setCustom((c) => ({ ...c, [k]: v }))} users={agents} />
            <FileDrop files={files} onChange={setFiles} label={t('calls.attachments')} />
            {types.find((ty) => ty.id === effectiveType)?.requiresEvidence && !files.length ? <p className="muted small">{t('calls.evidenceHint')}</p> : null}
          </section>
        </div>
        <div className="row">
          <Button type="submit" variant="primary" busy={busy}>{t('calls.submit')}</Button>
          <span className="muted small">{t('calls.submitHint')}</span>
        </div>
      </form>
    </div>
  )
}
