import { useEffect, useId, useRef, useState, type DragEvent, type KeyboardEvent, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from './Button'

interface Props<T> {
  items: T[]
  itemKey: (item: T) => string
  /** Plain text name, for the handle's label and the announcements. */
  itemName: (item: T) => string
  render: (item: T) => ReactNode
  /** Called with the keys in their new order when an item is dropped or moved. */
  onReorder: (keys: string[]) => void | Promise<void>
  label: string
  disabled?: boolean
}

/**
 * A list ordered by dragging with the mouse or with the keyboard: the handle picks an item up
 * (Space or Enter), arrows move it, Space/Enter drops it and Escape puts it back; every move is
 * announced. "Up" / "Down" buttons do the same in one step.
 */
export function ReorderList<T>({ items, itemKey, itemName, render, onReorder, label, disabled }: Props<T>) {
  const { t } = useTranslation()
  const help = useId()
  const keys = items.map(itemKey)
  const [order, setOrder] = useState<string[] | null>(null)
  const [grabbed, setGrabbed] = useState<string | null>(null)
  const [dragging, setDragging] = useState<string | null>(null)
  const [announce, setAnnounce] = useState('')
  const handles = useRef(new Map<string, HTMLButtonElement>())
  const focusAfter = useRef<string | null>(null)
  const shown = order ?? keys
  const byKey = new Map(items.map((i) => [itemKey(i), i]))
  const name = (k: string) => { const it = byKey.get(k); return it ? itemName(it) : k }

  useEffect(() => {
    if (focusAfter.current) { handles.current.get(focusAfter.current)?.focus(); focusAfter.current = null }
  })

  // Shown as moved until the saved order comes back (or put back if saving fails).
  const keysJoined = keys.join()
  useEffect(() => { setOrder(null) }, [keysJoined])
  const commit = (next: string[]) => {
    if (next.join() === keysJoined) { setOrder(null); return }
    setOrder(next)
    Promise.resolve(onReorder(next)).catch(() => setOrder(null))
  }
  const moved = (list: string[], k: string, to: number) => {
    const next = list.filter((x) => x !== k)
    next.splice(Math.max(0, Math.min(to, next.length)), 0, k)
    return next
  }
  const step = (k: string, delta: number) => {
    const i = shown.indexOf(k)
    const next = moved(shown, k, i + delta)
    focusAfter.current = k
    return next
  }

  const onHandleKey = (e: KeyboardEvent<HTMLButtonElement>, k: string) => {
    if (disabled) return
    if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault()
      if (grabbed === k) {
        setGrabbed(null)
        setAnnounce(t('reorder.dropped', { name: name(k), position: shown.indexOf(k) + 1, total: shown.length }))
        commit(shown)
      } else {
        setGrabbed(k)
        setOrder(shown)
        setAnnounce(t('reorder.grabbed', { name: name(k), position: shown.indexOf(k) + 1, total: shown.length }))
      }
    } else if (grabbed === k && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault()
      const next = step(k, e.key === 'ArrowUp' ? -1 : 1)
      setOrder(next)
      setAnnounce(t('reorder.moved', { name: name(k), position: next.indexOf(k) + 1, total: next.length }))
    } else if (grabbed === k && e.key === 'Escape') {
      e.preventDefault()
      setGrabbed(null)
      setOrder(null)
      focusAfter.current = k
      setAnnounce(t('reorder.cancelled', { name: name(k) }))
    }
  }

  const onDragOver = (e: DragEvent, over: string) => {
    if (!dragging) return
    e.preventDefault()
    e.stopPropagation()
    if (over === dragging) return
    setOrder(moved(shown, dragging, shown.indexOf(over)))
  }

  return (
    <>
      <p id={help} className="sr-only">{t('reorder.help')}</p>
      <ul className="drag-list" aria-label={label}>
        {shown.map((k, i) => {
          const item = byKey.get(k)
          if (!item) return null
          return (
            <li key={k} data-key={k} draggable={!disabled} className={[dragging === k ? 'is-dragging' : '', grabbed === k ? 'is-grabbed' : ''].join(' ')}
              onDragStart={(e) => { e.stopPropagation(); setDragging(k); setOrder(shown); e.dataTransfer.effectAllowed = 'move'; e.dataTransfer.setData('text/plain', k) }}
              onDragOver={(e) => onDragOver(e, k)}
              onDrop={(e) => { if (dragging) { e.preventDefault(); e.stopPropagation(); setDragging(null); commit(shown) } }}
              onDragEnd={() => { if (dragging) { setDragging(null); setOrder(null) } }}>
              <button type="button" className="drag-handle" aria-describedby={help} aria-pressed={grabbed === k} disabled={disabled}
                aria-label={t('reorder.handle', { name: name(k) })} ref={(el) => { if (el) handles.current.set(k, el); else handles.current.delete(k) }}
                onKeyDown={(e) => onHandleKey(e, k)} onBlur={() => { if (grabbed === k && !focusAfter.current) { setGrabbed(null); setOrder(null) } }}>⠿</button>
              <div className="grow">{render(item)}</div>
              <Button size="sm" variant="ghost" disabled={disabled || i === 0} aria-label={t('columns.moveUp', { name: name(k) })}
                onClick={() => commit(step(k, -1))}>↑</Button>
              <Button size="sm" variant="ghost" disabled={disabled || i === shown.length - 1} aria-label={t('columns.moveDown', { name: name(k) })}
                onClick={() => commit(step(k, 1))}>↓</Button>
            </li>
          )
        })}
      </ul>
      <div className="sr-only" aria-live="assertive" role="status">{announce}</div>
    </>
  )
}
