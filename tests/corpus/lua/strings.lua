-- The string library: string.format (integers, %g / %.14g / %a / %e floats, %q, widths), patterns
-- (find, match, gmatch, gsub with string / table / function replacements, captures, anchors,
-- %b and %f), byte/char/rep/reverse, string.pack / unpack / packsize, and the utf8 library.

local function section(name) print(("== %s"):format(name)) end

section("format")
print(string.format("[%5d] [%-5d] [%05d] [%+d] [%x] [%X] [%#x] [%o] [%c]", 42, 42, 42, 42, 255, 255, 255, 8, 65))
print(string.format("[%d] [%d] [%i]", math.maxinteger, math.mininteger, -0))
print(string.format("[%s] [%10s] [%-10s] [%.3s] [%s] [%s]", "hi", "right", "left", "truncate", nil, true))
local floats = { 0.1, 1 / 3, -2.5, 1e300, 1e-300, 123456789.125, 2^53, 2^63, 0.0, -0.0, 1e100 / 3, 5e-324 }
for _, x in ipairs(floats) do
  print(string.format("%g | %.14g | %.17g | %e | %.3f | %10.4f | %a | %s", x, x, x, x, x, x, x, tostring(x)))
end
print(string.format("%g %g %g", math.huge, -math.huge, 2^24))
print(string.format("%5.1f%%", 99.44))
print(string.format("%q", "line1\nline2\t\"quoted\"\\ \0 \1\127 é"))
print(string.format("%q %q %q", 1 / 3, math.mininteger, 255))
print(("%s=%d"):rep(3, ", "):format("a", 1, "b", 2, "c", 3))
print("tostring", tostring(1e15), tostring(123.0), tostring(-1e-7), tostring(2^63), 1e15 + 0.5, 3 | 0)

section("find and match")
local text = "The quick brown fox jumps over the lazy dog; 42 foxes, 7 dogs, 1999-12-31 and 2024-02-29."
print(text:find("fox"), text:find("fox", 20), text:find("o", -10), text:find(".", 1, true), text:find("xyz"))
print(text:match("(%d+)-(%d+)-(%d+)"))
print(text:match("^(%a+)"), text:match("(%a+)%.$"), text:match("()fox()"))
print(("  trim me  "):match("^%s*(.-)%s*$") .. "|")
print(("key = value # comment"):match("^(%w+)%s*=%s*(%w+)"))
print(("f(a(b)c)d(e)"):match("%b()"), ("THE (quick) fox"):find("%f[%a]%a+%f[%A]", 5))
print(("hello"):byte(1, -1))
print(string.char(72, 105, 33), ("abc"):reverse(), ("MiXeD"):lower(), ("MiXeD"):upper(), ("x"):rep(0), #("ab"):rep(1000))
print(("abc"):sub(-2), ("abc"):sub(2, 100), ("abc"):sub(0), ("abc"):sub(3, 2) == "", ("abc"):len())

section("gmatch")
local words, nums = {}, {}
for w in text:gmatch("%a+") do words[#words + 1] = w:lower() end
for n in text:gmatch("%d+") do nums[#nums + 1] = tonumber(n) end
print(#words, table.concat(words, " ", 1, 8))
local sum = 0
for _, n in ipairs(nums) do sum = sum + n end
print("numbers", #nums, sum)
local kv = {}
for k, v in ("a=1, b=22, ccc=333, d=4"):gmatch("(%w+)=(%w+)") do kv[#kv + 1] = k .. ":" .. v end
print(table.concat(kv, ";"))
for pos, c in ("héllo"):gmatch("()([\xC0-\xF7]?[\x80-\xBF]*.)") do io.write(pos, "=", c, " ") end
print()

section("gsub")
print(("hello world"):gsub("o", "0"))
print(("hello world"):gsub("o", "0", 1))
print(("hello world"):gsub("(%w+) (%w+)", "%2 %1"))
print(("hello world"):gsub("%w+", "<%0>"))
print(("$name is $age years"):gsub("%$(%w+)", { name = "Ada", age = 36 }))
print(("1 2 3 4 5"):gsub("%d", function(d) d = tonumber(d); if d % 2 == 0 then return d * d end end))
print(("abc"):gsub("", "-"))
print(("  many   spaces  here "):gsub("%s+", " "))
print(("CamelCaseIdentifierName"):gsub("(%l)(%u)", "%1_%2"):lower())
print(("x = 1 + 2 * 3"):gsub("%p", "%%%0"))
local escaped = ("a.b*c"):gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0")
print(escaped, ("a.b*c and axbbc"):gsub(escaped, "!"))
local function caesar(s, k)
  return (s:gsub("%a", function(ch)
    local base = ch:match("%l") and 97 or 65
    return string.char((ch:byte() - base + k) % 26 + base)
  end))
end
print(caesar("Hello, World!", 13), caesar(caesar("Round Trip", 7), 19))

section("pack and unpack")
local packed = string.pack("<i4 >i4 =i8 B h H j n s1 z", -2, 258, math.mininteger, 255, -300, 65000, 123456789012, 3.25, "abc", "zero")
print(#packed, (packed:gsub(".", function(c) return ("%02x"):format(c:byte()) end)))
print(string.unpack("<i4 >i4 =i8 B h H j n s1 z", packed))
print(string.packsize("i4 i8 d"), string.packsize("!8 i1 i8"), string.packsize("<i3 I5"))
print(string.unpack("<i3", string.pack("<i3", -8388608)), string.unpack(">I5", string.pack(">I5", 2^39 + 5)))
print(string.unpack("<d >f", string.pack("<d >f", math.pi, 0.5)))
print(pcall(string.pack, "i1", 200))
print(string.unpack("s4", string.pack("s4", ("xyz"):rep(100))):len())

section("utf8")
local u = "häßlich 日本語 🎉!"
print(#u, utf8.len(u), utf8.char(72, 228, 0x65E5, 0x1F389), utf8.charpattern)
local cps = {}
for p, c in utf8.codes(u) do cps[#cps + 1] = ("%d:%X"):format(p, c) end
print(table.concat(cps, " "))
print(utf8.codepoint(u, 1, -1))
print(utf8.offset(u, 3), utf8.offset(u, -1), utf8.offset(u, 10), utf8.len("\xff"), utf8.len(u, 3))
print(pcall(utf8.codepoint, "\xff"))
local reversed = {}
for _, c in utf8.codes(u) do table.insert(reversed, 1, utf8.char(c)) end
print(table.concat(reversed))
