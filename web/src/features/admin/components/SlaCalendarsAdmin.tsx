import { useState, type FormEvent } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../app/api-client'
import { Button } from '../../../ui/Button'
import { Dialog } from '../../../ui/Dialog'
import { Alert, ErrorState, Spinner } from '../../../ui/Feedback'
import { TextField } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { slaApi, WEEKDAYS, type CalendarInput, type Hours, type SlaCalendar, type Weekday } from '../api/sla.api'

/** "09:00-14:00, 15:00-18:00" ⇄ [["09:00","14:00"],["15:00","18:00"]]; empty = closed. */
const rangesToText = (r: Array<[string, string]> | undefined) => (r ?? []).map(([a, b]) => `${a}-${b}`).join(', ')
function textToRanges(text: string): Array<[string, string]> | null {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean)
  const out: Array<[string, string]> = []
  for (const p of parts) {
    const m = /^(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/.exec(p)
    if (!m) return null
    const pad = (s: string) => (s.length === 4 ? `0${s}` : s)
    out.push([pad(m[1]), pad(m[2])])
  }
  return out
}

function CalendarForm({ cal, onSave, submitLabel }: { cal: SlaCalendar | null; onSave: (b: CalendarInput) => Promise<void>; submitLabel: string }) {
  const { t } = useTranslation()
  const [name, setName] = useState(cal?.name ?? '')
  const [timezone, setTimezone] = useState(cal?.timezone ?? 'America/Mexico_City')
  const [hours, setHours] = useState<Record<Weekday, string>>(Object.fromEntries(WEEKDAYS.map((d) => [d, rangesToText(cal ? cal.hours[d] : ['sat', 'sun'].includes(d) ? [] : [['09:00', '18:00']])])) as Record<Weekday, string>)
  const [statutory, setStatutory] = useState(cal ? cal.statutory === 'MX' : true)
  const [isDefault, setIsDefault] = useState(cal?.isDefault ?? false)
  const [error, setError] = useState<string | null>(null)
  const [bad, setBad] = useState<Weekday[]>([])
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const parsed: Hours = {}
    const wrong: Weekday[] = []
    for (const d of WEEKDAYS) {
      const r = textToRanges(hours[d])
      if (r === null) wrong.push(d)
      else if (r.length) parsed[d] = r
    }
    setBad(wrong)
    if (wrong.length) { setError(t('sla.calendars.badHours')); return }
    setError(null)
    try {
      await onSave({ name: name.trim(), timezone: timezone.trim(), hours: parsed, statutory: statutory ? 'MX' : null, ...(isDefault && !cal?.isDefault ? { isDefault: true } : {}) })
    } catch (err) { setError(errorMessage(err)) }
  }
  return (
    <form className="stack" onSubmit={submit}>
      {error ? <Alert>{error}</Alert> : null}
      <div className="filters" style={{ padding: 0, margin: 0 }}>
        <TextField label={t('sla.calendars.name')} required value={name} onChange={(e) => setName(e.target.value)} />
        <TextField label={t('sla.calendars.timezone')} required value={timezone} onChange={(e) => setTimezone(e.target.value)} list="tz-list" hint="America/Mexico_City" />
        <datalist id="tz-list">{['America/Mexico_City', 'America/Monterrey', 'America/Cancun', 'America/Tijuana', 'America/Hermosillo', 'America/Bogota', 'America/Lima', 'UTC'].map((z) => <option key={z} value={z} />)}</datalist>
      </div>
      <fieldset className="stack" style={{ border: 'none', padding: 0, margin: 0 }}>
        <legend style={{ fontWeight: 700 }}>{t('sla.calendars.hours')}</legend>
        <p className="muted small" style={{ margin: 0 }}>{t('sla.calendars.hoursHint')}</p>
        <div className="hours-grid">
          {WEEKDAYS.map((d) => (
            <div key={d} style={{ display: 'contents' }}>
              <label htmlFor={`h-${d}`}>{t(`sla.calendars.days.${d}`)}</label>
              <input id={`h-${d}`} value={hours[d]} placeholder={t('sla.calendars.closed')} aria-invalid={bad.includes(d) || undefined}
                onChange={(e) => setHours({ ...hours, [d]: e.target.value })} />
            </div>
          ))}
        </div>
      </fieldset>
      <label className="inline-label"><input type="checkbox" checked={statutory} onChange={(e) => setStatutory(e.target.checked)} />{t('sla.calendars.statutory')}</label>
      <label className="inline-label"><input type="checkbox" checked={isDefault} disabled={cal?.isDefault} onChange={(e) => setIsDefault(e.target.checked)} />{t('sla.calendars.makeDefault')}</label>
      <div><Button type="submit" variant="primary">{submitLabel}</Button></div>
    </form>
  )
}

/** The holidays of one calendar for a year: statutory (Mexico) and custom, added or removed. */
function Holidays({ cal }: { cal: SlaCalendar }) {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const [year, setYear] = useState(new Date().getFullYear())
  const detail = useQuery({ queryKey: ['sla', 'calendars', cal.id, year], queryFn: () => slaApi.calendar(cal.id, year) })
  const [date, setDate] = useState('')
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const act = async (fn: () => Promise<unknown>) => {
    setError(null)
    try { await fn(); await qc.invalidateQueries({ queryKey: ['sla', 'calendars'] }) } catch (err) { setError(errorMessage(err)) }
  }
  return (
    <section className="stack" aria-labelledby={`hol-${cal.id}`}>
      <div className="row-between">
        <h3 id={`hol-${cal.id}`}>{t('sla.calendars.holidays', { year })}</h3>
        <div className="row">
          <Button size="sm" onClick={() => setYear(year - 1)} aria-label={t('sla.calendars.prevYear')}>←</Button>
          <Button size="sm" onClick={() => setYear(year + 1)} aria-label={t('sla.calendars.nextYear')}>→</Button>
        </div>
      </div>
      {error ? <Alert>{error}</Alert> : null}
      {detail.isPending ? <Spinner /> : detail.isError ? <ErrorState error={detail.error} /> : detail.data.holidays.length === 0 ? <p className="muted small">{t('sla.calendars.noHolidays')}</p> : (
        <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0, gap: '.25rem' }}>
          {detail.data.holidays.map((h) => (
            <li key={h.date} className="row">
              <time dateTime={h.date}>{h.date}</time> {h.name ?? ''} <span className="badge">{t(`sla.calendars.source.${h.source}`)}</span>
              <Button size="sm" variant="ghost" aria-label={t('sla.calendars.removeHoliday', { date: h.date })} onClick={() => void act(() => slaApi.removeHoliday(cal.id, h.date))}>×</Button>
            </li>
          ))}
        </ul>
      )}
      <form className="row" onSubmit={(e) => { e.preventDefault(); if (date) void act(async () => { await slaApi.addHoliday(cal.id, { date, name: name.trim() || null }); setDate(''); setName('') }) }}>
        <TextField label={t('sla.calendars.holidayDate')} type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
        <TextField label={t('sla.calendars.holidayName')} value={name} onChange={(e) => setName(e.target.value)} />
        <Button size="sm" type="submit">{t('sla.calendars.addHoliday')}</Button>
      </form>
    </section>
  )
}

/** Business calendars (hours per weekday, zone, Mexican statutory rest days, own holidays) that SLA clocks count in. */
export function SlaCalendarsAdmin() {
  const { t } = useTranslation()
  usePageTitle(t('sla.calendars.title'))
  const qc = useQueryClient()
  const list = useQuery({ queryKey: ['sla', 'calendars'], queryFn: slaApi.calendars })
  const [dialog, setDialog] = useState<SlaCalendar | 'new' | null>(null)
  const [msg, setMsg] = useState<{ kind: 'error' | 'success'; text: string } | null>(null)
  const refresh = () => qc.invalidateQueries({ queryKey: ['sla'] })
  const hoursLine = (c: SlaCalendar) => WEEKDAYS.filter((d) => c.hours[d]?.length).map((d) => `${t(`sla.calendars.short.${d}`)} ${rangesToText(c.hours[d])}`).join(' · ')
  return (
    <div className="stack">
      <div className="row-between">
        <h1>{t('sla.calendars.title')}</h1>
        <Button variant="primary" onClick={() => setDialog('new')}>{t('sla.calendars.new')}</Button>
      </div>
      <p className="muted">{t('sla.calendars.intro')}</p>
      {msg ? <Alert kind={msg.kind}>{msg.text}</Alert> : null}
      {list.isPending ? <Spinner /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : list.data.map((c) => (
        <section key={c.id} className="card stack" aria-labelledby={`cal-${c.id}`} data-calendar={c.name}>
          <div className="row-between">
            <h2 id={`cal-${c.id}`}>{c.name} {c.isDefault ? <span className="badge">{t('sla.calendars.default')}</span> : null}</h2>
            <div className="row">
              {c.builtin !== '24x7' ? <Button size="sm" onClick={() => setDialog(c)} aria-label={t('admin.common.editNamed', { name: c.name })}>{t('common.edit')}</Button> : null}
              {!c.builtin && !c.isDefault ? (
                <Button size="sm" variant="danger" aria-label={t('admin.common.deleteNamed', { name: c.name })} onClick={() => {
                  if (window.confirm(t('admin.common.deleteConfirm', { name: c.name }))) {
                    void slaApi.deleteCalendar(c.id).then(() => refresh(), (err: unknown) => setMsg({ kind: 'error', text: errorMessage(err) }))
                  }
                }}>{t('common.delete')}</Button>
              ) : null}
            </div>
          </div>
          <div className="small">{c.timezone} · {hoursLine(c) || t('sla.calendars.closed')} · {t('sla.calendars.weekly', { hours: Math.round(c.weeklyMinutes / 6) / 10 })}</div>
          {c.builtin !== '24x7' ? <Holidays cal={c} /> : null}
        </section>
      ))}
      <Dialog open={dialog !== null} onClose={() => setDialog(null)} wide title={dialog === 'new' ? t('sla.calendars.new') : dialog ? t('admin.common.editNamed', { name: dialog.name }) : ''}>
        {dialog ? (
          <CalendarForm cal={dialog === 'new' ? null : dialog} submitLabel={dialog === 'new' ? t('sla.calendars.create') : t('common.save')}
            onSave={async (b) => {
              if (dialog === 'new') await slaApi.createCalendar(b)
              else await slaApi.updateCalendar(dialog.id, b)
              setDialog(null)
              setMsg({ kind: 'success', text: t('admin.common.saved') })
              await refresh()
            }} />
        ) : null}
      </Dialog>
    </div>
  )
}
