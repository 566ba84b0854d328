import { useState, type FormEvent } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../app/api-client'
import { useFormat } from '../../../app/format'
import { Button } from '../../../ui/Button'
import { Dialog } from '../../../ui/Dialog'
import { Alert, EmptyState, ErrorState, Spinner } from '../../../ui/Feedback'
import { SelectField, TextField } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { PRIORITIES } from '../../../../../common/src/tickets/tickets.types'
import { labelOf } from '../../tickets/api/config.api'
import type { Priority } from '../../tickets/api/tickets.api'
import { flattenCategories } from '../../tickets/components/FilterPanel'
import { useStaffDirectory, useTicketConfig } from '../../tickets/hooks/useTicketConfig'
import { emailApi, type Mailbox, type MailboxInput } from '../api/email.api'

type FormState = {
  address: string; name: string; inbound: 'smtp' | 'imap'; imapHost: string; imapPort: string; imapSecure: boolean; imapUser: string; imapPassword: string
  imapFolder: string; processedAction: 'move' | 'flag'; processedFolder: string; teamId: string; categoryId: string; typeId: string; priority: string
  plusAddressing: boolean; active: boolean
}
const toForm = (m: Mailbox | null): FormState => ({
  address: m?.address ?? '', name: m?.name ?? '', inbound: m?.inbound ?? 'smtp', imapHost: m?.imapHost ?? '', imapPort: m?.imapPort ? String(m.imapPort) : '993',
  imapSecure: m?.imapSecure ?? true, imapUser: m?.imapUser ?? '', imapPassword: '', imapFolder: m?.imapFolder ?? 'INBOX', processedAction: m?.processedAction ?? 'move',
  processedFolder: m?.processedFolder ?? 'Procesados', teamId: m?.teamId ?? '', categoryId: m?.categoryId ?? '', typeId: m?.typeId ?? '', priority: m?.priority ?? '',
  plusAddressing: m?.plusAddressing ?? false, active: m?.active ?? true,
})

/** Why an IMAP mailbox cannot be read: the server's message in the UI language, then its technical detail. */
function MailboxError({ message, detail }: { message: string; detail: string | null }) {
  return (
    <>
      <div className="field-error">{message}</div>
      {detail && detail !== message ? <div className="muted small"><code>{detail}</code></div> : null}
    </>
  )
}

/** Address and name, SMTP (built-in receiver) or an IMAP account, and what new tickets from it get. */
function MailboxForm({ mailbox, onSave }: { mailbox: Mailbox | null; onSave: (b: MailboxInput) => Promise<void> }) {
  const { t, i18n } = useTranslation()
  const { types, categories } = useTicketConfig()
  const { teams } = useStaffDirectory()
  const [f, setF] = useState(() => toForm(mailbox))
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setF((o) => ({ ...o, [k]: v }))
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const imap = f.inbound === 'imap'
      await onSave({
        address: f.address.trim(), name: f.name.trim(), inbound: f.inbound,
        ...(imap ? {
          imapHost: f.imapHost.trim() || null, imapPort: Number(f.imapPort) || null, imapSecure: f.imapSecure, imapUser: f.imapUser.trim() || null,
          imapFolder: f.imapFolder.trim() || 'INBOX', processedAction: f.processedAction, processedFolder: f.processedFolder.trim() || 'Procesados',
          ...(f.imapPassword ? { imapPassword: f.imapPassword } : {}),
        } : {}),
        teamId: f.teamId || null, categoryId: f.categoryId || null, typeId: f.typeId || null, priority: (f.priority || null) as Priority | null,
        plusAddressing: f.plusAddressing, active: f.active,
      })
    } catch (err) { setError(errorMessage(err)) } finally { setBusy(false) }
  }
  return (
    <form className="stack" onSubmit={submit}>
      {error ? <Alert>{error}</Alert> : null}
      <div className="filters" style={{ padding: 0, margin: 0 }}>
        <TextField label={t('email.mailboxes.address')} type="email" required value={f.address} onChange={(e) => set('address', e.target.value)} />
        <TextField label={t('email.mailboxes.name')} required value={f.name} onChange={(e) => set('name', e.target.value)} hint={t('email.mailboxes.nameHint')} />
        <SelectField label={t('email.mailboxes.inbound')} value={f.inbound} onChange={(e) => set('inbound', e.target.value as FormState['inbound'])}>
          <option value="smtp">{t('email.mailboxes.smtp')}</option>
          <option value="imap">{t('email.mailboxes.imap')}</option>
        </SelectField>
      </div>
      {f.inbound === 'imap' ? (
        <fieldset className="stack" style={{ border: 'none', padding: 0, margin: 0 }}>
          <legend style={{ fontWeight: 700 }}>{t('email.mailboxes.imapAccount')}</legend>
          <div className="filters" style={{ padding: 0, margin: 0 }}>
            <TextField label={t('email.mailboxes.host')} required value={f.imapHost} onChange={(e) => set('imapHost', e.target.value)} />
            <TextField label={t('email.mailboxes.port')} type="number" min={1} max={65535} value={f.imapPort} onChange={(e) => set('imapPort', e.target.value)} />
            <TextField label={t('email.mailboxes.user')} required value={f.imapUser} onChange={(e) => set('imapUser', e.target.value)} autoComplete="off" />
            <TextField label={t('email.mailboxes.password')} type="password" autoComplete="new-password" value={f.imapPassword} onChange={(e) => set('imapPassword', e.target.value)}
              hint={mailbox?.imapPasswordSet ? t('email.mailboxes.passwordSet') : undefined} />
            <TextField label={t('email.mailboxes.folder')} value={f.imapFolder} onChange={(e) => set('imapFolder', e.target.value)} />
            <SelectField label={t('email.mailboxes.processed')} value={f.processedAction} onChange={(e) => set('processedAction', e.target.value as FormState['processedAction'])}>
              <option value="move">{t('email.mailboxes.move')}</option>
              <option value="flag">{t('email.mailboxes.flag')}</option>
            </SelectField>
            {f.processedAction === 'move' ? <TextField label={t('email.mailboxes.processedFolder')} value={f.processedFolder} onChange={(e) => set('processedFolder', e.target.value)} /> : null}
          </div>
          <label className="inline-label"><input type="checkbox" checked={f.imapSecure} onChange={(e) => set('imapSecure', e.target.checked)} />{t('email.mailboxes.tls')}</label>
        </fieldset>
      ) : null}
      <fieldset className="stack" style={{ border: 'none', padding: 0, margin: 0 }}>
        <legend style={{ fontWeight: 700 }}>{t('email.mailboxes.defaults')}</legend>
        <div className="filters" style={{ padding: 0, margin: 0 }}>
          <SelectField label={t('fields.team')} value={f.teamId} onChange={(e) => set('teamId', e.target.value)}>
            <option value="">{t('common.none')}</option>
            {teams.map((tm) => <option key={tm.id} value={tm.id}>{tm.name}</option>)}
          </SelectField>
          <SelectField label={t('fields.category')} value={f.categoryId} onChange={(e) => set('categoryId', e.target.value)}>
            <option value="">{t('common.none')}</option>
            {flattenCategories(categories).map((c) => <option key={c.id} value={c.id}>{'— '.repeat(c.level)}{c.name}</option>)}
          </SelectField>
          <SelectField label={t('fields.type')} value={f.typeId} onChange={(e) => set('typeId', e.target.value)}>
            <option value="">{t('common.none')}</option>
            {types.map((ty) => <option key={ty.id} value={ty.id}>{labelOf(ty, i18n.language)}</option>)}
          </SelectField>
          <SelectField label={t('fields.priority')} value={f.priority} onChange={(e) => set('priority', e.target.value)}>
            <option value="">{t('common.none')}</option>
            {PRIORITIES.map((p) => <option key={p} value={p}>{t(`priority.${p}`)}</option>)}
          </SelectField>
        </div>
      </fieldset>
      <div className="row">
        <label className="inline-label"><input type="checkbox" checked={f.plusAddressing} onChange={(e) => set('plusAddressing', e.target.checked)} />{t('email.mailboxes.plus')}</label>
        <label className="inline-label"><input type="checkbox" checked={f.active} onChange={(e) => set('active', e.target.checked)} />{t('admin.common.active')}</label>
      </div>
      <div><Button type="submit" variant="primary" busy={busy}>{mailbox ? t('common.save') : t('email.mailboxes.create')}</Button></div>
    </form>
  )
}

/** Mailboxes the helpdesk receives mail on (built-in SMTP receiver or IMAP), with their state. */
export function MailboxesAdmin() {
  const { t } = useTranslation()
  const fmt = useFormat()
  usePageTitle(t('email.mailboxes.title'))
  const qc = useQueryClient()
  const list = useQuery({ queryKey: ['email', 'mailboxes'], queryFn: emailApi.mailboxes })
  const [dialog, setDialog] = useState<Mailbox | 'new' | null>(null)
  const [msg, setMsg] = useState<string | null>(null)
  return (
    <div className="stack">
      <div className="row-between">
        <h1>{t('email.mailboxes.title')}</h1>
        <Button variant="primary" onClick={() => setDialog('new')}>{t('email.mailboxes.new')}</Button>
      </div>
      <p className="muted">{t('email.mailboxes.intro')}</p>
      {msg ? <Alert kind="success">{msg}</Alert> : null}
      {list.isPending ? <Spinner /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : list.data.length === 0 ? <EmptyState title={t('email.mailboxes.none')} /> : (
        <div className="table-wrap" tabIndex={0}>
          <table className="grid">
            <caption className="sr-only">{t('email.mailboxes.title')}</caption>
            <thead><tr><th scope="col">{t('email.mailboxes.address')}</th><th scope="col">{t('email.mailboxes.name')}</th><th scope="col">{t('email.mailboxes.inbound')}</th><th scope="col">{t('email.mailboxes.state')}</th><th scope="col">{t('common.actions')}</th></tr></thead>
            <tbody>
              {list.data.map((m) => (
                <tr key={m.id} data-mailbox={m.address}>
                  <td>{m.address}</td>
                  <td>{m.name}</td>
                  <td>{m.inbound === 'imap' ? `IMAP · ${m.imapHost ?? ''}` : t('email.mailboxes.smtp')}</td>
                  <td>
                    {m.active ? t('admin.common.active') : <span className="badge">{t('admin.common.inactive')}</span>}
                    {m.lastError ? <MailboxError message={m.lastError} detail={(m as Mailbox & { lastErrorDetail?: string | null }).lastErrorDetail ?? null} /> : m.lastCheckedAt ? <div className="muted small">{t('email.mailboxes.checked', { when: fmt.relative(m.lastCheckedAt) })}</div> : null}
                  </td>
                  <td><Button size="sm" onClick={() => setDialog(m)} aria-label={t('admin.common.editNamed', { name: m.address })}>{t('common.edit')}</Button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Dialog open={dialog !== null} onClose={() => setDialog(null)} wide title={dialog === 'new' ? t('email.mailboxes.new') : dialog ? t('admin.common.editNamed', { name: dialog.address }) : ''}>
        {dialog ? (
          <MailboxForm mailbox={dialog === 'new' ? null : dialog} onSave={async (b) => {
            if (dialog === 'new') await emailApi.createMailbox(b)
            else await emailApi.updateMailbox(dialog.id, b)
            setMsg(dialog === 'new' ? t('email.mailboxes.created', { address: b.address }) : t('admin.common.saved'))
            setDialog(null)
            await qc.invalidateQueries({ queryKey: ['email', 'mailboxes'] })
          }} />
        ) : null}
      </Dialog>
    </div>
  )
}
