import { useTranslation } from 'react-i18next'

export default function TicketPage(_props: { number?: string }) {
  const { t } = useTranslation()
  return <div className="page"><h1>{t('common.loading')}</h1></div>
}
