-- One row the service rewrites while the database is unavailable (a full disk, a server gone): the first rewrite that
-- commits proves the database takes writes again and ends the outage. Nothing else reads or writes this table.
CREATE TABLE storage_probe (
    id     INT    NOT NULL PRIMARY KEY,
    probes BIGINT NOT NULL
);
INSERT INTO storage_probe (id, probes) VALUES (1, 0);
