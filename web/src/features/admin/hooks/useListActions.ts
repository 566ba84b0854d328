import { useState } from 'react'
import { errorMessage } from '../../../app/api-client'

export interface ListMessage { kind: 'error' | 'success'; text: string }

/**
 * An admin list's message line and `act(change, ok?)`: runs a change, shows `ok` or the error (and
 * rethrows it, so a reorder can roll back), then refreshes the list either way.
 */
export function useListActions(refresh: () => Promise<unknown>) {
  const [msg, setMsg] = useState<ListMessage | null>(null)
  const act = async (fn: () => Promise<unknown>, ok?: string) => {
    setMsg(null)
    try { await fn(); if (ok) setMsg({ kind: 'success', text: ok }) } catch (err) { setMsg({ kind: 'error', text: errorMessage(err) }); throw err } finally { await refresh() }
  }
  return { msg, setMsg, act }
}
