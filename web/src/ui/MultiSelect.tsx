import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

export interface MultiOption { value: string; label: string; /** Indent (category tree). */ depth?: number }

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()

/**
 * A labelled pick-several field: a native disclosure (`<details>`) whose summary names what is
 * picked ("Todos", up to two labels, or "N seleccionados") and whose panel is a fieldset with one
 * checkbox per option, plus a search box when the list is long. Escape or a click outside closes it.
 * With `search` the caller filters (e.g. asks the server) and passes the matches plus the picked ones.
 */
export function MultiSelect({ label, options, selected, onChange, hint, search }: {
  label: string; options: MultiOption[]; selected: string[]; onChange: (values: string[]) => void; hint?: ReactNode
  search?: { value: string; onChange: (q: string) => void }
}) {
  const { t } = useTranslation()
  const id = useId()
  const ref = useRef<HTMLDetailsElement>(null)
  const [open, setOpen] = useState(false)
  const [q, setQ] = useState('')

  useEffect(() => {
    if (!open) return
    const away = (e: PointerEvent) => { if (ref.current && !ref.current.contains(e.target as Node)) ref.current.open = false }
    document.addEventListener('pointerdown', away)
    return () => document.removeEventListener('pointerdown', away)
  }, [open])

  const picked = options.filter((o) => selected.includes(o.value))
  const summary = selected.length === 0 ? t('common.all')
    : picked.length === selected.length && picked.length <= 2 ? picked.map((o) => o.label).join(', ')
      : t('filters.selected', { count: selected.length })
  const shown = search || !q.trim() ? options : options.filter((o) => fold(o.label).includes(fold(q.trim())))
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || !ref.current?.open) return
    e.preventDefault()
    e.stopPropagation()
    ref.current.open = false
    ref.current.querySelector('summary')?.focus()
  }
  const toggle = (v: string, on: boolean) => onChange(on ? [...selected, v] : selected.filter((x) => x !== v))

  return (
    <div className="field multi-select">
      <span className="field-label" id={`${id}-label`}>{label}</span>
      <details ref={ref} onToggle={(e) => setOpen(e.currentTarget.open)} onKeyDown={onKey}>
        <summary aria-labelledby={`${id}-label ${id}-value`} aria-describedby={hint ? `${id}-hint` : undefined}>
          <span id={`${id}-value`} className={selected.length ? 'multi-select-value is-set' : 'multi-select-value'}>{summary}</span>
        </summary>
        <fieldset className="multi-select-panel">
          <legend className="sr-only">{label}</legend>
          {search || options.length > 8 ? (
            <input type="search" value={search ? search.value : q} onChange={(e) => (search ? search.onChange(e.target.value) : setQ(e.target.value))}
              aria-label={t('filters.searchIn', { field: label })} placeholder={t('common.search')} />
          ) : null}
          <div className="multi-select-options">
            {shown.map((o) => (
              <label key={o.value} className="inline-label" style={o.depth ? { paddingInlineStart: `${o.depth * 1.1}rem` } : undefined}>
                <input type="checkbox" checked={selected.includes(o.value)} onChange={(e) => toggle(o.value, e.target.checked)} />
                {o.label}
              </label>
            ))}
            {shown.length === 0 ? <span className="muted small">{t('filters.noMatch')}</span> : null}
          </div>
          {selected.length ? <button type="button" className="btn-link" onClick={() => onChange([])}>{t('filters.clearField')}</button> : null}
        </fieldset>
      </details>
      {hint ? <div className="field-hint" id={`${id}-hint`}>{hint}</div> : null}
    </div>
  )
}
