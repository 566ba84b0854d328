import { useTranslation } from 'react-i18next'
import { StaffLayout } from '../../app/StaffLayout'
export default function AdminApp() {
  const { t } = useTranslation()
  return <StaffLayout><div className="page"><h1>{t('nav.admin')}</h1></div></StaffLayout>
}
