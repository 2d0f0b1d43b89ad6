-- Redeems an authorization code in one atomic step (DESIGN.md, "State in Redis").
-- Redis runs scripts one at a time, so of any number of concurrent redemptions exactly one finds the code.
--
-- KEYS  1 code   2 replay tombstone   3 family   4 the family's first refresh token
-- ARGV  1 client_id   2 redirect_uri   3 BASE64URL(SHA256(code_verifier))   4 tombstone ttl (ms)
--       5 '1' to start a refresh family, '0' not to   6 refresh token ttl (ms)   7 family ttl (ms)
--       8 now (ms)   9 the DPoP proof's key thumbprint ('' for none)   10 the thumbprint to bind the family to ('' for none)
-- Returns {'ok', grant} | {'mismatch', parameter} | {'replay', grant or nil} | {'unknown'} | {'corrupt'}
-- (a replay names the grant of the family the code started, if it started one, for the audit trail)
local grant = redis.call('GET', KEYS[1])
if not grant then
  if redis.call('EXISTS', KEYS[2]) == 1 then
    -- RFC 6749 4.1.2: a code used more than once revokes the tokens issued from it.
    if redis.call('EXISTS', KEYS[3]) == 1 then
      redis.call('HSET', KEYS[3], 'revoked', '1')
    end
    local started = redis.call('HGET', KEYS[3], 'grant')
    return {'replay', started}
  end
  return {'unknown'}
end

-- Any attempt uses the code up, so a stolen code cannot be tried against several verifiers.
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[4])

local ok, g = pcall(cjson.decode, grant)
if not ok or type(g) ~= 'table' then
  return {'corrupt'}
end
-- The challenge compared here is SHA-256 of attacker-chosen input, so where the comparison stops tells
-- nothing about the verifier (RFC 7636 7.2); the grant itself is never returned on a mismatch.
-- The user was disabled after the code was issued (end-family.lua): the code grants nothing.
if redis.call('HGET', KEYS[3], 'revoked') == '1' then return {'unknown'} end
if g['clientId'] ~= ARGV[1] then return {'mismatch', 'client_id'} end
if g['redirectUri'] ~= ARGV[2] then return {'mismatch', 'redirect_uri'} end
if g['codeChallenge'] ~= ARGV[3] then return {'mismatch', 'code_verifier'} end
-- RFC 9449 10: a code bound with dpop_jkt is redeemed only with a proof of that key (JSON null is not a string).
if type(g['dpopJkt']) == 'string' and g['dpopJkt'] ~= ARGV[9] then return {'mismatch', 'dpop_jkt'} end

if ARGV[5] == '1' then
  redis.call('HSET', KEYS[3], 'grant', grant, 'created', ARGV[8], 'revoked', '0')
  -- RFC 9449 5: a public client's refresh tokens are bound to the key of its proof.
  if ARGV[10] ~= '' then redis.call('HSET', KEYS[3], 'jkt', ARGV[10]) end
  redis.call('PEXPIRE', KEYS[3], ARGV[7])
  redis.call('SET', KEYS[4], 'current', 'PX', ARGV[6])
end
return {'ok', grant}
