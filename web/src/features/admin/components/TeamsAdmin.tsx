import { useState, type FormEvent } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../app/api-client'
import { Button } from '../../../ui/Button'
import { Alert, EmptyState, ErrorState, Spinner } from '../../../ui/Feedback'
import { TextField } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { adminApi, type AdminTeam, type AdminUser } from '../api/admin.api'

/** A checkbox list longer than this gets a search box. */
const SEARCH_FROM = 12

/**
 * One team and its members. The boxes list every active staff user plus any member who no longer
 * is one (deactivated, or now a customer), marked so, so that they can be taken off: a change sends
 * the members as shown, kept ones included.
 */
function TeamCard({ team, staff, onChanged }: { team: AdminTeam; staff: AdminUser[]; onChanged: () => Promise<unknown> }) {
  const { t } = useTranslation()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [q, setQ] = useState('')
  // The list being saved shows at once; the saved team's list comes back with the refresh.
  const [pending, setPending] = useState<string[] | null>(null)
  const saved = team.members.map((m) => m.id)
  const members = pending ?? saved
  const staffIds = new Set(staff.map((s) => s.id))
  const others = team.members.filter((m) => !staffIds.has(m.id))
  const people: Array<{ id: string; name: string; email: string | null; note: string | null }> = [
    ...staff.map((s) => ({ id: s.id, name: s.name, email: s.email, note: null })),
    ...others.map((m) => ({ id: m.id, name: m.name, email: m.email, note: m.active ? t(`roles.${m.role}`) : t('admin.teams.inactiveMember') })),
  ]
  const needle = q.trim().toLowerCase()
  const shown = needle ? people.filter((p) => `${p.name} ${p.email ?? ''}`.toLowerCase().includes(needle)) : people
  const toggle = async (id: string, on: boolean) => {
    // One change at a time: the next list is built from the saved one.
    if (busy) return
    setError(null)
    setBusy(true)
    const next = on ? [...saved, id] : saved.filter((x) => x !== id)
    setPending(next)
    try {
      await adminApi.setMembers(team.id, next)
      await onChanged()
    } catch (err) {
      // A server that only takes active staff refuses any list with a former member still in it.
      const stale = others.some((m) => next.includes(m.id))
      setError(stale ? `${errorMessage(err)} ${t('admin.teams.removeInactiveFirst')}` : errorMessage(err))
    } finally {
      setPending(null)
      setBusy(false)
    }
  }
  return (
    <section className="card stack" aria-labelledby={`team-${team.id}`}>
      <h2 id={`team-${team.id}`}>{team.name} <span className="badge">{t('admin.teams.level', { level: team.level ?? 1 })}</span></h2>
      {error ? <Alert>{error}</Alert> : null}
      {people.length > SEARCH_FROM ? (
        <TextField label={t('admin.teams.searchPeople')} type="search" value={q} onChange={(e) => setQ(e.target.value)} style={{ maxWidth: '20rem' }} />
      ) : null}
      <fieldset style={{ border: 'none', padding: 0, margin: 0 }} aria-busy={busy}>
        <legend className="small muted">{t('admin.teams.membersCount', { count: members.length })}</legend>
        <div className="row">
          {shown.map((p) => (
            <label key={p.id} className="inline-label">
              <input type="checkbox" checked={members.includes(p.id)} onChange={(e) => void toggle(p.id, e.target.checked)} />
              {p.name}{p.note ? <>{' '}<span className="muted">({p.note})</span></> : null}
              {team.leadUserId === p.id ? <>{' '}<span className="badge">{t('admin.teams.lead')}</span></> : null}
            </label>
          ))}
          {shown.length === 0 ? <span className="muted small">{t('admin.users.none')}</span> : null}
        </div>
      </fieldset>
    </section>
  )
}

/** Teams with their support level (N1, N2…) and members. */
export function TeamsAdmin() {
  const { t } = useTranslation()
  usePageTitle(t('admin.teams.title'))
  const qc = useQueryClient()
  const teams = useQuery({ queryKey: ['admin', 'teams'], queryFn: adminApi.teams })
  const staff = useQuery({ queryKey: ['admin', 'users', 'staff'], queryFn: adminApi.allActiveStaff })
  const [name, setName] = useState('')
  const [level, setLevel] = useState('1')
  const [error, setError] = useState<string | null>(null)
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: ['admin', 'teams'] }), qc.invalidateQueries({ queryKey: ['config', 'teams'] })])
  const create = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    try { await adminApi.createTeam({ name: name.trim(), level: Number(level) || 1 }); setName(''); await refresh() } catch (err) { setError(errorMessage(err)) }
  }
  return (
    <div className="stack">
      <h1>{t('admin.teams.title')}</h1>
      <form className="card row" onSubmit={create} aria-label={t('admin.teams.new')}>
        <TextField label={t('admin.teams.name')} required value={name} onChange={(e) => setName(e.target.value)} />
        <TextField label={t('fields.supportLevel')} type="number" min={1} max={9} value={level} onChange={(e) => setLevel(e.target.value)} style={{ width: 90 }} />
        <Button type="submit" variant="primary">{t('admin.teams.create')}</Button>
        {error ? <Alert>{error}</Alert> : null}
      </form>
      {teams.isPending || staff.isPending ? <Spinner /> : teams.isError ? <ErrorState error={teams.error} onRetry={() => void teams.refetch()} />
        : staff.isError ? <ErrorState error={staff.error} onRetry={() => void staff.refetch()} /> : teams.data.items.length === 0 ? <EmptyState title={t('admin.teams.none')} /> : (
        teams.data.items.map((tm) => <TeamCard key={tm.id} team={tm} staff={staff.data} onChanged={refresh} />)
      )}
    </div>
  )
}
