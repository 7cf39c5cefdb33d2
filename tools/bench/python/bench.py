"""One measurement of one scenario on one of Python's pools, as the Node child
(tools/bench/measure.ts) makes for Node's: open, warm up, time, check every
result, close, and print one line: BENCH-RESULT followed by JSON.

    python3 bench.py '{"scenario": "burst", "implementation": "python-mp-pool",
                       "params": {"kind": "burst", "task": "add", "n": 50000, "warmup": 1000},
                       "workers": 2}'

Standard library only. The runner (tools/bench/runner.ts) starts one process
per measurement and passes the parameters that scenarios.ts defines.
"""
import gc
import json
import multiprocessing
import os
import sys
import threading
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing.pool import ThreadPool

import tasks

RESULT_MARKER = "BENCH-RESULT "
TASKS = {"add": tasks.add, "double": tasks.double, "sumRange": tasks.sum_range, "wait": tasks.wait, "pbkdf2": tasks.pbkdf2}


class WrongResult(Exception):
    """A result that is not what the task must return: the measurement is void."""


def expect_equal(actual, expected, what):
    if actual != expected or type(actual) is not type(expected):
        raise WrongResult(f"{what}: expected {expected!r}, got {actual!r}")


def default_chunksize(length, workers):
    """multiprocessing.Pool's own formula (pool.py _map_async)."""
    if length == 0:
        return 0
    chunksize, extra = divmod(length, workers * 4)
    return chunksize + 1 if extra else chunksize


# Each adapter offers the same four calls: submit (returns something with
# get()), apply, map and close.

class PoolAdapter:
    """multiprocessing.Pool and multiprocessing.pool.ThreadPool."""

    def __init__(self, pool):
        self.pool = pool

    def submit(self, fn, args):
        return self.pool.apply_async(fn, args)

    def apply(self, fn, args):
        return self.pool.apply(fn, args)

    def map(self, fn, items, chunksize):
        return self.pool.map(fn, items, chunksize)

    def close(self):
        self.pool.close()
        self.pool.join()


class FutureAdapter:
    """concurrent.futures' ProcessPoolExecutor and ThreadPoolExecutor."""

    def __init__(self, executor, workers):
        self.executor = executor
        self.workers = workers

    def submit(self, fn, args):
        future = self.executor.submit(fn, *args)
        future.get = future.result
        return future

    def apply(self, fn, args):
        return self.executor.submit(fn, *args).result()

    def map(self, fn, items, chunksize):
        # ProcessPoolExecutor's own default is 1, one message per item; give it
        # Pool's formula as the other pools get. ThreadPoolExecutor ignores it.
        size = chunksize or default_chunksize(len(items), self.workers)
        return list(self.executor.map(fn, items, chunksize=max(size, 1)))

    def close(self):
        self.executor.shutdown(wait=True)


def _run_in_child(connection, fn, args):
    connection.send(fn(*args))
    connection.close()


class PerTaskAdapter:
    """A new Process or Thread for every task, at most `workers` alive at once."""

    def __init__(self, workers, kind):
        self.slots = threading.Semaphore(workers)
        self.kind = kind

    def _run(self, fn, args, box):
        try:
            if self.kind == "process":
                receiver, sender = multiprocessing.Pipe(duplex=False)
                process = multiprocessing.Process(target=_run_in_child, args=(sender, fn, args))
                process.start()
                sender.close()
                box["value"] = receiver.recv()
                process.join()
            else:
                thread = threading.Thread(target=lambda: box.update(value=fn(*args)))
                thread.start()
                thread.join()
        finally:
            self.slots.release()

    def submit(self, fn, args):
        self.slots.acquire()
        box = {}
        # A small thread per call waits on its Process or Thread, so that
        # submitting never blocks for longer than a free slot takes.
        runner = threading.Thread(target=self._run, args=(fn, args, box))
        runner.start()

        class Handle:
            def get(self):
                runner.join()
                return box["value"]

        return Handle()

    def apply(self, fn, args):
        return self.submit(fn, args).get()

    def close(self):
        pass


OPENERS = {
    "python-mp-pool": lambda w: PoolAdapter(multiprocessing.Pool(w)),
    "python-thread-pool": lambda w: PoolAdapter(ThreadPool(w)),
    "python-process-executor": lambda w: FutureAdapter(ProcessPoolExecutor(w), w),
    "python-thread-executor": lambda w: FutureAdapter(ThreadPoolExecutor(w), w),
    "python-process-per-task": lambda w: PerTaskAdapter(w, "process"),
    "python-thread-per-task": lambda w: PerTaskAdapter(w, "thread"),
}


def now_ms():
    return time.perf_counter() * 1000


def startup(open_pool, workers):
    def once():
        started = now_ms()
        pool = open_pool(workers)
        result = pool.submit(tasks.add, (1, 2)).get()
        ms = now_ms() - started
        expect_equal(result, 3, "add(1, 2)")
        pool.close()
        return ms

    once()
    gc.collect()
    return {"wall_ms": once()}, "add(1, 2) = 3"


def burst(pool, params):
    task, n, wait_ms = params["task"], params["n"], params.get("waitMs", 0)
    fn = TASKS[task]

    def args_for(i):
        return (wait_ms, i) if task == "wait" else (i, 1)

    def expected(i):
        return i if task == "wait" else i + 1

    def run(count):
        handles = [pool.submit(fn, args_for(i)) for i in range(count)]
        return [handle.get() for handle in handles]

    def check(results, count):
        expect_equal(len(results), count, f"number of {task} results")
        for i, result in enumerate(results):
            expect_equal(result, expected(i), f"{task} call {i}")

    check(run(params["warmup"]), params["warmup"])
    gc.collect()
    started = now_ms()
    results = run(n)
    ms = now_ms() - started
    check(results, n)
    return {"wall_ms": ms, "tasks_per_s": n / ms * 1000}, f"{n} results, each {'i' if task == 'wait' else 'i + 1'}"


def sequential(pool, params):
    def run(count):
        for i in range(count):
            expect_equal(pool.apply(tasks.add, (i, 1)), i + 1, f"add({i}, 1)")

    run(params["warmup"])
    gc.collect()
    started = now_ms()
    run(params["n"])
    ms = now_ms() - started
    return {"wall_ms": ms, "us_per_task": ms * 1000 / params["n"]}, f"{params['n']} results, each i + 1"


def map_(pool, params):
    items = list(range(params["n"]))
    chunksize = params.get("chunksize")

    def check(results, count):
        expect_equal(len(results), count, "number of map results")
        for i, result in enumerate(results):
            expect_equal(result, 2 * i, f"double({i})")

    check(pool.map(tasks.double, items[: params["warmup"]], chunksize), params["warmup"])
    gc.collect()
    started = now_ms()
    results = pool.map(tasks.double, items, chunksize)
    ms = now_ms() - started
    check(results, params["n"])
    return {"wall_ms": ms}, f"{params['n']} results, each 2i, in order"


def speedup(pool, fn, calls, check, warmup):
    """The same calls serially in this process, then through the pool."""
    for args in warmup:
        fn(*args)
    [handle.get() for handle in [pool.submit(fn, args) for args in warmup]]
    gc.collect()
    started = now_ms()
    serial = [fn(*args) for args in calls]
    serial_ms = now_ms() - started
    gc.collect()
    started = now_ms()
    pooled = [handle.get() for handle in [pool.submit(fn, args) for args in calls]]
    ms = now_ms() - started
    check(serial, pooled)
    return {"wall_ms": ms, "serial_ms": serial_ms, "speedup": serial_ms / ms}


def sum_ranges(n, chunks):
    step = n // chunks
    return [(c * step + 1, n if c == chunks - 1 else (c + 1) * step) for c in range(chunks)]


def sum_(pool, params):
    n, chunks = params["n"], params["chunks"]
    expected = n * (n + 1) // 2

    def check(serial, pooled):
        expect_equal(sum(serial), expected, f"serial sum of 1..{n}")
        expect_equal(sum(pooled), expected, f"pooled sum of 1..{n}")

    warmup = sum_ranges(max(chunks, n // 100), chunks)
    metrics = speedup(pool, tasks.sum_range, sum_ranges(n, chunks), check, warmup)
    return metrics, f"total = n(n+1)/2 = {expected}, serial and pooled"


def derive(pool, params):
    calls, iterations, keylen = params["calls"], params["iterations"], params["keylen"]

    def args_for(i, its=iterations):
        return ("password", f"salt-{i}", its, keylen)

    def check(serial, pooled):
        expect_equal(len(pooled), calls, "number of pooled keys")
        for i, key in enumerate(serial):
            expect_equal(len(key), keylen * 2, f"serial key {i}, hex length")
            expect_equal(pooled[i], key, f"pooled key {i}")

    warmup = [args_for(0, 1000), args_for(1, 1000)]
    metrics = speedup(pool, tasks.pbkdf2, [args_for(i) for i in range(calls)], check, warmup)
    return metrics, f"{calls} keys, pooled equal to serial"


KINDS = {"burst": burst, "sequential": sequential, "map": map_, "sum": sum_, "pbkdf2": derive}


def measure(job):
    open_pool = OPENERS.get(job["implementation"])
    if open_pool is None:
        raise ValueError(f"no Python implementation has the id {job['implementation']}")
    params, workers = job["params"], job["workers"]
    if params["kind"] == "startup":
        return startup(open_pool, workers)
    pool = open_pool(workers)
    try:
        return KINDS[params["kind"]](pool, params)
    finally:
        pool.close()


def main():
    try:
        metrics, checked = measure(json.loads(sys.argv[1]))
        output = {"ok": True, "metrics": metrics, "checked": checked}
    except BaseException:  # noqa: BLE001 - every failure must reach the runner
        output = {"ok": False, "error": traceback.format_exc()}
    sys.stdout.write(RESULT_MARKER + json.dumps(output) + "\n")
    sys.stdout.flush()
    # Leave at once, as the Node child does: a pool left behind must not stall the run.
    os._exit(0 if output["ok"] else 1)


if __name__ == "__main__":
    main()
