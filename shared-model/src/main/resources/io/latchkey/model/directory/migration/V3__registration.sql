-- Clients registered through RFC 7591 (admin-service's /register): what managing them through RFC 7592 needs beside
-- the registration the authorize and token legs read from clients. A client without a row here was not registered
-- dynamically (the realm file declares it) and has no registration access token.
CREATE TABLE client_registrations (
    client_id                  text        PRIMARY KEY REFERENCES clients (client_id) ON DELETE CASCADE,
    -- SHA-256 of the current registration access token (RFC 7592 §3); the token itself is never stored, and a
    -- rotation replaces the hash, so an old token matches nothing.
    access_token_hash          bytea       NOT NULL CHECK (length(access_token_hash) = 32),
    -- client_secret_basic and client_secret_post both reach token-service; the registered one is reported back.
    token_endpoint_auth_method text        NOT NULL
        CHECK (token_endpoint_auth_method IN ('none', 'client_secret_basic', 'client_secret_post')),
    issued_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now()
);
