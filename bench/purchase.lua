-- wrk script of bench/http-compare.sh: POST purchases, cycling through pre-minted buyer tokens, each request with a
-- fresh requestId (as a careful client sends). The same script drives flashsale and the bare app, so both pay the
-- same client-side cost.
--   wrk ... -s bench/purchase.lua http://127.0.0.1:PORT -- /api/sales/a/purchase tokens.lua [no-request-id]
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  path = args[1]
  tokens = dofile(args[2])
  count = #tokens
  -- Threads start at different places in the token list, then walk it in steps.
  next_token = (id * 7919) % count
  sent = 0
  headers = { ["Content-Type"] = "application/json" }
  with_request_id = args[3] ~= "no-request-id"
  -- requestIds unique across runs too, so that a second run is not answered from the first run's memory
  math.randomseed(os.time() * 100 + id)
  run = math.random(1, 1000000000)
end

function request()
  next_token = (next_token + 1) % count
  sent = sent + 1
  headers["Authorization"] = "Bearer " .. tokens[next_token + 1]
  if with_request_id then
    return wrk.format("POST", path, headers, '{"itemId":"phone","requestId":"' .. run .. "-" .. sent .. '"}')
  end
  return wrk.format("POST", path, headers, '{"itemId":"phone"}')
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d non2xx=%d socket_errors=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
