-- Remembers that a subject holds a grant (an SSO session or a refresh family), so that disabling the user can
-- end them all. Members are scored by when they expire anyway; expired members are dropped on each add, so a
-- user who renews silently all day keeps an index the size of what is alive.
-- KEYS  1 the subject's index
-- ARGV  1 member   2 its expiry (epoch ms)   3 now (epoch ms)
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
local latest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], latest[2])
return 1
