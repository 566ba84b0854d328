import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { LanguageSwitch } from './LanguageSwitch'
import { usePageTitle } from '../../../ui/usePageTitle'

/** The frame of the signed-out pages: brand, language switch, one card. */
export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation()
  usePageTitle(title)
  return (
    <div className="auth-page">
      <header className="auth-top">
        <span className="brand" aria-label="Atiende"><span className="brand-mark" aria-hidden="true">A</span> Atiende</span>
        <LanguageSwitch />
      </header>
      <main className="auth-card" id="main">
        <h1>{title}</h1>
        <p className="muted auth-tagline">{t('app.tagline')}</p>
        {children}
      </main>
    </div>
  )
}
