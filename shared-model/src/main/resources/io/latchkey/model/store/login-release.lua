-- Gives back the count of an admitted attempt that turned out to be a success (login-attempt.lua), and
-- lifts the wait it set unless a later attempt has set another since.
--
-- KEYS  1 throttle key
-- ARGV  1 the `until` the admitted attempt set (ms)   2 now (ms)
local failures = tonumber(redis.call('HINCRBY', KEYS[1], 'failures', -1))
if failures <= 0 then
  redis.call('DEL', KEYS[1])
  return 0
end
if redis.call('HGET', KEYS[1], 'until') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'until', ARGV[2])
end
return failures
