-- wrk script of bench/conflict_http.sh: POST /api/v1/conflict-check with a
-- bearer token, cycling through the request bodies of a file written by
-- bench/gen_accounts.py (one "KIND<TAB>JSON" per line; a line without a tab
-- is taken as JSON alone).
--
--   CONFLICT_BODIES=FILE CONFLICT_TOKEN=TOKEN wrk -s bench/conflict_check.lua URL
--   wrk -s bench/conflict_check.lua URL -- FILE TOKEN      (the same, as args)
--
-- The requests are formatted once per thread at start (wrk.format); each
-- thread starts at a different place in the cycle so that the threads do not
-- send the same body at the same time.

local requests = {}
local next_index = 1
local thread_count = 0

-- Runs in the main Lua state once per thread, before the thread's init.
function setup(thread)
   thread:set("thread_id", thread_count)
   thread_count = thread_count + 1
end

local function read_bodies(path)
   local f, err = io.open(path, "r")
   if not f then
      error("conflict_check.lua: cannot open the bodies file: " .. tostring(err))
   end
   local bodies = {}
   for line in f:lines() do
      line = line:gsub("\r$", "")
      local json = line:match("^[^\t]*\t(.*)$") or line
      if json ~= "" then
         bodies[#bodies + 1] = json
      end
   end
   f:close()
   return bodies
end

function init(args)
   local path = args[1] or os.getenv("CONFLICT_BODIES")
   local token = args[2] or os.getenv("CONFLICT_TOKEN")
   if not path or path == "" then
      error("conflict_check.lua: set CONFLICT_BODIES (or pass the file after --)")
   end
   if not token or token == "" then
      error("conflict_check.lua: set CONFLICT_TOKEN (or pass it after the file)")
   end
   local bodies = read_bodies(path)
   if #bodies == 0 then
      error("conflict_check.lua: no request bodies in " .. path)
   end
   for i, body in ipairs(bodies) do
      local headers = {
         ["Content-Type"] = "application/json",
         ["Authorization"] = "Bearer " .. token,
         ["Accept"] = "application/json",
      }
      requests[i] = wrk.format("POST", wrk.path, headers, body)
   end
   -- a different starting point per thread (thread_id is set by setup)
   local id = tonumber(thread_id) or 0
   next_index = (id * 97) % #requests + 1
end

function request()
   local r = requests[next_index]
   next_index = next_index % #requests + 1
   return r
end
