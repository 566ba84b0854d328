import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import './i18n/i18n'
import './ui/styles.css'
import { ApiError } from './app/api-client'
import { SessionProvider } from './app/session'
import { App } from './app/App'
import { prefetchInbox } from './features/tickets/prefetch'

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: true,
      // Do not retry answers that will not change (4xx); retry network and 5xx once.
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 1,
    },
  },
})

// An inbox address asks for its list right away (in parallel with the session and the code).
prefetchInbox(queryClient, window.location.pathname, window.location.search)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
)
