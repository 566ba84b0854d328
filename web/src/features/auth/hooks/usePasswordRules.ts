import { useTranslation } from 'react-i18next'
import { MIN_PASSWORD_LENGTH } from '../api/auth.api'

/** Client-side check of a new password and its confirmation (the server checks again). */
export function usePasswordRules() {
  const { t } = useTranslation()
  return (password: string, confirm: string): string | null => {
    if (password.length < MIN_PASSWORD_LENGTH) return t('auth.password.tooShort', { min: MIN_PASSWORD_LENGTH })
    if (password !== confirm) return t('auth.password.mismatch')
    return null
  }
}
