import { useTranslation } from 'react-i18next'
import { changeLocale, normalizeLocale, type Locale } from '../../../i18n/i18n'
import { useSession } from '../../../app/session'
import { authApi } from '../api/auth.api'

/** Español / English: switches at once; a signed-in user's choice is saved to their profile. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation()
  const { user, updateUser } = useSession()
  const current = normalizeLocale(i18n.language)
  const choose = async (locale: Locale) => {
    await changeLocale(locale)
    if (user && user.locale !== locale) {
      try { updateUser(await authApi.updateMe({ locale })) } catch { /* the switch still applies in this browser */ }
    }
  }
  return (
    <div className="lang-switch" role="group" aria-label={t('language.label')}>
      {(['es-MX', 'en'] as const).map((l) => (
        <button key={l} type="button" className="btn btn-ghost btn-sm" aria-pressed={current === l} lang={l} onClick={() => void choose(l)}>
          {l === 'es-MX' ? 'Español' : 'English'}
        </button>
      ))}
    </div>
  )
}
