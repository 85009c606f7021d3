-- wrk script for `make bench-intake`: POST a JSON case with a unique Idempotency-Key per request.
--
-- Run with as many threads as connections (-t N -c N): each thread then owns one connection, which
-- sends one request and reads its response before the next, so the key of the last request() is the
-- key of the next response(). The keys answered 201 are written to BENCH_KEYS_FILE by done().
--
-- Arguments after `--`: <path> <run tag>. Summary lines go to stdout, prefixed "bench:".

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

-- Globals, not locals: done() reads `statuses` and `created` of each thread with thread:get().
local path, tag, sent, last_key
local headers = { ["Content-Type"] = "application/json" }

function init(args)
  path = args[1] or "/api/v1/cases"
  tag = args[2] or "run"
  sent = 0
  created = {}
  statuses = {}
end

function request()
  sent = sent + 1
  last_key = tag .. "-" .. tid .. "-" .. sent
  headers["Idempotency-Key"] = last_key
  local body = '{"title":"基准测试 ' .. last_key .. '","details":"路灯不亮，请尽快修理。编号 ' .. last_key
    .. '","station_code":"bench","contact_phone":"13812345678","consent":true}'
  return wrk.format("POST", path, headers, body)
end

function response(status, _, _)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 then
    created[#created + 1] = last_key
  end
end

function done(summary, latency, _)
  local totals = {}
  local out = assert(io.open(os.getenv("BENCH_KEYS_FILE") or "/dev/null", "w"))
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
    for _, key in ipairs(thread:get("created")) do
      out:write(key, "\n")
    end
  end
  out:close()
  io.write(string.format("bench:duration_us %d\n", summary.duration))
  io.write(string.format("bench:requests %d\n", summary.requests))
  local e = summary.errors
  io.write(string.format("bench:errors %d %d %d %d %d\n", e.connect, e.read, e.write, e.status, e.timeout))
  for status, count in pairs(totals) do
    io.write(string.format("bench:status %d %d\n", status, count))
  end
  for _, p in ipairs({ 50, 90, 99 }) do
    io.write(string.format("bench:latency_us %d %d\n", p, latency:percentile(p)))
  end
end
