// Locks the app after the administrator's idle time: any key, click, pointer move or scroll counts as
// use. Typing in progress is not lost: the editor keeps its draft (see unsaved.svelte.ts) and restores
// it when its learner signs in again.

import { session } from "./session.svelte";

const EVENTS = ["keydown", "pointerdown", "pointermove", "wheel", "touchstart"] as const;
const CHECK_EVERY_MS = 15_000;

/** Starts watching; returns the function that stops. */
export function startIdleLock(): () => void {
  let last = Date.now();
  const touched = () => (last = Date.now());
  for (const name of EVENTS) window.addEventListener(name, touched, { passive: true, capture: true });
  const timer = setInterval(() => {
    const minutes = session.lockMinutes;
    if (!session.canLock || minutes <= 0 || session.gate !== "open") return;
    if (Date.now() - last >= minutes * 60_000) void session.lock().catch(() => {});
  }, CHECK_EVERY_MS);
  return () => {
    clearInterval(timer);
    for (const name of EVENTS) window.removeEventListener(name, touched, { capture: true });
  };
}
