-- Releases a lock only for its holder: the value is the random token the holder set with SET NX PX, so a
-- replica whose lock expired and was taken by another cannot release the other's.
--
-- KEYS  1 the lock
-- ARGV  1 the holder's token
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
