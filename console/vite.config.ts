import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves the built console from its jar at /console (classpath static/console/). The Maven build sets
// PAYRAIL_CONSOLE_OUT to target/classes/static/console; a plain `npm run build` writes to dist/.
const backend = process.env.PAYRAIL_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: process.env.PAYRAIL_CONSOLE_OUT ?? 'dist',
    emptyOutDir: true,
  },
  // `vite preview` (the built files) proxies the same way.
  server: {
    host: '127.0.0.1',
    port: 5173,
    // `npm run dev`: the API calls go to a running ./payrail; cookies stay first-party on the dev server's origin.
    proxy: {
      '/admin-api': { target: backend, changeOrigin: false },
      '/v3/api-docs': { target: backend },
      '/v1': { target: backend },
      '/simulators': { target: backend },
    },
  },
});
