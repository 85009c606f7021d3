"""PostgreSQL only: the audit tables refuse UPDATE and DELETE.

Two exceptions, both checked here in the database:
- deleting a user sets `actor_id` of its entries to NULL (on_delete=SET_NULL): an UPDATE that changes nothing
  but that column to NULL is let through (the hash covers the username snapshot, not the foreign key);
- the retention purge (audit/retention.py) sets `lianxin.audit_purge_before` for its transaction and may
  delete entries older than that time and never younger than 180 days, the least the law allows.
TRUNCATE (the test database's flush) fires no row trigger.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION lianxin_audit_append_only() RETURNS trigger AS $$
DECLARE
    purge_before text := current_setting('lianxin.audit_purge_before', true);
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF TG_TABLE_NAME = 'audit_auditentry' AND NEW.actor_id IS NULL
           AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit log is append-only: UPDATE of % id % refused', TG_TABLE_NAME, OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_TABLE_NAME = 'audit_auditentry' AND purge_before IS NOT NULL AND purge_before <> ''
       AND OLD.created_at < purge_before::timestamptz
       AND OLD.created_at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit log is append-only: DELETE of % id % refused', TG_TABLE_NAME, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditentry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION lianxin_audit_append_only();
CREATE TRIGGER audit_auditcheckpoint_append_only BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION lianxin_audit_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_auditcheckpoint_append_only ON audit_auditcheckpoint;
DROP FUNCTION IF EXISTS lianxin_audit_append_only();
"""


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL on PostgreSQL; nothing on SQLite (which has no such trigger)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_hash_chain_and_actor_snapshot")]

    operations = [PostgreSQLOnly(FORWARD, BACKWARD)]
