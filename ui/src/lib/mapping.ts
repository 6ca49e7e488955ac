// Mapping evidence to criteria, with the performance marks the E2E tests read: 'map-start' right
// before map_evidence, 'dashboard-updated' once the learner's gaps are re-fetched and rendered.

import { tick } from "svelte";
import * as api from "./api";
import type { MapReport } from "./bindings";
import { session } from "./session.svelte";

export async function mapAndRefresh(
  id: string,
  criteria: string[],
  note: string | null,
  reloadItem: () => Promise<void>,
): Promise<MapReport> {
  performance.mark("map-start");
  const report = await api.mapEvidence(id, criteria, note);
  await Promise.all([session.refreshProgress(), reloadItem()]);
  await tick();
  performance.mark("dashboard-updated");
  return report;
}

export async function unmapAndRefresh(id: string, criteria: string[], reloadItem: () => Promise<void>): Promise<void> {
  await api.unmapEvidence(id, criteria);
  await Promise.all([session.refreshProgress(), reloadItem()]);
}
