-- Evidence Tracker schema, version 6: removing a mapping travels between computers.
--
-- A mapping is known everywhere by its item, its criterion and when it was made (`mapped_at`). A
-- bundle import adds the mappings it brings, so without a record of removals an older copy would
-- put back a mapping the learner took away. Each removal, made here or arriving in a bundle, is kept
-- here and carried on in every bundle: an import takes away the mapping it names, and never adds it
-- again. Mapping the criterion anew makes a new mapping (a new `mapped_at`), which no removal names.
CREATE TABLE mapping_removals (
    evidence_id  INTEGER NOT NULL REFERENCES evidence (id),
    criterion_id INTEGER NOT NULL REFERENCES criteria (id),
    mapped_at    TEXT NOT NULL,
    removed_at   TEXT NOT NULL,
    PRIMARY KEY (evidence_id, criterion_id, mapped_at)
) WITHOUT ROWID;

-- When a mapping's note was last changed (NULL: as it was made). Where both computers have the
-- criterion mapped, the later note wins.
ALTER TABLE mappings ADD COLUMN noted_at TEXT;
