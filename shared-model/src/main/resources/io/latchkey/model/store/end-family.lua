-- Ends a grant family for good, whether or not its code has been redeemed yet: the family is marked revoked
-- and, if it does not exist yet, kept as a marker that the redemption script refuses to start.
-- KEYS  1 family
-- ARGV  1 how long a marker lives (ms): the code's lifetime is enough
redis.call('HSET', KEYS[1], 'revoked', '1')
if redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return 1
