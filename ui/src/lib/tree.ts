// A framework's tree, limited to the units a learner is enrolled on: the chosen units with everything
// below them, their ancestors (for context, without their other branches), and the criteria in scope.

import type { CriterionDoc, FrameworkDoc, GroupDoc } from "./bindings";

export type TreeNode = {
  group: GroupDoc;
  children: TreeNode[];
  criteria: CriterionDoc[];
};

export type FrameworkTree = {
  roots: TreeNode[];
  /** Criteria without a group (a framework with no groups). */
  loose: CriterionDoc[];
  /** Every criterion in scope, in document order. */
  criteria: CriterionDoc[];
};

export function buildTree(doc: FrameworkDoc, units: readonly string[]): FrameworkTree {
  const byCode = new Map(doc.groups.map((g) => [g.code, g]));
  const children = new Map<string, GroupDoc[]>();
  for (const g of doc.groups) {
    if (g.parent) children.set(g.parent, [...(children.get(g.parent) ?? []), g]);
  }

  let inScope: Set<string>;
  const shown = new Set<string>();
  if (units.length === 0) {
    inScope = new Set(doc.groups.map((g) => g.code));
  } else {
    inScope = new Set();
    const stack = units.filter((u) => byCode.has(u));
    while (stack.length) {
      const code = stack.pop() as string;
      if (inScope.has(code)) continue;
      inScope.add(code);
      for (const c of children.get(code) ?? []) stack.push(c.code);
    }
    for (const u of units) {
      for (let p = byCode.get(u)?.parent ?? null; p; p = byCode.get(p)?.parent ?? null) shown.add(p);
    }
  }
  for (const code of inScope) shown.add(code);

  const nodes = new Map<string, TreeNode>();
  for (const g of doc.groups) {
    if (shown.has(g.code)) nodes.set(g.code, { group: g, children: [], criteria: [] });
  }
  const roots: TreeNode[] = [];
  for (const g of doc.groups) {
    const node = nodes.get(g.code);
    if (!node) continue;
    const parent = g.parent ? nodes.get(g.parent) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const loose: CriterionDoc[] = [];
  const criteria: CriterionDoc[] = [];
  for (const c of doc.criteria) {
    if (c.group === null) {
      if (units.length === 0) {
        loose.push(c);
        criteria.push(c);
      }
    } else if (inScope.has(c.group)) {
      nodes.get(c.group)?.criteria.push(c);
      criteria.push(c);
    }
  }
  return { roots, loose, criteria };
}

/** The units a learner can choose at enrolment: groups of kind unit or standard. */
export function enrollableUnits(doc: FrameworkDoc): GroupDoc[] {
  return doc.groups.filter((g) => g.kind === "unit" || g.kind === "standard");
}

/** The tree pruned to criteria whose code or text (or whose group's title) contains `query`. */
export function filterTree(tree: FrameworkTree, query: string): FrameworkTree {
  const q = query.trim().toLowerCase();
  if (!q) return tree;
  const hit = (c: CriterionDoc) => c.code.toLowerCase().includes(q) || c.text.toLowerCase().includes(q);
  const prune = (node: TreeNode, parentHit: boolean): TreeNode | null => {
    const groupHit = parentHit || node.group.title.toLowerCase().includes(q) || node.group.code.toLowerCase() === q;
    const criteria = groupHit ? node.criteria : node.criteria.filter(hit);
    const children = node.children.map((n) => prune(n, groupHit)).filter((n): n is TreeNode => n !== null);
    return criteria.length || children.length ? { group: node.group, criteria, children } : null;
  };
  const roots = tree.roots.map((n) => prune(n, false)).filter((n): n is TreeNode => n !== null);
  const loose = tree.loose.filter(hit);
  const criteria = tree.criteria.filter(hit);
  return { roots, loose, criteria };
}
