-- Decides a batch of purchase attempts of one sale, in arrival order, with the rules and precedence of Core's
-- ShardState: a remembered answer first, then the sale's own state (not_started, ended), eligibility, the buyer's
-- limit (live reservations), stock, else won. Every key carries the sale's hash tag, so the batch is one slot.
-- KEYS[1]  <tag>:meta
-- ARGV[1]  the tag (key prefix)   ARGV[2] now, Unix ms, from the gateway's clock (never Redis TIME: tests replay it)
-- ARGV[3]  seconds to keep attempt records
-- then 4 per attempt: attempt id ("<bucket>.<gateway>.<n>"), item index, user id, request id ("" for none)
-- Reply: one answer per attempt ("<outcome>" or "1|<seq>|<item>|<createdMs>|<holdUntilMs>"), then per item the
-- batch touched: item index, units left, flag version after a sell-out in this batch (or -1).
local p = ARGV[1]
local now = tonumber(ARGV[2])
local retention = tonumber(ARGV[3])
local meta = redis.call('HMGET', KEYS[1], 'starts', 'ends', 'limit', 'holdMs', 'elig', 'closed')
if not meta[1] then return redis.error_reply('FSNOSALE unknown sale') end
local starts, ends = tonumber(meta[1]), tonumber(meta[2])
local limit, holdMs = tonumber(meta[3]), tonumber(meta[4])
local eligible, closed = meta[5] == '1', meta[6]
local stockKey, liveKey, answersKey = p .. ':stock', p .. ':live', p .. ':ans'
local words = { 'won', 'sold_out', 'limit_reached', 'not_eligible', 'not_started', 'ended' }
local stock, before, order = {}, {}, {}
local counts = {}
local expiring = {}
local won = 0
local out = {}

local function decide(item, user)
    if now < starts then return '5' end
    if (ends and now >= ends) or closed then return '6' end
    if eligible and redis.call('SISMEMBER', p .. ':elig', user) == 0 then return '4' end
    local live = tonumber(redis.call('HGET', liveKey, user) or '0')
    if live >= limit then return '3' end
    local units = stock[item]
    if units == nil then
        units = tonumber(redis.call('HGET', stockKey, item) or '0')
        stock[item] = units
        before[item] = units
        order[#order + 1] = item
    end
    if units <= 0 then return '2' end
    stock[item] = units - 1
    local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
    local hold = now + holdMs
    redis.call('HSET', p .. ':res', seq, item .. '|' .. now .. '|' .. hold .. '|1|' .. now .. '|' .. user)
    redis.call('HSET', liveKey, user, live + 1)
    redis.call('RPUSH', p .. ':u:' .. user, seq)
    redis.call('ZADD', p .. ':holds', hold, seq)
    redis.call('XADD', p .. ':outbox', '*', 'seq', seq, 'item', item, 'user', user, 'at', now, 'hold', hold)
    won = won + 1
    return '1|' .. seq .. '|' .. item .. '|' .. now .. '|' .. hold
end

for i = 4, #ARGV, 4 do
    local attempt, item, user, request = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
    local attemptsKey = p .. ':att:' .. string.match(attempt, '^(%d+)%.')
    local answer = redis.call('HGET', attemptsKey, attempt)
    if not answer then
        local field
        if request ~= '' then
            field = #user .. ':' .. user .. request
            answer = redis.call('HGET', answersKey, field)
        end
        if not answer then
            answer = decide(item, user)
            local code = string.byte(answer, 1) - 48
            if field and code <= 3 then redis.call('HSET', answersKey, field, answer) end
        end
        local code = string.byte(answer, 1) - 48
        counts[code] = (counts[code] or 0) + 1
        redis.call('HSET', attemptsKey, attempt, answer)
        if not expiring[attemptsKey] then
            expiring[attemptsKey] = true
            redis.call('EXPIRE', attemptsKey, retention, 'NX')
        end
    end
    out[#out + 1] = answer
end

local soldOutNow = false
for _, item in ipairs(order) do
    local units = stock[item]
    local version = -1
    if units ~= before[item] then
        redis.call('HSET', stockKey, item, units)
        if units == 0 then
            version = redis.call('HINCRBY', p .. ':flagv', item, 1)
            soldOutNow = true
        end
    end
    out[#out + 1] = tonumber(item)
    out[#out + 1] = units
    out[#out + 1] = version
end

if soldOutNow then
    local all = true
    for _, units in ipairs(redis.call('HVALS', stockKey)) do
        if units ~= '0' then all = false break end
    end
    if all then redis.call('HSETNX', KEYS[1], 'soldOutAt', now) end
end
for code, n in pairs(counts) do redis.call('HINCRBY', p .. ':stats', words[code], n) end
if won > 0 then redis.call('HINCRBY', p .. ':count', 'held', won) end
return out
