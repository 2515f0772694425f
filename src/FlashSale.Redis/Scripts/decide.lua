-- Decides a batch of purchase attempts of one sale, in arrival order, with the rules and precedence of Core's
-- ShardState: a remembered answer first, then the sale's own state (not_started, ended), eligibility, the buyer's
-- limit (live reservations), stock, else won. Every key carries the sale's hash tag, so the batch is one slot.
-- KEYS[1]  <tag>:meta
-- ARGV[1]  the tag (key prefix)   ARGV[2] now, Unix ms, from the gateway's clock (never Redis TIME: tests replay it)
-- ARGV[3]  ms to keep this batch's reply   ARGV[4] the batch id ("<gateway>.<n>"; attempt i's id is the pair)
-- then 3 per attempt: item index, user id, request id ("" for none)
-- Reply: one answer per attempt ("<outcome>" or "1|<seq>|<item>|<createdMs>|<holdUntilMs>"), then per item the
-- batch touched: item index, units left, flag version after a sell-out in this batch (or -1). A batch id seen before
-- gets the reply stored then: the resend of a batch whose reply was lost decides nothing again. It still writes (the
-- stored reply's expiry), so that a WAIT after the resend, on whatever connection, counts the first call's writes too.
local p = ARGV[1]
local batchKey = p .. ':batch:' .. ARGV[4]
local stored = redis.call('GET', batchKey)
if stored then
    redis.call('PEXPIRE', batchKey, ARGV[3])
    return cmsgpack.unpack(stored)
end

local now = tonumber(ARGV[2])
local meta = redis.call('HMGET', KEYS[1], 'starts', 'ends', 'limit', 'holdMs', 'elig', 'closed', 'seq')
if not meta[1] then return redis.error_reply('FSNOSALE unknown sale') end
local starts, ends = tonumber(meta[1]), tonumber(meta[2])
local limit, holdMs = tonumber(meta[3]), tonumber(meta[4])
local eligible, closed = meta[5] == '1', meta[6]
local firstSeq = tonumber(meta[7])
local seq = firstSeq
local stockKey, buyersKey, answersKey = p .. ':stock', p .. ':buyers', p .. ':ans'
local words = { 'won', 'sold_out', 'limit_reached', 'not_eligible', 'not_started', 'ended',
    [12] = 'request_id_reused' }
local stock, before, order = {}, {}, {}
local buyers, changedBuyers = {}, {}
local answers, reservations = {}, {}
local counts = {}
local out = {}

-- A buyer is "<live>|<seq>,<seq>,...": live reservations (held or confirmed) and every reservation, in order. A
-- buyer has a field once it won or got an answer remembered, so a buyer without one has nothing remembered.
local function rawBuyer(user)
    local value = buyers[user]
    if value == nil then
        value = redis.call('HGET', buyersKey, user) or false
        buyers[user] = value
    end
    return value
end

local function buyerOf(user)
    return rawBuyer(user) or '0|'
end

local function decide(item, user)
    if now < starts then return '5' end
    if (ends and now >= ends) or closed then return '6' end
    if eligible and redis.call('SISMEMBER', p .. ':elig', user) == 0 then return '4' end
    local buyer = buyerOf(user)
    local bar = string.find(buyer, '|', 1, true)
    local live = tonumber(string.sub(buyer, 1, bar - 1))
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
    seq = seq + 1
    local hold = now + holdMs
    local list = string.sub(buyer, bar + 1)
    buyers[user] = (live + 1) .. '|' .. (list == '' and seq or list .. ',' .. seq)
    changedBuyers[#changedBuyers + 1] = user
    local packed = item .. '|' .. now .. '|' .. hold .. '|1|' .. now .. '|' .. user
    reservations[#reservations + 1] = seq
    reservations[#reservations + 1] = packed
    return '1|' .. seq .. '|' .. item .. '|' .. now .. '|' .. hold
end

-- The item a remembered answer was for: a won carries it ("1|<seq>|<item>|..."), a remembered refusal is stored
-- as "<code>|<item>". A requestId reused for another item answers request_id_reused (12, '<'), deciding nothing.
local function itemOf(remembered)
    if string.byte(remembered, 1) == 49 then
        local first = string.find(remembered, '|', 3, true)
        return string.sub(remembered, first + 1, string.find(remembered, '|', first + 1, true) - 1)
    end
    return string.sub(remembered, 3)
end

for i = 5, #ARGV, 3 do
    local item, user, request = ARGV[i], ARGV[i + 1], ARGV[i + 2]
    local answer, field
    if request ~= '' then
        field = #user .. ':' .. user .. request
        local remembered = answers[field]
        if not remembered and rawBuyer(user) then remembered = redis.call('HGET', answersKey, field) end
        if remembered then
            if itemOf(remembered) ~= item then answer = '<'
            elseif string.byte(remembered, 1) == 49 then answer = remembered
            else answer = string.sub(remembered, 1, 1) end
        end
    end
    if not answer then
        answer = decide(item, user)
        if field and string.byte(answer, 1) <= 51 then
            answers[field] = string.byte(answer, 1) == 49 and answer or (answer .. '|' .. item)
            answers[#answers + 1] = field
            if not buyers[user] then
                buyers[user] = '0|'
                changedBuyers[#changedBuyers + 1] = user
            end
        end
    end
    local code = string.byte(answer, 1) - 48
    counts[code] = (counts[code] or 0) + 1
    out[#out + 1] = answer
end

-- Writes gathered over the batch go out as one command each.
if #reservations > 0 then
    redis.call('HSET', p .. ':res', unpack(reservations))
    -- The outbox: one stream entry per batch that won anything, a field per reservation (seq, then the packed
    -- reservation), in decision order; written in the same call as the decisions.
    redis.call('XADD', p .. ':outbox', '*', unpack(reservations))
    -- Every win of a batch has the same hold (same now, same holdMs) and consecutive sequence numbers: one member
    -- "<first>-<last>" in the holds set covers them all.
    redis.call('ZADD', p .. ':holds', now + holdMs, (firstSeq + 1) .. '-' .. seq)
    redis.call('HSET', KEYS[1], 'seq', seq)
    redis.call('HINCRBY', p .. ':count', 'held', seq - firstSeq)
end
-- One HSET of every field listed in `names` (in order) with its value in `values`.
local function hsetAll(key, names, values)
    if #names == 0 then return end
    local args = {}
    for _, name in ipairs(names) do
        args[#args + 1] = name
        args[#args + 1] = values[name]
    end
    redis.call('HSET', key, unpack(args))
end
hsetAll(buyersKey, changedBuyers, buyers)
hsetAll(answersKey, answers, answers)

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
redis.call('SET', batchKey, cmsgpack.pack(out), 'PX', ARGV[3])
return out
