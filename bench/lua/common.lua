-- Shared by every bench script (bench/run.py prepends it): the ids file, a per-thread seed, and a
-- done() that prints one machine-readable line for bench/run.py to parse.
local ids = {}
prefix = "/langsmith"

function init(args)
  if args[1] and args[1] ~= "" then
    for line in io.lines(args[1]) do
      if line ~= "" then ids[#ids + 1] = line end
    end
  end
  math.randomseed(tonumber(args[2] or "1"))
end

function random_id()
  return ids[math.random(#ids)]
end

json_headers = { ["Content-Type"] = "application/json" }

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH-RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
