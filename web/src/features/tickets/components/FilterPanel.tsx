import { useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useDebounced } from '../../../app/useDebounced'
import { useTranslation } from 'react-i18next'
import { Button } from '../../../ui/Button'
import { TextField } from '../../../ui/Field'
import { MultiSelect } from '../../../ui/MultiSelect'
import { CHANNELS, PRIORITIES, STATUS_CODES } from '../../../../../common/src/tickets/tickets.types'
import { configApi, labelOf, type Category } from '../api/config.api'
import type { Channel, Priority, SlaFilter, StatusCode, TicketFilters } from '../api/tickets.api'
import { useStaffDirectory, useTicketConfig } from '../hooks/useTicketConfig'
import { useStatusChoices } from '../hooks/useStatusChoices'

/** Categories in tree order with their depth, for indented selects. */
export function flattenCategories(all: Category[]): Array<Category & { level: number }> {
  const byParent = new Map<string | null, Category[]>()
  for (const c of all) {
    const k = c.parentId ?? null
    byParent.set(k, [...(byParent.get(k) ?? []), c])
  }
  const out: Array<Category & { level: number }> = []
  const walk = (parent: string | null, level: number) => {
    for (const c of (byParent.get(parent) ?? []).sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || a.name.localeCompare(b.name))) {
      out.push({ ...c, level })
      walk(c.id, level + 1)
    }
  }
  walk(null, 0)
  return out
}

function CheckGroup<T extends string>({ legend, values, selected, label, onChange }: { legend: string; values: readonly T[]; selected: T[]; label: (v: T) => string; onChange: (v: T[]) => void }) {
  return (
    <fieldset className="field" style={{ border: 'none', padding: 0, margin: 0 }}>
      <legend style={{ fontWeight: 600, fontSize: '.9rem', marginBottom: '.25rem' }}>{legend}</legend>
      {values.map((v) => (
        <label key={v} className="inline-label">
          <input type="checkbox" checked={selected.includes(v)} onChange={(e) => onChange(e.target.checked ? [...selected, v] : selected.filter((x) => x !== v))} />
          {label(v)}
        </label>
      ))}
    </fieldset>
  )
}

const SLA_FILTERS = ['breached', 'warning', 'due_today'] as const

/** Tags typed as "a, b": every one must be on the ticket. */
const tagList = (v: string) => v.split(',').map((x) => x.trim()).filter(Boolean)

/** Organizations picked by name: the search box asks the server; picked names are remembered. */
function OrganizationFilter({ selected, onChange }: { selected: string[]; onChange: (ids: string[]) => void }) {
  const { t } = useTranslation()
  const [q, setQ] = useState('')
  const query = useDebounced(q, 250)
  const found = useQuery({ queryKey: ['config', 'organizations', query], queryFn: () => configApi.organizations(query), staleTime: 60_000, retry: false })
  const [names, setNames] = useState<Map<string, string>>(new Map())
  const options = [
    ...selected.filter((id) => names.has(id)).map((id) => ({ value: id, label: names.get(id)! })),
    ...(found.data ?? []).filter((o) => !selected.includes(o.id) || !names.has(o.id)).map((o) => ({ value: o.id, label: o.name })),
  ]
  const change = (ids: string[]) => {
    setNames((m) => new Map([...m, ...(found.data ?? []).filter((o) => ids.includes(o.id)).map((o) => [o.id, o.name] as [string, string])]))
    onChange(ids)
  }
  return <MultiSelect label={t('fields.organization')} selected={selected} onChange={change} options={options} search={{ value: q, onChange: setQ }} />
}

/** Every filter the ticket API offers, several values per field, date ranges and SLA state; applied on submit. */
export function FilterPanel({ initial, onApply, onSaveView }: { initial: TicketFilters; onApply: (f: TicketFilters) => void; onSaveView?: (f: TicketFilters) => void }) {
  const { t, i18n } = useTranslation()
  const { types, categories } = useTicketConfig()
  const { agents, teams } = useStaffDirectory()
  const { choices, codeLabel } = useStatusChoices()
  const customStatuses = choices.filter((c) => c.custom)
  const [f, setF] = useState<TicketFilters>(initial)
  const [tagText, setTagText] = useState((initial.tag ?? []).join(', '))
  const set = <K extends keyof TicketFilters>(k: K, v: TicketFilters[K]) =>
    setF((old) => ({ ...old, [k]: v === '' || (Array.isArray(v) && v.length === 0) ? undefined : v }))
  const submit = (e: FormEvent) => { e.preventDefault(); onApply(f) }
  return (
    <form className="card filters" onSubmit={submit} aria-label={t('filters.title')}>
      <TextField label={t('filters.text')} type="search" value={f.q ?? ''} onChange={(e) => set('q', e.target.value)} />
      <CheckGroup legend={t('fields.status')} values={STATUS_CODES} selected={f.statusCategory ?? []} label={codeLabel} onChange={(v) => set('statusCategory', v as StatusCode[])} />
      {customStatuses.length ? (
        <CheckGroup legend={t('filters.customStatuses')} values={customStatuses.map((c) => c.key)} selected={f.status ?? []}
          label={(k) => customStatuses.find((c) => c.key === k)?.label ?? k} onChange={(v) => set('status', v)} />
      ) : null}
      <CheckGroup legend={t('fields.priority')} values={PRIORITIES} selected={f.priority ?? []} label={(p) => t(`priority.${p}`)} onChange={(v) => set('priority', v as Priority[])} />
      <div className="stack">
        <MultiSelect label={t('fields.type')} selected={f.type ?? []} onChange={(v) => set('type', v)}
          options={types.map((ty) => ({ value: ty.code, label: labelOf(ty, i18n.language) }))} />
        <MultiSelect label={t('fields.category')} selected={f.categoryId ?? []} onChange={(v) => set('categoryId', v)} hint={t('filters.categoryHint')}
          options={[{ value: 'none', label: t('filters.noCategory') }, ...flattenCategories(categories).map((c) => ({ value: c.id, label: c.name, depth: c.level }))]} />
        <MultiSelect label={t('fields.channel')} selected={f.channel ?? []} onChange={(v) => set('channel', v as Channel[])}
          options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
      </div>
      <div className="stack">
        <MultiSelect label={t('fields.assignee')} selected={f.assignee ?? []} onChange={(v) => set('assignee', v)}
          options={[{ value: 'me', label: t('filters.me') }, { value: 'unassigned', label: t('filters.unassigned') }, ...agents.map((a) => ({ value: a.id, label: a.name }))]} />
        <MultiSelect label={t('fields.team')} selected={f.teamId ?? []} onChange={(v) => set('teamId', v)}
          options={[{ value: 'none', label: t('filters.noTeam') }, ...teams.map((tm) => ({ value: tm.id, label: tm.name }))]} />
        <OrganizationFilter selected={f.organizationId ?? []} onChange={(v) => set('organizationId', v)} />
        <TextField label={t('fields.tag')} value={tagText} hint={t('filters.tagHint')}
          onChange={(e) => { setTagText(e.target.value); set('tag', tagList(e.target.value)) }} />
        <TextField label={t('fields.externalRef')} value={f.externalRef ?? ''} onChange={(e) => set('externalRef', e.target.value)} />
      </div>
      <CheckGroup legend={t('sla.title')} values={SLA_FILTERS} selected={f.sla ?? []} label={(s) => t(`sla.filter.${s}`)} onChange={(v) => set('sla', v as SlaFilter[])} />
      <div className="stack">
        <TextField label={t('filters.createdFrom')} type="date" value={f.createdFrom?.slice(0, 10) ?? ''} onChange={(e) => set('createdFrom', e.target.value)} />
        <TextField label={t('filters.createdTo')} type="date" value={f.createdTo?.slice(0, 10) ?? ''} onChange={(e) => set('createdTo', e.target.value)} />
      </div>
      <div className="stack">
        <TextField label={t('filters.updatedFrom')} type="date" value={f.updatedFrom?.slice(0, 10) ?? ''} onChange={(e) => set('updatedFrom', e.target.value)} />
        <TextField label={t('filters.updatedTo')} type="date" value={f.updatedTo?.slice(0, 10) ?? ''} onChange={(e) => set('updatedTo', e.target.value)} />
      </div>
      <div className="stack">
        <TextField label={t('filters.resolvedFrom')} type="date" value={f.resolvedFrom?.slice(0, 10) ?? ''} onChange={(e) => set('resolvedFrom', e.target.value)} />
        <TextField label={t('filters.resolvedTo')} type="date" value={f.resolvedTo?.slice(0, 10) ?? ''} onChange={(e) => set('resolvedTo', e.target.value)} />
      </div>
      <div className="row" style={{ gridColumn: '1 / -1' }}>
        <Button type="submit" variant="primary">{t('filters.apply')}</Button>
        <Button onClick={() => { setF({}); setTagText(''); onApply({}) }}>{t('filters.clear')}</Button>
        {onSaveView ? <Button onClick={() => onSaveView(f)}>{t('views.saveAs')}</Button> : null}
      </div>
    </form>
  )
}
