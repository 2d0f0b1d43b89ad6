-- Takes one of a client address's slots for pending authorization requests, or refuses. A slot is held
-- until its request is answered (PendingRequestSlots.release) or, when abandoned, for the request
-- lifetime: the count bounds what one address can make the store hold.
--
-- KEYS  1 the address's sorted set (member: request id, score: when its slot frees, ms)
-- ARGV  1 now (ms)   2 request lifetime (ms)   3 slots per address   4 request id
-- Returns 1 when a slot was taken, 0 when every slot is held.
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
