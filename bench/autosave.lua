-- wrk script: the real autosave path for logged-in takers with real attempts.
-- Each request saves one (attempt, question) pair; pairs are visited in turn, and a full pass over all
-- pairs raises seq by one. So the seq stored for a pair is the number of saves applied to it, and the sum
-- of stored seq must equal the acknowledged saves (plus at most the requests still in flight at the end).
local takers = {}
local pairs_per_taker = tonumber(os.getenv("BENCH_QUESTIONS") or "20")
-- Continue the count of an earlier run in the same database, so that seq keeps rising for every pair.
counter = tonumber(os.getenv("BENCH_COUNTER_BASE") or "0")  -- global: done() reads it
acked = 0  -- global: done() reads it from each thread
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

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

done = function(summary, latency, requests)
  report(summary, latency, thread_sum("acked"), string.format(', "generated": %d', thread_max("counter")))
end
