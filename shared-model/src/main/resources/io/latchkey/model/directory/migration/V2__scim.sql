-- SCIM 2.0 provisioning (RFC 7643/7644, admin-service /scim/v2). A SCIM user is a directory user: users.id is
-- the SCIM id and the sub, users.username the userName, users.status its active. The SCIM attributes that are
-- OpenID Connect claims are written into users.claims (what tokens and /userinfo release); the document as the
-- SCIM client last wrote it (emails, phoneNumbers, the enterprise extension...) is kept in users.scim so that
-- it reads back as written. version is the ETag (W/"<version>"), raised by every change.
ALTER TABLE users
    ADD COLUMN scim        jsonb  NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN external_id text   CHECK (length(external_id) BETWEEN 1 AND 1024),
    ADD COLUMN version     bigint NOT NULL DEFAULT 1;

-- Filters SCIM clients send when they provision (Okta, Entra ID): userName eq, externalId eq, emails.value eq,
-- active eq. The SCIM filter translation compares text under the "C" collation (results do not depend on the
-- database's locale), so these indexes are built under it too, or PostgreSQL could not use them. userName is
-- compared in its canonical form (the one the unique constraint keeps), which also serves sw as a range.
CREATE INDEX users_username_canonical_c ON users (username_canonical COLLATE "C");
CREATE INDEX users_external_id_c ON users (external_id COLLATE "C");
-- active eq false finds the few disabled users at once; active eq true is nearly every row.
CREATE INDEX users_active ON users ((status = 'active'));
-- The default order of a list: creation, then id.
CREATE INDEX users_created_at ON users (created_at, id);

-- A user's email addresses, lower-cased (emails.value is not case-exact), as SCIM shows them: the emails of the
-- SCIM document, or for a user no SCIM client wrote yet (imported from a realm file) the email claim.
CREATE FUNCTION scim_user_emails(scim jsonb, claims jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN scim = '{}'::jsonb THEN
                CASE WHEN jsonb_typeof(claims -> 'email') = 'string' THEN ARRAY[lower(claims ->> 'email')] ELSE '{}' END
           ELSE coalesce((SELECT array_agg(lower(e ->> 'value'))
                          FROM jsonb_array_elements(CASE WHEN jsonb_typeof(scim -> 'emails') = 'array'
                                                         THEN scim -> 'emails' ELSE '[]'::jsonb END) AS e
                          WHERE jsonb_typeof(e -> 'value') = 'string'), '{}')
           END
$$;
CREATE INDEX users_scim_emails ON users USING gin (scim_user_emails(scim, claims));

-- co and ew cannot use a B-tree; trigram indexes make them an index scan where pg_trgm is installed (a
-- trusted contrib extension since PostgreSQL 13, so the database owner may create it). Without it they scan.
DO $$
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN others THEN
        RAISE NOTICE 'pg_trgm is not available (%); SCIM co/ew filters will scan', SQLERRM;
    END;
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        EXECUTE 'CREATE INDEX users_username_trgm ON users USING gin (username_canonical COLLATE "C" gin_trgm_ops)';
    END IF;
END $$;

-- Groups (RFC 7643 §4.2). Members are users only; a deleted user leaves every group with them.
CREATE TABLE scim_groups (
    id           text        PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 255),
    display_name text        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 1024),
    external_id  text        CHECK (length(external_id) BETWEEN 1 AND 1024),
    version      bigint      NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scim_groups_display_name_c ON scim_groups ((lower(display_name)) COLLATE "C");
CREATE INDEX scim_groups_external_id_c ON scim_groups (external_id COLLATE "C");

CREATE TABLE scim_group_members (
    group_id text NOT NULL REFERENCES scim_groups (id) ON DELETE CASCADE,
    user_id  text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
-- A user's groups attribute is read through this one.
CREATE INDEX scim_group_members_user_id ON scim_group_members (user_id);
