// Mapping evidence to criteria, with the performance marks the E2E tests read: 'map-start' right
// before map_evidence, 'dashboard-updated' once the learner's gaps are re-fetched and rendered.
//
// After a change only what the screen on show needs is fetched: the gaps (dashboard state, ready
// panel, nav count) and whatever `reload` fetches (the item itself in the editor, the coverage in
// the criterion view). The full coverage is only marked stale, never fetched here.

import { tick } from "svelte";
import * as api from "./api";
import type { MapReport } from "./bindings";
import { session } from "./session.svelte";

async function refreshGapsAndMark(): Promise<void> {
  await session.changed();
  await tick();
  performance.mark("dashboard-updated");
}

export async function mapAndRefresh(
  id: string,
  criteria: string[],
  note: string | null,
  reload: () => Promise<void>,
): Promise<MapReport> {
  performance.mark("map-start");
  const report = await api.mapEvidence(id, criteria, note);
  await Promise.all([refreshGapsAndMark(), reload()]);
  return report;
}

export async function unmapAndRefresh(id: string, criteria: string[], reload: () => Promise<void>): Promise<void> {
  await api.unmapEvidence(id, criteria);
  await Promise.all([session.changed(), reload()]);
}
