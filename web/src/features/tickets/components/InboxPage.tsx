import { useTranslation } from 'react-i18next'
import { StaffLayout } from '../../../app/StaffLayout'
import { usePageTitle } from '../../../ui/usePageTitle'

export function InboxPage() {
  const { t } = useTranslation()
  usePageTitle(t('nav.inbox'))
  return <StaffLayout><div className="page"><h1>{t('nav.inbox')}</h1></div></StaffLayout>
}
