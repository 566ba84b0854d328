import { useTranslation } from 'react-i18next'
export default function PortalApp() {
  const { t } = useTranslation()
  return <main id="main" className="page"><h1>{t('portal.home.title')}</h1></main>
}
