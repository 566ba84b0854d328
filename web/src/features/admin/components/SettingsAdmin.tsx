import { useMemo, useState, type FormEvent } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../../app/api-client'
import { useFormSubmit } from '../../../app/useFormSubmit'
import { Button } from '../../../ui/Button'
import { Alert, ErrorState, Spinner } from '../../../ui/Feedback'
import { SelectField, TextArea, TextField } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { PRIORITIES } from '../../../../../common/src/tickets/tickets.types'
import { labelOf } from '../../tickets/api/config.api'
import type { Priority } from '../../tickets/api/tickets.api'
import { flattenCategories } from '../../tickets/components/FilterPanel'
import { useTicketConfig } from '../../tickets/hooks/useTicketConfig'
import { settingsApi, type Setting, type TicketSettings } from '../api/settings.api'
import { SETTING_SPECS, fromDraft, keyId, specFor, toDraft, type FieldProblem, type SettingGroup, type SettingSpec } from './settings-fields'

type FieldErrors = Record<string, string>
const grid = { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(17rem, 1fr))', gap: '.75rem 1rem', alignItems: 'start' } as const

/**
 * The server's field messages (400 `details`), by the field they name (`email.denyList.0` → the
 * list), leaving out the union's "must be null" / "is not valid" noise when a real reason is there.
 */
function serverFieldErrors(err: unknown, fieldOf: (name: string) => string | null): FieldErrors {
  if (!(err instanceof ApiError) || !Array.isArray(err.details)) return {}
  const out: FieldErrors = {}
  for (const d of err.details as Array<{ field?: string; rule?: string; message?: string }>) {
    const field = d.field ? fieldOf(d.field) : null
    if (!field || !d.message || d.rule === 'type' || d.rule === 'anyOf') continue
    out[field] = out[field] ? `${out[field]} ${d.message}` : d.message
  }
  return out
}

/** The ticket defaults (when a creator leaves type, priority or category out) and the reopen window. */
function TicketSettingsForm({ initial, onSaved }: { initial: TicketSettings; onSaved: (s: TicketSettings) => void }) {
  const { t, i18n } = useTranslation()
  const { types, categories } = useTicketConfig()
  const [f, setF] = useState({ ...initial, reopenWindowDays: String(initial.reopenWindowDays) })
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({})
  const [ok, setOk] = useState(false)
  const { error, setError, busy, run } = useFormSubmit()
  const typeChoices = types.filter((ty) => ty.active !== false || ty.code === f.defaultTypeCode)
  const categoryChoices = flattenCategories(categories).filter((c) => c.active !== false || c.id === f.defaultCategoryId)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setOk(false)
    const days = Number(f.reopenWindowDays.trim())
    if (f.reopenWindowDays.trim() === '' || !Number.isInteger(days) || days < 0 || days > 365) {
      setFieldErrors({ reopenWindowDays: t('admin.settings.errors.number', { min: 0, max: 365 }) })
      setError(t('admin.settings.fixFields'))
      return
    }
    setFieldErrors({})
    void run(async () => {
      try {
        const saved = await settingsApi.updateTicketSettings({ reopenWindowDays: days, defaultTypeCode: f.defaultTypeCode, defaultPriority: f.defaultPriority, defaultCategoryId: f.defaultCategoryId })
        onSaved(saved)
        setF({ ...saved, reopenWindowDays: String(saved.reopenWindowDays) })
        setOk(true)
      } catch (err) {
        // The server names the type and category `type` and `categoryId` in its refusals.
        setFieldErrors(serverFieldErrors(err, (name) => ({ type: 'defaultTypeCode', categoryId: 'defaultCategoryId' } as Record<string, string>)[name] ?? name))
        throw err
      }
    })
  }
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="ticket-settings-h" noValidate>
      <h2 id="ticket-settings-h">{t('admin.settings.tickets')}</h2>
      <p className="muted small">{t('admin.settings.ticketsIntro')}</p>
      {error ? <Alert>{error}</Alert> : null}
      <div style={grid}>
        <TextField label={t('admin.settings.reopenWindowDays')} type="number" inputMode="numeric" min={0} max={365} step={1} required value={f.reopenWindowDays}
          error={fieldErrors.reopenWindowDays} hint={t('admin.settings.reopenWindowDaysHint')} onChange={(e) => setF({ ...f, reopenWindowDays: e.target.value })} />
        <SelectField label={t('admin.settings.defaultType')} value={f.defaultTypeCode} error={fieldErrors.defaultTypeCode} hint={t('admin.settings.defaultTypeHint')}
          onChange={(e) => setF({ ...f, defaultTypeCode: e.target.value })}>
          {typeChoices.some((ty) => ty.code === f.defaultTypeCode) ? null : <option value={f.defaultTypeCode}>{f.defaultTypeCode}</option>}
          {typeChoices.map((ty) => <option key={ty.id} value={ty.code}>{labelOf(ty, i18n.language)}{ty.active === false ? ` (${t('admin.common.inactive')})` : ''}</option>)}
        </SelectField>
        <SelectField label={t('admin.settings.defaultPriority')} value={f.defaultPriority} error={fieldErrors.defaultPriority} hint={t('admin.settings.defaultPriorityHint')}
          onChange={(e) => setF({ ...f, defaultPriority: e.target.value as Priority })}>
          {PRIORITIES.map((p) => <option key={p} value={p}>{t(`priority.${p}`)}</option>)}
        </SelectField>
        <SelectField label={t('admin.settings.defaultCategory')} value={f.defaultCategoryId ?? ''} error={fieldErrors.defaultCategoryId} hint={t('admin.settings.defaultCategoryHint')}
          onChange={(e) => setF({ ...f, defaultCategoryId: e.target.value || null })}>
          <option value="">{t('history.values.noCategory')}</option>
          {categoryChoices.map((c) => <option key={c.id} value={c.id}>{`${'\u00a0\u00a0'.repeat(c.level)}${c.name}`}{c.active === false ? ` (${t('admin.common.inactive')})` : ''}</option>)}
        </SelectField>
      </div>
      <div className="row">
        <Button type="submit" variant="primary" busy={busy}>{t('common.save')}</Button>
        {ok && !busy ? <Alert kind="success">{t('admin.settings.ticketsSaved')}</Alert> : null}
      </div>
    </form>
  )
}

let zoneList: string[] | null = null
function timeZones(current: string): string[] {
  if (!zoneList) {
    try { zoneList = Intl.supportedValuesOf('timeZone') } catch { zoneList = ['America/Mexico_City', 'UTC'] }
  }
  return zoneList.includes(current) ? zoneList : [current, ...zoneList]
}

/** A setting's name in the UI language (its key for one the screen does not know yet). */
function useSettingLabel() {
  const { t, i18n } = useTranslation()
  return (key: string) => (i18n.exists(`admin.settings.keys.${keyId(key)}`) ? t(`admin.settings.keys.${keyId(key)}`) : key)
}

/** One setting's input, by its kind. */
function SettingInput({ spec, item, draft, error, onChange }: { spec: SettingSpec; item: Setting; draft: string | boolean; error?: string; onChange: (v: string | boolean) => void }) {
  const { t, i18n } = useTranslation()
  const id = keyId(spec.key)
  const label = useSettingLabel()(spec.key)
  // Sizes are edited in MB, so the server's description (in bytes) gives way to our own.
  const hint = i18n.exists(`admin.settings.hints.${id}`) ? t(`admin.settings.hints.${id}`) : item.description
  const common = { id: `setting-${id}`, label, hint, error, 'data-setting': spec.key }
  switch (spec.kind) {
    case 'boolean':
      return (
        <div className="field" data-setting={spec.key}>
          <label className="inline-label"><input type="checkbox" id={common.id} checked={draft === true} aria-describedby={`${common.id}-hint`} onChange={(e) => onChange(e.target.checked)} />{label}</label>
          <div className="field-hint" id={`${common.id}-hint`}>{hint}</div>
          {error ? <div className="field-error" role="alert">{error}</div> : null}
        </div>
      )
    case 'locale':
      return (
        <SelectField {...common} value={String(draft)} onChange={(e) => onChange(e.target.value)}>
          <option value="es-MX">Español (México)</option>
          <option value="en">English</option>
        </SelectField>
      )
    case 'timezone':
      return <SelectField {...common} value={String(draft)} onChange={(e) => onChange(e.target.value)}>{timeZones(String(draft)).map((z) => <option key={z} value={z}>{z}</option>)}</SelectField>
    case 'agentReplyAuth':
      return (
        <SelectField {...common} value={String(draft)} onChange={(e) => onChange(e.target.value)}>
          <option value="none">{t('admin.settings.agentReplyAuth.none')}</option>
          <option value="authentication-results">{t('admin.settings.agentReplyAuth.authenticationResults')}</option>
        </SelectField>
      )
    case 'lines':
      return <TextArea {...common} rows={Math.min(8, Math.max(3, String(draft).split('\n').length + 1))} value={String(draft)} onChange={(e) => onChange(e.target.value)}
        label={<>{label} <span className="muted small">{t('admin.settings.onePerLine')}</span></>} />
    case 'number':
    case 'megabytes':
      return <TextField {...common} type="number" inputMode="decimal" step={spec.kind === 'megabytes' ? 'any' : 1} min={spec.kind === 'megabytes' ? 0 : spec.min} value={String(draft)} onChange={(e) => onChange(e.target.value)}
        label={spec.kind === 'megabytes' ? `${label} (MB)` : label} />
    default:
      return <TextField {...common} value={String(draft)} onChange={(e) => onChange(e.target.value)} placeholder={spec.nullable ? t('admin.settings.emptyDefault') : undefined} />
  }
}

/** One group of key/value settings with its own Save: sends only the keys changed (null restores a default). */
function SettingsGroupForm({ group, items, onSaved }: { group: SettingGroup; items: Setting[]; onSaved: (items: Setting[]) => void }) {
  const { t } = useTranslation()
  const labelOfKey = useSettingLabel()
  const specs = useMemo(() => new Map(items.map((i) => [i.key, specFor(i.key, i.default)])), [items])
  const initial = useMemo(() => Object.fromEntries(items.map((i) => [i.key, toDraft(specs.get(i.key)!, i.value)])), [items, specs])
  const [drafts, setDrafts] = useState(initial)
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({})
  // A message key (not its text), so that it follows a language switch.
  const [ok, setOk] = useState<{ key: string; count?: number } | null>(null)
  const { error, setError, busy, run } = useFormSubmit()
  const problemText = (p: FieldProblem) => t(`admin.settings.errors.${p.key}`, p.values ?? {})
  const save = (changes: Record<string, unknown>, message: { key: string; count?: number }) => run(async () => {
    try {
      const all = await settingsApi.updateSettings(changes)
      onSaved(all)
      // The saved keys now show what was stored (a restored default, lines deduplicated…); other edits stay.
      setDrafts((old) => ({ ...old, ...Object.fromEntries(Object.keys(changes).map((k) => [k, toDraft(specs.get(k)!, all.find((x) => x.key === k)?.value ?? null)])) }))
      setOk(message)
    } catch (err) {
      setFieldErrors(serverFieldErrors(err, (name) => items.find((i) => name === i.key || name.startsWith(`${i.key}.`))?.key ?? null))
      throw err
    }
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setOk(null)
    const changes: Record<string, unknown> = {}
    const problems: FieldErrors = {}
    for (const item of items) {
      if (drafts[item.key] === initial[item.key]) continue
      const r = fromDraft(specs.get(item.key)!, drafts[item.key])
      if ('problem' in r) problems[item.key] = problemText(r.problem)
      else changes[item.key] = r.value
    }
    setFieldErrors(problems)
    if (Object.keys(problems).length) { setError(t('admin.settings.fixFields')); return }
    if (!Object.keys(changes).length) { setError(null); setOk({ key: 'admin.settings.nothingChanged' }); return }
    void save(changes, { key: 'admin.settings.saved', count: Object.keys(changes).length })
  }
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby={`settings-${group}-h`} noValidate>
      <h2 id={`settings-${group}-h`}>{t(`admin.settings.groups.${group}`)}</h2>
      {error ? <Alert>{error}</Alert> : null}
      <div style={grid}>
        {items.map((item) => (
          <div key={item.key} className="stack" style={{ gap: '.25rem' }}>
            <SettingInput spec={specs.get(item.key)!} item={item} draft={drafts[item.key]} error={fieldErrors[item.key]}
              onChange={(v) => setDrafts({ ...drafts, [item.key]: v })} />
            {!item.isDefault ? (
              <div>
                <Button size="sm" variant="ghost" disabled={busy} aria-label={t('admin.settings.restoreNamed', { name: labelOfKey(item.key) })}
                  onClick={() => { setOk(null); void save({ [item.key]: null }, { key: 'admin.settings.restored' }) }}>{t('admin.settings.restore')}</Button>
              </div>
            ) : null}
          </div>
        ))}
      </div>
      <div className="row">
        <Button type="submit" variant="primary" busy={busy}>{t('common.save')}</Button>
        {ok && !busy ? <Alert kind="success">{t(ok.key, { count: ok.count })}</Alert> : null}
      </div>
    </form>
  )
}

const GROUPS: SettingGroup[] = ['general', 'email', 'other']

/**
 * Settings that live in the API only: ticket defaults and the reopen window (`/ticket-settings`),
 * and the helpdesk settings of `/settings` (system mail sender, new users' language and time zone,
 * inbound email rules), each checked here before it is sent, with the server's refusal shown as is.
 */
export function SettingsAdmin() {
  const { t, i18n } = useTranslation()
  usePageTitle(t('admin.settings.title'))
  const qc = useQueryClient()
  const tickets = useQuery({ queryKey: ['admin', 'ticket-settings'], queryFn: settingsApi.ticketSettings })
  // The descriptions come in the UI language.
  const settingsKey = ['admin', 'settings', i18n.language]
  const settings = useQuery({ queryKey: settingsKey, queryFn: settingsApi.settings, placeholderData: (previous) => previous })
  // Known keys in a sensible order (sender and language first, then the email rules), new ones after.
  const rank = (key: string) => { const i = SETTING_SPECS.findIndex((s) => s.key === key); return i < 0 ? SETTING_SPECS.length : i }
  const byGroup = (g: SettingGroup) => (settings.data ?? []).filter((s) => specFor(s.key, s.default).group === g).sort((a, b) => rank(a.key) - rank(b.key))
  return (
    <div className="stack">
      <h1>{t('admin.settings.title')}</h1>
      <p className="muted">{t('admin.settings.intro')}</p>
      {tickets.isPending ? <Spinner /> : tickets.isError ? <ErrorState error={tickets.error} onRetry={() => void tickets.refetch()} /> : (
        <TicketSettingsForm initial={tickets.data} onSaved={(s) => qc.setQueryData(['admin', 'ticket-settings'], s)} />
      )}
      {settings.isPending ? <Spinner /> : settings.isError ? <ErrorState error={settings.error} onRetry={() => void settings.refetch()} /> : (
        GROUPS.map((g) => {
          const items = byGroup(g)
          return items.length ? (
            <SettingsGroupForm key={g} group={g} items={items}
              onSaved={(all) => { qc.setQueryData(settingsKey, all); void qc.invalidateQueries({ queryKey: ['admin', 'settings'], predicate: (q) => q.queryKey[2] !== i18n.language }) }} />
          ) : null
        })
      )}
    </div>
  )
}
