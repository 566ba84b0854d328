import { useId, useState, type KeyboardEvent, type ReactNode } from 'react'

interface Props<T> {
  label: ReactNode
  items: T[]
  itemKey: (item: T) => string
  itemText: (item: T) => string
  renderItem?: (item: T) => ReactNode
  value: string
  onInput: (text: string) => void
  onSelect: (item: T) => void
  placeholder?: string
  hint?: ReactNode
  autoFocus?: boolean
  id?: string
  emptyText?: ReactNode
  required?: boolean
}

/** A text box with a filtered list (ARIA combobox): arrows move, Enter or Tab picks, Escape closes. */
export function Combobox<T>({ label, items, itemKey, itemText, renderItem, value, onInput, onSelect, placeholder, hint, autoFocus, id: given, emptyText, required }: Props<T>) {
  const auto = useId()
  const id = given ?? auto
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  const show = open && value.length > 0
  const pick = (item: T) => { onSelect(item); setOpen(false) }
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); setOpen(true); setActive((a) => Math.min(a + 1, items.length - 1)) }
    else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => Math.max(a - 1, 0)) }
    else if ((e.key === 'Enter' || (e.key === 'Tab' && !e.shiftKey)) && show && items[active]) { e.preventDefault(); pick(items[active]) }
    else if (e.key === 'Escape') setOpen(false)
  }
  return (
    <div className="field" style={{ position: 'relative' }}>
      <label htmlFor={id}>{label}{required ? <span className="req" aria-hidden="true"> *</span> : null}</label>
      <input id={id} role="combobox" aria-expanded={show} aria-controls={`${id}-list`} aria-autocomplete="list"
        aria-activedescendant={show && items[active] ? `${id}-opt-${active}` : undefined} aria-describedby={hint ? `${id}-hint` : undefined}
        value={value} placeholder={placeholder} autoFocus={autoFocus} autoComplete="off"
        onChange={(e) => { onInput(e.target.value); setOpen(true); setActive(0) }} onKeyDown={onKeyDown}
        onFocus={() => setOpen(true)} onBlur={() => setTimeout(() => setOpen(false), 150)} />
      {hint ? <div className="field-hint" id={`${id}-hint`}>{hint}</div> : null}
      {show ? (
        <ul id={`${id}-list`} role="listbox" className="results" aria-label={typeof label === 'string' ? label : undefined}>
          {items.length === 0 && emptyText ? <li role="presentation" className="muted">{emptyText}</li> : null}
          {items.map((item, i) => (
            <li key={itemKey(item)} id={`${id}-opt-${i}`} role="option" aria-selected={i === active} onMouseDown={(e) => { e.preventDefault(); pick(item) }}>
              {renderItem ? renderItem(item) : itemText(item)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}
