import { useEffect, useMemo, useRef, useState } from 'react'
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useLocation, useRoute, useSearch } from 'wouter'
import { StaffLayout } from '../../../app/StaffLayout'
import { useSession } from '../../../app/session'
import { errorMessage } from '../../../app/api-client'
import { Button } from '../../../ui/Button'
import { Alert, EmptyState, ErrorState, Spinner } from '../../../ui/Feedback'
import { Dialog } from '../../../ui/Dialog'
import { TextField } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { useShortcuts } from '../../../ui/useShortcuts'
import { configApi, labelOf } from '../api/config.api'
import { viewFilters, type TicketFilters, type TicketSummary } from '../api/tickets.api'
import { BUILT_IN_VIEWS, DEFAULT_VIEW } from '../views'
import { loadColumns, saveColumns } from '../columns'
import { useTicketConfig } from '../hooks/useTicketConfig'
import { ViewsSidebar } from './ViewsSidebar'
import { SummaryStrip } from './SummaryStrip'
import { TicketTable } from './TicketTable'
import { FilterPanel } from './FilterPanel'
import { BulkBar } from './BulkBar'
import { ColumnPicker } from './ColumnPicker'
import { ExportButton } from './ExportButton'
import { ShortcutsHelp } from './ShortcutsHelp'
import { inboxListFn, inboxListKey } from '../prefetch'

/** The agent's inbox: views with counts, status summary, filters, the table, bulk actions, shortcuts. */
export function InboxPage() {
  const { t, i18n } = useTranslation()
  const { user } = useSession()
  const [, params] = useRoute('/agent/views/:view')
  const [, navigate] = useLocation()
  const viewId = params?.view ?? DEFAULT_VIEW
  const qc = useQueryClient()
  const [firstPage, setFirstPage] = useState(false)
  // Saved views are needed at once only to name the one shown; otherwise after the list.
  const saved = useQuery({ queryKey: ['views'], queryFn: configApi.views, staleTime: 60_000, retry: false, enabled: viewId.startsWith('saved-') || firstPage })
  const { customFields } = useTicketConfig(firstPage)

  const builtIn = BUILT_IN_VIEWS.find((v) => v.id === viewId)
  const savedView = viewId.startsWith('saved-') ? saved.data?.find((v) => `saved-${v.id}` === viewId) : undefined
  const viewName = builtIn ? t(builtIn.labelKey) : savedView?.name ?? t('views.title')
  // A saved view is applied by the server (?view=id); the panel's filters override its keys.
  const savedId = viewId.startsWith('saved-') ? viewId.slice(6) : undefined
  const baseFilters = useMemo<TicketFilters>(() => (builtIn && user ? builtIn.filters(user) : {}), [builtIn, user])
  const [extra, setExtra] = useState<TicketFilters>({})
  const [sortChoice, setSort] = useState<string | null>(null)
  // A saved view sorts as saved (the server applies it) until the agent picks a column.
  const sentSort = sortChoice ?? builtIn?.sort ?? (savedId ? undefined : '-updatedAt')
  const sort = sentSort ?? savedView?.sort ?? '-updatedAt'
  const [showFilters, setShowFilters] = useState(false)
  const [columns, setColumns] = useState<string[]>(loadColumns)
  const [pickerOpen, setPickerOpen] = useState(false)
  const [helpOpen, setHelpOpen] = useState(false)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [cursor, setCursor] = useState(0)
  const [saveOpen, setSaveOpen] = useState<TicketFilters | null>(null)
  const [viewName2, setViewName2] = useState('')
  const [saveError, setSaveError] = useState<string | null>(null)
  usePageTitle(viewName)

  const search = useSearch()
  useEffect(() => {
    const requester = new URLSearchParams(search).get('requester')
    setExtra(requester ? { requesterId: [requester] } : {})
    setSelected(new Set()); setCursor(0); setSort(null)
  }, [viewId, search])

  const filters = useMemo(() => ({ ...baseFilters, ...extra }), [baseFilters, extra])
  const list = useInfiniteQuery({
    queryKey: inboxListKey(filters, sentSort, savedId),
    queryFn: inboxListFn(filters, sentSort, savedId),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  })
  const tickets = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data])
  useEffect(() => { if (!list.isPending) setFirstPage(true) }, [list.isPending])
  const selectedTickets = tickets.filter((x) => selected.has(x.id))
  const href = (tk: TicketSummary) => `/agent/tickets/${tk.number}`

  // Infinite scroll: load the next page when the sentinel below the table comes into view.
  const sentinel = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = sentinel.current
    if (!el || typeof IntersectionObserver === 'undefined') return
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage()
    }, { rootMargin: '200px' })
    io.observe(el)
    return () => io.disconnect()
  }, [list])

  const toggle = (id: string) => setSelected((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n })
  useShortcuts({
    j: () => setCursor((c) => Math.min(c + 1, Math.max(tickets.length - 1, 0))),
    k: () => setCursor((c) => Math.max(c - 1, 0)),
    o: () => { const tk = tickets[cursor]; if (tk) navigate(href(tk)) },
    Enter: () => { const tk = tickets[cursor]; if (tk) navigate(href(tk)) },
    x: () => { const tk = tickets[cursor]; if (tk) toggle(tk.id) },
    '?': () => setHelpOpen(true),
  })
  useEffect(() => {
    document.querySelector(`tr.is-cursor`)?.scrollIntoView({ block: 'nearest' })
  }, [cursor])

  const columnLabel = (c: string) => {
    if (c.startsWith('cf:')) {
      const f = customFields.find((x) => x.key === c.slice(3))
      return f ? labelOf(f, i18n.language) : c.slice(3)
    }
    return t(`columns.${c}`)
  }
  const changeColumns = (cols: string[]) => { setColumns(cols); saveColumns(cols) }

  const saveView = async () => {
    if (!saveOpen || !viewName2.trim()) return
    setSaveError(null)
    try {
      const v = await configApi.createView({ name: viewName2.trim(), filters: viewFilters({ ...baseFilters, ...(savedView?.filters ?? {}), ...saveOpen }), sort })
      await qc.invalidateQueries({ queryKey: ['views'] })
      setSaveOpen(null)
      setViewName2('')
      navigate(`/agent/views/saved-${v.id}`)
    } catch (err) {
      setSaveError(errorMessage(err))
    }
  }

  // The list first: the counts (one query per view, each over every visible ticket) and the
  // configuration wait for its first page (one database session on PGlite serves them in turn).
  const countsEnabled = firstPage
  const activeExtra = Object.values(extra).filter((v) => v !== undefined && v !== '' && !(Array.isArray(v) && !v.length)).length

  return (
    <StaffLayout sidebar={user ? <ViewsSidebar current={viewId} me={user} countsEnabled={countsEnabled} /> : null} sidebarLabel={t('views.title')}>
      <div className="page">
        <SummaryStrip enabled={countsEnabled} />
        <div className="row-between">
          <h1>{viewName}</h1>
          <div className="row">
            <Button onClick={() => setShowFilters((s) => !s)} aria-expanded={showFilters} aria-controls="filters">
              {t('filters.title')}{activeExtra ? ` (${activeExtra})` : ''}
            </Button>
            <Button onClick={() => setPickerOpen(true)}>{t('columns.title')}</Button>
            <ExportButton filters={filters} sort={sentSort} view={savedId} />
            <Button variant="ghost" onClick={() => setHelpOpen(true)} aria-label={t('shortcuts.title')}>?</Button>
          </div>
        </div>
        {showFilters ? <div id="filters"><FilterPanel initial={extra} onApply={(f) => { setExtra(f); setSelected(new Set()); setCursor(0) }} onSaveView={(f) => setSaveOpen(f)} /></div> : null}
        <BulkBar selected={selectedTickets} onDone={() => setSelected(new Set())} />
        {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : list.isPending ? <Spinner /> : tickets.length === 0 ? (
          <EmptyState title={activeExtra ? t('inbox.emptyFiltered') : t('inbox.empty')}>
            {activeExtra ? <Button onClick={() => setExtra({})}>{t('filters.clear')}</Button> : t('inbox.emptyHint')}
          </EmptyState>
        ) : (
          <>
            <TicketTable tickets={tickets} columns={columns} columnLabel={columnLabel} sort={sort} onSort={setSort}
              selected={selected} onToggle={toggle} onToggleAll={(on) => setSelected(on ? new Set(tickets.map((x) => x.id)) : new Set())}
              cursor={cursor} ticketHref={href} customFields={customFields} />
            <div className="pager" ref={sentinel}>
              <span className="muted small" aria-live="polite">{t('inbox.showing', { count: tickets.length })}</span>
              {list.hasNextPage ? <Button onClick={() => void list.fetchNextPage()} busy={list.isFetchingNextPage}>{t('inbox.loadMore')}</Button> : null}
            </div>
          </>
        )}
      </div>
      <ColumnPicker open={pickerOpen} onClose={() => setPickerOpen(false)} columns={columns} columnLabel={columnLabel}
        customFields={customFields.map((f) => ({ key: f.key, label: labelOf(f, i18n.language) }))} onChange={changeColumns} />
      <ShortcutsHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
      <Dialog open={saveOpen !== null} onClose={() => setSaveOpen(null)} title={t('views.saveAs')}>
        <form className="stack" onSubmit={(e) => { e.preventDefault(); void saveView() }}>
          {saveError ? <Alert>{saveError}</Alert> : null}
          <TextField label={t('views.name')} required value={viewName2} onChange={(e) => setViewName2(e.target.value)} autoFocus />
          {saveOpen?.q ? <p className="muted small">{t('views.noTextSearch')}</p> : null}
          <div className="row"><Button type="submit" variant="primary">{t('common.save')}</Button><Button onClick={() => setSaveOpen(null)}>{t('common.cancel')}</Button></div>
        </form>
      </Dialog>
    </StaffLayout>
  )
}
