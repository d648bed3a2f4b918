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
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

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

done = function(summary, latency, requests)
  report(summary, latency, thread_sum("started"))
end
