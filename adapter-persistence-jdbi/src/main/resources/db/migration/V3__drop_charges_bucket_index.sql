-- agent-task-metering schema, version 3.
-- Invoicing an hour finds its charges by (subscription_ref, billing_hour_us) through ix_charges_sub_hour;
-- ix_charges_bucket (subscription_ref, dimension, billing_hour_us, state) only cost every charge insert an index entry.
DROP INDEX ix_charges_bucket;
