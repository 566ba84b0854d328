import { useState, type ClipboardEvent, type DragEvent } from 'react'

/** Files from drag-and-drop and from pasting (screenshots) into a field. */
export function useFileDrop(onFiles: (files: File[]) => void) {
  const [dragging, setDragging] = useState(false)
  return {
    dragging,
    handlers: {
      onDragOver: (e: DragEvent) => { if (e.dataTransfer.types.includes('Files')) { e.preventDefault(); setDragging(true) } },
      onDragLeave: () => setDragging(false),
      onDrop: (e: DragEvent) => {
        setDragging(false)
        // A rich editor inside that already took the files (an image shown inline) prevented the default.
        if (e.defaultPrevented) return
        if (e.dataTransfer.files.length) { e.preventDefault(); onFiles([...e.dataTransfer.files]) }
      },
      onPaste: (e: ClipboardEvent) => {
        if (e.defaultPrevented) return
        const files = [...e.clipboardData.files]
        if (files.length) { e.preventDefault(); onFiles(files.map((f, i) => (f.name && f.name !== 'image.png' ? f : new File([f], `captura-${Date.now()}-${i}.${f.type.split('/')[1] || 'png'}`, { type: f.type })))) }
      },
    },
  }
}
