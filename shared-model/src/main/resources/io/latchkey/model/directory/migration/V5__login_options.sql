-- Login options beyond the password (docs/authorize-leg.md, "Login options"): passkeys (WebAuthn), a TOTP
-- authenticator and its recovery codes. They are rows of the one credentials table, typed; what a kind needs
-- beside its secret lives in data.
--
--   webauthn       secret: the credential's COSE public key (base64url); label: the name the user gave it;
--                  data: credentialId (base64url), signCount, backupEligible, backupState, uvInitialized,
--                  transports, aaguid
--   totp           secret: the shared secret, encrypted with the key from the environment (never in clear);
--                  data: lastStep, the last RFC 6238 time step accepted, so that a code is accepted once
--   recovery-code  secret: SHA-256 of one single-use code (80 random bits, so a digest suffices); used once,
--                  then deleted

-- WebAuthn §6.1: a credential id names one credential; two users can never hold the same one, and a sign-in
-- looks the credential up by it alone (discoverable credentials carry no username).
CREATE UNIQUE INDEX credentials_webauthn_id ON credentials ((data ->> 'credentialId')) WHERE type = 'webauthn';
-- One TOTP authenticator per user: enrolling again replaces it.
CREATE UNIQUE INDEX credentials_one_totp ON credentials (user_id) WHERE type = 'totp';
-- A recovery code is redeemed by deleting the row with its digest: one statement, so two concurrent uses of one
-- code cannot both win.
CREATE UNIQUE INDEX credentials_recovery_code ON credentials (user_id, secret) WHERE type = 'recovery-code';

-- The WebAuthn user handle (WebAuthn §5.4.3 user.id): random, never the username or the subject, since an
-- authenticator may show it to whoever holds the device. One per user, made at the first passkey.
ALTER TABLE users ADD COLUMN webauthn_handle text UNIQUE CHECK (length(webauthn_handle) BETWEEN 1 AND 86);
