-- Evidence Tracker schema, version 4: who gave a witness testimony, and which evidence methods a
-- framework accepts for its criteria.

-- The witness behind a witness testimony or expert witness item: name, role (job and organisation)
-- and relationship to the learner. Empty for other methods. Versions keep what was saved.
ALTER TABLE evidence ADD COLUMN witness_name TEXT NOT NULL DEFAULT '';
ALTER TABLE evidence ADD COLUMN witness_role TEXT NOT NULL DEFAULT '';
ALTER TABLE evidence ADD COLUMN witness_relationship TEXT NOT NULL DEFAULT '';
ALTER TABLE evidence_versions ADD COLUMN witness_name TEXT NOT NULL DEFAULT '';
ALTER TABLE evidence_versions ADD COLUMN witness_role TEXT NOT NULL DEFAULT '';
ALTER TABLE evidence_versions ADD COLUMN witness_relationship TEXT NOT NULL DEFAULT '';

-- A framework version's method rules (`[[method_rule]]` in the native format), in file order. A rule
-- applies either to every criterion of a kind or to the criteria it lists, never both.
CREATE TABLE framework_method_rules (
    framework_id    INTEGER NOT NULL REFERENCES frameworks (id),
    position        INTEGER NOT NULL,
    -- A criterion kind (e.g. performance_criterion), or NULL when the rule lists criteria.
    criterion_kind  TEXT,
    -- Criterion codes separated by commas (codes never contain one), or NULL when the rule names a kind.
    criterion_codes TEXT,
    -- Accepted method names separated by commas, e.g. direct_observation,witness_testimony.
    methods         TEXT NOT NULL CHECK (methods <> ''),
    source          TEXT NOT NULL,
    CHECK ((criterion_kind IS NULL) <> (criterion_codes IS NULL)),
    PRIMARY KEY (framework_id, position)
) WITHOUT ROWID;
