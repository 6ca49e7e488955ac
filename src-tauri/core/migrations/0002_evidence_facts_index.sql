-- Gaps for a whole cohort read every evidence item's learner, status and date. This covering index lets
-- that be one scan of a narrow index instead of a scan of the table, whose rows carry the Markdown
-- bodies. It starts with learner_id, so it also does all that evidence_by_learner did, and replaces it.
DROP INDEX evidence_by_learner;
CREATE INDEX evidence_facts ON evidence (learner_id, status, activity_date);
