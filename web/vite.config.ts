import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

const root = fileURLToPath(new URL('.', import.meta.url))
const apiTarget = process.env.ATIENDE_API ?? 'http://localhost:3000'

/** The web app: root web/, built to web/dist (served by the Atiende server); dev server proxies /api. */
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // The rich-text editor (Tiptap + ProseMirror, ~450 KB, 143 KB gzip) is a chunk of its own, loaded by the ticket page only.
    chunkSizeWarningLimit: 480,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/healthz': apiTarget,
    },
  },
})
