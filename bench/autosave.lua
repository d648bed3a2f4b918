-- wrk script: the real autosave path for logged-in takers with real attempts.
-- Each request saves one (attempt, question) pair; pairs are visited in turn, and a full pass over all
-- pairs raises seq by one. So the seq stored for a pair is the number of saves applied to it, and the sum
-- of stored seq must equal the acknowledged saves (plus at most the requests still in flight at the end).
local takers = {}
local pairs_per_taker = tonumber(os.getenv("BENCH_QUESTIONS") or "20")
-- Continue the count of an earlier run in the same database, so that seq keeps rising for every pair.
counter = tonumber(os.getenv("BENCH_COUNTER_BASE") or "0")  -- global: done() reads it
acked = 0  -- global: done() reads it from each thread
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")

for line in io.lines(os.getenv("BENCH_TAKERS")) do
  local id, cookie, token = line:match("^(%d+) (%S+) (%S+)$")
  takers[#takers + 1] = { id = id, cookie = cookie, token = token }
end
local npairs = #takers * pairs_per_taker

request = function()
  local pair = counter % npairs
  local seq = math.floor(counter / npairs) + 1
  counter = counter + 1
  local taker = takers[math.floor(pair / pairs_per_taker) + 1]
  local position = pair % pairs_per_taker + 1
  local body = string.format('{"position": %d, "selected": [%d], "seq": %d}', position, seq % 2, seq)
  return wrk.format("POST", "/api/attempts/" .. taker.id .. "/answers", {
    ["Content-Type"] = "application/json",
    ["X-CSRFToken"] = taker.token,
    ["Cookie"] = "session=" .. taker.cookie,
  }, body)
end

response = function(status, headers, body)
  if status == 200 then acked = acked + 1 end
end

-- BENCH_JITTER=1 (bench.takers): each wait is drawn between half and one and a half of BENCH_DELAY_MS, the first
-- one too (wrk waits before a connection's first request), so that takers' saves spread out as real ones do.
local jitter = os.getenv("BENCH_JITTER") == "1"
if delay_ms > 0 then
  if jitter then
    math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
    delay = function() return math.floor(delay_ms * (0.5 + math.random())) end
  else
    delay = function() return delay_ms end
  end
end

local threads = {}
setup = function(thread)
  threads[#threads + 1] = thread
end

done = function(summary, latency, requests)
  -- Each wrk thread has its own Lua state: add up what the threads counted.
  local acked, generated = 0, 0
  for _, thread in ipairs(threads) do
    acked = acked + (thread:get("acked") or 0)
    generated = math.max(generated, thread:get("counter") or 0)
  end
  local e = summary.errors
  io.write(string.format('BENCH_JSON {"requests": %d, "seconds": %.3f, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"errors": %d, "acked": %d, "generated": %d}\n', summary.requests, summary.duration / 1e6, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout, acked, generated))
end
