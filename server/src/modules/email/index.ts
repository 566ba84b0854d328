// Public surface of the email module (part 1: pure parsing, threading, loop checks, templates).
export type { InboundMessage, InboundAttachment, MailAddress, ParseWarning } from './inbound/inbound-message'
export { parseMessage } from './inbound/parse-message'
export { stripQuotedText, REPLY_ABOVE_MARKERS } from './inbound/strip-quoted'
export { sanitizeEmailHtml, BLOCKED_IMAGE_PLACEHOLDER } from './inbound/sanitize'
export { rewriteCidReferences, listCidReferences } from './inbound/cid'
export {
  parseOurMessageId,
  compileSubjectPatterns,
  findTicketNumbersInSubject,
  findThreadCandidates,
  findVerifiedReplyToken,
  DEFAULT_SUBJECT_PATTERNS,
  type ThreadCandidates,
} from './inbound/threading'
export { classifyMessage, type LoopVerdict, type MessageKind } from './inbound/loop-detection'
export type { FailedRecipient } from './inbound/bounce-recipients'
export { analyseInbound, type InboundAnalysis, type InboundSettings } from './inbound/analyse-inbound'
export { createReplyToken, verifyReplyToken } from './reply-token'
export { buildOutboundHeaders, type OutboundHeaders } from './outbound/headers'
export { renderNotification, validateTemplateOverride, type RenderedEmail, type TemplateOverride } from './templates/render-notification'
export { NOTIFICATION_EVENTS, EVENT_VARIABLES, type NotificationEvent, type NotificationLocale } from './templates/notification-events'
export { trustedHtml } from './templates/template-language'
