import { useState } from 'react'
import { errorMessage } from './api-client'

/**
 * A form's save state: `run(save)` keeps the submit button busy while `save` runs and shows what went
 * wrong as the form's error. `setError` shows a check's message without saving.
 */
export function useFormSubmit() {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const run = async (save: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await save()
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }
  return { error, setError, busy, run }
}
