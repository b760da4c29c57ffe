/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import tailwindcss from "@tailwindcss/vite";

// The dev server forwards every server-owned path to the Python server so the
// SPA can be developed against a real backend with same-origin cookies.
const BACKEND = "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: {
    proxy: {
      "/api": BACKEND,
      "/health": BACKEND,
      "/media": BACKEND,
      "/ws": { target: BACKEND, ws: true },
    },
  },
  build: {
    outDir: "dist",
    // No inline scripts or module-preload polyfill: production CSP is
    // `script-src 'self' https://www.youtube.com`.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
