-- wrk script of scripts/load.sh: signed-in requests to digitag serve.
-- LOAD_MIX: "profile" (a random USCC's profile page), "count" (the segment count), "mixed" (9 profiles to 1 count).
-- The session cookie, the USCC list and the count's path come from the environment (load.sh sets them).
local cookie = os.getenv("LOAD_COOKIE")
local mix = os.getenv("LOAD_MIX") or "profile"
local count_path = os.getenv("LOAD_COUNT_PATH")
local usccs = {}

function init(args)
  for line in io.lines(os.getenv("LOAD_USCCS")) do usccs[#usccs + 1] = line end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  wrk.headers["Cookie"] = cookie
end

function request()
  if mix == "count" or (mix == "mixed" and math.random(10) == 1) then
    return wrk.format("GET", count_path)
  end
  return wrk.format("GET", "/enterprise/" .. usccs[math.random(#usccs)])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests %d, %.1f/s, latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
