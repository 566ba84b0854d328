import { useState, type FormEvent } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useFormSubmit } from '../../../app/useFormSubmit'
import { Button } from '../../../ui/Button'
import { CheckboxGroup } from '../../../ui/CheckboxGroup'
import { Dialog } from '../../../ui/Dialog'
import { Alert, EmptyState, ErrorState, Spinner } from '../../../ui/Feedback'
import { SelectField, TextField } from '../../../ui/Field'
import { ReorderList } from '../../../ui/ReorderList'
import { usePageTitle } from '../../../ui/usePageTitle'
import { CHANNELS, PRIORITIES } from '../../../../../common/src/tickets/tickets.types'
import { labelOf } from '../../tickets/api/config.api'
import type { Channel, Priority } from '../../tickets/api/tickets.api'
import { flattenCategories } from '../../tickets/components/FilterPanel'
import { useTicketConfig } from '../../tickets/hooks/useTicketConfig'
import { formatMinutes } from '../../tickets/sla'
import { slaApi, type PolicyInput, type SlaPolicy, type TargetMinutes } from '../api/sla.api'
import { SlaEscalationsEditor, toDrafts, toRules, type EscalationDraft } from './SlaEscalationsEditor'
import { useListActions } from '../hooks/useListActions'
import { RowActions } from './RowActions'

const TARGET_KEYS = ['firstResponseMinutes', 'nextResponseMinutes', 'resolutionMinutes'] as const

interface FormState {
  name: string; description: string; active: boolean; types: string[]; priorities: Priority[]; channels: Channel[]; categoryIds: string[]
  targets: Record<Priority, Record<(typeof TARGET_KEYS)[number], string>>; calendar: string; pauseOnHold: boolean; resolutionStart: 'created' | 'info_complete'; warningPercent: string
  escalations: EscalationDraft[]
}

function toForm(p: SlaPolicy | null): FormState {
  const targets = Object.fromEntries(PRIORITIES.map((pr) => [pr, Object.fromEntries(TARGET_KEYS.map((k) => [k, p?.targets[pr]?.[k] ? String(p.targets[pr]?.[k]) : '']))])) as FormState['targets']
  return {
    name: p?.name ?? '', description: p?.description ?? '', active: p?.active ?? true, types: p?.conditions.types ?? [], priorities: p?.conditions.priorities ?? [],
    channels: p?.conditions.channels ?? [], categoryIds: p?.conditions.categoryIds ?? [], targets,
    calendar: p?.calendar === '24x7' ? '24x7' : `business:${p?.calendarId ?? ''}`, pauseOnHold: p?.pauseOnHold ?? false,
    resolutionStart: p?.resolutionStart ?? 'created', warningPercent: String(p?.warningPercent ?? 75), escalations: toDrafts(p?.escalations),
  }
}

function toInput(f: FormState): PolicyInput {
  const targets: Partial<Record<Priority, TargetMinutes>> = {}
  for (const pr of PRIORITIES) {
    const row = Object.fromEntries(TARGET_KEYS.filter((k) => Number(f.targets[pr][k]) > 0).map((k) => [k, Math.round(Number(f.targets[pr][k]))])) as TargetMinutes
    if (Object.keys(row).length) targets[pr] = row
  }
  const conditions = Object.fromEntries(Object.entries({ types: f.types, priorities: f.priorities, channels: f.channels, categoryIds: f.categoryIds }).filter(([, v]) => v.length))
  return {
    name: f.name.trim(), description: f.description.trim() || null, active: f.active, conditions, targets,
    calendar: f.calendar === '24x7' ? '24x7' : 'business', calendarId: f.calendar.startsWith('business:') && f.calendar.length > 9 ? f.calendar.slice(9) : null,
    pauseOnHold: f.pauseOnHold, resolutionStart: f.resolutionStart, warningPercent: Number(f.warningPercent) || 75, escalations: toRules(f.escalations),
  }
}

/** A policy: conditions (any value listed matches), targets per priority in business minutes, calendar and clock options. */
function PolicyForm({ initial, onSave, submitLabel }: { initial: FormState; onSave: (b: PolicyInput) => Promise<void>; submitLabel: string }) {
  const { t, i18n } = useTranslation()
  const { types, categories } = useTicketConfig()
  const calendars = useQuery({ queryKey: ['sla', 'calendars'], queryFn: slaApi.calendars })
  const [f, setF] = useState(initial)
  const { error, setError, busy, run } = useFormSubmit()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const empty = toRules(f.escalations).findIndex((r) => r.actions.length === 0)
    if (empty >= 0) { setError(t('sla.escalations.noActions', { name: t('sla.escalations.ruleName', { n: empty + 1 }) })); return }
    void run(() => onSave(toInput(f)))
  }
  const setTarget = (pr: Priority, k: (typeof TARGET_KEYS)[number], v: string) => setF({ ...f, targets: { ...f.targets, [pr]: { ...f.targets[pr], [k]: v } } })
  return (
    <form className="stack" onSubmit={submit}>
      {error ? <Alert>{error}</Alert> : null}
      <TextField label={t('sla.policies.name')} required value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} />
      <TextField label={t('admin.common.description')} value={f.description} onChange={(e) => setF({ ...f, description: e.target.value })} />
      <h3>{t('sla.policies.conditions')}</h3>
      <p className="muted small" style={{ margin: 0 }}>{t('sla.policies.conditionsHint')}</p>
      <CheckboxGroup legend={t('fields.type')} values={types.map((x) => x.code)} selected={f.types} label={(c) => labelOf(types.find((x) => x.code === c), i18n.language)} onChange={(v) => setF({ ...f, types: v })} />
      <CheckboxGroup legend={t('fields.priority')} values={PRIORITIES} selected={f.priorities} label={(p) => t(`priority.${p}`)} onChange={(v) => setF({ ...f, priorities: v })} />
      <CheckboxGroup legend={t('fields.channel')} values={CHANNELS} selected={f.channels} label={(c) => t(`channel.${c}`)} onChange={(v) => setF({ ...f, channels: v })} />
      <SelectField label={t('sla.policies.categories')} multiple size={Math.min(6, Math.max(3, categories.length))} value={f.categoryIds} hint={t('sla.policies.categoriesHint')}
        onChange={(e) => setF({ ...f, categoryIds: [...e.target.selectedOptions].map((o) => o.value) })}>
        {flattenCategories(categories).map((c) => <option key={c.id} value={c.id}>{'— '.repeat(c.level)}{c.name}</option>)}
      </SelectField>
      <h3>{t('sla.policies.targets')}</h3>
      <div className="table-wrap" tabIndex={0}>
        <table className="grid">
          <caption className="sr-only">{t('sla.policies.targets')}</caption>
          <thead><tr><th scope="col">{t('fields.priority')}</th>{TARGET_KEYS.map((k) => <th key={k} scope="col">{t(`sla.policies.${k}`)}</th>)}</tr></thead>
          <tbody>
            {PRIORITIES.map((pr) => (
              <tr key={pr}>
                <th scope="row">{t(`priority.${pr}`)}</th>
                {TARGET_KEYS.map((k) => (
                  <td key={k}>
                    <label className="sr-only" htmlFor={`t-${pr}-${k}`}>{t('sla.policies.targetFor', { target: t(`sla.policies.${k}`), priority: t(`priority.${pr}`) })}</label>
                    <input id={`t-${pr}-${k}`} type="number" min={1} inputMode="numeric" style={{ width: 110 }} value={f.targets[pr][k]} onChange={(e) => setTarget(pr, k, e.target.value)} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small" style={{ margin: 0 }}>{t('sla.policies.minutesHint')}</p>
      <div className="filters" style={{ padding: 0, margin: 0 }}>
        <SelectField label={t('sla.policies.calendar')} value={f.calendar} onChange={(e) => setF({ ...f, calendar: e.target.value })}>
          <option value="business:">{t('sla.policies.defaultCalendar')}</option>
          {(calendars.data ?? []).filter((c) => c.builtin !== '24x7').map((c) => <option key={c.id} value={`business:${c.id}`}>{c.name}</option>)}
          <option value="24x7">{t('sla.policies.allHours')}</option>
        </SelectField>
        <SelectField label={t('sla.policies.resolutionStart')} value={f.resolutionStart} onChange={(e) => setF({ ...f, resolutionStart: e.target.value as FormState['resolutionStart'] })}>
          <option value="created">{t('sla.policies.fromCreated')}</option>
          <option value="info_complete">{t('sla.policies.fromInfoComplete')}</option>
        </SelectField>
        <TextField label={t('sla.policies.warningPercent')} type="number" min={1} max={100} value={f.warningPercent} onChange={(e) => setF({ ...f, warningPercent: e.target.value })} />
      </div>
      <SlaEscalationsEditor value={f.escalations} onChange={(escalations) => setF({ ...f, escalations })} />
      <div className="row">
        <label className="inline-label"><input type="checkbox" checked={f.pauseOnHold} onChange={(e) => setF({ ...f, pauseOnHold: e.target.checked })} />{t('sla.policies.pauseOnHold')}</label>
        <label className="inline-label"><input type="checkbox" checked={f.active} onChange={(e) => setF({ ...f, active: e.target.checked })} />{t('admin.common.active')}</label>
      </div>
      <div><Button type="submit" variant="primary" busy={busy}>{submitLabel}</Button></div>
    </form>
  )
}

/** SLA policies in evaluation order (the first that matches wins), the example set, create and edit. */
export function SlaPoliciesAdmin() {
  const { t, i18n } = useTranslation()
  usePageTitle(t('sla.policies.title'))
  const qc = useQueryClient()
  const { types } = useTicketConfig()
  const list = useQuery({ queryKey: ['sla', 'policies'], queryFn: slaApi.policies })
  const [dialog, setDialog] = useState<SlaPolicy | 'new' | null>(null)
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: ['sla'] }), qc.invalidateQueries({ queryKey: ['config', 'categories'] })])
  const { msg, setMsg, act } = useListActions(refresh)
  const units = { h: t('sla.units.h'), min: t('sla.units.min') }
  const summary = (p: SlaPolicy) => {
    const c = p.conditions
    const parts = [
      c.types?.length ? c.types.map((code) => labelOf(types.find((x) => x.code === code), i18n.language) || code).join(', ') : null,
      c.priorities?.length ? c.priorities.map((x) => t(`priority.${x}`)).join(', ') : null,
      c.channels?.length ? c.channels.map((x) => t(`channel.${x}`)).join(', ') : null,
      c.categoryIds?.length ? t('sla.policies.categoryCount', { count: c.categoryIds.length }) : null,
    ].filter(Boolean)
    return parts.length ? parts.join(' · ') : t('sla.policies.everyTicket')
  }
  // Business minutes read as hours («24 h hábiles»: three 8-hour working days, not one day); a 24×7 policy's are plain hours.
  const span = (p: SlaPolicy, minutes: number) => (p.calendar === '24x7' ? formatMinutes(minutes, units) : t('sla.businessTime', { time: formatMinutes(minutes, units) }))
  const targetsLine = (p: SlaPolicy) => PRIORITIES.filter((pr) => p.targets[pr]).map((pr) => {
    const tg = p.targets[pr]!
    return `${t(`priority.${pr}`)}: ${[tg.firstResponseMinutes ? `${t('sla.policies.firstShort')} ${span(p, tg.firstResponseMinutes)}` : null, tg.resolutionMinutes ? `${t('sla.policies.resolutionShort')} ${span(p, tg.resolutionMinutes)}` : null].filter(Boolean).join(', ')}`
  }).join(' · ')
  const items = list.data ?? []
  return (
    <div className="stack">
      <div className="row-between">
        <h1>{t('sla.policies.title')}</h1>
        <div className="row">
          <Button onClick={() => void act(async () => {
            const r = await slaApi.loadExampleSet('mvno')
            setMsg({ kind: 'success', text: t('sla.policies.exampleLoaded', { policies: r.policiesCreated, categories: r.categoriesCreated }) })
          }).catch(() => {})}>{t('sla.policies.loadExample')}</Button>
          <Button variant="primary" onClick={() => setDialog('new')}>{t('sla.policies.new')}</Button>
        </div>
      </div>
      <p className="muted">{t('sla.policies.intro')}</p>
      {msg ? <Alert kind={msg.kind}>{msg.text}</Alert> : null}
      {list.isPending ? <Spinner /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : items.length === 0 ? <EmptyState title={t('sla.policies.none')} /> : (
        <ReorderList items={items} itemKey={(p) => p.id} itemName={(p) => p.name} label={t('sla.policies.title')}
          onReorder={(ids) => act(() => slaApi.orderPolicies(ids))}
          render={(p) => (
            <div className="row-between" data-policy={p.name}>
              <div>
                <strong>{p.name}</strong>{p.active ? null : <> <span className="badge">{t('admin.common.inactive')}</span></>}
                <div className="small">{summary(p)}</div>
                <div className="muted small">{targetsLine(p)} · {p.calendar === '24x7' ? t('sla.policies.allHours') : t('sla.policies.businessHours')}{p.escalations.length ? ` · ${t('sla.escalations.count', { count: p.escalations.length })}` : ''}</div>
              </div>
              <RowActions name={p.name} active={p.active} deleteConfirm={t('admin.common.deleteConfirm', { name: p.name })}
                onEdit={() => setDialog(p)} onToggleActive={() => act(() => slaApi.updatePolicy(p.id, { active: !p.active }))}
                onDelete={() => act(() => slaApi.deletePolicy(p.id))} />
            </div>
          )} />
      )}
      <Dialog open={dialog !== null} onClose={() => setDialog(null)} wide title={dialog === 'new' ? t('sla.policies.new') : dialog ? t('admin.common.editNamed', { name: dialog.name }) : ''}>
        {dialog ? (
          <PolicyForm initial={toForm(dialog === 'new' ? null : dialog)} submitLabel={dialog === 'new' ? t('sla.policies.create') : t('common.save')}
            onSave={async (b) => {
              if (dialog === 'new') await slaApi.createPolicy({ ...b, position: items.length ? Math.max(...items.map((x) => x.position)) + 10 : 0 })
              else await slaApi.updatePolicy(dialog.id, b)
              setDialog(null)
              setMsg({ kind: 'success', text: dialog === 'new' ? t('sla.policies.created', { name: b.name }) : t('admin.common.saved') })
              await refresh()
            }} />
        ) : null}
      </Dialog>
    </div>
  )
}
