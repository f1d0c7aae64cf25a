-- wrk script of phase 5 (RequestRateBenchmark): the consumer's postMessage, round-robin over chats.
--   wrk ... -s benchmark/post-message.lua http://HOST:PORT/engagement/api/consumer/demo/v1/postMessage?pool=1:1 -- SESSIONS_FILE
-- SESSIONS_FILE holds one SessionId a line. The requests are formatted once, in init, so that wrk's
-- own CPU per request stays as low as for a plain GET.
local requests = {}
local n = 0

function init(args)
  local file = args[1] or error("give the SessionId file after --")
  local body = '{"body":"A message from the request-rate benchmark"}'
  for id in io.lines(file) do
    if #id > 0 then
      requests[#requests + 1] = wrk.format("POST", nil,
        { ["Host"] = wrk.headers["Host"], ["Content-Type"] = "application/json", ["SessionId"] = id }, body)
    end
  end
  if #requests == 0 then
    error("no SessionId in " .. file)
  end
end

-- Each wrk thread cycles through every chat from the first (phase 5 runs one thread).
function request()
  n = n % #requests + 1
  return requests[n]
end
