-- Renews the lease held with token ARGV[1] for ARGV[2] ms, or gives it up when ARGV[2] is 0.
-- KEYS[1] the lease. Reply: 1 done, 0 the lease is not ours.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '0' then
    redis.call('DEL', KEYS[1])
else
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
