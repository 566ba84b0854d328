// The subset of html-to-text 10 that we use (the package ships no types).
declare module 'html-to-text' {
  export interface SelectorDefinition {
    selector: string
    format?: string
    options?: Record<string, unknown>
  }
  export interface HtmlToTextOptions {
    wordwrap?: number | false | null
    selectors?: SelectorDefinition[]
    limits?: Record<string, unknown>
  }
  export function convert(html: string, options?: HtmlToTextOptions): string
}
