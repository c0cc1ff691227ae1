#!/usr/bin/env node
// Run a WASI (preview1) command module on Node's built-in `node:wasi` (V8).
//
// Behaves like `wasmtime run --dir . --dir "$PWD" [--env K=V]... prog.wasm args...`:
//   * argv[0] seen by the guest is the module path exactly as given, then the remaining args;
//   * the guest environment is exactly the --env values (nothing is inherited);
//   * the host current directory is preopened as "." and under its absolute name, as
//     `elfconv2 run` does, so getcwd() and absolute paths inside it work (plus any
//     --dir HOST[::GUEST]);
//   * stdin, stdout and stderr are the host's;
//   * the exit code is the guest's proc_exit code (0 when _start returns);
//     a trap prints an error to stderr and exits with 134, as the wasmtime CLI does.
//
// Usage:
//   node scripts/run-wasi-node.mjs [--env K=V]... [--dir HOST[::GUEST]]... [--no-cwd]
//                                  [--timing FILE] [--] prog.wasm [args...]

import { readFileSync, writeFileSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const USAGE =
  'usage: run-wasi-node.mjs [--env K=V]... [--dir HOST[::GUEST]]... [--no-cwd] [--timing FILE] [--] prog.wasm [args...]';

function fail(msg, code = 2) {
  writeSync(2, `run-wasi-node: ${msg}\n`);
  process.exit(code);
}

// node:wasi prints an ExperimentalWarning on first use; it would pollute the guest's stderr.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (type === 'ExperimentalWarning') return;
  return emitWarning.call(process, warning, ...rest);
};
const { WASI } = await import('node:wasi');

const argv = process.argv.slice(2);
const env = {};
const preopens = {};
let cwd = true;
let timing = null;
let i = 0;
for (; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--') {
    i++;
    break;
  }
  if (!a.startsWith('--')) break;
  const eq = a.indexOf('=');
  const name = eq >= 0 ? a.slice(0, eq) : a;
  const value = () => {
    if (eq >= 0) return a.slice(eq + 1);
    if (++i >= argv.length) fail(`${a} needs a value\n${USAGE}`);
    return argv[i];
  };
  if (name === '--env') {
    const kv = value();
    const k = kv.indexOf('=');
    if (k < 0) fail(`--env expects K=V, got '${kv}'`);
    env[kv.slice(0, k)] = kv.slice(k + 1);
  } else if (name === '--dir') {
    const d = value();
    const sep = d.indexOf('::');
    const host = sep >= 0 ? d.slice(0, sep) : d;
    const guest = sep >= 0 ? d.slice(sep + 2) : d;
    preopens[guest] = host;
  } else if (name === '--timing') {
    timing = value();
  } else if (a === '--no-cwd') {
    cwd = false;
  } else if (a === '-h' || a === '--help') {
    console.log(USAGE);
    process.exit(0);
  } else {
    fail(`unknown option ${a}\n${USAGE}`);
  }
}
const rest = argv.slice(i);
if (rest.length === 0) fail(`missing module path\n${USAGE}`);
const path = rest[0];
const dirs = cwd ? { '.': '.', [process.cwd()]: '.', ...preopens } : preopens;

let bytes;
try {
  bytes = readFileSync(path);
} catch (e) {
  fail(`failed to read ${path}: ${e.message}`, 1);
}

const t0 = performance.now();
let module;
try {
  module = await WebAssembly.compile(bytes);
} catch (e) {
  fail(`failed to compile ${path}: ${e.message}`, 1);
}
const t1 = performance.now();

const wasi = new WASI({
  version: 'preview1',
  args: rest,
  env,
  preopens: dirs,
  returnOnExit: true,
});

// Every WASI function is called through a plain JS wrapper. Node calls its WASI functions from
// optimised Wasm as V8 "fast API calls", and inside such a call uvwasi's allocator reports external
// memory to V8, which may start a GC at a point where that is not allowed: the heap is corrupted and
// node crashes later (nodejs/node#46777, still open; node 20 and 22). A guest that makes thousands of
// write() calls hits it. The wrapper keeps V8 on the ordinary call path.
const imports = wasi.getImportObject();
for (const ns of Object.values(imports)) {
  for (const [name, f] of Object.entries(ns)) {
    if (typeof f === 'function') ns[name] = (...args) => f(...args);
  }
}

let code = 0;
try {
  const instance = await WebAssembly.instantiate(module, imports);
  if (typeof instance.exports._start !== 'function') {
    fail(`${path} has no _start export (not a WASI command module)`, 1);
  }
  code = wasi.start(instance) ?? 0;
} catch (e) {
  writeSync(2, `Error: failed to run main module \`${path}\`\n\nCaused by:\n${e?.stack ?? e}\n`);
  code = 134;
}
const t2 = performance.now();

if (timing) {
  writeFileSync(timing, JSON.stringify({ compile_s: (t1 - t0) / 1000, run_s: (t2 - t1) / 1000 }));
}
process.exit(code & 0xff);
