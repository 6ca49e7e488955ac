// Words for the values the core uses, and small formatting helpers.

import type {
  CriterionKind,
  CriterionStatus,
  GapFlag,
  GroupKind,
  Method,
  Status,
  Totals,
  Witness,
} from "./bindings";
import { WITNESS_METHODS } from "./bindings";

export const METHODS: ReadonlyArray<{ value: Method; label: string }> = [
  { value: "direct_observation", label: "Direct observation" },
  { value: "witness_testimony", label: "Witness testimony" },
  { value: "expert_witness", label: "Expert witness" },
  { value: "professional_discussion", label: "Professional discussion" },
  { value: "questioning", label: "Questioning" },
  { value: "product_evidence", label: "Product evidence" },
  { value: "reflective_account", label: "Reflective account" },
  { value: "recognition_of_prior_learning", label: "Recognition of prior learning" },
  { value: "other", label: "Other" },
];

export function methodLabel(method: Method | string): string {
  return METHODS.find((m) => m.value === method)?.label ?? String(method);
}

/** Whether evidence by this method is testimony that names its witness (as the core decides). */
export function takesWitness(method: Method | string): boolean {
  return (WITNESS_METHODS as readonly string[]).includes(method);
}

export const NO_WITNESS: Witness = { name: "", role: "", relationship: "" };

/** "Jo Okafor, Housing officer (partner organisation worker)", with gaps said as such. */
export function witnessLine(w: Witness): string {
  const part = (value: string, missing: string) => value || `(${missing} not recorded)`;
  return `${part(w.name, "name")}, ${part(w.role, "role")}; relationship: ${part(w.relationship, "relationship")}`;
}

export const STATUSES: ReadonlyArray<{ value: Status; label: string }> = [
  { value: "draft", label: "Draft" },
  { value: "submitted", label: "Submitted" },
];

export function statusLabel(status: Status | string): string {
  return STATUSES.find((s) => s.value === status)?.label ?? String(status);
}

const CRITERION_STATUS: Record<CriterionStatus, string> = {
  met: "Met",
  not_yet_met: "Not yet met",
  evidenced: "Evidenced, not yet assessed",
  draft_only: "Draft only",
  no_evidence: "No evidence",
};

export function criterionStatusLabel(status: CriterionStatus | string): string {
  return CRITERION_STATUS[status as CriterionStatus] ?? String(status);
}

const FLAGS: Record<GapFlag, string> = {
  no_evidence: "no evidence",
  draft_only: "draft only",
  not_current: "evidence no longer current",
  not_yet_met: "not yet met",
};

export function flagLabel(flag: GapFlag | string): string {
  return FLAGS[flag as GapFlag] ?? String(flag).replace(/_/g, " ");
}

const KINDS: Record<string, string> = {
  assessment_criterion: "Assessment criterion",
  performance_criterion: "Performance criterion",
  knowledge_item: "Knowledge item",
  value_statement: "Value statement",
  indicator: "Indicator",
  unit: "Unit",
  learning_outcome: "Learning outcome",
  key_area: "Key area",
  standard: "Standard",
  value: "Value",
  competence: "Competence",
  section: "Section",
};

export function kindLabel(kind: CriterionKind | GroupKind | string): string {
  return KINDS[kind] ?? String(kind).replace(/_/g, " ");
}

/** Criteria still lacking submitted evidence. */
export function lacking(t: Totals): number {
  return Number(t.draft_only) + Number(t.no_evidence);
}

/**
 * "12 of 31 evidenced, 3 draft only, 16 with no evidence" (the same words everywhere), with how many
 * of the evidenced an assessor has judged once anyone has.
 */
export function totalsText(t: Totals): string {
  const base = `${t.evidenced} of ${t.criteria} evidenced, ${t.draft_only} draft only, ${t.no_evidence} with no evidence`;
  const judged = Number(t.met) + Number(t.not_yet_met);
  return judged > 0 ? `${base}; ${t.met} met, ${t.not_yet_met} not yet met` : base;
}

export function bytes(size: number): string {
  const n = Number(size);
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

/** Today's date as YYYY-MM-DD in UTC (the core refuses dates in the future, UTC). */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** "22 Nov 2026, 10:17" from an RFC 3339 instant, in local time. */
export function when(instant: string): string {
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant;
  return d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}

/** "14 Oct 2026" from YYYY-MM-DD. */
export function day(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

/** Splits a search snippet ("… [partnership] meeting …") into plain and matched parts. */
export function snippetParts(snippet: string): Array<{ text: string; match: boolean }> {
  const parts: Array<{ text: string; match: boolean }> = [];
  const re = /\[([^\]]*)\]/g;
  let last = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    if (m.index > last) parts.push({ text: snippet.slice(last, m.index), match: false });
    parts.push({ text: m[1], match: true });
    last = m.index + m[0].length;
  }
  if (last < snippet.length) parts.push({ text: snippet.slice(last), match: false });
  return parts;
}
