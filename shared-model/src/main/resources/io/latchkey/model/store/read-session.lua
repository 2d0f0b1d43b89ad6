-- Reads an SSO session for a report without sliding its idle lifetime (touch-session.lua is the user's renewal;
-- an administrator looking at it must not keep it alive).
-- KEYS  1 session
-- Returns {session JSON, ms until it expires idle}, or nil when there is none.
local value = redis.call('GET', KEYS[1])
if not value then return nil end
return {value, redis.call('PTTL', KEYS[1])}
