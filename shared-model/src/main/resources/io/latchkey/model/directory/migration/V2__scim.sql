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
-- active eq. userName is not case-exact (RFC 7643 §4.1.1): compared lower-cased; text_pattern_ops serves
-- sw (LIKE 'x%') from the same index.
CREATE INDEX users_username_lower ON users (lower(username) text_pattern_ops);
CREATE INDEX users_external_id ON users (external_id);
-- Few users are disabled: 'active eq false' reads this small index; 'active eq true' is nearly every row and
-- is served by the scan the paging does anyway.
CREATE INDEX users_disabled ON users (id) WHERE status = 'disabled';
CREATE INDEX users_created_at ON users (created_at, id);

-- Email addresses of a SCIM document, lower-cased (emails.value is not case-exact), for an index.
CREATE FUNCTION scim_emails(document jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(lower(e ->> 'value')), '{}')
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(document -> 'emails') = 'array'
                                   THEN document -> 'emails' ELSE '[]'::jsonb END) AS e
    WHERE jsonb_typeof(e -> 'value') = 'string'
$$;
CREATE INDEX users_scim_emails ON users USING gin (scim_emails(scim));

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
        EXECUTE 'CREATE INDEX users_username_trgm ON users USING gin (lower(username) gin_trgm_ops)';
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
CREATE INDEX scim_groups_display_name_lower ON scim_groups (lower(display_name) text_pattern_ops);
CREATE INDEX scim_groups_external_id ON scim_groups (external_id);

CREATE TABLE scim_group_members (
    group_id text NOT NULL REFERENCES scim_groups (id) ON DELETE CASCADE,
    user_id  text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
-- A user's groups attribute is read through this one.
CREATE INDEX scim_group_members_user_id ON scim_group_members (user_id);
