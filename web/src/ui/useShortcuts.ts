import { useLayoutEffect, useRef } from 'react'

/** True when the key event comes from a field the user is typing in. */
export function isTyping(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null
  return !!el && (!!el.closest('input, textarea, select, [contenteditable="true"]') || el.isContentEditable)
}

/**
 * Single-key shortcuts (no modifier), ignored while typing or while a dialog is open.
 * Keys are KeyboardEvent.key values: 'j', 'k', 'o', '?'…
 */
export function useShortcuts(map: Record<string, (e: KeyboardEvent) => void>, enabled = true) {
  const ref = useRef(map)
  ref.current = map
  // Layout effect: listening from the commit that shows the screen, so a key pressed as soon as it
  // is painted (while the browser is busy loading other chunks) is not lost.
  useLayoutEffect(() => {
    if (!enabled) return
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e)) return
      if (document.querySelector('dialog[open]')) return
      const fn = ref.current[e.key]
      if (fn) {
        e.preventDefault()
        fn(e)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [enabled])
}
