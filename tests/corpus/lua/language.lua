-- The core language: closures and upvalues, varargs, metatables and metamethods, inheritance,
-- integer versus float arithmetic (// and % with negative operands, wrap-around on overflow,
-- conversions), comparisons, goto, integer for-loops at the edges, and the garbage collector.

local function section(name) print(("== %s"):format(name)) end

section("closures")
local function counter(start, step)
  local n = start
  return function() n = n + step; return n end, function() return n end
end
local inc, get = counter(10, 3)
inc(); inc()
print("counter", get(), inc(), get())

local adders = {}
for i = 1, 5 do adders[i] = function(x) return x + i * i end end
local acc = 0
for i = 1, 5 do acc = acc + adders[i](i) end
print("adders", acc)

local function shared()
  local v = 0
  local function a() v = v + 1; return v end
  local function b() v = v * 10; return v end
  return a, b
end
local a, b = shared()
print("shared upvalue", a(), b(), a(), b())

local function fib_memo()
  local memo = {}
  local function fib(n)
    if n < 2 then return n end
    local m = memo[n]
    if m then return m end
    m = fib(n - 1) + fib(n - 2)
    memo[n] = m
    return m
  end
  return fib
end
print("fib(90)", fib_memo()(90))

local function Y(f) return function(...) return f(Y(f), ...) end end
print("Y fact(20)", Y(function(self, n) if n == 0 then return 1 end return n * self(n - 1) end)(20))

section("varargs")
local function va(...)
  local n = select("#", ...)
  local t = table.pack(...)
  return n, t.n, select(2, ...)
end
print("va", va(1, nil, 3, nil))
print("va empty", va())
print("unpack", table.unpack({ 1, 2, 3, 4, 5 }, 2, 4))
local function tail(n, accu) if n == 0 then return accu end return tail(n - 1, accu + n) end
print("tail call depth 200000", tail(200000, 0))

section("metatables")
local Vec = {}
Vec.__index = Vec
local function vec(x, y) return setmetatable({ x = x, y = y }, Vec) end
Vec.__add = function(p, q) return vec(p.x + q.x, p.y + q.y) end
Vec.__sub = function(p, q) return vec(p.x - q.x, p.y - q.y) end
Vec.__mul = function(p, k)
  if type(p) == "number" then p, k = k, p end
  return vec(p.x * k, p.y * k)
end
Vec.__unm = function(p) return vec(-p.x, -p.y) end
Vec.__eq = function(p, q) return p.x == q.x and p.y == q.y end
Vec.__lt = function(p, q) return p:len2() < q:len2() end
Vec.__le = function(p, q) return p:len2() <= q:len2() end
Vec.__len = function(p) return p:len2() end
Vec.__tostring = function(p) return ("(%s, %s)"):format(p.x, p.y) end
Vec.__concat = function(p, q) return tostring(p) .. tostring(q) end
Vec.__call = function(p, k) return p.x * k + p.y end
Vec.__idiv = function(p, k) return vec(p.x // k, p.y // k) end
Vec.__mod = function(p, k) return vec(p.x % k, p.y % k) end
function Vec:len2() return self.x * self.x + self.y * self.y end
local p, q = vec(3, 4), vec(-1, 2.5)
print("vec", tostring(p + q), tostring(p - q), tostring(p * 2), tostring(3 * q), tostring(-p))
print("vec cmp", p == vec(3, 4), p ~= q, q < p, p <= p, #p, p .. q, p(10))
print("vec idiv/mod", tostring(vec(7, -7) // 2), tostring(vec(7, -7) % 3))

local log = {}
local proxy = setmetatable({}, {
  __index = function(_, k) log[#log + 1] = "get " .. tostring(k); return k == "answer" and 42 or nil end,
  __newindex = function(t, k, v) log[#log + 1] = "set " .. tostring(k); rawset(t, k, v * 2) end,
})
proxy.a = 5
print("proxy", proxy.answer, proxy.a, proxy.missing, rawget(proxy, "answer"))
print("proxy log", table.concat(log, ","))

-- Inheritance through __index chains.
local Animal = {}
Animal.__index = Animal
function Animal.new(name, sound) return setmetatable({ name = name, sound = sound }, Animal) end
function Animal:speak() return self.name .. " says " .. self.sound end
function Animal:kind() return "animal" end
local Dog = setmetatable({}, { __index = Animal })
Dog.__index = Dog
function Dog.new(name) local d = Animal.new(name, "woof"); return setmetatable(d, Dog) end
function Dog:kind() return "dog, an " .. Animal.kind(self) end
local d = Dog.new("Rex")
print("inherit", d:speak(), d:kind(), getmetatable(d) == Dog)

-- __close and __gc (collected deterministically by a full collection).
do
  local order = {}
  do
    local x <close> = setmetatable({}, { __close = function() order[#order + 1] = "x" end })
    local y <close> = setmetatable({}, { __close = function() order[#order + 1] = "y" end })
    order[#order + 1] = "body"
  end
  print("close order", table.concat(order, " "))
  local gcd = 0
  for _ = 1, 10 do setmetatable({}, { __gc = function() gcd = gcd + 1 end }) end
  collectgarbage("collect")
  collectgarbage("collect")
  print("gc finalizers", gcd)
  local weak = setmetatable({}, { __mode = "k" })
  weak[{}] = 1
  local keep = {}
  weak[keep] = 2
  collectgarbage("collect")
  local n = 0
  for _ in pairs(weak) do n = n + 1 end
  print("weak keys left", n)
end

section("integers and floats")
print("types", math.type(1), math.type(1.0), math.type("1"), math.type(2^53))
print("idiv", 7 // 2, -7 // 2, 7 // -2, -7 // -2, 7.0 // 2, -7.5 // 2, 1 // 0.0, -1 // 0.0)
print("mod", 7 % 3, -7 % 3, 7 % -3, -7 % -3, 5.5 % 2, -5.5 % 2, 5 % -0.5, math.fmod(-7, 3), math.fmod(7, -3))
print("div", 7 / 2, 1 / 0, -1 / 0, 0 / 0 ~= 0 / 0, 2^10, 2^0.5)
print("overflow", math.maxinteger + 1 == math.mininteger, math.mininteger - 1 == math.maxinteger,
  math.maxinteger * 2, math.mininteger // -1, math.mininteger % -1)
print("shifts", 1 << 63, 1 << 64, -1 >> 1, -1 >> 63, 5 & 3, 5 | 3, 5 ~ 3, ~0, 1 << -1, 256 >> -2)
print("conversions", 3.0 == 3, math.tointeger(3.0), math.tointeger(3.5), 10 // 3.0, 2^63 == math.mininteger,
  tostring(1e15), tostring(1e16), tostring(-0.0), 0x7fffffffffffffff, 0xffffffffffffffff)
print("string coercion", "10" + 5, "3" * "4", "0x10" + 0, 10 .. 20, "1e2" * 1, math.type("10" + 5))
print("tonumber", tonumber("  0x1p4  "), tonumber("1e"), tonumber("z", 36), tonumber("777", 8),
  tonumber("-ff", 16), tonumber(" 12 "), tonumber("9223372036854775808"), tonumber("1" .. ("0"):rep(30)))
print("comparisons", 1 < 1.5, 2^53 == 2^53 + 1, math.maxinteger < 2^63, math.maxinteger + 0.0 == 2^63,
  -0.0 == 0.0, "a" < "b", "Z" < "a", "abc" < "abd", "" < "a")
print("float edge", math.huge, -math.huge, math.pi, -math.pi, 1e308 * 10, 5e-324, 2^-1074 == 5e-324)
print("int for edge")
local cnt = 0
for i = math.maxinteger - 2, math.maxinteger do cnt = cnt + 1 end
for i = math.mininteger, math.mininteger + 2 do cnt = cnt + 1 end
for i = 1, 0 do cnt = cnt + 100 end
for i = 10, 1, -3 do cnt = cnt + i end
print("  count", cnt)
local fsum = 0
for x = 0, 1, 0.125 do fsum = fsum + x end
print("float for", fsum)

section("goto and control")
do
  local i, out = 1, {}
  ::top::
  if i <= 10 then
    if i % 3 == 0 then i = i + 1; goto top end
    out[#out + 1] = i
    i = i + 1
    goto top
  end
  print("goto", table.concat(out, " "))
  local s = 0
  for j = 1, 100 do
    if j % 7 == 0 then goto continue end
    s = s + j
    if s > 1000 then break end
    ::continue::
  end
  print("continue/break", s)
  local w, r = 0, 0
  while w < 50 do w = w + 7 end
  repeat r = r + 1 local z = r * r until z > 200
  print("while/repeat", w, r)
end

section("strings as values")
local parts = {}
for i = 1, 20 do parts[i] = string.char(64 + i) end
local s = table.concat(parts)
print("concat", s, #s, s:upper():lower():sub(5, 10), ("x"):rep(3, "-"))
local t = { 10, 20, 30, nil, 50 }
print("length with hole is a border", #t == 3 or #t == 5)
local big = {}
for i = 1, 1000 do big[i] = i * i end
print("big", #big, big[1000], select("#", table.unpack(big, 1, 200)))
table.insert(big, 1, 0)
table.remove(big, 500)
table.move(big, 1, 10, 2000)
print("table ops", #big, big[1], big[500], big[2000], big[2009], big[2010])
print("next on empty", next({}))
