"""Usage: /usr/bin/python3 redis-py-smoke.py PORT [PREFIX] [RESP]

Connects with redis-py's default options (RESP "3" asks for protocol=3, which redis-py 5.0 and
later support), runs ordinary commands, a pipeline, a transaction and pub/sub, prints one JSON
line and exits 0 when every check passed, 1 otherwise. Keys written: PREFIX:str, PREFIX:counter,
PREFIX:ttl, PREFIX:tx:a, PREFIX:tx:b (left in place so the caller can read them back).
"""
import json
import sys
import time

import redis

port = int(sys.argv[1])
prefix = sys.argv[2] if len(sys.argv) > 2 else "redis-py"
resp = int(sys.argv[3]) if len(sys.argv) > 3 else None

result = {"client": "redis-py", "version": redis.__version__, "resp": resp or "default", "checks": {}, "failures": []}


def check(name, actual, expected):
    result["checks"][name] = actual
    if actual != expected:
        result["failures"].append(f"{name}: expected {expected!r}, got {actual!r}")


def supports_resp3():
    major = int(redis.__version__.split(".")[0])
    return major >= 5


def main():
    kwargs = {"host": "127.0.0.1", "port": port, "decode_responses": True, "socket_timeout": 10}
    if resp is not None:
        if resp == 3 and not supports_resp3():
            result["skipped"] = f"redis-py {redis.__version__} has no protocol=3"
            return
        kwargs["protocol"] = resp
    r = redis.Redis(**kwargs)
    check("ping", r.ping(), True)

    check("set", r.set(f"{prefix}:str", "hello"), True)
    check("get", r.get(f"{prefix}:str"), "hello")
    check("get_missing", r.get(f"{prefix}:missing"), None)
    check("incr1", r.incr(f"{prefix}:counter"), 1)
    check("incrby", r.incrby(f"{prefix}:counter", 2), 3)
    check("set_tmp", r.set(f"{prefix}:tmp", "x"), True)
    check("del", r.delete(f"{prefix}:tmp", f"{prefix}:missing"), 1)
    check("set_ttl", r.set(f"{prefix}:ttl", "v"), True)
    check("expire", r.expire(f"{prefix}:ttl", 100), True)
    ttl = r.ttl(f"{prefix}:ttl")
    check("ttl_in_range", 90 < ttl <= 100, True)
    check("ttl_missing", r.ttl(f"{prefix}:missing"), -2)
    check("mget", r.mget(f"{prefix}:str", f"{prefix}:missing"), ["hello", None])

    # A plain pipeline (no MULTI) ...
    pipe = r.pipeline(transaction=False)
    pipe.set(f"{prefix}:p", "p").get(f"{prefix}:p").delete(f"{prefix}:p")
    check("pipeline", pipe.execute(), [True, "p", 1])

    # ... and a transaction (MULTI/EXEC), then WATCH with a conflicting write, which must abort.
    tx = r.pipeline(transaction=True)
    tx.set(f"{prefix}:tx:a", "1").incr(f"{prefix}:tx:a").set(f"{prefix}:tx:b", "b").get(f"{prefix}:tx:b")
    check("multi_exec", tx.execute(), [True, 2, True, "b"])
    check("mget_after_tx", r.mget(f"{prefix}:tx:a", f"{prefix}:tx:b"), ["2", "b"])

    with r.pipeline() as watched:
        watched.watch(f"{prefix}:w")
        r.set(f"{prefix}:w", "changed elsewhere")
        watched.multi()
        watched.set(f"{prefix}:w", "mine")
        try:
            watched.execute()
            check("watch_abort", "committed", "WatchError")
        except redis.WatchError:
            check("watch_abort", "WatchError", "WatchError")
    check("watched_value", r.get(f"{prefix}:w"), "changed elsewhere")
    r.delete(f"{prefix}:w")

    # Pub/sub on its own connection.
    channel = f"{prefix}:chan"
    ps = r.pubsub()
    ps.subscribe(channel)
    confirmation = None
    deadline = time.time() + 10
    while confirmation is None and time.time() < deadline:
        confirmation = ps.get_message(timeout=1.0)
    check("subscribe_confirmation", confirmation and [confirmation["type"], confirmation["channel"], confirmation["data"]], ["subscribe", channel, 1])
    check("publish", r.publish(channel, "hi there"), 1)
    message = None
    deadline = time.time() + 10
    while message is None and time.time() < deadline:
        message = ps.get_message(timeout=1.0)
    check("message", message and [message["type"], message["channel"], message["data"]], ["message", channel, "hi there"])
    ps.unsubscribe(channel)
    ps.close()

    r.close()


try:
    main()
except Exception as e:  # report every failure as JSON
    result["failures"].append(f"exception: {type(e).__name__}: {e}")
result["ok"] = not result["failures"]
print(json.dumps(result))
sys.exit(0 if result["ok"] else 1)
