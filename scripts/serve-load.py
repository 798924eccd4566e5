#!/usr/bin/env python3
"""A bounded loopback load test of `rnn serve` (a benchmark, not a test: it prints figures).

Phase 1: REQUESTS sample requests of 200 characters (`POST /api/models/m/sample`, seeded) over
CONNECTIONS keep-alive connections while one client follows `GET /api/events`; prints p50, p99 and
max latency, throughput and the errors (anything but 200).
Phase 2: a training run started from the REPL side, once alone and once while the CONNECTIONS
clients poll the read-only endpoints (`GET /api/models`, `/api/status`) and one follows the event
stream; prints both runs' chars/s (from the events) and their ratio. (Sampling itself waits for
the session: requests made while a `train` runs are answered 409 busy by design.)

Usage: python3 scripts/serve-load.py [--rnn .build/release/rnn] [--requests 2000] [--connections 8]
"""
import argparse, http.client, json, os, re, shutil, socket, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start_server(rnn, work):
    proc = subprocess.Popen([rnn, "serve", "--port", "0", "--color", "never"], cwd=work, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    out = []
    threading.Thread(target=lambda: [out.append(line) for line in proc.stdout], daemon=True).start()
    proc.stdin.write('c = corpus "corpora/s.txt" split 0.95\nm = lstm c hidden 128 layers 1 embed 32 seed 1\n')
    proc.stdin.flush()
    for _ in range(300):
        m = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=(\w+)", "".join(out))
        if m:
            return proc, int(m.group(1)), m.group(2), out
        time.sleep(0.1)
    sys.exit("rnn serve printed no address:\n" + "".join(out))


def follow_events(port, stop, seen):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    s.settimeout(0.5)
    buf = b""
    while not stop.is_set():
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            break
        buf += chunk
        while b"\n\n" in buf:
            event, buf = buf.split(b"\n\n", 1)
            seen.append(event.decode("utf-8", "replace"))
    s.close()


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def sample_phase(port, requests, connections):
    latencies, errors, lock = [], [], threading.Lock()
    per = requests // connections

    def worker(k):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for i in range(per):
            body = json.dumps({"prime": "The ", "length": 200, "temperature": 0.8, "seed": k * 100000 + i})
            t = time.perf_counter()
            try:
                conn.request("POST", "/api/models/m/sample", body, {"Content-Type": "application/json"})
                r = conn.getresponse()
                data = r.read()
                ok = r.status == 200 and len(json.loads(data)["text"]) == 204
            except Exception as e:  # a dropped connection counts as an error
                ok, data = False, str(e).encode()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            dt = time.perf_counter() - t
            with lock:
                latencies.append(dt)
                if not ok:
                    errors.append(data[:200])

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(connections)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    return latencies, errors, time.perf_counter() - start


def train_rate(proc, port, events, steps):
    before = len(events)
    proc.stdin.write(f"train m steps {steps} batch 16 seq 64\n")
    proc.stdin.flush()
    while True:
        time.sleep(0.2)
        done = [e for e in events[before:] if "event: end\n" in e]
        if done:
            break
    # (the stream is chunked: a chunk-size line may precede an event in this raw reading)
    rates = [json.loads(e.split("data: ", 1)[1].split("\r\n")[0])["chars_per_second"]
             for e in events[before:] if "event: progress\n" in e]
    return rates[-1] if rates else float("nan")


def poll_phase(port, stop, counter):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while not stop.is_set():
        for path in ("/api/models", "/api/status"):
            conn.request("GET", path)
            conn.getresponse().read()
            counter.append(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rnn", default=os.path.join(ROOT, ".build/release/rnn"))
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--train-steps", type=int, default=150)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="rnn-load-")
    os.makedirs(os.path.join(work, "corpora"))
    shutil.copy(os.path.join(ROOT, "corpora/shakespeare-tragedies.txt"), os.path.join(work, "corpora/s.txt"))
    proc, port, token, out = start_server(args.rnn, work)
    stop, events = threading.Event(), []
    threading.Thread(target=follow_events, args=(port, stop, events), daemon=True).start()
    time.sleep(0.5)
    try:
        latencies, errors, wall = sample_phase(port, args.requests, args.connections)
        print(f"samples: {len(latencies)} requests of 200 characters over {args.connections} connections "
              f"(+1 event subscriber) in {wall:.1f} s ({len(latencies) / wall:.0f}/s)")
        print(f"latency: p50 {percentile(latencies, 50) * 1000:.1f} ms, p99 {percentile(latencies, 99) * 1000:.1f} ms, "
              f"max {max(latencies) * 1000:.1f} ms; p99/p50 {percentile(latencies, 99) / percentile(latencies, 50):.1f}")
        print(f"errors: {len(errors)}" + (f" (first: {errors[0]!r})" if errors else ""))
        alone = train_rate(proc, port, events, args.train_steps)
        polls, poll_stop = [], threading.Event()
        pollers = [threading.Thread(target=poll_phase, args=(port, poll_stop, polls), daemon=True) for _ in range(args.connections)]
        [t.start() for t in pollers]
        loaded = train_rate(proc, port, events, args.train_steps)
        poll_stop.set()
        [t.join() for t in pollers]
        print(f"training: {alone:,.0f} chars/s alone, {loaded:,.0f} chars/s with {args.connections} clients polling "
              f"({len(polls)} requests answered) and an event subscriber: {loaded / alone * 100:.0f}%")
    finally:
        stop.set()
        proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
