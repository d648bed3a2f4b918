-- wrk script: starts of one round, each by a different signed-in resident (BENCH_PEOPLE: "cookie token" lines).
-- Each person starts once; when every person has been sent, the thread stops, so that no resume (a cheap
-- redirect to the attempt already started) is counted as a start.
local people = {}
for line in io.lines(os.getenv("BENCH_PEOPLE")) do
  local cookie, token = line:match("^(%S+) (%S+)$")
  people[#people + 1] = { cookie = cookie, token = token }
end
local path = os.getenv("BENCH_PATH")
counter = 0  -- global: done() reads it
started = 0  -- global: responses that lead to an attempt page

request = function()
  counter = counter + 1
  local person = people[counter]
  if person == nil then
    wrk.thread:stop()
    person = people[#people]
  end
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "session=" .. person.cookie,
  }, "csrf_token=" .. person.token)
end

response = function(status, headers, body)
  local location = headers["Location"] or ""
  if status == 302 and location:find("/attempts/", 1, true) then started = started + 1 end
end

local threads = {}
setup = function(thread)
  threads[#threads + 1] = thread
end

done = function(summary, latency, requests)
  local started = 0
  for _, thread in ipairs(threads) do started = started + (thread:get("started") or 0) end
  local e = summary.errors
  io.write(string.format('BENCH_JSON {"requests": %d, "seconds": %.3f, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"errors": %d, "acked": %d}\n', summary.requests, summary.duration / 1e6, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout, started))
end
