-- args: 300000 9
-- The CPU-heavy part: a sieve of Eratosthenes, n-queens by backtracking, a tiny stack-machine
-- interpreter running a compiled expression language, a Mandelbrot set in floating point, and a
-- hash-table / string-building workload, each reduced to checksums. Arguments: the sieve limit and
-- the board size.

local limit = math.tointeger(tonumber(arg[1])) or 100000
local board = math.tointeger(tonumber(arg[2])) or 8
print("args", #arg, arg[0] ~= nil, limit, board)

-- Sieve of Eratosthenes.
local function sieve(n)
  local composite = {}
  local count, sum, last = 0, 0, 0
  for i = 2, n do
    if not composite[i] then
      count = count + 1
      sum = sum + i
      last = i
      for j = i * i, n, i do composite[j] = true end
    end
  end
  return count, sum, last
end
print("sieve", sieve(limit))

-- N-queens: count all solutions and keep the first one found.
local function queens(n)
  local cols, d1, d2, pos = {}, {}, {}, {}
  local solutions, first = 0, nil
  local function place(r)
    if r > n then
      solutions = solutions + 1
      if not first then first = table.concat(pos, ",") end
      return
    end
    for c = 1, n do
      if not cols[c] and not d1[r + c] and not d2[r - c + n] then
        cols[c], d1[r + c], d2[r - c + n] = true, true, true
        pos[r] = c
        place(r + 1)
        cols[c], d1[r + c], d2[r - c + n] = false, false, false
      end
    end
  end
  place(1)
  return solutions, first
end
for n = 4, board do print("queens", n, queens(n)) end

-- A tiny language: a tokenizer, a recursive-descent compiler to stack-machine code, and the VM.
local function tokenize(src)
  local toks = {}
  local i = 1
  while i <= #src do
    local c = src:sub(i, i)
    if c:match("%s") then
      i = i + 1
    elseif c:match("%d") then
      local num = src:match("^%d+", i)
      toks[#toks + 1] = { "num", tonumber(num) }
      i = i + #num
    elseif c:match("[%a_]") then
      local id = src:match("^[%w_]+", i)
      toks[#toks + 1] = { "id", id }
      i = i + #id
    else
      local two = src:sub(i, i + 1)
      if two == "==" or two == "<=" or two == "!=" then
        toks[#toks + 1] = { "op", two }
        i = i + 2
      else
        toks[#toks + 1] = { "op", c }
        i = i + 1
      end
    end
  end
  toks[#toks + 1] = { "eof" }
  return toks
end

local function compile(src)
  local toks, p, code, vars = tokenize(src), 1, {}, {}
  local function peek() return toks[p] end
  local function take() p = p + 1; return toks[p - 1] end
  local function expect(v)
    local t = take()
    if t[2] ~= v then error(("expected %s, got %s"):format(v, tostring(t[2])), 0) end
  end
  local function emit(...) for _, v in ipairs({ ... }) do code[#code + 1] = v end end
  local function slot(name)
    if not vars[name] then vars[name] = #vars + 1; vars[#vars + 1] = name end
    return vars[name]
  end
  local expr
  local function primary()
    local t = take()
    if t[1] == "num" then emit("push", t[2])
    elseif t[1] == "id" then emit("load", slot(t[2]))
    elseif t[2] == "(" then expr(); expect(")")
    elseif t[2] == "-" then primary(); emit("neg")
    else error("unexpected " .. tostring(t[2]), 0) end
  end
  local prec = { ["=="] = 1, ["!="] = 1, ["<"] = 1, ["<="] = 1, ["+"] = 2, ["-"] = 2, ["*"] = 3, ["/"] = 3, ["%"] = 3 }
  local function binary(minp)
    primary()
    while true do
      local t = peek()
      local pr = t[1] == "op" and prec[t[2]]
      if not pr or pr < minp then return end
      take()
      binary(pr + 1)
      emit("bin", t[2])
    end
  end
  expr = function() binary(1) end
  local function stmt()
    local t = take()
    if t[2] == "while" then
      local top = #code + 1
      expr()
      emit("jz", 0)
      local patch = #code
      expect("{")
      while peek()[2] ~= "}" do stmt() end
      expect("}")
      emit("jmp", top)
      code[patch] = #code + 1
    elseif t[2] == "if" then
      expr()
      emit("jz", 0)
      local patch = #code
      expect("{")
      while peek()[2] ~= "}" do stmt() end
      expect("}")
      code[patch] = #code + 1
    elseif t[2] == "print" then
      expr(); expect(";"); emit("print")
    elseif t[1] == "id" then
      expect("=")
      expr()
      expect(";")
      emit("store", slot(t[2]))
    else
      error("bad statement at " .. tostring(t[2]), 0)
    end
  end
  while peek()[1] ~= "eof" do stmt() end
  emit("halt")
  return code, #vars
end

local function run(code, nvars)
  local mem, stack, sp, pc, out, steps = {}, {}, 0, 1, {}, 0
  for i = 1, nvars do mem[i] = 0 end
  local ops = {
    ["+"] = function(a, b) return a + b end, ["-"] = function(a, b) return a - b end,
    ["*"] = function(a, b) return a * b end, ["/"] = function(a, b) return a // b end,
    ["%"] = function(a, b) return a % b end,
    ["<"] = function(a, b) return a < b and 1 or 0 end, ["<="] = function(a, b) return a <= b and 1 or 0 end,
    ["=="] = function(a, b) return a == b and 1 or 0 end, ["!="] = function(a, b) return a ~= b and 1 or 0 end,
  }
  while true do
    local op = code[pc]
    steps = steps + 1
    if op == "push" then sp = sp + 1; stack[sp] = code[pc + 1]; pc = pc + 2
    elseif op == "load" then sp = sp + 1; stack[sp] = mem[code[pc + 1]]; pc = pc + 2
    elseif op == "store" then mem[code[pc + 1]] = stack[sp]; sp = sp - 1; pc = pc + 2
    elseif op == "bin" then stack[sp - 1] = ops[code[pc + 1]](stack[sp - 1], stack[sp]); sp = sp - 1; pc = pc + 2
    elseif op == "neg" then stack[sp] = -stack[sp]; pc = pc + 1
    elseif op == "jz" then
      local v = stack[sp]; sp = sp - 1
      if v == 0 then pc = code[pc + 1] else pc = pc + 2 end
    elseif op == "jmp" then pc = code[pc + 1]
    elseif op == "print" then out[#out + 1] = stack[sp]; sp = sp - 1; pc = pc + 1
    elseif op == "halt" then return out, steps
    else error("bad opcode " .. tostring(op)) end
  end
end

local program = [[
  n = 1; total = 0; collatz_max = 0;
  while n <= 300 {
    x = n; len = 0;
    while x != 1 {
      if x % 2 == 0 { x = x / 2; }
      if x % 2 != 0 { if x != 1 { x = 3 * x + 1; } }
      len = len + 1;
    }
    if collatz_max < len { collatz_max = len; best = n; }
    total = total + len;
    n = n + 1;
  }
  print total; print collatz_max; print best;
  a = 0; b = 1; i = 0;
  while i < 80 { t = a + b; a = b; b = t; i = i + 1; }
  print a;
  print -(7 - 20) * 3 % 5;
]]
local code, nvars = compile(program)
local out, steps = run(code, nvars)
print("vm", #code, nvars, steps, table.concat(out, " "))
print("compile error", pcall(compile, "x = (1 + ;"))

-- Mandelbrot on a small grid (float arithmetic, %g output of a sum).
local function mandel(w, h, iters)
  local inside, total = 0, 0
  local rows = {}
  for py = 0, h - 1 do
    local row = {}
    local ci = (py / h) * 2.4 - 1.2
    for px = 0, w - 1 do
      local cr = (px / w) * 3.2 - 2.2
      local zr, zi, k = 0.0, 0.0, 0
      while k < iters and zr * zr + zi * zi <= 4.0 do
        zr, zi = zr * zr - zi * zi + cr, 2 * zr * zi + ci
        k = k + 1
      end
      total = total + k
      if k == iters then inside = inside + 1 end
      row[#row + 1] = (" .:-=+*#%@"):sub(k % 10 + 1, k % 10 + 1)
    end
    rows[#rows + 1] = table.concat(row)
  end
  return inside, total, rows
end
local inside, total, rows = mandel(60, 24, 200)
print("mandelbrot", inside, total)
for i = 1, #rows, 4 do print("  |" .. rows[i] .. "|") end

-- Hash tables and string building: word frequencies over generated text, FNV-1a checksums.
local function fnv1a(s)
  local h = 0xcbf29ce484222325
  for i = 1, #s do
    h = h ~ s:byte(i)
    h = h * 0x100000001b3 -- wraps around modulo 2^64
  end
  return h
end
local syll = { "ka", "lo", "mi", "ne", "su", "ta", "ri", "vo" }
local freq, x = {}, 7
local buf = {}
for i = 1, 20000 do
  x = (x * 48271) % 2147483647
  local w = syll[x % 8 + 1] .. syll[(x >> 3) % 8 + 1] .. ((x >> 6) % 3 == 0 and syll[(x >> 9) % 8 + 1] or "")
  freq[w] = (freq[w] or 0) + 1
  buf[#buf + 1] = w
end
local keys = {}
for k in pairs(freq) do keys[#keys + 1] = k end
table.sort(keys, function(p, q) return freq[p] > freq[q] or (freq[p] == freq[q] and p < q) end)
local top = {}
for i = 1, 5 do top[i] = keys[i] .. "=" .. freq[keys[i]] end
local text = table.concat(buf, " ")
print("words", #keys, table.concat(top, " "), #text, ("%016x"):format(fnv1a(text)))
