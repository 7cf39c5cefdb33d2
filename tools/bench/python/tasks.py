"""The Python twin of tools/bench/tasks.ts: the same tasks, by the same names.

multiprocessing sends a task by reference (its module and name), so the tasks
live in this importable module rather than in bench.py's __main__.
"""
import hashlib
import time


def add(a, b):
    """The tiny task: its cost is almost all overhead."""
    return a + b


def double(x):
    """The item function of the map scenario."""
    return 2 * x


def sum_range(start, end):
    """The sum of start..end with the builtin sum, a C loop that holds the GIL
    throughout. Seed 000's hand-written loop would take about 2.5 s per 1e8
    here, too long to repeat within the benchmark's budget; the builtin keeps
    n at 1e8 and the GIL's effect just the same."""
    return sum(range(start, end + 1))


def wait(ms, value):
    """The IO-bound task: sleeps (releasing the GIL), then returns value."""
    time.sleep(ms / 1000)
    return value


def pbkdf2(password, salt, iterations, keylen):
    """PBKDF2-HMAC-SHA512 as hex; OpenSSL releases the GIL while it works."""
    return hashlib.pbkdf2_hmac("sha512", password.encode(), salt.encode(), iterations, keylen).hex()
