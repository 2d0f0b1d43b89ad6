-- Reads a live refresh family for a report: its code grant, its start and the ms it has left; changes nothing.
-- KEYS  1 family
-- Returns {'ok', grant, created, pttl}, or nil when the family is gone, revoked, or only a marker (end-family.lua).
local fam = redis.call('HMGET', KEYS[1], 'grant', 'created', 'revoked')
if not fam[1] or fam[3] == '1' then return nil end
return {'ok', fam[1], fam[2], redis.call('PTTL', KEYS[1])}
