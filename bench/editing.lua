-- The editing workload: cycles through the paths listed one per line in the file named
-- after `--` (each thread from its own offset) and counts the page cache's answers
-- (`X-Cache: HIT` / `MISS`). One JSON line at the end, latencies in µs.
local paths = {}
local next_path = 0
local threads = {}

setup = function(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end

init = function(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  next_path = offset % #paths
  hits, misses, other = 0, 0, 0
end

request = function()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

response = function(status, headers, body)
  local answer = headers["X-Cache"] or headers["x-cache"]
  if answer == "HIT" or answer == "hit" then
    hits = hits + 1
  elseif answer == "MISS" or answer == "miss" then
    misses = misses + 1
  else
    other = other + 1
  end
end

done = function(summary, latency, requests)
  local h, m, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    h, m, o = h + thread:get("hits"), m + thread:get("misses"), o + thread:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "errors": %d, "non2xx": %d, "p50": %d, "p95": %d, "p99": %d, '
      .. '"hits": %d, "misses": %d, "unmarked": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), h, m, o))
end
