-- Reads a refresh token's grant if the token is its family's current one and the family is live
-- (for introspection and revocation); changes nothing.
--
-- KEYS  1 family   2 refresh token
-- Returns {'ok', grant, created, jkt ('' when the family is not bound to a DPoP key)} | {'unknown'}
local state = redis.call('GET', KEYS[2])
if state ~= 'current' then return {'unknown'} end
local fam = redis.call('HMGET', KEYS[1], 'grant', 'created', 'revoked', 'jkt')
if not fam[1] or fam[3] == '1' then return {'unknown'} end
return {'ok', fam[1], fam[2], fam[4] or ''}
