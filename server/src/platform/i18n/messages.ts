import { interpolate, type Lang } from './locale'

/**
 * Server-side messages (errors, emails of the platform). Modules add their own catalogues with
 * `registerMessages`, keyed `<module>.<key>`, so each module keeps its wording beside its code.
 */
const catalogue: Record<Lang, Record<string, string>> = {
  es: {
    'error.not_found': 'No se encontró el recurso solicitado.',
    'error.route_not_found': 'La ruta {method} {url} no existe.',
    'error.unauthenticated': 'Inicie sesión para continuar.',
    'error.forbidden': 'No tiene permiso para realizar esta acción.',
    'error.csrf': 'Falta el token CSRF o no es válido (encabezado X-CSRF-Token).',
    'error.validation': 'La solicitud no es válida: {summary}',
    'error.malformed_json': 'El cuerpo de la solicitud no es JSON válido.',
    'error.body_too_large': 'El cuerpo de la solicitud es demasiado grande.',
    'error.unsupported_media_type': 'Tipo de contenido no soportado: {type}.',
    'error.internal': 'Ocurrió un error interno. Intente de nuevo más tarde.',
    'error.bad_request': 'La solicitud no es válida.',
    'error.unstorable_text': 'La solicitud contiene el carácter nulo (U+0000), que no se puede guardar.',
    'error.rate_limited': 'Demasiadas solicitudes. Intente de nuevo en {seconds} segundos.',
    'error.idempotency_conflict': 'La clave Idempotency-Key ya se usó con otra solicitud.',
    'error.idempotency_in_progress': 'Una solicitud con la misma Idempotency-Key está en curso; reintente en unos segundos.',
    'error.idempotency_key': 'La cabecera Idempotency-Key debe tener como máximo {max} caracteres.',
    'error.conflict': 'La operación entra en conflicto con el estado actual.',
    'auth.invalid_credentials': 'Correo o contraseña incorrectos.',
    'auth.locked': 'Demasiados intentos fallidos. Intente de nuevo en {minutes} minutos.',
    'auth.wrong_password': 'La contraseña actual no es correcta.',
    'auth.weak_password': 'La contraseña debe tener al menos 10 caracteres.',
    'auth.invalid_token': 'El enlace no es válido o ya expiró.',
    'auth.token_scope': 'El token de API no tiene el alcance «{scope}».',
    'users.email_taken': 'Ya existe un usuario con el correo {email}.',
    'users.password_or_invite': 'Indique una contraseña inicial o "invite": true.',
    'users.last_admin': 'No se puede quitar el último administrador activo.',
    'validation.required': 'falta el campo «{field}»',
    'validation.additional': 'campo desconocido «{field}»',
    'validation.type': '«{field}» debe ser de tipo {type}',
    'validation.enum': '«{field}» debe ser uno de: {values}',
    'validation.minLength': '«{field}» debe tener al menos {limit} caracteres',
    'validation.maxLength': '«{field}» debe tener como máximo {limit} caracteres',
    'validation.minimum': '«{field}» debe ser mayor o igual a {limit}',
    'validation.maximum': '«{field}» debe ser menor o igual a {limit}',
    'validation.format': '«{field}» debe tener formato {format}',
    'validation.pattern': '«{field}» no tiene el formato esperado',
    'validation.minItems': '«{field}» debe tener al menos {limit} elementos',
    'validation.maxItems': '«{field}» debe tener como máximo {limit} elementos',
    'validation.other': '«{field}» no es válido',
    'validation.storable_text': '«{field}» contiene el carácter nulo (U+0000), que no se puede guardar',
    'validation.not_blank': '«{field}» no puede quedar en blanco',
    'validation.body': 'el cuerpo',
  },
  en: {
    'error.not_found': 'The requested resource was not found.',
    'error.route_not_found': 'Route {method} {url} does not exist.',
    'error.unauthenticated': 'Sign in to continue.',
    'error.forbidden': 'You are not allowed to do this.',
    'error.csrf': 'The CSRF token is missing or invalid (X-CSRF-Token header).',
    'error.validation': 'The request is not valid: {summary}',
    'error.malformed_json': 'The request body is not valid JSON.',
    'error.body_too_large': 'The request body is too large.',
    'error.unsupported_media_type': 'Unsupported content type: {type}.',
    'error.internal': 'An internal error occurred. Please try again later.',
    'error.bad_request': 'The request is not valid.',
    'error.unstorable_text': 'The request contains the null character (U+0000), which cannot be stored.',
    'error.rate_limited': 'Too many requests. Try again in {seconds} seconds.',
    'error.idempotency_conflict': 'This Idempotency-Key was already used for another request.',
    'error.idempotency_in_progress': 'A request with the same Idempotency-Key is in progress; retry in a few seconds.',
    'error.idempotency_key': 'The Idempotency-Key header must have at most {max} characters.',
    'error.conflict': 'The operation conflicts with the current state.',
    'auth.invalid_credentials': 'Wrong email or password.',
    'auth.locked': 'Too many failed attempts. Try again in {minutes} minutes.',
    'auth.wrong_password': 'The current password is not correct.',
    'auth.weak_password': 'The password must have at least 10 characters.',
    'auth.invalid_token': 'The link is not valid or has expired.',
    'auth.token_scope': 'The API token lacks the "{scope}" scope.',
    'users.email_taken': 'A user with email {email} already exists.',
    'users.password_or_invite': 'Give an initial password or "invite": true.',
    'users.last_admin': 'The last active administrator cannot be removed.',
    'validation.required': 'missing field "{field}"',
    'validation.additional': 'unknown field "{field}"',
    'validation.type': '"{field}" must be of type {type}',
    'validation.enum': '"{field}" must be one of: {values}',
    'validation.minLength': '"{field}" must have at least {limit} characters',
    'validation.maxLength': '"{field}" must have at most {limit} characters',
    'validation.minimum': '"{field}" must be greater than or equal to {limit}',
    'validation.maximum': '"{field}" must be less than or equal to {limit}',
    'validation.format': '"{field}" must have the {format} format',
    'validation.pattern': '"{field}" does not have the expected format',
    'validation.minItems': '"{field}" must have at least {limit} items',
    'validation.maxItems': '"{field}" must have at most {limit} items',
    'validation.other': '"{field}" is not valid',
    'validation.storable_text': '"{field}" contains the null character (U+0000), which cannot be stored',
    'validation.not_blank': '"{field}" cannot be blank',
    'validation.body': 'the body',
  },
}

/** Adds a module's messages; keys must not collide with existing ones. */
export function registerMessages(messages: Record<Lang, Record<string, string>>) {
  for (const lang of ['es', 'en'] as const) {
    for (const [k, v] of Object.entries(messages[lang])) {
      if (catalogue[lang][k] !== undefined && catalogue[lang][k] !== v) throw new Error(`duplicate message key ${k}`)
      catalogue[lang][k] = v
    }
  }
}

/** Translates a key; falls back to Spanish, then to the key itself. */
export function t(lang: Lang, key: string, params?: Record<string, unknown>): string {
  const template = catalogue[lang][key] ?? catalogue.es[key] ?? key
  return interpolate(template, params)
}

export function hasMessage(key: string) {
  return catalogue.es[key] !== undefined && catalogue.en[key] !== undefined
}
