import { useState, type FormEvent } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../app/api-client'
import { useFormat } from '../../../app/format'
import { Button } from '../../../ui/Button'
import { Alert, EmptyState, ErrorState, Spinner } from '../../../ui/Feedback'
import { TextField } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { adminApi } from '../api/admin.api'

const SCOPES = ['profile', 'tickets:read', 'tickets:write', 'users:read', 'users:write', 'admin']

/** API tokens: create with scopes (the secret is shown once), see last use, revoke. */
export function TokensAdmin() {
  const { t } = useTranslation()
  const fmt = useFormat()
  usePageTitle(t('admin.tokens.title'))
  const qc = useQueryClient()
  const list = useQuery({ queryKey: ['admin', 'tokens'], queryFn: adminApi.tokens })
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<string[]>(['tickets:read'])
  const [secret, setSecret] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const refresh = () => void qc.invalidateQueries({ queryKey: ['admin', 'tokens'] })
  const create = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    try { const tok = await adminApi.createToken({ name: name.trim(), scopes }); setSecret(tok.token ?? null); setName(''); refresh() } catch (err) { setError(errorMessage(err)) }
  }
  return (
    <div className="stack">
      <h1>{t('admin.tokens.title')}</h1>
      <form className="card stack" onSubmit={create} aria-labelledby="new-token-h">
        <h2 id="new-token-h">{t('admin.tokens.new')}</h2>
        {error ? <Alert>{error}</Alert> : null}
        {secret ? <Alert kind="success" title={t('admin.tokens.copyNow')}><code style={{ wordBreak: 'break-all' }}>{secret}</code></Alert> : null}
        <TextField label={t('auth.name')} required value={name} onChange={(e) => setName(e.target.value)} />
        <fieldset style={{ border: 'none', padding: 0 }}>
          <legend style={{ fontWeight: 600 }}>{t('admin.tokens.scopes')}</legend>
          <div className="row">{SCOPES.map((s) => <label key={s} className="inline-label"><input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))} />{s}</label>)}</div>
        </fieldset>
        <div><Button type="submit" variant="primary">{t('common.create')}</Button></div>
      </form>
      {list.isPending ? <Spinner /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : list.data.items.length === 0 ? <EmptyState title={t('admin.tokens.none')} /> : (
        <div className="table-wrap" tabIndex={0}>
          <table className="grid">
            <caption className="sr-only">{t('admin.tokens.title')}</caption>
            <thead><tr><th scope="col">{t('auth.name')}</th><th scope="col">{t('admin.tokens.prefix')}</th><th scope="col">{t('admin.tokens.scopes')}</th><th scope="col">{t('admin.tokens.owner')}</th><th scope="col">{t('admin.tokens.lastUsed')}</th><th scope="col">{t('common.actions')}</th></tr></thead>
            <tbody>
              {list.data.items.map((tok) => (
                <tr key={tok.id}>
                  <td>{tok.name}</td><td><code>{tok.prefix}…</code></td><td>{tok.scopes.join(', ')}</td><td>{tok.user.name}</td>
                  <td>{tok.lastUsedAt ? fmt.dateTime(tok.lastUsedAt) : t('admin.tokens.never')}</td>
                  <td>{tok.revokedAt ? <span className="badge">{t('admin.tokens.revoked')}</span> : <Button size="sm" variant="danger" onClick={() => { if (window.confirm(t('admin.tokens.revokeConfirm', { name: tok.name }))) void adminApi.revokeToken(tok.id).then(refresh) }}>{t('admin.tokens.revoke')}</Button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
