import { useState, type FormEvent } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../app/api-client'
import { useFormSubmit } from '../../../app/useFormSubmit'
import { Button } from '../../../ui/Button'
import { CheckboxGroup } from '../../../ui/CheckboxGroup'
import { Dialog } from '../../../ui/Dialog'
import { Alert, EmptyState, ErrorState, Spinner } from '../../../ui/Feedback'
import { SelectField, TextArea, TextField } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { PRIORITIES } from '../../../../../common/src/tickets/tickets.types'
import { labelOf } from '../../tickets/api/config.api'
import type { Priority } from '../../tickets/api/tickets.api'
import { flattenCategories } from '../../tickets/components/FilterPanel'
import { useStaffDirectory, useTicketConfig } from '../../tickets/hooks/useTicketConfig'
import { slaApi, WEEKDAYS, type CutoffAction, type CutoffInput, type SlaCutoff, type Weekday } from '../api/sla.api'

const ACTIONS: CutoffAction[] = ['public_update', 'internal_note', 'none']
const VARIABLES = ['ticket.number', 'ticket.subject', 'ticket.status', 'ticket.priority', 'ticket.due_at', 'requester.name', 'cutoff.name', 'cutoff.time']
const DEFAULT_TEMPLATES = {
  es: 'Actualización de las {{cutoff.time}} sobre su ticket #{{ticket.number}} «{{ticket.subject}}»: seguimos trabajando en su solicitud. Estatus actual: {{ticket.status}}.',
  en: 'Update at {{cutoff.time}} on your ticket #{{ticket.number}} "{{ticket.subject}}": we are still working on your request. Current status: {{ticket.status}}.',
}

interface FormState {
  name: string; calendarId: string; days: Weekday[]; times: string; categoryIds: string[]; types: string[]; priorities: Priority[]; teamIds: string[]
  action: CutoffAction; templateEs: string; templateEn: string; remindAssignee: boolean; active: boolean
}

function toForm(c: SlaCutoff | null): FormState {
  return {
    name: c?.name ?? '', calendarId: c?.calendarId ?? '', days: c?.days ?? ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], times: (c?.times ?? ['09:00', '13:00', '15:00']).join(', '),
    categoryIds: c?.filter.categoryId ?? [], types: c?.filter.type ?? [], priorities: c?.filter.priority ?? [], teamIds: c?.filter.teamId ?? [],
    action: (c?.action as CutoffAction | undefined) ?? 'public_update', templateEs: c?.templateEs ?? DEFAULT_TEMPLATES.es, templateEn: c?.templateEn ?? DEFAULT_TEMPLATES.en,
    remindAssignee: c?.remindAssignee ?? true, active: c?.active ?? true,
  }
}

/** "09:00, 13:00" → ["09:00", "13:00"]; null when a time is not HH:MM. */
export function parseTimes(text: string): string[] | null {
  const parts = text.split(/[,\s]+/).map((p) => p.trim()).filter(Boolean)
  const out: string[] = []
  for (const p of parts) {
    const m = /^(\d{1,2}):(\d{2})$/.exec(p)
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null
    out.push(`${m[1].padStart(2, '0')}:${m[2]}`)
  }
  return out.length ? out : null
}

function toInput(f: FormState, times: string[]): CutoffInput {
  const filter = Object.fromEntries(Object.entries({ categoryId: f.categoryIds, type: f.types, priority: f.priorities, teamId: f.teamIds }).filter(([, v]) => v.length))
  return {
    name: f.name.trim(), calendarId: f.calendarId || null, days: f.days, times, filter, action: f.action,
    templateEs: f.templateEs, templateEn: f.templateEn, remindAssignee: f.remindAssignee, active: f.active,
  }
}

/** One cut-off: calendar (its zone), weekdays and times, which open tickets, what to post, reminders. */
function CutoffForm({ initial, onSave, submitLabel }: { initial: FormState; onSave: (b: CutoffInput) => Promise<void>; submitLabel: string }) {
  const { t, i18n } = useTranslation()
  const { types, categories } = useTicketConfig()
  const { teams } = useStaffDirectory()
  const calendars = useQuery({ queryKey: ['sla', 'calendars'], queryFn: slaApi.calendars })
  const [f, setF] = useState(initial)
  const { error, setError, busy, run } = useFormSubmit()
  const [badTimes, setBadTimes] = useState(false)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const times = parseTimes(f.times)
    setBadTimes(times === null)
    if (times === null) { setError(t('sla.cutoffs.badTimes')); return }
    if (f.days.length === 0) { setError(t('sla.cutoffs.noDays')); return }
    void run(() => onSave(toInput(f, times)))
  }
  return (
    <form className="stack" onSubmit={submit}>
      {error ? <Alert>{error}</Alert> : null}
      <TextField label={t('sla.cutoffs.name')} required value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} />
      <div className="filters" style={{ padding: 0, margin: 0 }}>
        <SelectField label={t('sla.cutoffs.calendar')} value={f.calendarId} hint={t('sla.cutoffs.calendarHint')} onChange={(e) => setF({ ...f, calendarId: e.target.value })}>
          <option value="">{t('sla.policies.defaultCalendar')}</option>
          {(calendars.data ?? []).filter((c) => c.builtin !== '24x7').map((c) => <option key={c.id} value={c.id}>{c.name} ({c.timezone})</option>)}
        </SelectField>
        <TextField label={t('sla.cutoffs.times')} required value={f.times} hint={t('sla.cutoffs.timesHint')} aria-invalid={badTimes || undefined} onChange={(e) => setF({ ...f, times: e.target.value })} />
      </div>
      <CheckboxGroup legend={t('sla.cutoffs.days')} values={WEEKDAYS} selected={f.days} label={(d) => t(`sla.calendars.days.${d}`)} onChange={(v) => setF({ ...f, days: v })} />
      <h3>{t('sla.cutoffs.filter')}</h3>
      <p className="muted small" style={{ margin: 0 }}>{t('sla.cutoffs.filterHint')}</p>
      <CheckboxGroup legend={t('fields.type')} values={types.map((x) => x.code)} selected={f.types} label={(c) => labelOf(types.find((x) => x.code === c), i18n.language)} onChange={(v) => setF({ ...f, types: v })} />
      <CheckboxGroup legend={t('fields.priority')} values={PRIORITIES} selected={f.priorities} label={(p) => t(`priority.${p}`)} onChange={(v) => setF({ ...f, priorities: v })} />
      <div className="filters" style={{ padding: 0, margin: 0 }}>
        <SelectField label={t('sla.policies.categories')} multiple size={Math.min(6, Math.max(3, categories.length))} value={f.categoryIds} hint={t('sla.policies.categoriesHint')}
          onChange={(e) => setF({ ...f, categoryIds: [...e.target.selectedOptions].map((o) => o.value) })}>
          {flattenCategories(categories).map((c) => <option key={c.id} value={c.id}>{'— '.repeat(c.level)}{c.name}</option>)}
        </SelectField>
        <SelectField label={t('sla.cutoffs.teams')} multiple size={Math.min(6, Math.max(3, teams.length))} value={f.teamIds}
          onChange={(e) => setF({ ...f, teamIds: [...e.target.selectedOptions].map((o) => o.value) })}>
          {teams.map((team) => <option key={team.id} value={team.id}>{team.name}</option>)}
        </SelectField>
      </div>
      <h3>{t('sla.cutoffs.actionTitle')}</h3>
      <SelectField label={t('sla.cutoffs.action')} value={f.action} onChange={(e) => setF({ ...f, action: e.target.value as CutoffAction })}>
        {ACTIONS.map((a) => <option key={a} value={a}>{t(`sla.cutoffs.actions.${a}`)}</option>)}
      </SelectField>
      {f.action !== 'none' ? (
        <>
          <TextArea label={t('sla.cutoffs.templateEs')} required rows={3} value={f.templateEs} onChange={(e) => setF({ ...f, templateEs: e.target.value })} />
          <TextArea label={t('sla.cutoffs.templateEn')} rows={3} value={f.templateEn} hint={t('sla.cutoffs.templateEnHint')} onChange={(e) => setF({ ...f, templateEn: e.target.value })} />
          <p className="muted small" style={{ margin: 0 }}>{t('sla.cutoffs.variables')} {VARIABLES.map((v) => <code key={v} style={{ marginRight: '.4rem' }}>{`{{${v}}}`}</code>)}</p>
        </>
      ) : null}
      <div className="row">
        <label className="inline-label"><input type="checkbox" checked={f.remindAssignee} onChange={(e) => setF({ ...f, remindAssignee: e.target.checked })} />{t('sla.cutoffs.remindAssignee')}</label>
        <label className="inline-label"><input type="checkbox" checked={f.active} onChange={(e) => setF({ ...f, active: e.target.checked })} />{t('admin.common.active')}</label>
      </div>
      <div><Button type="submit" variant="primary" busy={busy}>{submitLabel}</Button></div>
    </form>
  )
}

/** What is due before a cut-off's next run (what the team should close first). */
function DueBeforeNext({ cutoff }: { cutoff: SlaCutoff }) {
  const { t, i18n } = useTranslation()
  const due = useQuery({ queryKey: ['sla', 'cutoffs', cutoff.id, 'due'], queryFn: () => slaApi.cutoffDue(cutoff.id) })
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }) : '—')
  if (due.isPending) return <Spinner />
  if (due.isError) return <ErrorState error={due.error} onRetry={() => void due.refetch()} />
  return due.data.items.length === 0 ? <p className="muted small">{t('sla.cutoffs.nothingDue')}</p> : (
    <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0, gap: '.25rem' }}>
      {due.data.items.map((item) => (
        <li key={item.id}><a href={`/agent/tickets/${item.number}`}>#{item.number}</a> {item.subject} — {t('sla.cutoffs.dueAt', { when: when(item.nextDueAt) })}</li>
      ))}
    </ul>
  )
}

/** Cut-offs ("cortes", R20): scheduled status updates or notes and reminders, in a calendar's time zone. */
export function SlaCutoffsAdmin() {
  const { t, i18n } = useTranslation()
  usePageTitle(t('sla.cutoffs.title'))
  const qc = useQueryClient()
  const list = useQuery({ queryKey: ['sla', 'cutoffs'], queryFn: slaApi.cutoffs })
  const [dialog, setDialog] = useState<SlaCutoff | 'new' | null>(null)
  const [showDue, setShowDue] = useState<string | null>(null)
  const [msg, setMsg] = useState<{ kind: 'error' | 'success'; text: string } | null>(null)
  const refresh = () => qc.invalidateQueries({ queryKey: ['sla', 'cutoffs'] })
  const act = async (fn: () => Promise<unknown>, ok: string) => {
    setMsg(null)
    try { await fn(); setMsg({ kind: 'success', text: ok }) } catch (err) { setMsg({ kind: 'error', text: errorMessage(err) }) } finally { await refresh() }
  }
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }) : '—')
  const items = list.data ?? []
  return (
    <div className="stack">
      <div className="row-between">
        <h1>{t('sla.cutoffs.title')}</h1>
        <Button variant="primary" onClick={() => setDialog('new')}>{t('sla.cutoffs.new')}</Button>
      </div>
      <p className="muted">{t('sla.cutoffs.intro')}</p>
      {msg ? <Alert kind={msg.kind}>{msg.text}</Alert> : null}
      {list.isPending ? <Spinner /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : items.length === 0 ? <EmptyState title={t('sla.cutoffs.none')} /> : (
        <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {items.map((c) => (
            <li key={c.id} className="card stack" data-cutoff={c.name}>
              <div className="row-between">
                <div>
                  <strong>{c.name}</strong>{c.active ? null : <> <span className="badge">{t('admin.common.inactive')}</span></>}
                  <div className="small">{c.days.map((d) => t(`sla.calendars.short.${d}`)).join(', ')} · {c.times.join(', ')} ({c.timezone})</div>
                  <div className="muted small">{t(`sla.cutoffs.actions.${c.action}`)}{c.remindAssignee ? ` · ${t('sla.cutoffs.remindsAssignee')}` : ''} · {t('sla.cutoffs.next', { when: when(c.nextRunAt) })}</div>
                </div>
                <div className="row">
                  <Button size="sm" aria-expanded={showDue === c.id} onClick={() => setShowDue(showDue === c.id ? null : c.id)}>{t('sla.cutoffs.showDue')}</Button>
                  <Button size="sm" onClick={() => setDialog(c)} aria-label={t('admin.common.editNamed', { name: c.name })}>{t('common.edit')}</Button>
                  <Button size="sm" variant="danger" aria-label={t('admin.common.deleteNamed', { name: c.name })}
                    onClick={() => { if (window.confirm(t('admin.common.deleteConfirm', { name: c.name }))) void act(() => slaApi.deleteCutoff(c.id), t('sla.cutoffs.deleted', { name: c.name })) }}>{t('common.delete')}</Button>
                </div>
              </div>
              {showDue === c.id ? <DueBeforeNext cutoff={c} /> : null}
            </li>
          ))}
        </ul>
      )}
      <Dialog open={dialog !== null} onClose={() => setDialog(null)} wide title={dialog === 'new' ? t('sla.cutoffs.new') : dialog ? t('admin.common.editNamed', { name: dialog.name }) : ''}>
        {dialog ? (
          <CutoffForm initial={toForm(dialog === 'new' ? null : dialog)} submitLabel={dialog === 'new' ? t('sla.cutoffs.create') : t('common.save')}
            onSave={async (b) => {
              if (dialog === 'new') await slaApi.createCutoff(b)
              else await slaApi.updateCutoff(dialog.id, b)
              setDialog(null)
              setMsg({ kind: 'success', text: dialog === 'new' ? t('sla.cutoffs.created', { name: b.name }) : t('admin.common.saved') })
              await refresh()
            }} />
        ) : null}
      </Dialog>
    </div>
  )
}
