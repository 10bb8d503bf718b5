-- How each decision's evidence_sha256 was computed, so an auditor can recompute it: 'RFC8785' (the JSON
-- Canonicalization Scheme) for every decision written from this version on; 'legacy' for the decisions already
-- stored, whose digest stays as it was recorded (over the earlier canonical form).
ALTER TABLE decisions ADD COLUMN evidence_canonicalization VARCHAR(16) DEFAULT 'legacy' NOT NULL;
