import { useState, type FormEvent } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../app/api-client'
import { useDebounced } from '../../../app/useDebounced'
import { Button } from '../../../ui/Button'
import { Alert, EmptyState, ErrorState, Spinner } from '../../../ui/Feedback'
import { SelectField, TextField } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { adminApi, type Organization } from '../api/admin.api'

function Sites({ org }: { org: Organization }) {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const sites = useQuery({ queryKey: ['admin', 'sites', org.id], queryFn: () => adminApi.sites(org.id) })
  const [code, setCode] = useState('')
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const add = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    try { await adminApi.createSite(org.id, { code: code.trim(), name: name.trim() }); setCode(''); setName(''); void qc.invalidateQueries({ queryKey: ['admin'] }) } catch (err) { setError(errorMessage(err)) }
  }
  return (
    <div className="stack">
      {sites.data?.items.length ? (
        <ul style={{ margin: 0, paddingLeft: '1.1rem' }}>{sites.data.items.map((s) => <li key={s.id}><strong>{s.code}</strong> · {s.name}{s.address ? ` — ${s.address}` : ''}</li>)}</ul>
      ) : <p className="muted small">{t('admin.orgs.noSites')}</p>}
      <form className="row" onSubmit={add} aria-label={t('admin.orgs.addSite')}>
        <TextField label={t('fields.siteCode')} required value={code} onChange={(e) => setCode(e.target.value)} style={{ width: 120 }} />
        <TextField label={t('admin.orgs.siteName')} required value={name} onChange={(e) => setName(e.target.value)} />
        <Button type="submit" size="sm">{t('admin.orgs.addSite')}</Button>
      </form>
      {error ? <Alert>{error}</Alert> : null}
    </div>
  )
}

/** Organizations (customer companies) with tier/VIP, ticket sharing, and their sites. */
export function OrganizationsAdmin() {
  const { t } = useTranslation()
  usePageTitle(t('admin.orgs.title'))
  const qc = useQueryClient()
  const [q, setQ] = useState('')
  const dq = useDebounced(q, 250)
  const list = useQuery({ queryKey: ['admin', 'orgs', dq], queryFn: () => adminApi.organizations(dq || undefined) })
  const [open, setOpen] = useState<string | null>(null)
  const [form, setForm] = useState({ name: '', domains: '', tier: 'standard' as 'standard' | 'vip', sharesTickets: false })
  const [error, setError] = useState<string | null>(null)
  const create = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    try {
      await adminApi.createOrganization({ name: form.name.trim(), tier: form.tier, sharesTickets: form.sharesTickets, domains: form.domains.split(/[,\s]+/).filter(Boolean) })
      setForm({ name: '', domains: '', tier: 'standard', sharesTickets: false })
      void qc.invalidateQueries({ queryKey: ['admin', 'orgs'] })
    } catch (err) { setError(errorMessage(err)) }
  }
  return (
    <div className="stack">
      <h1>{t('admin.orgs.title')}</h1>
      <form className="card stack" onSubmit={create} aria-labelledby="new-org-h">
        <h2 id="new-org-h">{t('admin.orgs.new')}</h2>
        {error ? <Alert>{error}</Alert> : null}
        <div className="filters" style={{ padding: 0, margin: 0 }}>
          <TextField label={t('auth.name')} required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          <TextField label={t('admin.orgs.domains')} value={form.domains} onChange={(e) => setForm({ ...form, domains: e.target.value })} hint={t('admin.orgs.domainsHint')} />
          <SelectField label={t('admin.orgs.tier')} value={form.tier} onChange={(e) => setForm({ ...form, tier: e.target.value as 'standard' | 'vip' })}>
            <option value="standard">{t('admin.orgs.standard')}</option><option value="vip">VIP</option>
          </SelectField>
          <label className="inline-label"><input type="checkbox" checked={form.sharesTickets} onChange={(e) => setForm({ ...form, sharesTickets: e.target.checked })} />{t('admin.orgs.shares')}</label>
        </div>
        <div><Button type="submit" variant="primary">{t('common.create')}</Button></div>
      </form>
      <TextField label={t('common.search')} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
      {list.isPending ? <Spinner /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : list.data.items.length === 0 ? <EmptyState title={t('admin.orgs.none')} /> : (
        <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {list.data.items.map((o) => (
            <li key={o.id} className="card stack">
              <div className="row-between">
                <span><strong>{o.name}</strong> {o.tier === 'vip' ? <span className="badge">VIP</span> : null} <span className="muted small">{t('admin.orgs.counts', { sites: o.siteCount, contacts: o.contactCount })}</span></span>
                <Button size="sm" aria-expanded={open === o.id} onClick={() => setOpen(open === o.id ? null : o.id)}>{t('admin.orgs.sites')}</Button>
              </div>
              {open === o.id ? <Sites org={o} /> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
