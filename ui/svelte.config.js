import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";

export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Styles go to a bundled CSS file, never into <style> elements (the CSP allows only 'self').
    css: "external",
  },
};
