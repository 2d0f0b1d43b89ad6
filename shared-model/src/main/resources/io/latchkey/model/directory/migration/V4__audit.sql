-- The audit query (admin-service GET /admin/events) pages newest first by id (keyset) under equality filters:
-- one index per filter column, ending in id, lets PostgreSQL walk one column value backwards from the cursor and
-- stop after a page. With no filter the primary key serves; since/until alone use audit_events_occurred_at, which
-- retention uses too.
CREATE INDEX audit_events_type_id ON audit_events (type, id);
CREATE INDEX audit_events_actor_id ON audit_events (actor, id);
CREATE INDEX audit_events_client_id_id ON audit_events (client_id, id);
CREATE INDEX audit_events_subject_id ON audit_events (subject, id);
-- Served by audit_events_subject_id now; one index fewer for every insert.
DROP INDEX audit_events_subject;
