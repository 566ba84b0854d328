import { useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../app/api-client'
import { useFormat } from '../../../app/format'
import { Button } from '../../../ui/Button'
import { Alert } from '../../../ui/Feedback'
import { SelectField, TextField } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { PRIORITIES, STATUS_CODES } from '../../../../../common/src/tickets/tickets.types'
import type { Priority, StatusCode } from '../../tickets/api/tickets.api'
import { formatMinutes } from '../../tickets/sla'
import { slaApi, type SimEvent, type SimEventType, type SimResult, type SimTarget } from '../api/sla.api'

const EVENT_TYPES: SimEventType[] = ['created', 'agent_reply', 'customer_reply', 'status']
const TARGETS = ['firstResponse', 'nextResponse', 'resolution'] as const
type TargetName = (typeof TARGETS)[number]

/** "YYYY-MM-DDTHH:mm" in the browser's zone, for datetime-local inputs. */
function localInput(d: Date) {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`
}

/** A weekday morning to start from, with a reply, a wait for the customer and a resolution. */
function sampleEvents(): SimEvent[] {
  const d = new Date()
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7) - 7) // last week's Monday: all in the past
  d.setHours(16, 0, 0, 0)
  const at = (hours: number) => localInput(new Date(d.getTime() + hours * 3_600_000))
  return [
    { at: at(0), type: 'created' },
    { at: at(0.5), type: 'agent_reply' },
    { at: at(1), type: 'status', status: 'pending' },
    { at: at(17.5), type: 'customer_reply' },
    { at: at(18), type: 'status', status: 'open' },
    { at: at(20), type: 'status', status: 'resolved' },
  ]
}

interface Point { at: number; kind: 'event' | 'due' | 'met' | 'breached' | 'now'; label: string; target?: TargetName }

/**
 * The simulated ticket on a time axis: the status of each stretch as a coloured band, the events
 * above it and each target's deadline, fulfilment or breach below; the same points as a list.
 */
function SimTimeline({ events, result, now }: { events: SimEvent[]; result: SimResult; now: number }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const eventTimes = events.map((e) => new Date(e.at).getTime())
  const points: Point[] = events.map((e, i) => ({
    at: eventTimes[i], kind: 'event', label: e.type === 'status' && e.status ? t('sla.sim.toStatus', { status: t(`status.${e.status}`) }) : t(`sla.sim.events.${e.type}`),
  }))
  for (const name of TARGETS) {
    const r = result[name]
    if (!r) continue
    const label = t(`sla.target.${name}`)
    if (r.dueAt && !(r.state === 'breached' && r.breachedAt === r.dueAt)) points.push({ at: new Date(r.dueAt).getTime(), kind: 'due', label: t('sla.sim.due', { target: label }), target: name })
    if (r.breachedAt) points.push({ at: new Date(r.breachedAt).getTime(), kind: 'breached', label: t('sla.sim.breached', { target: label }), target: name })
    if (r.metAt) points.push({ at: new Date(r.metAt).getTime(), kind: 'met', label: t('sla.sim.met', { target: label }), target: name })
  }
  points.sort((a, b) => a.at - b.at)
  const start = Math.min(...points.map((p) => p.at))
  let end = Math.max(...points.map((p) => p.at), start + 3_600_000)
  // The evaluated moment is listed; it is drawn only when it does not squash the rest.
  const lastEvent = Math.max(...eventTimes)
  const drawn = [...points]
  if (now > lastEvent) {
    const nowPoint: Point = { at: now, kind: 'now', label: t('sla.sim.now') }
    points.push(nowPoint)
    points.sort((a, b) => a.at - b.at)
    if (now <= end + (end - start) * 0.25) { drawn.push(nowPoint); end = Math.max(end, now) }
  }
  const pad = (end - start) * 0.03
  const W = 1000
  const x = (ms: number) => 10 + ((ms - start + pad) / (end - start + 2 * pad)) * (W - 20)
  // Status bands between status events (new until the first change).
  const bands: Array<{ from: number; to: number; status: StatusCode }> = []
  let current: StatusCode = 'new'
  let from = eventTimes[0]
  events.forEach((e, i) => {
    if (e.type === 'status' && e.status) {
      bands.push({ from, to: eventTimes[i], status: current })
      current = e.status
      from = eventTimes[i]
    }
  })
  bands.push({ from, to: end + pad, status: current })
  const color: Record<Point['kind'], string> = { event: '#1e3a8a', due: '#8a4b00', met: '#166534', breached: '#b91c1c', now: '#4d5560' }
  return (
    <div className="stack">
      <figure className="sim-timeline" style={{ margin: 0 }}>
        <svg viewBox={`0 0 ${W} 190`} role="img" aria-labelledby="sim-fig-cap" preserveAspectRatio="none" style={{ width: '100%', height: 190 }}>
          {bands.filter((b) => b.to > b.from).map((b, i) => (
            <g key={i}>
              <rect x={x(b.from)} y={80} width={Math.max(1, x(b.to) - x(b.from))} height={26} className={`band band-${b.status}`} />
              {x(b.to) - x(b.from) > 70 ? <text x={x(b.from) + 4} y={97} fontSize="12" fill="#1b1f24">{t(`status.${b.status}`)}</text> : null}
            </g>
          ))}
          {drawn.map((p, i) => {
            const above = p.kind === 'event'
            return (
              <g key={i}>
                <line x1={x(p.at)} x2={x(p.at)} y1={above ? 40 : 80} y2={above ? 106 : 150} stroke={color[p.kind]} strokeWidth={p.kind === 'event' ? 1.5 : 2} strokeDasharray={p.kind === 'due' || p.kind === 'now' ? '4 3' : undefined} />
                <circle cx={x(p.at)} cy={above ? 40 : 150} r={4} fill={color[p.kind]} />
              </g>
            )
          })}
        </svg>
        <figcaption id="sim-fig-cap" className="muted small">{t('sla.sim.figure', { from: fmt.dateTime(start), to: fmt.dateTime(end) })}</figcaption>
      </figure>
      <ol className="sim-points" aria-label={t('sla.sim.timeline')}>
        {points.map((p, i) => (
          <li key={i} className={`sim-point sim-${p.kind}`} data-kind={p.kind} data-target={p.target}>
            <time dateTime={new Date(p.at).toISOString()}>{fmt.dateTime(p.at)}</time> — {p.label}
          </li>
        ))}
      </ol>
    </div>
  )
}

function TargetResult({ name, r }: { name: TargetName; r: SimTarget }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const units = { h: t('sla.units.h'), min: t('sla.units.min') }
  const state = r.state === 'breached' && r.metAt ? 'met-late' : r.state
  return (
    <div className="card stack sim-result" data-target={name} style={{ gap: '.3rem' }}>
      <h3>{t(`sla.target.${name}`)}</h3>
      <div><span className={`sla sla-${state === 'met-late' ? 'breached' : state}`} data-sla={state}>{t(`sla.state.${state}`)}</span></div>
      <dl className="dl">
        {r.dueAt ? <><dt>{t('sla.sim.dueAt')}</dt><dd>{fmt.dateTime(r.dueAt)}</dd></> : null}
        {r.metAt ? <><dt>{t('sla.sim.metAt')}</dt><dd>{fmt.dateTime(r.metAt)}</dd></> : null}
        {r.breachedAt ? <><dt>{t('sla.sim.breachedAt')}</dt><dd>{fmt.dateTime(r.breachedAt)}</dd></> : null}
        <dt>{t('sla.sim.elapsed')}</dt><dd>{t('sla.businessTime', { time: formatMinutes(r.elapsedMinutes, units) })}</dd>
        <dt>{r.remainingMinutes < 0 ? t('sla.sim.over') : t('sla.sim.remaining')}</dt><dd>{t('sla.businessTime', { time: formatMinutes(r.remainingMinutes, units) })}</dd>
      </dl>
    </div>
  )
}

/** "Simulador de SLA": a ticket's events against a policy or manual targets, on a calendar, drawn as a timeline. */
export function SlaSimulator() {
  const { t } = useTranslation()
  usePageTitle(t('sla.sim.title'))
  const policies = useQuery({ queryKey: ['sla', 'policies'], queryFn: slaApi.policies })
  const calendars = useQuery({ queryKey: ['sla', 'calendars'], queryFn: slaApi.calendars })
  const [policyId, setPolicyId] = useState('')
  const [priority, setPriority] = useState<Priority>('normal')
  const [calendarId, setCalendarId] = useState('')
  const [first, setFirst] = useState('60')
  const [resolution, setResolution] = useState('240')
  const [pauseOnHold, setPauseOnHold] = useState(false)
  const [events, setEvents] = useState<SimEvent[]>(sampleEvents)
  const [now, setNow] = useState('')
  const [result, setResult] = useState<{ res: SimResult; events: SimEvent[]; now: number } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const setEvent = (i: number, patch: Partial<SimEvent>) => setEvents((old) => old.map((e, j) => (j === i ? { ...e, ...patch } : e)))
  const run = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const sent = events.map((ev) => (ev.type === 'status' ? ev : { at: ev.at, type: ev.type }))
      const res = await slaApi.simulate({
        ...(policyId ? { policyId, priority } : { targets: { firstResponseMinutes: Number(first) || undefined, resolutionMinutes: Number(resolution) || undefined }, pauseOnHold }),
        ...(calendarId ? { calendarId } : {}),
        ...(now ? { now } : {}),
        events: sent,
      })
      setResult({ res, events: sent, now: now ? new Date(now).getTime() : Date.now() })
    } catch (err) {
      setError(errorMessage(err))
      setResult(null)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="stack">
      <h1>{t('sla.sim.title')}</h1>
      <p className="muted">{t('sla.sim.intro')}</p>
      <form className="card stack" onSubmit={run} aria-label={t('sla.sim.title')}>
        <div className="filters" style={{ padding: 0, margin: 0 }}>
          <SelectField label={t('sla.sim.policy')} value={policyId} onChange={(e) => setPolicyId(e.target.value)}>
            <option value="">{t('sla.sim.manual')}</option>
            {(policies.data ?? []).map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </SelectField>
          {policyId ? (
            <SelectField label={t('fields.priority')} value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
              {PRIORITIES.map((p) => <option key={p} value={p}>{t(`priority.${p}`)}</option>)}
            </SelectField>
          ) : (
            <>
              <TextField label={t('sla.sim.firstMinutes')} type="number" min={1} value={first} onChange={(e) => setFirst(e.target.value)} />
              <TextField label={t('sla.sim.resolutionMinutes')} type="number" min={1} value={resolution} onChange={(e) => setResolution(e.target.value)} />
            </>
          )}
          <SelectField label={t('sla.sim.calendar')} value={calendarId} onChange={(e) => setCalendarId(e.target.value)} hint={t('sla.sim.calendarHint')}>
            <option value="">{policyId ? t('sla.sim.policyCalendar') : t('sla.sim.defaultCalendar')}</option>
            {(calendars.data ?? []).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </SelectField>
          <TextField label={t('sla.sim.nowAt')} type="datetime-local" value={now} onChange={(e) => setNow(e.target.value)} hint={t('sla.sim.nowHint')} />
        </div>
        {!policyId ? <label className="inline-label"><input type="checkbox" checked={pauseOnHold} onChange={(e) => setPauseOnHold(e.target.checked)} />{t('sla.sim.pauseOnHold')}</label> : null}
        <fieldset className="stack" style={{ border: 'none', padding: 0, margin: 0 }}>
          <legend style={{ fontWeight: 700 }}>{t('sla.sim.eventsTitle')}</legend>
          <ol className="sim-events">
            {events.map((ev, i) => (
              <li key={i} className="row">
                <TextField label={t('sla.sim.at', { n: i + 1 })} type="datetime-local" required value={ev.at} onChange={(e) => setEvent(i, { at: e.target.value })} />
                <SelectField label={t('sla.sim.event', { n: i + 1 })} value={ev.type} onChange={(e) => setEvent(i, { type: e.target.value as SimEventType, ...(e.target.value === 'status' ? { status: ev.status ?? 'open' } : {}) })}>
                  {EVENT_TYPES.map((ty) => <option key={ty} value={ty}>{t(`sla.sim.events.${ty}`)}</option>)}
                </SelectField>
                {ev.type === 'status' ? (
                  <SelectField label={t('sla.sim.status', { n: i + 1 })} value={ev.status ?? 'open'} onChange={(e) => setEvent(i, { status: e.target.value as StatusCode })}>
                    {STATUS_CODES.map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
                  </SelectField>
                ) : null}
                <Button size="sm" variant="ghost" disabled={events.length < 2} aria-label={t('sla.sim.removeEvent', { n: i + 1 })} onClick={() => setEvents(events.filter((_, j) => j !== i))}>×</Button>
              </li>
            ))}
          </ol>
          <div className="row">
            <Button size="sm" onClick={() => {
              const last = events[events.length - 1]
              const next = last ? localInput(new Date(new Date(last.at).getTime() + 3_600_000)) : localInput(new Date())
              setEvents([...events, { at: next, type: 'agent_reply' }])
            }}>{t('sla.sim.addEvent')}</Button>
            <Button size="sm" variant="ghost" onClick={() => { setEvents(sampleEvents()); setResult(null) }}>{t('sla.sim.example')}</Button>
          </div>
        </fieldset>
        {error ? <Alert>{error}</Alert> : null}
        <div><Button type="submit" variant="primary" busy={busy}>{t('sla.sim.run')}</Button></div>
      </form>
      {result ? (
        <section className="stack" aria-labelledby="sim-res-h" aria-live="polite">
          <h2 id="sim-res-h">{t('sla.sim.result')}</h2>
          <div className="call-grid sim-results">
            {TARGETS.map((n) => (result.res[n] ? <TargetResult key={n} name={n} r={result.res[n]} /> : null))}
          </div>
          <SimTimeline events={result.events} result={result.res} now={result.now} />
        </section>
      ) : null}
    </div>
  )
}
