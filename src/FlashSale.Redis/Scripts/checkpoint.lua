-- Saves a delivery's cursor, fenced by its lease: only the lease's holder (token ARGV[2]) may write it.
-- KEYS[1] the lease; ARGV[1] the cursor key (same hash tag); ARGV[2] the token; ARGV[3] the cursor.
-- Reply: 1 saved, 0 the lease is not ours.
if redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
redis.call('SET', ARGV[1], ARGV[3])
return 1
