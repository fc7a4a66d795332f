-- POST /api/v1/auth/login cycling over the users run.sh registered (bench0 .. bench{USERS-1}).
local users = tonumber(os.getenv("USERS") or "16")
local counter = 0

request = function()
  counter = counter + 1
  local body = string.format('{"username":"bench%d","password":"bench-password"}', counter % users)
  return wrk.format("POST", "/api/v1/auth/login", {["Content-Type"] = "application/json"}, body)
end
