import { getCurrentWindow } from "@tauri-apps/api/window";
import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { router } from "./lib/router.svelte";
import { unsaved } from "./lib/unsaved.svelte";

declare global {
  interface Window {
    /** Whether the page has edits not yet saved (read by the shell before closing, and by E2E tests). */
    __hasUnsavedChanges: () => boolean;
  }
}

window.__hasUnsavedChanges = () => unsaved.dirty;
router.start();

// Closing the window with unsaved edits asks first, with the same dialog as leaving the page.
const appWindow = getCurrentWindow();
void appWindow.onCloseRequested(async (event) => {
  if (!unsaved.dirty) return;
  event.preventDefault();
  if (await router.mayClose()) await appWindow.destroy();
});

const target = document.getElementById("app");
if (!target) throw new Error("#app is missing from index.html");

export default mount(App, { target });
