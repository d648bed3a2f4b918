-- wrk script for the baselines: GET /bench/hello or POST /bench/insert (BENCH_METHOD).
local method = os.getenv("BENCH_METHOD") or "GET"
local path = os.getenv("BENCH_PATH") or "/bench/hello"
acked = 0  -- global: done() reads it from each thread
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

request = function()
  return wrk.format(method, path, { ["Content-Type"] = "application/json" }, method == "POST" and "{}" or nil)
end

response = function(status, headers, body)
  if status == 200 then acked = acked + 1 end
end

done = function(summary, latency, requests)
  report(summary, latency, thread_sum("acked"))
end
