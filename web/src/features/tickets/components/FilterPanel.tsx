import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '../../../ui/Button'
import { SelectField, TextField } from '../../../ui/Field'
import { CHANNELS, PRIORITIES, STATUS_CODES } from '../../../../../common/src/tickets/tickets.types'
import { labelOf, type Category } from '../api/config.api'
import type { Channel, Priority, SlaFilter, StatusCode, TicketFilters } from '../api/tickets.api'
import { useStaffDirectory, useTicketConfig } from '../hooks/useTicketConfig'

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

/** One value of a list filter as a single select ('' = any). */
const one = (v: string[] | undefined) => v?.[0] ?? ''
const list = (v: string) => (v ? [v] : undefined)

/** Every filter the ticket API offers, including date ranges and SLA state; applied on submit. */
export function FilterPanel({ initial, onApply, onSaveView }: { initial: TicketFilters; onApply: (f: TicketFilters) => void; onSaveView?: (f: TicketFilters) => void }) {
  const { t, i18n } = useTranslation()
  const { types, categories } = useTicketConfig()
  const { agents, teams } = useStaffDirectory()
  const [f, setF] = useState<TicketFilters>(initial)
  const set = <K extends keyof TicketFilters>(k: K, v: TicketFilters[K]) =>
    setF((old) => ({ ...old, [k]: v === '' || (Array.isArray(v) && v.length === 0) ? undefined : v }))
  const submit = (e: FormEvent) => { e.preventDefault(); onApply(f) }
  return (
    <form className="card filters" onSubmit={submit} aria-label={t('filters.title')}>
      <TextField label={t('filters.text')} type="search" value={f.q ?? ''} onChange={(e) => set('q', e.target.value)} />
      <CheckGroup legend={t('fields.status')} values={STATUS_CODES} selected={f.statusCategory ?? []} label={(s) => t(`status.${s}`)} onChange={(v) => set('statusCategory', v as StatusCode[])} />
      <CheckGroup legend={t('fields.priority')} values={PRIORITIES} selected={f.priority ?? []} label={(p) => t(`priority.${p}`)} onChange={(v) => set('priority', v as Priority[])} />
      <div className="stack">
        <SelectField label={t('fields.type')} value={one(f.type)} onChange={(e) => set('type', list(e.target.value))}>
          <option value="">{t('common.all')}</option>
          {types.map((ty) => <option key={ty.id} value={ty.code}>{labelOf(ty, i18n.language)}</option>)}
        </SelectField>
        <SelectField label={t('fields.category')} value={one(f.categoryId)} onChange={(e) => set('categoryId', list(e.target.value))} hint={t('filters.categoryHint')}>
          <option value="">{t('common.all')}</option>
          <option value="none">{t('filters.noCategory')}</option>
          {flattenCategories(categories).map((c) => <option key={c.id} value={c.id}>{'— '.repeat(c.level)}{c.name}</option>)}
        </SelectField>
        <SelectField label={t('fields.channel')} value={one(f.channel)} onChange={(e) => set('channel', list(e.target.value) as Channel[] | undefined)}>
          <option value="">{t('common.all')}</option>
          {CHANNELS.map((c) => <option key={c} value={c}>{t(`channel.${c}`)}</option>)}
        </SelectField>
      </div>
      <div className="stack">
        <SelectField label={t('fields.assignee')} value={one(f.assignee)} onChange={(e) => set('assignee', list(e.target.value))}>
          <option value="">{t('common.all')}</option>
          <option value="me">{t('filters.me')}</option>
          <option value="unassigned">{t('filters.unassigned')}</option>
          {agents.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
        </SelectField>
        <SelectField label={t('fields.team')} value={one(f.teamId)} onChange={(e) => set('teamId', list(e.target.value))}>
          <option value="">{t('common.all')}</option>
          <option value="none">{t('filters.noTeam')}</option>
          {teams.map((tm) => <option key={tm.id} value={tm.id}>{tm.name}</option>)}
        </SelectField>
        <TextField label={t('fields.tag')} value={one(f.tag)} onChange={(e) => set('tag', list(e.target.value.trim()))} />
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
        <Button onClick={() => { setF({}); onApply({}) }}>{t('filters.clear')}</Button>
        {onSaveView ? <Button onClick={() => onSaveView(f)}>{t('views.saveAs')}</Button> : null}
      </div>
    </form>
  )
}
