-- Counts one failed login of an account or a client address and sets how long further attempts must
-- wait: nothing for the first free attempts, then a delay that doubles with each failure, up to a cap.
-- One round trip; the counter is forgotten after the window (or the delay, if longer).
--
-- KEYS  1 throttle key
-- ARGV  1 free attempts   2 first delay (ms)   3 maximum delay (ms)   4 window (ms)   5 now (ms)
-- Returns the delay (ms) before the next attempt is allowed.
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local free = tonumber(ARGV[1])
local delay = 0
if failures > free then
  delay = math.min(tonumber(ARGV[3]), tonumber(ARGV[2]) * 2 ^ math.min(failures - free - 1, 30))
end
delay = math.floor(delay)
redis.call('HSET', KEYS[1], 'until', tonumber(ARGV[5]) + delay)
redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[4]), delay))
return delay
