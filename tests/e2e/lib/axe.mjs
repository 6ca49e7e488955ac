// axe-core inside the app's webview: every violation printed, serious and critical ones fatal.

import assert from "node:assert/strict";

import { runAxe } from "./app.mjs";

const BLOCKING = new Set(["serious", "critical"]);

function describeViolations(violations) {
  return violations
    .map(
      (v) =>
        `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes
          .slice(0, 8)
          .map((n) => `      at ${n.target}\n        ${n.html}\n        ${(n.summary ?? "").replace(/\n/g, "\n        ")}`)
          .join("\n") +
        (v.nodes.length > 8 ? `\n      … and ${v.nodes.length - 8} more` : ""),
    )
    .join("\n");
}

/**
 * Runs axe-core on the current screen; records every violation in `report[screen]`, prints them, and
 * fails on any of impact serious or critical.
 */
export async function checkAccessible(session, screen, report = {}) {
  const violations = await runAxe(session);
  report[screen] = violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
  if (violations.length) console.log(`axe on ${screen}: ${violations.length} violation(s)\n${describeViolations(violations)}`);
  else console.log(`axe on ${screen}: no violations`);
  const blocking = violations.filter((v) => BLOCKING.has(v.impact));
  assert.equal(blocking.length, 0, `serious/critical axe violations on ${screen}:\n${describeViolations(blocking)}`);
}

