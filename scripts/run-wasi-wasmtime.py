#!/usr/bin/env python3
"""Run a WASI (preview1) command module on stock wasmtime via the PyPI `wasmtime` bindings.

Behaves like `wasmtime run --dir . --dir "$PWD" [--env K=V]... prog.wasm args...`:
  * argv[0] seen by the guest is the module path exactly as given, then the remaining args;
  * the guest environment is exactly the --env values (nothing is inherited);
  * the host current directory is preopened as "." and under its absolute name, as
    `elfconv2 run` does, so getcwd() and absolute paths inside it work (plus any
    --dir HOST[::GUEST]);
  * stdin, stdout and stderr are the host's;
  * the exit code is the guest's proc_exit code (0 when _start returns);
    a trap prints an error to stderr and exits with 134, as the wasmtime CLI does.

Usage:
  run-wasi-wasmtime.py [--env K=V]... [--dir HOST[::GUEST]]... [--no-cwd]
                       [--timing FILE] [--] prog.wasm [args...]

--timing FILE writes JSON {"compile_s": .., "run_s": ..} (module compilation and
instantiate+_start, measured separately) for the benchmark runner.
"""

import json
import os
import sys
import time

USAGE = "usage: run-wasi-wasmtime.py [--env K=V]... [--dir HOST[::GUEST]]... [--no-cwd] [--timing FILE] [--] prog.wasm [args...]"


def fail(msg: str, code: int = 2) -> "None":
    sys.stderr.write(f"run-wasi-wasmtime: {msg}\n")
    sys.exit(code)


def parse(argv):
    env = []
    dirs = []
    cwd = True
    timing = None
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            i += 1
            break
        if not a.startswith("--"):
            break

        def value():
            nonlocal i
            if "=" in a and a.split("=", 1)[0] in ("--env", "--dir", "--timing"):
                return a.split("=", 1)[1]
            i += 1
            if i >= len(argv):
                fail(f"{a} needs a value\n{USAGE}")
            return argv[i]

        name = a.split("=", 1)[0]
        if name == "--env":
            kv = value()
            if "=" not in kv:
                fail(f"--env expects K=V, got {kv!r}")
            k, v = kv.split("=", 1)
            env.append((k, v))
        elif name == "--dir":
            d = value()
            host, _, guest = d.partition("::")
            dirs.append((host, guest or host))
        elif name == "--timing":
            timing = value()
        elif a == "--no-cwd":
            cwd = False
        elif a in ("-h", "--help"):
            print(USAGE)
            sys.exit(0)
        else:
            fail(f"unknown option {a}\n{USAGE}")
        i += 1
    rest = argv[i:]
    if not rest:
        fail(f"missing module path\n{USAGE}")
    if cwd:
        dirs.insert(0, (".", os.getcwd()))
        dirs.insert(0, (".", "."))
    return env, dirs, timing, rest


def main() -> int:
    env, dirs, timing, rest = parse(sys.argv[1:])
    try:
        import wasmtime
    except ImportError:
        fail("the Python module 'wasmtime' is not installed: run scripts/setup.sh "
             "(or: python3 -m pip install wasmtime)", 3)

    path = rest[0]
    t0 = time.perf_counter()
    engine = wasmtime.Engine()
    try:
        module = wasmtime.Module.from_file(engine, path)
    except (wasmtime.WasmtimeError, OSError) as e:
        fail(f"failed to load {path}: {e}", 1)
    t1 = time.perf_counter()

    wasi = wasmtime.WasiConfig()
    wasi.argv = rest
    wasi.env = env
    for host, guest in dirs:
        wasi.preopen_dir(host, guest)
    wasi.inherit_stdin()
    wasi.inherit_stdout()
    wasi.inherit_stderr()

    store = wasmtime.Store(engine)
    store.set_wasi(wasi)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()

    code = 0
    try:
        instance = linker.instantiate(store, module)
        start = instance.exports(store).get("_start")
        if start is None:
            fail(f"{path} has no _start export (not a WASI command module)", 1)
        start(store)
    except wasmtime.ExitTrap as e:
        code = e.code
    except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
        sys.stdout.flush()
        sys.stderr.write(f"Error: failed to run main module `{path}`\n\nCaused by:\n{e}\n")
        code = 134
    t2 = time.perf_counter()

    if timing:
        with open(timing, "w") as f:
            json.dump({"compile_s": t1 - t0, "run_s": t2 - t1}, f)
    return code


if __name__ == "__main__":
    # os._exit: skip interpreter teardown so the exit code is exactly the guest's.
    rc = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(rc & 0xFF if rc >= 0 else 1)
