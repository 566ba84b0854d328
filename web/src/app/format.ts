import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { useSession } from './session'

export type DateInput = string | number | Date | null | undefined

function browserTimeZone(): string {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone } catch { return 'America/Mexico_City' }
}

type Formatters = { dt: Intl.DateTimeFormat; d: Intl.DateTimeFormat; rtf: Intl.RelativeTimeFormat; num: Intl.NumberFormat }
const cache = new Map<string, Formatters>()

/** Intl formatters are costly to build: one set per language and zone, shared by every component. */
function formatters(locale: string, timeZone: string): Formatters {
  const key = `${locale}|${timeZone}`
  let f = cache.get(key)
  if (!f) {
    f = {
      dt: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }),
      d: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone }),
      rtf: new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }),
      num: new Intl.NumberFormat(locale),
    }
    cache.set(key, f)
  }
  return f
}

/** Formats dates and numbers in the UI language and the viewer's own time zone (profile, else browser). */
export function useFormat() {
  const { i18n } = useTranslation()
  const { user } = useSession()
  const locale = i18n.language
  const timeZone = user?.timezone || browserTimeZone()
  return useMemo(() => {
    const { dt, d, rtf, num } = formatters(locale, timeZone)
    const toDate = (v: DateInput) => (v === null || v === undefined || v === '' ? null : new Date(v))
    return {
      timeZone,
      dateTime: (v: DateInput) => { const x = toDate(v); return x && !isNaN(x.getTime()) ? dt.format(x) : '' },
      date: (v: DateInput) => { const x = toDate(v); return x && !isNaN(x.getTime()) ? d.format(x) : '' },
      number: (n: number) => num.format(n),
      relative: (v: DateInput, now = Date.now()) => {
        const x = toDate(v)
        if (!x || isNaN(x.getTime())) return ''
        const secs = Math.round((x.getTime() - now) / 1000)
        const abs = Math.abs(secs)
        if (abs < 60) return rtf.format(secs, 'second')
        if (abs < 3600) return rtf.format(Math.round(secs / 60), 'minute')
        if (abs < 86400) return rtf.format(Math.round(secs / 3600), 'hour')
        if (abs < 86400 * 30) return rtf.format(Math.round(secs / 86400), 'day')
        return d.format(x)
      },
    }
  }, [locale, timeZone])
}
