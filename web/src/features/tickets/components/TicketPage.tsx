import { useEffect, useRef, useState } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, useLocation } from 'wouter'
import { api, ApiError } from '../../../app/api-client'
import { useSession } from '../../../app/session'
import { useTicketPresence } from '../../../app/live'
import { useFormat } from '../../../app/format'
import { Alert, EmptyState, ErrorState, Spinner } from '../../../ui/Feedback'
import { usePageTitle } from '../../../ui/usePageTitle'
import { useShortcuts } from '../../../ui/useShortcuts'
import { itemsOf, ticketsApi, uploadFiles, type TicketDetail, type TicketPatch } from '../api/tickets.api'
import { stageFiles } from '../api/staged-uploads.api'
import { useStaffDirectory } from '../hooks/useTicketConfig'
import { Composer, type ComposerHandle, type ComposerSend } from './Composer'
import { HistoryList, Timeline } from './Timeline'
import { TicketSidePanel } from './TicketSidePanel'
import { PriorityLabel, StatusBadge } from './TicketLabels'
import { ShortcutsHelp } from './ShortcutsHelp'
import { SlaBadge } from './SlaBadge'
import { TicketEmails } from './EmailMeta'
import { slaOf } from '../sla'

/** Tells other agents this one is viewing / replying (collision notice); "left" on the way out. */
function usePresenceBeacon(ticketId: string | undefined, replying: boolean) {
  useEffect(() => {
    if (!ticketId) return
    const say = (activity: string) => { void api.post('/api/v1/presence', { ticketId, activity }).catch(() => {}) }
    say(replying ? 'replying' : 'viewing')
    const timer = setInterval(() => say(replying ? 'replying' : 'viewing'), 45_000)
    return () => { clearInterval(timer) }
  }, [ticketId, replying])
  useEffect(() => () => { if (ticketId) void api.post('/api/v1/presence', { ticketId, activity: 'left' }).catch(() => {}) }, [ticketId])
}

/** The agent's ticket page: timeline (replies vs internal notes), history tab, side panel, composer, live. */
export default function TicketPage({ number }: { number?: string }) {
  const { t } = useTranslation()
  const [, navigate] = useLocation()
  const fmt = useFormat()
  const qc = useQueryClient()
  const { user } = useSession()
  const { agents } = useStaffDirectory()
  const [tab, setTab] = useState<'conversation' | 'history'>('conversation')
  const [replying, setReplying] = useState(false)
  const [helpOpen, setHelpOpen] = useState(false)
  const composer = useRef<ComposerHandle>(null)

  const ticketQ = useQuery({ queryKey: ['ticket', 'n', number], queryFn: () => ticketsApi.byNumber(number ?? ''), enabled: !!number })
  const ticket = ticketQ.data
  const commentsQ = useQuery({ queryKey: ['ticket', ticket?.id, 'comments'], queryFn: () => ticketsApi.comments(ticket!.id).then(itemsOf), enabled: !!ticket })
  const attachmentsQ = useQuery({ queryKey: ['ticket', ticket?.id, 'attachments'], queryFn: () => ticketsApi.attachments(ticket!.id), enabled: !!ticket, retry: false })
  // Staff who may see internals get the ticket's mail (From/To/CC, originals).
  const emailsQ = useQuery({ queryKey: ['ticket', ticket?.id, 'emails'], queryFn: () => ticketsApi.emails(ticket!.id), enabled: !!ticket && ticket.abilities?.viewInternal !== false, retry: false })
  const historyQ = useQuery({ queryKey: ['ticket', ticket?.id, 'history'], queryFn: () => ticketsApi.history(ticket!.id).then(itemsOf), enabled: !!ticket && tab === 'history' })
  usePageTitle(ticket ? `#${ticket.number} ${ticket.subject}` : t('ticket.title'))
  usePresenceBeacon(ticket?.id, replying)
  const others = useTicketPresence(ticket?.id, user?.id)

  const refresh = () => { void qc.invalidateQueries({ queryKey: ['ticket'] }); void qc.invalidateQueries({ queryKey: ['tickets'] }) }
  const patch = async (p: TicketPatch) => {
    if (!ticket) return
    const updated = await ticketsApi.update(ticket.id, p)
    if (updated && typeof updated === 'object' && 'id' in updated) qc.setQueryData<TicketDetail>(['ticket', 'n', number], (old) => ({ ...old, ...updated }))
    refresh()
  }
  const send = async (s: ComposerSend) => {
    if (!ticket) return
    // Inline images and files are uploaded now and claimed by the comment; the images' local URLs
    // in the HTML become their attachment URLs. A closed ticket takes no files: the reply opens a
    // follow-up, so they are staged for it instead (same ids, same URLs).
    const all = [...s.inlineImages.map((i) => i.file), ...s.files]
    const final = ticket.status === 'closed' || ticket.status === 'cancelled'
    const attachmentIds = final ? await stageFiles(all, new WeakMap()) : await uploadFiles(ticket.id, all)
    let bodyHtml = s.bodyHtml
    s.inlineImages.forEach((img, i) => { if (bodyHtml) bodyHtml = bodyHtml.split(img.url).join(`/api/v1/attachments/${attachmentIds[i]}`) })
    const added = await ticketsApi.addComment(ticket.id, {
      body: s.body, ...(bodyHtml ? { bodyHtml } : {}), internal: s.internal, ...(s.status ? { status: s.status } : {}),
      ...(s.mentions.length ? { mentions: s.mentions } : {}), ...(attachmentIds.length ? { attachmentIds } : {}),
    })
    setReplying(false)
    // A reply to a closed ticket opened its follow-up: go there, where the reply now is.
    if (added.followUpTicket) { navigate(`/agent/tickets/${added.followUpTicket.number}`); return }
    refresh()
  }

  useShortcuts({
    r: () => composer.current?.focus('reply'),
    n: () => composer.current?.focus('note'),
    a: () => { if (user && ticket && ticket.assignee?.id !== user.id) void patch({ assigneeId: user.id }).catch(() => {}) },
    '?': () => setHelpOpen(true),
  }, !!ticket)

  if (ticketQ.isPending) return <Spinner />
  if (ticketQ.isError) {
    if (ticketQ.error instanceof ApiError && ticketQ.error.status === 404) {
      return <div className="page"><EmptyState title={t('ticket.notFound', { number })} action={<Link href="/agent">{t('nav.inbox')}</Link>} /></div>
    }
    return <div className="page"><ErrorState error={ticketQ.error} onRetry={() => void ticketQ.refetch()} /></div>
  }
  if (!ticket) return null
  const canNote = ticket.abilities?.commentInternal !== false
  return (
    <div className="page">
      <div className="ticket-head">
        <div className="row">
          <span className="ticket-number">#{ticket.number}</span>
          <StatusBadge status={ticket.status} info={ticket.customStatus} />
          <PriorityLabel priority={ticket.priority} />
          <SlaBadge sla={slaOf(ticket)} />
          <span className="muted small">{t('ticket.created', { when: fmt.dateTime(ticket.createdAt) })} · {t('ticket.updated', { when: fmt.relative(ticket.updatedAt) })}</span>
          {ticket.followUpOf ? (
            <span className="small">{t('ticket.followUpOf')} <Link href={`/agent/tickets/${ticket.followUpOf.number}`}>#{ticket.followUpOf.number}</Link></span>
          ) : null}
        </div>
        <h1>{ticket.subject}</h1>
        {others.length ? (
          <div className="presence" role="status">
            {others.map((p) => t(p.activity === 'replying' ? 'presence.replying' : 'presence.viewing', { name: p.name })).join(' · ')}
          </div>
        ) : null}
      </div>
      <div className="ticket-layout">
        <div className="stack">
          <div className="tabs" role="tablist" aria-label={t('ticket.tabs')}>
            <button type="button" role="tab" id="tab-conv" aria-controls="panel-conv" aria-selected={tab === 'conversation'} onClick={() => setTab('conversation')}>{t('ticket.conversation')}</button>
            <button type="button" role="tab" id="tab-hist" aria-controls="panel-hist" aria-selected={tab === 'history'} onClick={() => setTab('history')}>{t('history.title')}</button>
          </div>
          {tab === 'conversation' ? (
            <div role="tabpanel" id="panel-conv" aria-labelledby="tab-conv" className="stack">
              {commentsQ.isError ? <ErrorState error={commentsQ.error} onRetry={() => void commentsQ.refetch()} /> : null}
              <Timeline ticket={ticket} comments={commentsQ.data ?? []} attachments={attachmentsQ.data ?? []} emails={emailsQ.data ?? []} />
              {ticket.abilities?.comment !== false && (ticket.status === 'closed' || ticket.status === 'cancelled') ? (
                <Alert kind="info">{t('ticket.followUpNotice')}</Alert>
              ) : null}
              {ticket.abilities?.comment !== false ? (
                <Composer ref={composer} allowNote={canNote} allowStatus={ticket.abilities?.changeStatus !== false} currentStatus={ticket.status} currentStatusKey={ticket.customStatus?.key} allowedStatuses={ticket.allowedStatuses}
                  agents={agents} onSend={send} onTyping={setReplying} />
              ) : null}
            </div>
          ) : (
            <div role="tabpanel" id="panel-hist" aria-labelledby="tab-hist">
              {historyQ.isPending ? <Spinner /> : historyQ.isError ? <ErrorState error={historyQ.error} onRetry={() => void historyQ.refetch()} /> : <HistoryList entries={historyQ.data ?? []} />}
              {emailsQ.data?.length ? (
                <section className="stack" aria-labelledby="emails-h" style={{ marginTop: '1rem' }}>
                  <h2 id="emails-h">{t('email.ticket.title')}</h2>
                  <div className="table-wrap" tabIndex={0}><TicketEmails emails={emailsQ.data} /></div>
                </section>
              ) : null}
            </div>
          )}
        </div>
        <TicketSidePanel ticket={ticket} onPatch={patch} onChanged={refresh} />
      </div>
      <ShortcutsHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  )
}
