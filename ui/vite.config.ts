import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The built files are loaded by the Tauri webview from ui/dist under `default-src 'self'`: relative
// paths, no inline scripts or styles, nothing fetched from the network.
export default defineConfig({
  base: "./",
  plugins: [svelte()],
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
