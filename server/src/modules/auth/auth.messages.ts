import { registerMessages } from '../../platform/i18n/messages'

registerMessages({
  es: {
    'auth.mail.reset.subject': 'Restablezca su contraseña de Atiende',
    'auth.mail.reset.body': 'Hola {name}:\n\nRecibimos una solicitud para restablecer su contraseña. Use este enlace (válido {hours} hora(s), un solo uso):\n\n{link}\n\nSi no la solicitó, ignore este mensaje.\n\n— Atiende',
    'auth.mail.invite.subject': 'Le invitaron a Atiende',
    'auth.mail.invite.body': 'Hola {name}:\n\nSe creó una cuenta para usted en la mesa de ayuda Atiende. Defina su contraseña con este enlace (válido {hours} horas, un solo uso):\n\n{link}\n\n— Atiende',
    'auth.setup_done': 'Ya existe un administrador; el enlace de configuración ya no aplica.',
    'auth.reset_throttled': 'Demasiadas solicitudes para restablecer contraseñas desde su red. Intente de nuevo en {minutes} minutos.',
  },
  en: {
    'auth.mail.reset.subject': 'Reset your Atiende password',
    'auth.mail.reset.body': 'Hello {name},\n\nWe received a request to reset your password. Use this link (valid for {hours} hour(s), single use):\n\n{link}\n\nIf you did not ask for it, ignore this message.\n\n— Atiende',
    'auth.mail.invite.subject': 'You were invited to Atiende',
    'auth.mail.invite.body': 'Hello {name},\n\nAn account was created for you on the Atiende help desk. Set your password with this link (valid for {hours} hours, single use):\n\n{link}\n\n— Atiende',
    'auth.setup_done': 'An administrator already exists; the setup link no longer applies.',
    'auth.reset_throttled': 'Too many password reset requests from your network. Try again in {minutes} minutes.',
  },
})
