-- wrk -s longtail.lua URL: every request a path drawn at random from the file $LT_PATHS (one
-- path a line), the same draw for the same $LT_SEED (default 42); each thread draws its own
-- sequence. Ends with the JSON line of wrk_report.lua. Shared by both sides: only the file differs.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "wrk_report.lua")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

local paths = {}
function init(args)
  local file = assert(io.open(os.getenv("LT_PATHS") or error("LT_PATHS is not set")))
  for line in file:lines() do
    if line ~= "" then paths[#paths + 1] = line end
  end
  file:close()
  assert(#paths > 0, "no paths in " .. os.getenv("LT_PATHS"))
  math.randomseed((tonumber(os.getenv("LT_SEED")) or 42) * 1000 + (thread_id or 0))
end

function request()
  return wrk.format(nil, paths[math.random(#paths)])
end
