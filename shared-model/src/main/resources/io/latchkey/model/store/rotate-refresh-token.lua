-- Rotates a refresh token in one atomic step: the presented token must be the family's current one;
-- it becomes 'rotated' (kept until it would have expired, to recognise reuse) and a new one is current.
--
-- A family bound to a DPoP key (RFC 9449 5) is not rotated: the presented token stays current, its idle ttl slides.
--
-- KEYS  1 family   2 presented refresh token   3 new refresh token   4 the presented token's reuse grace
-- ARGV  1 client_id   2 idle ttl of the new token (ms)   3 a public client's DPoP proof key thumbprint ('' for none)
--       4 the client's reuse grace (ms, '0' for none)   5 the new token sealed for the presented one's holder ('' for none)
-- Returns {'ok', grant, created, jkt} | {'kept', grant, created, jkt} | {'grace', grant, created, sealed successor}
--   | {'unknown'} | {'revoked'} | {'reuse', grant, created} | {'client'} | {'key'} | {'corrupt'}
--   (a reuse names the family's grant for the audit trail)
local fam = redis.call('HMGET', KEYS[1], 'grant', 'created', 'revoked', 'jkt')
if not fam[1] then return {'unknown'} end
local state = redis.call('GET', KEYS[2])
if not state then return {'unknown'} end
if fam[3] == '1' then return {'revoked'} end

local ok, g = pcall(cjson.decode, fam[1])
if state ~= 'current' then
  -- Many tabs: within the grace (KEYS[4] lives that long) the same token, from its own client, gets the same
  -- successor back, as long as that one is still current. Its key is in the family's slot (written below).
  local grace = redis.call('GET', KEYS[4])
  if grace and ok and type(g) == 'table' then
    if g['clientId'] ~= ARGV[1] then return {'client'} end
    -- The rotation that bound the family made the successor; only that key's proof may take it back.
    if fam[4] and fam[4] ~= ARGV[3] then return {'key'} end
    local sealed, successor = string.match(grace, '^(%S+) (.+)$')
    if sealed and redis.call('GET', successor) == 'current' then return {'grace', fam[1], fam[2], sealed} end
  end
  -- RFC 9700 4.14.2: a rotated token presented again has leaked; end the whole family.
  redis.call('HSET', KEYS[1], 'revoked', '1')
  return {'reuse', fam[1], fam[2]}
end

if not ok or type(g) ~= 'table' then return {'corrupt'} end
-- RFC 6749 6: the token is bound to the client it was issued to. Not a reuse: nothing changes.
if g['clientId'] ~= ARGV[1] then return {'client'} end

-- The family's own TTL is the absolute cap; no token outlives it.
local left = redis.call('PTTL', KEYS[1])
if left <= 0 then return {'unknown'} end
local ttl = math.min(tonumber(ARGV[2]), left)
if fam[4] then
  -- RFC 9449 5: only a proof of the family's key refreshes it; anything else changes nothing. Sender-constrained, the
  -- token need not rotate (RFC 9700 4.14.2), so tabs refreshing at once all succeed.
  if fam[4] ~= ARGV[3] then return {'key'} end
  redis.call('PEXPIRE', KEYS[2], ttl)
  return {'kept', fam[1], fam[2], fam[4]}
end
-- A proof on a refresh of an unbound family binds it from the new token on (RFC 9449 5).
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'jkt', ARGV[3]) end
redis.call('SET', KEYS[2], 'rotated', 'KEEPTTL')
redis.call('SET', KEYS[3], 'current', 'PX', ttl)
if ARGV[4] ~= '0' then redis.call('SET', KEYS[4], ARGV[5] .. ' ' .. KEYS[3], 'PX', ARGV[4]) end
return {'ok', fam[1], fam[2], ARGV[3]}
