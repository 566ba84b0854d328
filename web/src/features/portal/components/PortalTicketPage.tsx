import { useState } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { ApiError, errorMessage } from '../../../app/api-client'
import { useFormat } from '../../../app/format'
import { Button } from '../../../ui/Button'
import { Alert, EmptyState, ErrorState, Spinner } from '../../../ui/Feedback'
import { TextArea } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { itemsOf, ticketsApi, uploadFiles } from '../../tickets/api/tickets.api'
import { Timeline } from '../../tickets/components/Timeline'
import { StatusBadge } from '../../tickets/components/TicketLabels'
import { FileDrop } from './FileDrop'

/** The customer's ticket: public conversation only, reply with attachments, confirm or reopen when resolved. */
export function PortalTicketPage({ number }: { number: string }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const qc = useQueryClient()
  const ticketQ = useQuery({ queryKey: ['ticket', 'n', number], queryFn: () => ticketsApi.byNumber(number) })
  const ticket = ticketQ.data
  const comments = useQuery({ queryKey: ['ticket', ticket?.id, 'comments'], queryFn: () => ticketsApi.comments(ticket!.id).then(itemsOf), enabled: !!ticket })
  const attachments = useQuery({ queryKey: ['ticket', ticket?.id, 'attachments'], queryFn: () => ticketsApi.attachments(ticket!.id), enabled: !!ticket, retry: false })
  const [body, setBody] = useState('')
  const [files, setFiles] = useState<File[]>([])
  const [msg, setMsg] = useState<{ kind: 'error' | 'success'; text: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const [reopening, setReopening] = useState(false)
  usePageTitle(ticket ? `#${ticket.number} ${ticket.subject}` : t('ticket.title'))

  const refresh = () => { void qc.invalidateQueries({ queryKey: ['ticket'] }); void qc.invalidateQueries({ queryKey: ['tickets'] }) }
  const run = async (fn: () => Promise<unknown>, ok: string) => {
    setBusy(true)
    setMsg(null)
    try { await fn(); setMsg({ kind: 'success', text: ok }); setBody(''); setFiles([]); setReopening(false); refresh() } catch (err) { setMsg({ kind: 'error', text: errorMessage(err) }) } finally { setBusy(false) }
  }
  const reply = (status?: string) => run(async () => {
    const attachmentIds = await uploadFiles(ticket!.id, files)
    await ticketsApi.addComment(ticket!.id, { body: body.trim(), internal: false, ...(status ? { status: { status } } : {}), ...(attachmentIds.length ? { attachmentIds } : {}) })
  }, status === 'open' ? t('portal.ticket.reopened') : t('portal.ticket.replied'))
  const confirm = () => run(() => ticketsApi.update(ticket!.id, { status: { status: 'closed' } }), t('portal.ticket.confirmed'))

  if (ticketQ.isPending) return <Spinner />
  if (ticketQ.isError) {
    if (ticketQ.error instanceof ApiError && ticketQ.error.status === 404) return <EmptyState title={t('ticket.notFound', { number })} action={<Link href="/portal/tickets">{t('portal.nav.myTickets')}</Link>} />
    return <ErrorState error={ticketQ.error} onRetry={() => void ticketQ.refetch()} />
  }
  if (!ticket) return null
  const resolved = ticket.status === 'resolved'
  return (
    <div className="stack">
      <div className="ticket-head">
        <div className="row"><span className="ticket-number">#{ticket.number}</span><StatusBadge status={ticket.status} info={ticket.customStatus} /></div>
        <h1>{ticket.subject}</h1>
        <p className="muted small">{t('ticket.created', { when: fmt.dateTime(ticket.createdAt) })}</p>
      </div>
      {msg ? <Alert kind={msg.kind}>{msg.text}</Alert> : null}
      {resolved && !reopening ? (
        <section className="card stack" aria-labelledby="resolved-h" style={{ borderColor: 'var(--success)' }}>
          <h2 id="resolved-h">{t('portal.ticket.resolvedQuestion')}</h2>
          <p>{t('portal.ticket.resolvedHint')}</p>
          <div className="row">
            <Button variant="primary" busy={busy} onClick={() => void confirm()}>{t('portal.ticket.confirm')}</Button>
            <Button onClick={() => setReopening(true)}>{t('portal.ticket.reopen')}</Button>
          </div>
        </section>
      ) : null}
      <Timeline ticket={ticket} comments={comments.data ?? []} attachments={attachments.data ?? []} />
      {ticket.abilities?.comment !== false && (!resolved || reopening) ? (
        <section className="card stack" aria-labelledby="reply-h">
          <h2 id="reply-h">{reopening ? t('portal.ticket.reopenTitle') : ticket.status === 'closed' ? t('portal.ticket.followUpTitle') : t('portal.ticket.replyTitle')}</h2>
          <TextArea label={reopening ? t('portal.ticket.reopenWhy') : t('portal.ticket.message')} value={body} onChange={(e) => setBody(e.target.value)} required={reopening} />
          <FileDrop files={files} onChange={setFiles} label={t('portal.new.attachments')} />
          <div className="row">
            <Button variant="primary" busy={busy} disabled={!body.trim() && !files.length} onClick={() => void reply(reopening ? 'open' : undefined)}>
              {reopening ? t('portal.ticket.reopenSend') : t('composer.sendReply')}
            </Button>
            {reopening ? <Button onClick={() => setReopening(false)}>{t('common.cancel')}</Button> : null}
          </div>
        </section>
      ) : null}
    </div>
  )
}
