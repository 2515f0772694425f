-- Creates a sale in its slot unless one with that id exists. Reply: 1 created, 0 exists.
-- KEYS[1]  <tag>:meta
-- ARGV[1]  the tag   ARGV[2] the definition (JSON)   ARGV[3] startsAt ms   ARGV[4] endsAt ms or ''
-- ARGV[5]  perUserLimit   ARGV[6] hold ms   ARGV[7] created at ms   ARGV[8] item count n
-- ARGV[9..8+n] each item's stock
-- ARGV[9+n..] the eligible users (an eligibility list exists when there is at least one, or ARGV[9+n] is '')
local p = ARGV[1]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local n = tonumber(ARGV[8])
local eligible = #ARGV >= 9 + n
redis.call('HSET', KEYS[1], 'starts', ARGV[3], 'limit', ARGV[5], 'holdMs', ARGV[6], 'created', ARGV[7], 'items', n,
    'elig', eligible and '1' or '0', 'seq', 0)
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'ends', ARGV[4]) end
redis.call('SET', p .. ':def', ARGV[2])
for i = 1, n do
    local units = ARGV[8 + i]
    redis.call('HSET', p .. ':stock', i - 1, units)
    -- An odd flag version means sold out: an item stocked with nothing starts sold out.
    redis.call('HSET', p .. ':flagv', i - 1, units == '0' and 1 or 0)
end
for i = 9 + n, #ARGV do
    if ARGV[i] ~= '' then redis.call('SADD', p .. ':elig', ARGV[i]) end
end
return 1
