-- The identity directory: what must outlive every restart. Short-lived state (requests, codes, sessions,
-- refresh families, throttles) stays in Redis.

-- A user's id is the subject identifier (sub): stable, never reassigned.
CREATE TABLE users (
    id                 text        PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 255),
    username           text        NOT NULL CHECK (length(username) BETWEEN 1 AND 255),
    -- RFC 8265 UsernameCaseMapped form: look-alike names are one name, kept unique so that two concurrent
    -- creations of one name end with one user. Checked at commit, so one transaction may swap two names.
    username_canonical text        NOT NULL,
    status             text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    claims             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_username_canonical_key UNIQUE (username_canonical) DEFERRABLE INITIALLY DEFERRED
);

-- One table for every kind of credential: a password hash now, passkeys and TOTP secrets later. The secret
-- is self-describing (a PHC string for passwords); data holds what a kind needs beside it.
CREATE TABLE credentials (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      text        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type         text        NOT NULL CHECK (type IN ('password', 'webauthn', 'totp', 'recovery-code')),
    secret       text        NOT NULL,
    label        text,
    data         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz
);
CREATE UNIQUE INDEX credentials_one_password_key ON credentials (user_id) WHERE type = 'password';
CREATE INDEX credentials_user_id ON credentials (user_id);

-- A client's registration is one versioned JSON document (the shape the realm file declares); the id is
-- the only thing it is looked up by.
CREATE TABLE clients (
    client_id    text        PRIMARY KEY CHECK (length(client_id) BETWEEN 1 AND 255),
    registration jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Remembered consents: a request within the scopes skips the consent page.
CREATE TABLE consents (
    user_id    text        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  text        NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    scopes     text[]      NOT NULL,
    granted_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, client_id)
);

-- Append-only security trail. Rows are never changed; retention removes old rows only.
CREATE TABLE audit_events (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    type        text        NOT NULL,
    actor       text,
    subject     text,
    client_id   text,
    details     jsonb       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_occurred_at ON audit_events (occurred_at);
CREATE INDEX audit_events_subject ON audit_events (subject, occurred_at);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END $$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

-- Change notifications: every replica's in-process caches listen on 'latchkey_directory' and drop what a
-- committed change touched, whoever made it (a service, an import, psql); PostgreSQL sends them at commit.
-- A statement that touches many rows (a bulk import) sends one 'all' for its kind, not a message per row.
-- Credentials send nothing: they are read only by a login, which always asks PostgreSQL.
CREATE FUNCTION directory_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM changed_rows) > 100 THEN
        PERFORM pg_notify('latchkey_directory', json_build_object('kind', TG_ARGV[0], 'all', true)::text);
    ELSIF TG_ARGV[0] = 'user' THEN
        PERFORM pg_notify('latchkey_directory', json_build_object('kind', 'user', 'id', id)::text) FROM changed_rows;
    ELSIF TG_ARGV[0] = 'client' THEN
        PERFORM pg_notify('latchkey_directory', json_build_object('kind', 'client', 'id', client_id)::text) FROM changed_rows;
    ELSE
        PERFORM pg_notify('latchkey_directory',
                json_build_object('kind', 'consent', 'id', user_id, 'client', client_id)::text) FROM changed_rows;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER users_notify_insert AFTER INSERT ON users REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION directory_notify('user');
CREATE TRIGGER users_notify_update AFTER UPDATE ON users REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION directory_notify('user');
CREATE TRIGGER users_notify_delete AFTER DELETE ON users REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION directory_notify('user');

CREATE TRIGGER clients_notify_insert AFTER INSERT ON clients REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION directory_notify('client');
CREATE TRIGGER clients_notify_update AFTER UPDATE ON clients REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION directory_notify('client');
CREATE TRIGGER clients_notify_delete AFTER DELETE ON clients REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION directory_notify('client');

CREATE TRIGGER consents_notify_insert AFTER INSERT ON consents REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION directory_notify('consent');
CREATE TRIGGER consents_notify_update AFTER UPDATE ON consents REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION directory_notify('consent');
CREATE TRIGGER consents_notify_delete AFTER DELETE ON consents REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION directory_notify('consent');
