import { useState } from 'react'
import { errorMessage } from '../../../app/api-client'

export interface ListMessage { kind: 'error' | 'success'; text: string }

/**
 * An admin list's message line and `act(change, ok?)`: runs a change, refreshes the list either
 * way, and shows the error (rethrowing it, so a reorder can roll back) or, once the list shows the
 * change, `ok`. The success line comes last so that a form resetting itself after its save is reset
 * by the time the line appears: someone who starts the next entry on seeing it loses nothing.
 */
export function useListActions(refresh: () => Promise<unknown>) {
  const [msg, setMsg] = useState<ListMessage | null>(null)
  const act = async (fn: () => Promise<unknown>, ok?: string) => {
    setMsg(null)
    try {
      await fn()
    } catch (err) {
      setMsg({ kind: 'error', text: errorMessage(err) })
      await refresh()
      throw err
    }
    await refresh()
    if (ok) setMsg({ kind: 'success', text: ok })
  }
  return { msg, setMsg, act }
}
