-- wrk script for bench/serve-load.sh: cycles through the request paths listed one a line in
-- the file named by the URLS environment variable, and counts every answer that is not 2xx
-- (wrk's own "Non-2xx or 3xx" line lets redirects pass; here they are errors too).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("URLS")) do
    if #line > 0 then table.insert(paths, line) end
  end
  -- Each thread starts at a different place in the list, so the two do not move in step.
  counter = (id or 1) * 7919 % #paths
  non2xx, c3xx, c4xx, c5xx = 0, 0, 0, 0
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if status >= 500 then c5xx = c5xx + 1 elseif status >= 400 then c4xx = c4xx + 1 elseif status >= 300 then c3xx = c3xx + 1 end
  end
end

function done(summary, latency, requests)
  local bad, r3, r4, r5 = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
    r3, r4, r5 = r3 + thread:get("c3xx"), r4 + thread:get("c4xx"), r5 + thread:get("c5xx")
  end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  io.write(string.format("load: requests %d\n", summary.requests))
  io.write(string.format("load: seconds %.3f\n", summary.duration / 1e6))
  io.write(string.format("load: rps %.1f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("load: p50_ms %.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("load: p99_ms %.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("load: max_ms %.2f\n", latency.max / 1000))
  io.write(string.format("load: non2xx %d (3xx %d, 4xx %d, 5xx %d)\n", bad, r3, r4, r5))
  io.write(string.format("load: socket_errors %d (connect %d, read %d, write %d, timeout %d)\n",
    socket, e.connect, e.read, e.write, e.timeout))
end
