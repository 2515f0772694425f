-- Renews a lease held with token ARGV[1] for ARGV[2] ms. KEYS[1] the lease. Reply: 1 renewed, 0 not ours.
if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return 1
end
return 0
