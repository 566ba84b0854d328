import { useTranslation } from 'react-i18next'
import { useFormat } from '../../../app/format'
import { Icon } from '../../../ui/Icon'
import type { MailAddress, TicketEmail } from '../api/tickets.api'

const one = (a: MailAddress) => (a.name && a.name !== a.address ? `${a.name} <${a.address}>` : a.address)
const many = (list: MailAddress[]) => list.map(one).join(', ')

/** From / To / CC of the mail behind a timeline entry, and "Ver original" (the .eml) for received mail. */
export function EmailMeta({ emails }: { emails: TicketEmail[] }) {
  const { t } = useTranslation()
  if (!emails.length) return null
  return (
    <>
      {emails.map((m) => (
        <div key={m.id} className="email-meta" data-email={m.direction}>
          <span><Icon name="mail" /> {m.direction === 'inbound' ? t('email.ticket.received') : t('email.ticket.sent')}</span>
          <dl>
            {m.from ? <div><dt>{t('email.ticket.from')}</dt><dd>{one(m.from)}</dd></div> : null}
            {m.to.length ? <div><dt>{t('email.ticket.to')}</dt><dd>{many(m.to)}</dd></div> : null}
            {m.cc.length ? <div><dt>{t('email.ticket.cc')}</dt><dd>{many(m.cc)}</dd></div> : null}
            {m.direction === 'outbound' ? <div><dt>{t('fields.status')}</dt><dd>{t(`email.log.out.${m.status}`, { defaultValue: m.status })}</dd></div> : null}
          </dl>
          {m.rawUrl ? <a href={m.rawUrl} download>{t('email.ticket.original')}</a> : null}
        </div>
      ))}
    </>
  )
}

/** Every mail of the ticket, newest last: direction, when, from, to, subject, state, original. */
export function TicketEmails({ emails }: { emails: TicketEmail[] }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  if (!emails.length) return <p className="muted">{t('email.ticket.none')}</p>
  return (
    <table className="grid">
      <caption className="sr-only">{t('email.ticket.title')}</caption>
      <thead><tr><th scope="col">{t('email.log.when')}</th><th scope="col">{t('email.ticket.direction')}</th><th scope="col">{t('email.ticket.from')}</th><th scope="col">{t('email.ticket.to')}</th><th scope="col">{t('email.templates.subject')}</th><th scope="col">{t('fields.status')}</th><th scope="col"><span className="sr-only">{t('email.ticket.original')}</span></th></tr></thead>
      <tbody>
        {emails.map((m) => (
          <tr key={m.id}>
            <td className="nowrap"><time dateTime={m.at}>{fmt.dateTime(m.at)}</time></td>
            <td>{m.direction === 'inbound' ? t('email.ticket.received') : t('email.ticket.sent')}</td>
            <td>{m.from ? one(m.from) : '—'}</td>
            <td>{many(m.to)}{m.cc.length ? <div className="muted small">CC: {many(m.cc)}</div> : null}</td>
            <td>{m.subject}</td>
            <td>{t(`email.log.out.${m.status}`, { defaultValue: t(`email.log.in.${m.status}`, { defaultValue: m.status }) })}</td>
            <td>{m.rawUrl ? <a href={m.rawUrl} download>{t('email.ticket.original')}</a> : null}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
