import { useEffect, useRef, useState } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, useLocation } from 'wouter'
import { ApiError, errorMessage } from '../../../app/api-client'
import { useFormat } from '../../../app/format'
import { Button } from '../../../ui/Button'
import { Alert, EmptyState, ErrorState, Spinner } from '../../../ui/Feedback'
import { TextArea } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { itemsOf, ticketsApi, uploadFiles, type TicketDetail } from '../../tickets/api/tickets.api'
import { stageFiles } from '../../tickets/api/staged-uploads.api'
import { Timeline } from '../../tickets/components/Timeline'
import { StatusBadge } from '../../tickets/components/TicketLabels'
import { CancelRequestDialog } from './CancelRequestDialog'
import { FileDrop } from './FileDrop'
import { RequestDetails } from './RequestDetails'

type Notice = { kind: 'error' | 'success'; text: string }

/** What the page that sent a reply to a closed ticket hands to the follow-up's page (history.state). */
interface FollowUpState { followUpFrom: number }

function followUpState(): FollowUpState | null {
  const s = window.history.state as Partial<FollowUpState> | null
  return s && typeof s.followUpFrom === 'number' ? { followUpFrom: s.followUpFrom } : null
}

/** Whether the customer's message opens a follow-up instead of joining this ticket (the server decides; this mirrors it). */
function opensFollowUp(ticket: TicketDetail): boolean {
  return ticket.status === 'closed' || ticket.status === 'cancelled' || (ticket.status === 'resolved' && ticket.abilities?.reopen === false)
}

/**
 * The customer's ticket: public conversation only, the request's details, reply with attachments,
 * confirm or reopen when resolved, cancel while it is open. A reply to a closed or cancelled ticket
 * opens a follow-up ticket: the page goes there and says so.
 */
export function PortalTicketPage({ number }: { number: string }) {
  const { t } = useTranslation()
  // A number that is not digits cannot exist (and the API would refuse it as bad input).
  const valid = /^\d{1,12}$/.test(number)
  const ticketQ = useQuery({ queryKey: ['ticket', 'n', number], queryFn: () => ticketsApi.byNumber(number), enabled: valid })
  usePageTitle(ticketQ.data ? `#${ticketQ.data.number} ${ticketQ.data.subject}` : t('ticket.title'))

  const notFound = <EmptyState title={t('ticket.notFound', { number })} action={<Link href="/portal/tickets">{t('portal.nav.myTickets')}</Link>} />
  if (!valid) return notFound
  if (ticketQ.isPending) return <Spinner />
  if (ticketQ.isError) {
    if (ticketQ.error instanceof ApiError && (ticketQ.error.status === 404 || ticketQ.error.status === 400)) return notFound
    return <ErrorState error={ticketQ.error} onRetry={() => void ticketQ.refetch()} />
  }
  return <TicketView ticket={ticketQ.data} />
}

function TicketView({ ticket }: { ticket: TicketDetail }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const qc = useQueryClient()
  const [, navigate] = useLocation()
  const comments = useQuery({ queryKey: ['ticket', ticket.id, 'comments'], queryFn: () => ticketsApi.comments(ticket.id).then(itemsOf) })
  const attachments = useQuery({ queryKey: ['ticket', ticket.id, 'attachments'], queryFn: () => ticketsApi.attachments(ticket.id), retry: false })
  const [arrived] = useState(followUpState)
  const [body, setBody] = useState('')
  const [files, setFiles] = useState<File[]>([])
  const [msg, setMsg] = useState<Notice | null>(() => (arrived
    ? { kind: 'success', text: t('portal.ticket.followUpCreated', { number: ticket.number, from: arrived.followUpFrom }) }
    : null))
  // Files staged for a follow-up keep their ids, so a retry after a refused reply does not upload them again.
  const staged = useRef(new WeakMap<File, string>())
  const [busy, setBusy] = useState(false)
  const [reopening, setReopening] = useState(false)
  const [cancelling, setCancelling] = useState(false)
  const notice = useRef<HTMLDivElement>(null)
  const message = useRef<HTMLDivElement>(null)

  // The notice is focused when it appears (after a follow-up, a cancel, a failure), so it is read
  // out and the next Tab starts from there rather than from a button that is gone.
  // (Not while the cancel dialog is open: closing it hands the focus back to its opener first.)
  useEffect(() => { if (msg && !cancelling) notice.current?.focus() }, [msg, cancelling])
  // Arriving from the closed ticket: the notice was shown once; a reload should not repeat it.
  useEffect(() => { if (arrived) window.history.replaceState(null, '') }, [arrived])
  // «No, reabrir» is replaced by the form: its text box takes the focus.
  useEffect(() => { if (reopening) message.current?.querySelector('textarea')?.focus() }, [reopening])

  const refresh = () => { void qc.invalidateQueries({ queryKey: ['ticket'] }); void qc.invalidateQueries({ queryKey: ['tickets'] }) }
  const run = async (fn: () => Promise<Notice | null>) => {
    setBusy(true)
    setMsg(null)
    try {
      const done = await fn()
      if (done) { setMsg(done); setBody(''); setFiles([]); setReopening(false); refresh() }
    } catch (err) {
      setMsg({ kind: 'error', text: errorMessage(err) })
    } finally {
      setBusy(false)
    }
  }

  const followUp = opensFollowUp(ticket)
  const reply = () => run(async () => {
    if (followUp) {
      // The closed ticket takes no files: they are staged, and the message opens the follow-up with them.
      const attachmentIds = await stageFiles(files, staged.current)
      const res = await ticketsApi.addComment(ticket.id, { body: body.trim(), internal: false, ...(attachmentIds.length ? { attachmentIds } : {}) })
      if (res.followUpTicket) {
        refresh()
        navigate(`/portal/tickets/${res.followUpTicket.number}`, { state: { followUpFrom: ticket.number } satisfies FollowUpState })
        return null
      }
      return { kind: 'success', text: t('portal.ticket.replied') }
    }
    const attachmentIds = await uploadFiles(ticket.id, files)
    await ticketsApi.addComment(ticket.id, {
      body: body.trim(), internal: false, ...(reopening ? { status: { status: 'open' } } : {}), ...(attachmentIds.length ? { attachmentIds } : {}),
    })
    return { kind: 'success', text: reopening ? t('portal.ticket.reopened') : t('portal.ticket.replied') }
  })
  const confirm = () => run(async () => {
    await ticketsApi.update(ticket.id, { status: { status: 'closed' } })
    return { kind: 'success', text: t('portal.ticket.confirmed') }
  })
  const cancel = async (note: string | null) => {
    await ticketsApi.update(ticket.id, { status: { status: 'cancelled', cancelReason: 'requester_request', cancelNote: note } })
    setMsg({ kind: 'success', text: t('portal.ticket.cancelled') })
    refresh()
  }

  const resolved = ticket.status === 'resolved'
  const canReopen = resolved && ticket.abilities?.reopen !== false
  const canCancel = !!ticket.abilities?.cancel && !!ticket.allowedStatuses?.includes('cancelled')
  const showReply = ticket.abilities?.comment !== false && (!canReopen || reopening)
  const replyTitle = reopening ? t('portal.ticket.reopenTitle')
    : ticket.status === 'cancelled' ? t('portal.ticket.followUpTitleCancelled')
      : ticket.status === 'closed' ? t('portal.ticket.followUpTitle')
        : followUp ? t('portal.ticket.followUpTitleResolved') : t('portal.ticket.replyTitle')
  // A follow-up's description is the message itself: it needs words, not only files.
  const canSend = followUp || reopening ? !!body.trim() : !!body.trim() || files.length > 0
  return (
    <div className="stack">
      <div className="ticket-head">
        <div className="row-between">
          <div className="row"><span className="ticket-number">#{ticket.number}</span><StatusBadge status={ticket.status} info={ticket.customStatus} /></div>
          {canCancel ? <Button size="sm" variant="ghost" onClick={() => { setMsg(null); setCancelling(true) }}>{t('portal.ticket.cancel')}</Button> : null}
        </div>
        <h1>{ticket.subject}</h1>
        <p className="muted small">
          {t('ticket.created', { when: fmt.dateTime(ticket.createdAt) })}
          {ticket.followUpOf ? <> · {t('ticket.followUpOf')} <Link href={`/portal/tickets/${ticket.followUpOf.number}`}>#{ticket.followUpOf.number}</Link></> : null}
        </p>
      </div>
      <div ref={notice} tabIndex={-1} style={{ outline: 'none' }}>{msg ? <Alert kind={msg.kind}>{msg.text}</Alert> : null}</div>
      {resolved && !reopening ? (
        <section className="card stack" aria-labelledby="resolved-h" style={{ borderColor: 'var(--success)' }}>
          <h2 id="resolved-h">{t('portal.ticket.resolvedQuestion')}</h2>
          <p>{canReopen ? t('portal.ticket.resolvedHint') : t('portal.ticket.resolvedHintFollowUp')}</p>
          <div className="row">
            <Button variant="primary" busy={busy} onClick={() => void confirm()}>{t('portal.ticket.confirm')}</Button>
            {canReopen ? <Button onClick={() => setReopening(true)}>{t('portal.ticket.reopen')}</Button> : null}
          </div>
        </section>
      ) : null}
      <RequestDetails ticket={ticket} />
      <Timeline ticket={ticket} comments={comments.data ?? []} attachments={attachments.data ?? []} />
      {showReply ? (
        <section className="card stack" aria-labelledby="reply-h" ref={message}>
          <h2 id="reply-h">{replyTitle}</h2>
          <TextArea id="portal-message" label={reopening ? t('portal.ticket.reopenWhy') : t('portal.ticket.message')} value={body}
            onChange={(e) => setBody(e.target.value)} required={reopening || followUp} hint={followUp ? t('portal.ticket.followUpHint') : undefined} />
          <FileDrop files={files} onChange={setFiles} label={t('portal.new.attachments')} />
          <div className="row">
            <Button variant="primary" busy={busy} disabled={!canSend} onClick={() => void reply()}>
              {reopening ? t('portal.ticket.reopenSend') : followUp ? t('portal.ticket.followUpSend') : t('composer.sendReply')}
            </Button>
            {reopening ? <Button onClick={() => setReopening(false)}>{t('common.cancel')}</Button> : null}
          </div>
        </section>
      ) : null}
      <CancelRequestDialog open={cancelling} number={ticket.number} onClose={() => setCancelling(false)} onCancel={cancel} />
    </div>
  )
}
