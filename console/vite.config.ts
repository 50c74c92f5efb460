// Vite: served by the api binary under /console/ (same origin as /api/v1), TDesign components
// imported one by one (unplugin-vue-components), every route's page in its own chunk.
import { fileURLToPath, URL } from 'node:url';
import { defineConfig, searchForWorkspaceRoot } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { TDesignResolver } from 'unplugin-vue-components/resolvers';

// Where `npm run dev` and `vite preview` send /api: the api binary on its default port, or
// QINQING_API_ORIGIN (the e2e tests' preview mode points it at the server they started).
const apiOrigin = process.env.QINQING_API_ORIGIN ?? 'http://127.0.0.1:8080';

// The content-security policy the api binary serves the console with: `vite preview` sends it
// too, so a preview (and the e2e tests' preview mode) breaks where production would.
const csp =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export default defineConfig({
  base: '/console/',
  plugins: [
    vue(),
    Components({
      dts: false,
      dirs: [],
      resolvers: [TDesignResolver({ library: 'vue-next' })],
    }),
  ],
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
      // `@form`: the mini-program's own form engine (../miniprogram/src/utils/form.ts), one source for both clients.
      '@form': fileURLToPath(new URL('../miniprogram/src/utils/form.ts', import.meta.url)),
    },
  },
  build: {
    // 360 and QQ browsers run older Chromium cores than Chrome and Edge (360 极速 mode: 86+).
    target: ['chrome87', 'edge88'],
    // The module-preload polyfill is an inline script: the server's CSP allows none.
    modulePreload: { polyfill: false },
    sourcemap: false,
    // scripts/check-size.mjs follows the entry's static imports through the manifest.
    manifest: true,
    chunkSizeWarningLimit: 600,
  },
  server: {
    port: 5173,
    // The dev server serves files outside the console only from these folders: the console and
    // the mini-program's pure utils that `@form` reaches (form.ts and its ./text import).
    fs: { allow: [searchForWorkspaceRoot(fileURLToPath(new URL('.', import.meta.url))), fileURLToPath(new URL('../miniprogram/src/utils', import.meta.url))] },
    proxy: { '/api': apiOrigin },
  },
  preview: {
    proxy: { '/api': apiOrigin },
    headers: { 'Content-Security-Policy': csp },
  },
});
