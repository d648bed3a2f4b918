-- wrk script for the baselines: GET /bench/hello or POST /bench/insert (BENCH_METHOD).
local method = os.getenv("BENCH_METHOD") or "GET"
local path = os.getenv("BENCH_PATH") or "/bench/hello"
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
acked = 0  -- global: done() reads it from each thread

request = function()
  return wrk.format(method, path, { ["Content-Type"] = "application/json" }, method == "POST" and "{}" or nil)
end

response = function(status, headers, body)
  if status == 200 then acked = acked + 1 end
end

if delay_ms > 0 then
  delay = function() return delay_ms end
end

local threads = {}
setup = function(thread)
  threads[#threads + 1] = thread
end

done = function(summary, latency, requests)
  -- Each wrk thread has its own Lua state: add up what the threads counted.
  local acked = 0
  for _, thread in ipairs(threads) do acked = acked + (thread:get("acked") or 0) end
  local e = summary.errors
  io.write(string.format('BENCH_JSON {"requests": %d, "seconds": %.3f, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"errors": %d, "acked": %d}\n', summary.requests, summary.duration / 1e6, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout, acked))
end
