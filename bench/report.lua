-- What every bench/*.lua script shares, loaded by each with dofile: the threads kept for done(), an optional
-- pause between a connection's requests (BENCH_DELAY_MS), and the one BENCH_JSON line bench/serve.py reads.
local threads = {}
setup = function(thread)
  threads[#threads + 1] = thread
end

local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
if delay_ms > 0 then
  delay = function() return delay_ms end
end

-- Each wrk thread has its own Lua state: add up (or take the largest of) a global the threads counted.
function thread_sum(name)
  local total = 0
  for _, thread in ipairs(threads) do total = total + (thread:get(name) or 0) end
  return total
end

function thread_max(name)
  local most = 0
  for _, thread in ipairs(threads) do most = math.max(most, thread:get(name) or 0) end
  return most
end

-- The figures of the run; ``acked`` is what the script counted as done, ``extra`` more JSON fields (", ...").
function report(summary, latency, acked, extra)
  local e = summary.errors
  io.write(string.format('BENCH_JSON {"requests": %d, "seconds": %.3f, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"errors": %d, "acked": %d%s}\n', summary.requests, summary.duration / 1e6, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout, acked,
    extra or ""))
end
