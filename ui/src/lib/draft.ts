// Editing a draft framework before it is published: adding, removing and moving learning outcomes
// and criteria, in the shapes the core validates (a parent group before its children; criteria in
// the order of their groups). Renumbering and every check are the core's; this only rearranges.
// The draft in progress is kept in sessionStorage so that leaving the page loses nothing.

import type { CriterionDoc, CriterionKind, FrameworkDoc, GroupDoc, GroupKind, Method } from "./bindings";

/** The kind of group that goes inside a group of this kind, if any. */
export function childGroupKind(kind: GroupKind): GroupKind | null {
  if (kind === "unit") return "learning_outcome";
  if (kind === "key_area") return "standard";
  return null;
}

/** The kinds of criterion a group of this framework holds. */
export function criterionKinds(doc: FrameworkDoc): CriterionKind[] {
  if (doc.kind === "occupational_standard") return ["performance_criterion", "knowledge_item"];
  if (doc.kind === "qualification") return ["assessment_criterion"];
  if (doc.kind === "values") return ["value_statement"];
  return ["indicator"];
}

/** The kind of top-level group of this framework. */
export function topGroupKind(doc: FrameworkDoc): GroupKind {
  if (doc.kind === "occupational_standard") return "standard";
  if (doc.kind === "qualification") return "unit";
  if (doc.kind === "values") return "value";
  return "competence";
}

/** A code not yet used in the draft (`NEW1`, `NEW2`, …), to be renumbered later. */
function freshCode(doc: FrameworkDoc, stem: string): string {
  const used = new Set([...doc.groups.map((g) => g.code), ...doc.criteria.map((c) => c.code)]);
  for (let n = 1; ; n += 1) {
    const code = `${stem}${n}`;
    if (!used.has(code)) return code;
  }
}

/** Groups in tree order: each parent followed by its children, siblings in their current order. */
function inTreeOrder(groups: GroupDoc[]): GroupDoc[] {
  const known = new Set(groups.map((g) => g.code));
  const children = new Map<string | null, GroupDoc[]>();
  for (const g of groups) {
    const parent = g.parent && known.has(g.parent) ? g.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), g]);
  }
  const out: GroupDoc[] = [];
  const visit = (parent: string | null) => {
    for (const g of children.get(parent) ?? []) {
      out.push(g);
      visit(g.code);
    }
  };
  visit(null);
  return out;
}

/** Criteria sorted into the order of their groups (stable within a group). */
function criteriaInOrder(groups: GroupDoc[], criteria: CriterionDoc[]): CriterionDoc[] {
  const rank = new Map(groups.map((g, i) => [g.code, i]));
  const at = (c: CriterionDoc) => (c.group === null ? -1 : (rank.get(c.group) ?? groups.length));
  return criteria
    .map((c, i) => ({ c, i }))
    .sort((a, b) => at(a.c) - at(b.c) || a.i - b.i)
    .map(({ c }) => c);
}

function arranged(doc: FrameworkDoc, groups: GroupDoc[], criteria: CriterionDoc[]): FrameworkDoc {
  const ordered = inTreeOrder(groups);
  return { ...doc, groups: ordered, criteria: criteriaInOrder(ordered, criteria) };
}

export function addGroup(doc: FrameworkDoc, parent: string | null): FrameworkDoc {
  const parentKind = parent ? doc.groups.find((g) => g.code === parent)?.kind : null;
  const kind = parentKind ? (childGroupKind(parentKind) ?? "section") : topGroupKind(doc);
  const code = parent ? freshCode(doc, `${parent}.NEW`) : freshCode(doc, "NEW");
  return arranged(doc, [...doc.groups, { code, kind, title: "", parent }], doc.criteria);
}

export function addCriterion(doc: FrameworkDoc, group: string | null, kind: CriterionKind): FrameworkDoc {
  const code = freshCode(doc, group ? `${group}.NEW` : "NEW");
  return arranged(doc, doc.groups, [...doc.criteria, { code, kind, text: "", group }]);
}

/** Removes a group with everything below it. */
export function removeGroup(doc: FrameworkDoc, code: string): FrameworkDoc {
  const gone = new Set([code]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const g of doc.groups) {
      if (g.parent && gone.has(g.parent) && !gone.has(g.code)) {
        gone.add(g.code);
        grew = true;
      }
    }
  }
  return {
    ...doc,
    groups: doc.groups.filter((g) => !gone.has(g.code)),
    criteria: doc.criteria.filter((c) => c.group === null || !gone.has(c.group)),
    method_rules: doc.method_rules,
  };
}

export function removeCriterion(doc: FrameworkDoc, code: string): FrameworkDoc {
  return { ...doc, criteria: doc.criteria.filter((c) => c.code !== code) };
}

/** Moves a group one place up (-1) or down (+1) among its siblings, its subtree with it. */
export function moveGroup(doc: FrameworkDoc, code: string, delta: -1 | 1): FrameworkDoc {
  const group = doc.groups.find((g) => g.code === code);
  if (!group) return doc;
  const siblings = doc.groups.filter((g) => g.parent === group.parent);
  const at = siblings.indexOf(group);
  const other = siblings[at + delta];
  if (!other) return doc;
  const groups = doc.groups.map((g) => (g === group ? other : g === other ? group : g));
  return arranged(doc, groups, doc.criteria);
}

/** Moves a criterion one place up or down within its group. */
export function moveCriterion(doc: FrameworkDoc, code: string, delta: -1 | 1): FrameworkDoc {
  const criterion = doc.criteria.find((c) => c.code === code);
  if (!criterion) return doc;
  const siblings = doc.criteria.filter((c) => c.group === criterion.group);
  const other = siblings[siblings.indexOf(criterion) + delta];
  if (!other) return doc;
  const criteria = doc.criteria.map((c) => (c === criterion ? other : c === other ? criterion : c));
  return { ...doc, criteria };
}

/** Renames a group or criterion code, following it in parents, groups and method rules. */
export function recode(doc: FrameworkDoc, from: string, to: string): FrameworkDoc {
  const swap = (code: string | null) => (code === from ? to : code);
  return {
    ...doc,
    groups: doc.groups.map((g) => ({ ...g, code: swap(g.code) as string, parent: swap(g.parent) })),
    criteria: doc.criteria.map((c) => ({ ...c, code: swap(c.code) as string, group: swap(c.group) })),
    method_rules: doc.method_rules.map((r) => ({ ...r, criteria: r.criteria.map((c) => swap(c) as string) })),
  };
}

const KEY = "evidence-tracker:framework-draft";

/** What the load page was doing, kept for this session. */
export type SavedDraft = {
  doc: FrameworkDoc;
  fillIn: string | null;
  /** Where a draft handed to the page came from ("the bundle"): the page opens it at once. */
  origin?: string;
};

export function keepDraft(draft: SavedDraft | null): void {
  try {
    if (draft) sessionStorage.setItem(KEY, JSON.stringify(draft));
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage unavailable: the draft lives while the page does.
  }
}

export function keptDraft(): SavedDraft | null {
  try {
    const text = sessionStorage.getItem(KEY);
    if (!text) return null;
    const value = JSON.parse(text) as SavedDraft;
    return value?.doc && Array.isArray(value.doc.criteria) ? value : null;
  } catch {
    return null;
  }
}

/** The source written on a method rule set for one unit in the editor (how the editor finds it again). */
export const unitRuleSource = (unit: string) => `Accepted methods for ${unit}, set by the centre in the editor`;

/** Every criterion code below `group` (at any depth). */
function criteriaBelow(doc: FrameworkDoc, group: string): string[] {
  const inside = new Set([group]);
  for (const g of inTreeOrder(doc.groups)) if (g.parent && inside.has(g.parent)) inside.add(g.code);
  return doc.criteria.filter((c) => c.group !== null && inside.has(c.group)).map((c) => c.code);
}

/** The methods the editor's rule for `unit` accepts (empty: any method). */
export function unitMethods(doc: FrameworkDoc, unit: string): Method[] {
  return doc.method_rules.find((r) => r.source === unitRuleSource(unit))?.methods ?? [];
}

/** Sets the methods `unit` accepts (none: the rule goes), listing the unit's criteria as they are now. */
export function setUnitMethods(doc: FrameworkDoc, unit: string, methods: Method[]): FrameworkDoc {
  const others = doc.method_rules.filter((r) => r.source !== unitRuleSource(unit));
  if (methods.length === 0) return { ...doc, method_rules: others };
  const rule = { applies_to: null, criteria: criteriaBelow(doc, unit), methods, source: unitRuleSource(unit) };
  return { ...doc, method_rules: [...others, rule] };
}

/** The methods a rule naming exactly this one criterion accepts (empty: none such, any method). */
export function criterionMethods(doc: FrameworkDoc, code: string): Method[] {
  return doc.method_rules.find((r) => r.applies_to === null && r.criteria.length === 1 && r.criteria[0] === code)?.methods ?? [];
}

/** Sets the methods criterion `code` accepts, as a rule naming it alone (none: the rule goes). */
export function setCriterionMethods(doc: FrameworkDoc, code: string, methods: Method[]): FrameworkDoc {
  const others = doc.method_rules.filter((r) => !(r.applies_to === null && r.criteria.length === 1 && r.criteria[0] === code));
  if (methods.length === 0) return { ...doc, method_rules: others };
  const rule = { applies_to: null, criteria: [code], methods, source: "Set by the centre in the editor" };
  return { ...doc, method_rules: [...others, rule] };
}

/** The editor's unit rules brought up to date with the criteria the units now hold (before a preview). */
export function refreshUnitRules(doc: FrameworkDoc): FrameworkDoc {
  let out = doc;
  for (const g of doc.groups.filter((g) => g.parent === null)) {
    const methods = unitMethods(doc, g.code);
    if (methods.length) out = setUnitMethods(out, g.code, methods);
  }
  return { ...out, method_rules: out.method_rules.filter((r) => r.applies_to !== null || r.criteria.length > 0) };
}
