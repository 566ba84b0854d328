import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '../../../ui/Button'
import { Dialog } from '../../../ui/Dialog'
import { BASE_COLUMNS, DEFAULT_COLUMNS } from '../columns'

/** Choose and order the table's columns: checkboxes, move up/down buttons (keyboard) or drag. */
export function ColumnPicker({ open, onClose, columns, customFields, columnLabel, onChange }: {
  open: boolean; onClose: () => void; columns: string[]; customFields: Array<{ key: string; label: string }>
  columnLabel: (c: string) => string; onChange: (cols: string[]) => void
}) {
  const { t } = useTranslation()
  const all = [...BASE_COLUMNS, ...customFields.map((f) => `cf:${f.key}`)]
  const ordered = [...columns.filter((c) => all.includes(c)), ...all.filter((c) => !columns.includes(c))]
  const [dragging, setDragging] = useState<string | null>(null)
  const move = (c: string, delta: number) => {
    const list = [...ordered]
    const i = list.indexOf(c)
    const j = i + delta
    if (j < 0 || j >= list.length) return
    ;[list[i], list[j]] = [list[j], list[i]]
    onChange(list.filter((x) => columns.includes(x)))
  }
  const toggle = (c: string, on: boolean) => {
    const next = on ? ordered.filter((x) => columns.includes(x) || x === c) : columns.filter((x) => x !== c)
    if (next.length) onChange(next)
  }
  const drop = (target: string) => {
    if (!dragging || dragging === target) return
    const list = ordered.filter((x) => x !== dragging)
    list.splice(list.indexOf(target), 0, dragging)
    onChange(list.filter((x) => columns.includes(x)))
    setDragging(null)
  }
  return (
    <Dialog open={open} onClose={onClose} title={t('columns.title')}>
      <p className="muted small">{t('columns.hint')}</p>
      <ul className="drag-list">
        {ordered.map((c, i) => (
          <li key={c} draggable onDragStart={() => setDragging(c)} onDragOver={(e) => e.preventDefault()} onDrop={() => drop(c)} className={dragging === c ? 'is-dragging' : ''}>
            <span className="drag-handle" aria-hidden="true">⠿</span>
            <label className="inline-label grow">
              <input type="checkbox" checked={columns.includes(c)} onChange={(e) => toggle(c, e.target.checked)} />
              {columnLabel(c)}
            </label>
            <Button size="sm" variant="ghost" onClick={() => move(c, -1)} disabled={i === 0} aria-label={t('columns.moveUp', { name: columnLabel(c) })}>↑</Button>
            <Button size="sm" variant="ghost" onClick={() => move(c, 1)} disabled={i === ordered.length - 1} aria-label={t('columns.moveDown', { name: columnLabel(c) })}>↓</Button>
          </li>
        ))}
      </ul>
      <div className="row" style={{ marginTop: '.75rem' }}>
        <Button onClick={() => onChange(DEFAULT_COLUMNS)}>{t('columns.reset')}</Button>
        <Button variant="primary" onClick={onClose}>{t('common.close')}</Button>
      </div>
    </Dialog>
  )
}
