-- agent-task-metering schema, version 2.
-- Listing charges without a subscription or state filter (an admin paging through everything, the bench's check)
-- pages by (billing_hour_us, correlation_id); without this index every page scanned and sorted the whole table.
CREATE INDEX ix_charges_hour ON charges (billing_hour_us, correlation_id);
