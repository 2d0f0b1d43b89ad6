-- Replaces the signing key set only if it is still the one the rotation read: a replica that lost its
-- rotation lock while it worked (paused past the lock's expiry) cannot overwrite a newer set.
--
-- KEYS  1 the key set
-- ARGV  1 the set as read   2 the new set
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2])
return 1
