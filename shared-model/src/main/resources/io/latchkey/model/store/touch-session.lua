-- Reads an SSO session and slides its idle lifetime, never past its absolute cap; one round trip,
-- so silent renewal costs no more than one Redis call for the session.
--
-- KEYS  1 session
-- ARGV  1 idle lifetime (ms)   2 absolute lifetime (ms)   3 now (ms)
-- Returns the session JSON, or nil when there is none (or it has reached its cap).
local value = redis.call('GET', KEYS[1])
if not value then return nil end
local ok, s = pcall(cjson.decode, value)
if not ok or type(s) ~= 'table' or type(s['createdAt']) ~= 'number' then
  return value -- the reader reports it as corrupt
end
local capLeft = s['createdAt'] * 1000 + tonumber(ARGV[2]) - tonumber(ARGV[3])
if capLeft <= 0 then
  redis.call('DEL', KEYS[1])
  return nil
end
redis.call('PEXPIRE', KEYS[1], math.min(tonumber(ARGV[1]), capLeft))
return value
