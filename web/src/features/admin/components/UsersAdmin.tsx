import { useState, type FormEvent } from 'react'
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../app/api-client'
import { useFormat } from '../../../app/format'
import { useDebounced } from '../../../app/useDebounced'
import { Button } from '../../../ui/Button'
import { Alert, EmptyState, ErrorState, Spinner } from '../../../ui/Feedback'
import { SelectField, TextField } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import type { Role } from '../../auth/api/auth.api'
import { adminApi, type AdminUser } from '../api/admin.api'

const ROLES: Role[] = ['customer', 'agent', 'supervisor', 'admin']

function NewUserForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation()
  const [form, setForm] = useState({ name: '', email: '', role: 'agent' as Role, mode: 'invite', password: '' })
  const [msg, setMsg] = useState<{ kind: 'error' | 'success'; text: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setMsg(null)
    try {
      const u = await adminApi.createUser({ name: form.name.trim(), email: form.email.trim(), role: form.role, ...(form.mode === 'invite' ? { invite: true } : { password: form.password }) })
      setMsg({ kind: 'success', text: form.mode === 'invite' ? t('admin.users.invited', { email: u.email }) : t('admin.users.created', { name: u.name }) })
      setForm({ ...form, name: '', email: '', password: '' })
      onDone()
    } catch (err) {
      setMsg({ kind: 'error', text: errorMessage(err) })
    } finally {
      setBusy(false)
    }
  }
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="new-user-h">
      <h2 id="new-user-h">{t('admin.users.new')}</h2>
      {msg ? <Alert kind={msg.kind}>{msg.text}</Alert> : null}
      <div className="filters" style={{ padding: 0, margin: 0 }}>
        <TextField label={t('auth.name')} required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        <TextField label={t('auth.email')} type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        <SelectField label={t('admin.users.role')} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
          {ROLES.map((r) => <option key={r} value={r}>{t(`roles.${r}`)}</option>)}
        </SelectField>
        <SelectField label={t('admin.users.access')} value={form.mode} onChange={(e) => setForm({ ...form, mode: e.target.value })}>
          <option value="invite">{t('admin.users.sendInvite')}</option>
          <option value="password">{t('admin.users.setPassword')}</option>
        </SelectField>
        {form.mode === 'password' ? <TextField label={t('admin.users.initialPassword')} type="password" autoComplete="new-password" required value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} /> : null}
      </div>
      <div><Button type="submit" variant="primary" busy={busy}>{t('admin.users.create')}</Button></div>
    </form>
  )
}

function UserRow({ u, onChanged }: { u: AdminUser; onChanged: () => void }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const [error, setError] = useState<string | null>(null)
  const act = async (fn: () => Promise<unknown>) => { setError(null); try { await fn(); onChanged() } catch (err) { setError(errorMessage(err)) } }
  return (
    <tr>
      <td>{u.name}{error ? <div className="field-error" role="alert">{error}</div> : null}</td>
      <td>{u.email}</td>
      <td>
        <label className="sr-only" htmlFor={`role-${u.id}`}>{t('admin.users.roleOf', { name: u.name })}</label>
        <select id={`role-${u.id}`} value={u.role} onChange={(e) => void act(() => adminApi.updateUser(u.id, { role: e.target.value as Role }))}>
          {ROLES.map((r) => <option key={r} value={r}>{t(`roles.${r}`)}</option>)}
        </select>
      </td>
      <td>{u.active ? t('admin.users.active') : <span className="badge">{t('admin.users.inactive')}</span>}{!u.hasPassword ? <> <span className="badge">{t('admin.users.pendingInvite')}</span></> : null}</td>
      <td className="nowrap">{u.lastLoginAt ? fmt.relative(u.lastLoginAt) : '—'}</td>
      <td className="row">
        {!u.hasPassword ? <Button size="sm" onClick={() => void act(() => adminApi.invite(u.id))}>{t('admin.users.resend')}</Button> : null}
        <Button size="sm" variant={u.active ? 'danger' : 'secondary'} onClick={() => void act(() => adminApi.updateUser(u.id, { active: !u.active }))}
          title={u.active && u.role !== 'customer' ? t('admin.users.deactivateHint') : undefined}>
          {u.active ? t('admin.users.deactivate') : t('admin.users.activate')}
        </Button>
      </td>
    </tr>
  )
}

/** Users and invitations: create (invite or password), change role, deactivate, resend the invitation. */
export function UsersAdmin() {
  const { t } = useTranslation()
  usePageTitle(t('admin.users.title'))
  const qc = useQueryClient()
  const [q, setQ] = useState('')
  const [role, setRole] = useState<Role | ''>('')
  const dq = useDebounced(q, 250)
  const list = useInfiniteQuery({
    queryKey: ['admin', 'users', dq, role],
    queryFn: ({ pageParam }) => adminApi.users({ q: dq || undefined, role: role ? [role] : undefined, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const items = list.data?.pages.flatMap((p) => p.items) ?? []
  const refresh = () => void qc.invalidateQueries({ queryKey: ['admin', 'users'] })
  return (
    <div className="stack">
      <h1>{t('admin.users.title')}</h1>
      <NewUserForm onDone={refresh} />
      <div className="toolbar">
        <TextField label={t('common.search')} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        <SelectField label={t('admin.users.role')} value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
          <option value="">{t('common.all')}</option>
          {ROLES.map((r) => <option key={r} value={r}>{t(`roles.${r}`)}</option>)}
        </SelectField>
      </div>
      {list.isPending ? <Spinner /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : items.length === 0 ? <EmptyState title={t('admin.users.none')} /> : (
        <div className="table-wrap" tabIndex={0}>
          <table className="grid">
            <caption className="sr-only">{t('admin.users.title')}</caption>
            <thead><tr><th scope="col">{t('auth.name')}</th><th scope="col">{t('auth.email')}</th><th scope="col">{t('admin.users.role')}</th><th scope="col">{t('admin.users.state')}</th><th scope="col">{t('admin.users.lastLogin')}</th><th scope="col">{t('common.actions')}</th></tr></thead>
            <tbody>{items.map((u) => <UserRow key={u.id} u={u} onChanged={refresh} />)}</tbody>
          </table>
        </div>
      )}
      {items.length ? (
        <div className="row">
          <span className="muted small" role="status">{list.hasNextPage ? t('admin.users.shownMore', { count: items.length }) : t('admin.users.shownAll', { count: items.length })}</span>
          {list.hasNextPage ? <Button onClick={() => void list.fetchNextPage()} busy={list.isFetchingNextPage}>{t('inbox.loadMore')}</Button> : null}
        </div>
      ) : null}
    </div>
  )
}
