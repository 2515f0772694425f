-- Confirms or cancels one reservation, or expires every due hold of a sale, with Core ShardState's rules: a hold
-- already due expires before a confirm or cancel looks at it; a cancelled or expired unit goes back on sale (a
-- sold-out item reopens) and no longer counts against the buyer's limit.
-- KEYS[1]  <tag>:meta
-- ARGV[1]  the tag (key prefix)   ARGV[2] now, Unix ms, from the gateway's clock
-- ARGV[3]  'confirm' | 'cancel' | 'expire'
-- ARGV[4]  the reservation's sequence number (confirm, cancel) or the expiry lease's fencing token (expire)
-- ARGV[5]  most batches' holds to expire in this call (expire)
-- Reply: confirm/cancel: result (1 ok, 2 not found, 3 conflict), the reservation as it stands; expire: how many
-- expired, or -1 when a newer lease holder has acted here (fenced), and how many batches' holds it went through.
-- Then per unit returned: item, units left, flag version when the item came back on sale (or -1).
local p = ARGV[1]
local now = tonumber(ARGV[2])
local op = ARGV[3]
local resKey = p .. ':res'
local countKey = p .. ':count'
local out = {}
local returned = {}

local function parse(packed)
    local item, created, hold, status, _, user = string.match(packed, '^(%d+)|(%d+)|(%d+)|(%d)|(%d+)|(.*)$')
    return item, created, tonumber(hold), tonumber(status), user
end

local function store(seq, item, created, hold, status, user)
    local packed = item .. '|' .. created .. '|' .. hold .. '|' .. status .. '|' .. now .. '|' .. user
    redis.call('HSET', resKey, seq, packed)
    return packed
end

local function giveBack(item, user, word)
    local buyer = redis.call('HGET', p .. ':buyers', user)
    local bar = string.find(buyer, '|', 1, true)
    redis.call('HSET', p .. ':buyers', user, (tonumber(string.sub(buyer, 1, bar - 1)) - 1) .. string.sub(buyer, bar))
    local units = redis.call('HINCRBY', p .. ':stock', item, 1)
    local version = -1
    if units == 1 then
        version = redis.call('HINCRBY', p .. ':flagv', item, 1)
        redis.call('HDEL', KEYS[1], 'soldOutAt')
    end
    redis.call('HINCRBY', countKey, 'held', -1)
    redis.call('HINCRBY', countKey, word, 1)
    returned[#returned + 1] = tonumber(item)
    returned[#returned + 1] = units
    returned[#returned + 1] = version
end

if op == 'expire' then
    local token = tonumber(ARGV[4])
    local fence = tonumber(redis.call('HGET', KEYS[1], 'fence') or '0')
    if token < fence then return { -1 } end
    if token > fence then redis.call('HSET', KEYS[1], 'fence', token) end
    -- Each member of the holds set is "<first>-<last>": the wins of one batch, all with the same hold.
    local due = redis.call('ZRANGEBYSCORE', p .. ':holds', '-inf', now, 'LIMIT', 0, tonumber(ARGV[5]))
    local expired = 0
    for _, range in ipairs(due) do
        local first, last = string.match(range, '^(%d+)-(%d+)$')
        for seq = tonumber(first), tonumber(last) do
            local item, created, hold, status, user = parse(redis.call('HGET', resKey, seq))
            if status == 1 then
                store(seq, item, created, hold, 4, user)
                giveBack(item, user, 'expired')
                expired = expired + 1
            end
        end
        redis.call('ZREM', p .. ':holds', range)
    end
    out[1] = expired
    out[2] = #due
else
    local seq = ARGV[4]
    local packed = redis.call('HGET', resKey, seq)
    if not packed then return { 2 } end
    local item, created, hold, status, user = parse(packed)
    if status == 1 and hold <= now then
        status = 4
        packed = store(seq, item, created, hold, status, user)
        giveBack(item, user, 'expired')
    end
    local result = 1
    if op == 'confirm' then
        if status == 1 then
            packed = store(seq, item, created, hold, 2, user)
            redis.call('HINCRBY', countKey, 'held', -1)
            redis.call('HINCRBY', countKey, 'confirmed', 1)
        elseif status ~= 2 then
            result = 3
        end
    else
        if status == 1 then
            packed = store(seq, item, created, hold, 3, user)
            giveBack(item, user, 'cancelled')
        elseif status == 2 then
            result = 3
        end
    end
    out[1] = result
    out[2] = packed
end
for _, value in ipairs(returned) do out[#out + 1] = value end
return out
