import { useState, type FormEvent } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../app/api-client'
import { Button } from '../../../ui/Button'
import { Alert, EmptyState, ErrorState, Spinner } from '../../../ui/Feedback'
import { TextField } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { adminApi, type AdminTeam } from '../api/admin.api'

function TeamCard({ team, staff, onChanged }: { team: AdminTeam; staff: Array<{ id: string; name: string }>; onChanged: () => void }) {
  const { t } = useTranslation()
  const [error, setError] = useState<string | null>(null)
  const members = new Set(team.members.map((m) => m.id))
  const toggle = async (id: string, on: boolean) => {
    setError(null)
    const next = on ? [...members, id] : [...members].filter((x) => x !== id)
    try { await adminApi.setMembers(team.id, next); onChanged() } catch (err) { setError(errorMessage(err)) }
  }
  return (
    <section className="card stack" aria-labelledby={`team-${team.id}`}>
      <h2 id={`team-${team.id}`}>{team.name} <span className="badge">{t('admin.teams.level', { level: team.level ?? 1 })}</span></h2>
      {error ? <Alert>{error}</Alert> : null}
      <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
        <legend className="small muted">{t('admin.teams.members')}</legend>
        <div className="row">
          {staff.map((s) => (
            <label key={s.id} className="inline-label"><input type="checkbox" checked={members.has(s.id)} onChange={(e) => void toggle(s.id, e.target.checked)} />{s.name}</label>
          ))}
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
  const staff = useQuery({ queryKey: ['admin', 'users', 'staff'], queryFn: () => adminApi.users({ role: ['agent', 'supervisor', 'admin'], active: true }) })
  const [name, setName] = useState('')
  const [level, setLevel] = useState('1')
  const [error, setError] = useState<string | null>(null)
  const refresh = () => { void qc.invalidateQueries({ queryKey: ['admin', 'teams'] }); void qc.invalidateQueries({ queryKey: ['config', 'teams'] }) }
  const create = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    try { await adminApi.createTeam({ name: name.trim(), level: Number(level) || 1 }); setName(''); refresh() } catch (err) { setError(errorMessage(err)) }
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
      {teams.isPending ? <Spinner /> : teams.isError ? <ErrorState error={teams.error} onRetry={() => void teams.refetch()} /> : teams.data.items.length === 0 ? <EmptyState title={t('admin.teams.none')} /> : (
        teams.data.items.map((tm) => <TeamCard key={tm.id} team={tm} staff={staff.data?.items ?? []} onChanged={refresh} />)
      )}
    </div>
  )
}
