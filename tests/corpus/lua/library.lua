-- stdin: first line from stdin
-- stdin: 12 34.5 0x10
-- stdin: last line
-- The rest of the standard library: table.sort with comparators, coroutines (generators,
-- wrap, status, yield across pcall), error handling (pcall / xpcall / error with levels, error
-- objects, nested pcall, errors in metamethods and coroutines), math, io (a file written, read
-- back, appended to, seeked, and left behind in the cwd; lines from stdin), os (time / clock /
-- date / getenv only as deterministic facts), load and string.dump.

local function section(name) print(("== %s"):format(name)) end

section("table.sort")
local people = {
  { name = "Grace", age = 85 }, { name = "Ada", age = 36 }, { name = "Alan", age = 41 },
  { name = "Edsger", age = 72 }, { name = "Barbara", age = 36 }, { name = "Donald", age = 41 },
  { name = "Ken", age = 80 }, { name = "Dennis", age = 70 }, { name = "Niklaus", age = 89 },
}
table.sort(people, function(a, b)
  if a.age ~= b.age then return a.age < b.age end
  return a.name < b.name
end)
local out = {}
for i, p in ipairs(people) do out[i] = p.name .. "/" .. p.age end
print(table.concat(out, " "))
local nums = {}
local seed = 12345
for i = 1, 2000 do
  seed = (seed * 1103515245 + 12345) % 2147483648
  nums[i] = seed % 100000 - 50000
end
table.sort(nums)
local ok = true
for i = 2, #nums do if nums[i - 1] > nums[i] then ok = false end end
print("sorted 2000", ok, nums[1], nums[1000], nums[2000])
table.sort(nums, function(a, b) return a > b end)
print("reverse", nums[1], nums[2000])
local strs = { "banana", "Apple", "cherry", "apple", "Banana", "date", "", "a" }
table.sort(strs)
print(table.concat(strs, ","))
table.sort(strs, function(a, b) return a:lower() < b:lower() or (a:lower() == b:lower() and a < b) end)
print(table.concat(strs, ","))
local mixed = { 3, 1.5, -2, 2^40, -0.5, 7 }
table.sort(mixed)
print(table.concat(mixed, " "))
print(pcall(table.sort, { 1, "x", 2 }))
print(select(2, pcall(table.sort, { 3, 2, 1 }, function(a, b) return true end)) ~= nil)

section("coroutines")
local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i, i * i) end
    return "done"
  end)
end
local g = gen(4)
for _ = 1, 5 do io.write(table.concat({ tostring(select(1, g())) }, ""), " ") end
print()
local co = coroutine.create(function(a, b)
  print("  co start", a, b)
  local c = coroutine.yield(a + b)
  print("  co got", c)
  local d, e = coroutine.yield(c * 2)
  print("  co got", d, e)
  return "finished", a + b + c + d + e
end)
print("resume1", coroutine.resume(co, 1, 2))
print("status", coroutine.status(co))
print("resume2", coroutine.resume(co, 10))
print("resume3", coroutine.resume(co, 100, 1000))
print("status", coroutine.status(co), coroutine.resume(co))
local function primes()
  return coroutine.wrap(function()
    local found = {}
    local n = 2
    while true do
      local isp = true
      for _, p in ipairs(found) do
        if p * p > n then break end
        if n % p == 0 then isp = false break end
      end
      if isp then found[#found + 1] = n; coroutine.yield(n) end
      n = n + 1
    end
  end)
end
local pr, list = primes(), {}
for i = 1, 25 do list[i] = pr() end
print("primes", table.concat(list, " "))
local errco = coroutine.create(function() local x = nil; return x.field end)
print("error in coroutine", coroutine.resume(errco))
print("dead", coroutine.status(errco), coroutine.resume(errco))
local yp = coroutine.wrap(function()
  local ok2, v = pcall(function()
    local got = coroutine.yield("yield inside pcall")
    error("after resume: " .. got)
  end)
  coroutine.yield(tostring(ok2) .. " " .. v)
  return "end"
end)
print(yp()); print(yp("R")); print(yp())
print("isyieldable", coroutine.isyieldable(), select(2, coroutine.running()))
local closeco = coroutine.create(function() coroutine.yield() end)
coroutine.resume(closeco)
print("close", coroutine.close(closeco), coroutine.status(closeco))
local depth = 0
local function nest(n)
  if n == 0 then return coroutine.yield("bottom") end
  local c = coroutine.wrap(function() depth = depth + 1; return nest(n - 1) end)
  return c()
end
print("nested coroutines", coroutine.wrap(function() return nest(50) end)(), depth)

section("errors")
print(pcall(error, "plain"))
print(pcall(error, "no position", 0))
print(pcall(function() error("level 1") end))
print(pcall(function() local function inner() error("level 2", 2) end inner() end))
print(pcall(error))
print(pcall(error, nil))
local eobj = setmetatable({ code = 42 }, { __tostring = function(e) return "E" .. e.code end })
local okE, got = pcall(error, eobj)
print("error object", okE, got == eobj, got.code, tostring(got))
print(select("#", pcall(error, { 1, 2, 3 })), type(select(2, pcall(error, { 1, 2, 3 }))))
print(select("#", pcall(error)))
print(pcall(function() return 1 + {} end))
print(pcall(function() return #nil end))
print(pcall(function() return ("x"):bad() end))
print(pcall(function() local t = setmetatable({}, { __index = function() error("from __index") end }); return t.k end))
print(pcall(function() return 1 < "2" end))
print(pcall(function() return math.maxinteger // 0 end))
print(pcall(function() return 1 % 0 end))
print(pcall(string.rep, "x", -1))
print(pcall(string.format, "%d", 1.5))
print(pcall(setmetatable, 1, {}))
print(xpcall(function() error("traced") end, function(m) return "handled: " .. m end))
print(xpcall(function(a, b) return a + b end, print, 20, 22))
local function nested(n)
  if n == 0 then error({ depth = 0, path = "" }) end
  local okN, e = pcall(nested, n - 1)
  assert(not okN and type(e) == "table")
  e.depth = e.depth + 1
  if n % 3 == 0 then
    -- Catch and convert at this level: the rethrown object is a fresh table.
    e = { depth = e.depth, path = e.path .. "c" }
  end
  error(e)
end
local okN, e = pcall(nested, 30)
print("nested pcall", okN, type(e), e.depth, e.path)
print("nested pcall in xpcall", xpcall(function()
  local ok1, e1 = pcall(error, "inner", 0)
  local ok2, e2 = pcall(function() error(e1 .. "+middle", 0) end)
  error(e2 .. "+outer", 0)
end, function(m) return "<" .. m .. ">" end))
local okS, msg = pcall(function() local function rec(n) return 1 + rec(n + 1) end return rec(1) end)
print("stack overflow caught", okS, (msg:match("stack overflow")))
local cleaned = {}
local okC = pcall(function()
  local r <close> = setmetatable({}, { __close = function(_, err) cleaned[#cleaned + 1] = "closed with " .. tostring(err) end })
  error("inside close scope", 0)
end)
print("close on error", okC, cleaned[1])
print(pcall(assert, false, "assert message"), pcall(assert, 1 == 1, "unused"))
print(pcall(assert, nil))
print(select(2, load("return +")))
print(select(2, load("x = = 1", "=chunk")))
print(load("local a, b = ... return a * b")(6, 7))

section("math")
print(math.floor(3.7), math.ceil(3.2), math.floor(-3.5), math.ceil(-3.5), math.floor(2^62), math.abs(math.mininteger))
print(math.max(3, 7.5, -1), math.min(3, 7.5, -1), math.max(1, 2), math.ult(1, -1), math.abs(-0.0))
print(string.format("%.14g %.14g %.14g %.14g", math.sqrt(2), math.exp(1), math.log(10), math.log(8, 2)))
print(string.format("%.14g %.14g %.14g %.14g", math.sin(1), math.cos(1), math.tan(1), math.atan(1, 2)))
print(string.format("%.14g %.14g %.14g %.14g", math.asin(0.5), math.acos(0.5), math.log(100, 10), math.exp(-20)))
print(math.modf(3.7), math.modf(-3.7), math.modf(math.huge), math.fmod(7.5, 2))
print(math.tointeger("8"), math.tointeger(2^31), 7 // 0.0, -7 % math.huge, 7 % -math.huge)
math.randomseed(42)
local r = {}
for i = 1, 8 do r[i] = math.random(1, 1000) end
print("random", table.concat(r, " "), math.random(0) ~= nil, math.random() < 1)
math.randomseed(42)
print("reseeded", math.random(1, 1000) == r[1])
local s = 0.0
for i = 1, 100000 do s = s + 1 / (i * i) end
print(string.format("basel %.14g %.14g", s, math.pi ^ 2 / 6))

section("io")
local fname = "lua-corpus-output.txt"
local f = assert(io.open(fname, "w"))
f:write("first line\n", 12345, " ", 2.5, "\n")
for i = 1, 5 do f:write(("row %d: %s\n"):format(i, ("*"):rep(i))) end
print("write returns file", f:write("") == f, io.type(f))
f:close()
print("closed", io.type(f), pcall(f.write, f, "x"))
f = assert(io.open(fname, "a"))
f:write("appended\n")
f:close()
f = assert(io.open(fname, "r"))
print("read l", f:read("l"))
print("read n n", f:read("n", "n"))
print("read L", f:read("L"))
local rest = {}
for line in f:lines() do rest[#rest + 1] = line end
print("lines", #rest, rest[1], rest[#rest])
print("at eof", f:read("l"), f:read(0), f:read("a") == "")
print("seek", f:seek("set", 6), f:read(4), f:seek("cur"), f:seek("end"))
f:close()
local all = assert(io.open(fname, "rb")):read("a")
print("size", #all, select(2, all:gsub("\n", "")))
local count = 0
for l in io.lines(fname) do count = count + #l end
print("io.lines", count)
print("missing", io.open("does-not-exist.txt"))
print("remove missing", os.remove("does-not-exist.txt"))
local tmpname = "scratch-to-delete.txt"
assert(io.open(tmpname, "w")):close()
print("rename/remove", os.rename(tmpname, tmpname .. ".2"), os.remove(tmpname .. ".2"))
io.output():setvbuf("full")
io.write("stdin: ", io.read("l"), " | ")
print(io.read("n", "n", "n"))
print(io.read("L"), io.read("l"), io.read("l"), io.read("a"))

section("os")
local t0 = os.time()
print("time sane", type(t0) == "number" and t0 > 1500000000)
print("clock sane", type(os.clock()) == "number" and os.clock() >= 0)
print("fixed date", os.time({ year = 2024, month = 2, day = 29, hour = 12, min = 30, sec = 15 }))
print("date", os.date("!%Y-%m-%d %H:%M:%S", 1709209815), os.date("!%j %a %b", 0))
local dt = os.date("!*t", 86400 * 365)
print("date table", dt.year, dt.month, dt.day, dt.wday, dt.yday, dt.isdst)
print("difftime", os.difftime(t0 + 10, t0))
print("getenv", os.getenv("TZ"), os.getenv("NO_SUCH_VARIABLE_HERE"))

section("load and dump")
local chunk = load("local n = ... ; local s = 0 ; for i = 1, n do s = s + i end ; return s")
local dumped = string.dump(chunk)
print("dump roundtrip", load(dumped, "dumped", "b")(100), chunk(100))
local env = { x = 5 }
print("load with env", load("y = x * 2; return y", "env", "t", env)(), env.y, rawget(_G, "y"))
local pieces = { "return ", "1 ", "+ ", "41" }
local idx = 0
print("load from function", load(function() idx = idx + 1; return pieces[idx] end)())
