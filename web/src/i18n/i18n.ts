import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'
import esMX from './es-MX.json'
import en from './en.json'

/** The languages of the interface: es-MX by default, English second. */
export const LOCALES = ['es-MX', 'en'] as const
export type Locale = (typeof LOCALES)[number]

const STORAGE_KEY = 'atiende.locale'

export function normalizeLocale(value: string | null | undefined): Locale {
  return value && value.toLowerCase().startsWith('en') ? 'en' : 'es-MX'
}

function initialLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY)
    if (stored) return normalizeLocale(stored)
  } catch { /* storage unavailable */ }
  return 'es-MX'
}

/** Switches the interface language and remembers it in this browser. */
export async function changeLocale(locale: Locale) {
  try { localStorage.setItem(STORAGE_KEY, locale) } catch { /* storage unavailable */ }
  if (i18n.language !== locale) await i18n.changeLanguage(locale)
}

void i18n.use(initReactI18next).init({
  resources: { 'es-MX': { translation: esMX }, en: { translation: en } },
  lng: initialLocale(),
  fallbackLng: 'es-MX',
  interpolation: { escapeValue: false },
  returnNull: false,
})

const syncHtmlLang = (lng: string) => { document.documentElement.lang = lng }
syncHtmlLang(i18n.language)
i18n.on('languageChanged', syncHtmlLang)

export { i18n }
