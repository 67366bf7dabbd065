-- The priority rule in force when an assessment was submitted. A network may adjust its
-- rule later; a submitted assessment keeps the priorities it was submitted with.
-- NULL while a draft (the network's current rule applies).
ALTER TABLE "assessment" ADD COLUMN "priority_rule" JSONB;
