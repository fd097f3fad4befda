-- Cycles through the paths listed one per line in the file named after `--`, so that a
-- long run touches many different pages (a worker's caches and memory fill as in use).
-- The JSON summary line is report.lua's, loaded from this script's folder.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local paths = {}
local next_path = 0

init = function(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
end

request = function()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end
