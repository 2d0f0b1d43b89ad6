-- Marks a grant family revoked for its access tokens, creating the family record if the grant never had
-- one (a code exchanged without a refresh token), in one atomic step.
--
-- KEYS  1 family
-- ARGV  1 time to live of a record created here (ms): as long as the family's access tokens can live
-- Returns 1
redis.call('HSET', KEYS[1], 'revoked', '1')
-- A refresh family keeps its own lifetime; only a record made just now gets one.
if redis.call('PTTL', KEYS[1]) == -1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return 1
