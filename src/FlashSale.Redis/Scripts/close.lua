-- Closes a sale (the first close wins). KEYS[1] <tag>:meta, ARGV[1] now ms.
-- Reply: when it was closed (Unix ms), or false for an unknown sale.
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HSETNX', KEYS[1], 'closed', ARGV[1])
return tonumber(redis.call('HGET', KEYS[1], 'closed'))
