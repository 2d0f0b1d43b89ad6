-- Admits or refuses one login attempt against one budget (an account, a client address or a trusted
-- device) and, when it admits, counts the attempt as a failure before the password is checked. Checking
-- and counting in one step means parallel guesses cannot all pass before the first failure is counted;
-- a success gives its count back (login-release.lua) or resets the budget.
--
-- After `free` counted attempts every further one sets a wait that doubles from `first delay` up to the
-- cap; an attempt during the wait is refused and counts nothing. The budget is forgotten after the
-- window (or the wait, if longer).
--
-- KEYS  1 throttle key
-- ARGV  1 free attempts   2 first delay (ms)   3 maximum delay (ms)   4 window (ms)   5 now (ms)
-- Returns {1, wait set should this attempt fail (ms), until (ms)} when admitted,
--         {0, wait left (ms), until (ms)} when refused.
local now = tonumber(ARGV[5])
local until_ms = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
if until_ms > now then
  return {0, until_ms - now, until_ms}
end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local free = tonumber(ARGV[1])
local delay = 0
if failures >= free then
  delay = math.min(tonumber(ARGV[3]), tonumber(ARGV[2]) * 2 ^ math.min(failures - free, 30))
end
delay = math.floor(delay)
-- Only a real wait is written: `now` is the caller's clock, so an "until now" written by one attempt could
-- close the budget for a concurrent one whose clock read a millisecond earlier. 0: this attempt set no wait.
until_ms = 0
if delay > 0 then
  until_ms = now + delay
  redis.call('HSET', KEYS[1], 'until', until_ms)
end
redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[4]), delay))
return {1, delay, until_ms}
