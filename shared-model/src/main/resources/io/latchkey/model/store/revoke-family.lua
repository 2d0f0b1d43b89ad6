-- Revokes a grant family (every refresh token rotated from one code) if it exists.
-- KEYS  1 family
-- Returns 1 if a live family was revoked, 0 otherwise.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], 'revoked') == '1' then return 0 end
redis.call('HSET', KEYS[1], 'revoked', '1')
return 1
