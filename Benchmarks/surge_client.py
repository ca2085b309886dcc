#!/usr/bin/env python3
"""The load client of Benchmarks/surge.sh: signers arriving at a fixed rate, each confirming from the mailed link, and
pollers reading the count, against one or more `countersign serve` instances. See Benchmarks/surge.md.

    surge_client.py --instance PORT:PID:STDOUT [--instance ...] [--rate 1667] [--pollers 1000] [--seconds 60]
                    [--kill 2] [--postgres-pid PID] [--run NAME]

Signs are open-loop: sign n is due at start + n / rate whatever the server does, and its latency runs from that
due time, so a slow server or a client that falls behind shows in the figures instead of slowing the arrivals.
The `--mail log` transport prints each link on the serve process's stdout (never the recipient); the client tails
each instance's STDOUT file and confirms every link as it appears, on whichever instance is up, with latency from
the moment it read the link. Each poller holds one keep-alive connection and reads the count once a second, at its
own phase. HTTP/1.1 is written by hand on asyncio protocols (uvloop when it is installed) to keep the client's share
of the cores small; that share is measured and printed.

--kill N sends SIGKILL to instance N halfway through. Until then requests are spread over the instances; an
instance that refuses a connection or drops one is left alone for a second and its traffic goes to the others. A
request that was never sent (refused) is sent to another instance; a confirm that was sent but whose answer was lost
has an unknown outcome, and is then sent again to another instance, as a signer would click the link again: the
retry answers `confirmed` if the lost one did not commit and `already-confirmed` if it did.
"""
import argparse
import array
import asyncio
import json
import os
import re
import resource
import signal
import sys
import textwrap
import time

SLUG = "amazon-cut-ties-with-police-and-ice"
TOKEN = re.compile(rb"/confirm/([A-Za-z0-9_-]+)")
TICK = os.sysconf("SC_CLK_TCK")


class Lost(Exception):
    """The request was written but the connection closed before its answer: the server may or may not have acted."""


class Refused(Exception):
    """The connection could not be opened: nothing was sent."""


class Dropped(Exception):
    """The window ended while the request waited for a connection in the client: it was never sent."""


class Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection with at most one request in flight."""

    def __init__(self):
        self.transport = None
        self.buffer = bytearray()
        self.waiter = None
        self.closed = False

    def connection_made(self, transport):
        self.transport = transport

    def connection_lost(self, exc):
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(Lost())

    def data_received(self, data):
        self.buffer += data
        if self.waiter is None or self.waiter.done():
            return
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self.buffer[:end]).lower()
        status = int(head[9:12])
        start = head.find(b"content-length:")
        if start >= 0:
            length = int(head[start + 15:head.index(b"\r\n", start) if b"\r\n" in head[start:] else len(head)])
            if len(self.buffer) < end + 4 + length:
                return
            body = bytes(self.buffer[end + 4:end + 4 + length])
            del self.buffer[:end + 4 + length]
        elif b"transfer-encoding: chunked" in head:
            body, used = self.dechunk(end + 4)
            if body is None:
                return
            del self.buffer[:used]
        else:
            body = b""
            del self.buffer[:end + 4]
        if b"connection: close" in head:
            self.closed = True
            self.transport.close()
        self.waiter.set_result((status, body))

    def dechunk(self, at):
        body = bytearray()
        while True:
            line_end = self.buffer.find(b"\r\n", at)
            if line_end < 0:
                return None, 0
            size = int(bytes(self.buffer[at:line_end]).split(b";")[0], 16)
            if len(self.buffer) < line_end + 2 + size + 2:
                return None, 0
            body += self.buffer[line_end + 2:line_end + 2 + size]
            at = line_end + 2 + size + 2
            if size == 0:
                return bytes(body), at

    async def exchange(self, request):
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        try:
            return await self.waiter
        finally:
            self.waiter = None


async def connect(port):
    try:
        _, connection = await asyncio.get_running_loop().create_connection(Connection, "127.0.0.1", port)
    except OSError as error:
        raise Refused() from error
    return connection


class Instance:
    """One serve process: its port, pid, stdout file, a pool of connections for signs and confirms, and its tallies."""

    POOL = 256

    def __init__(self, number, port, pid, stdout):
        self.number, self.port, self.pid, self.stdout = number, port, pid, stdout
        self.idle = []
        self.open = 0
        self.waiting = []
        self.down_until = 0.0
        self.killed_at = None
        self.errors = {}
        self.answered = {"sign": 0, "confirm": 0, "count": 0}
        self.cpu_start = self.cpu_end = None
        self.peak_rss = self.rss = None
        self.last_answer = 0.0

    def error(self, kind):
        self.errors[kind] = self.errors.get(kind, 0) + 1

    async def acquire(self, droppable):
        """A connection from the pool; at most POOL are open, and past that a request waits for one to be released
        (a `droppable` one only until the window ends)."""
        if self.idle:
            connection = self.idle.pop()
            return connection if not connection.closed else await self.reopen()
        if self.open < self.POOL:
            self.open += 1
            return await self.reopen()
        waiter = asyncio.get_running_loop().create_future()
        self.waiting.append((waiter, droppable))
        connection = await waiter
        return connection if connection is not None else await self.reopen()

    async def reopen(self):
        """Opens a connection in a slot already counted in `open`."""
        try:
            return await connect(self.port)
        except Refused:
            self.free_slot()
            raise

    def free_slot(self):
        if self.waiting:
            self.waiting.pop(0)[0].set_result(None)  # the slot passes to the first waiter, which opens a connection
        else:
            self.open -= 1

    def release(self, connection):
        if connection.closed:
            self.free_slot()
        elif self.waiting:
            self.waiting.pop(0)[0].set_result(connection)
        else:
            self.idle.append(connection)

    def drop_waiting(self):
        for waiter, droppable in self.waiting:
            if droppable:
                waiter.set_exception(Dropped())
        self.waiting = [entry for entry in self.waiting if not entry[1]]

    def cpu(self):
        """User plus system seconds of the process so far (fields 14 and 15 of /proc/PID/stat)."""
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK

    def memory(self):
        with open(f"/proc/{self.pid}/status") as f:
            values = dict(line.split(":", 1) for line in f if ":" in line)
        self.peak_rss = int(values["VmHWM"].split()[0]) // 1024
        self.rss = int(values["VmRSS"].split()[0]) // 1024


def postgres_cpu(pid):
    """CPU seconds of a PostgreSQL cluster: the postmaster, its reaped children and its live ones."""
    if pid is None:
        return 0.0
    total = 0.0
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += sum(int(x) for x in fields[11:15]) / TICK
    except OSError:
        return 0.0
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = f.read().split()
    except OSError:
        children = []
    for child in children:
        try:
            with open(f"/proc/{child}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICK
        except OSError:
            pass
    return total


def machine_cpu():
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(x) for x in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def client_cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Surge:
    # Seconds after the window to wait, at least, for the requests in flight and for links still to come (the mail
    # queue of a server far behind); the count can be checked only after the last answer.
    DRAIN = 120
    # The goal's p99 bound, in seconds.
    SLOW = 0.25

    def __init__(self, options):
        self.options = options
        self.instances = [Instance(n + 1, *spec) for n, spec in enumerate(options.instance)]
        self.loop = asyncio.get_running_loop()
        self.latency = {kind: array.array("d") for kind in ("sign", "confirm", "count")}
        self.in_window = {kind: 0 for kind in ("sign", "confirm", "count")}
        # Answers over SLOW, by the second of the window they were due in: when the slow ones came, not just how many.
        self.slow_seconds = {}
        self.tally = {}
        self.tasks = set()
        self.links = self.late_links = 0
        self.late_starts = 0
        self.worst_lag = 0.0
        self.next = 0
        self.running = True
        self.start = self.end = None

    def count(self, what):
        self.tally[what] = self.tally.get(what, 0) + 1

    def spawn(self, coroutine):
        task = self.loop.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def pick(self, preferred=None):
        """An instance to send to: round robin over those not marked down (all of them if every one is)."""
        now = time.monotonic()
        up = [i for i in self.instances if i.down_until <= now] or self.instances
        if preferred is not None:
            return up[preferred % len(up)]
        self.next += 1
        return up[self.next % len(up)]

    def mark_down(self, instance):
        instance.down_until = time.monotonic() + 1.0

    def record(self, kind, due, instance, ok):
        """An answer: its latency from `due`, and whether it counts in the rate held (a success within the window)."""
        done = time.monotonic()
        self.latency[kind].append(done - due)
        if done - due > self.SLOW and kind != "count":
            second = int(due - self.start)
            self.slow_seconds[second] = self.slow_seconds.get(second, 0) + 1
        instance.answered[kind] += 1
        instance.last_answer = done
        if ok and done <= self.end:
            self.in_window[kind] += 1

    async def call(self, kind, request, due, droppable=True, tries=3):
        """Sends `request` to an instance that is up; returns (instance, status, body). A refused connection is retried
        on another instance (nothing was sent); a lost answer raises Lost after marking the instance down. A
        `droppable` request not sent by the end of the window raises Dropped: the backlog is not played after it."""
        for attempt in range(tries):
            if droppable and time.monotonic() >= self.end:
                raise Dropped()
            instance = self.pick()
            try:
                connection = await instance.acquire(droppable)
            except Refused:
                instance.error(f"{kind}: connection refused, sent elsewhere")
                self.mark_down(instance)
                continue
            try:
                status, body = await connection.exchange(request)
            except Lost:
                instance.release(connection)
                instance.error(f"{kind}: answer lost")
                self.mark_down(instance)
                raise Lost(instance)
            instance.release(connection)
            return instance, status, body
        raise Refused()

    async def sign(self, n, due):
        body = json.dumps({"email": f"surge-{self.options.run}-{n}@example.org"}).encode()
        request = (f"POST /api/petitions/{SLUG}/signatures HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                   f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        try:
            instance, status, _ = await self.call("sign", request, due)
            self.record("sign", due, instance, status == 202)
        except Lost:
            self.count("sign: answer lost")
            return
        except Refused:
            self.count("sign: no instance took it")
            return
        except Dropped:
            self.count("sign: never sent (queued in the client when the window ended)")
            return
        if status == 202:
            self.count("sign: 202 pending")
        else:
            self.count(f"sign: {status}")
            instance.error(f"sign: HTTP {status}")

    async def confirm(self, token, due, retry=False):
        body = b'{"token":"' + token + b'"}'
        request = (b"POST /api/confirmations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                   b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        try:
            instance, status, answer = await self.call("confirm", request, due, droppable=not retry)
            self.record("confirm", due, instance, status == 200)
        except Lost:
            self.count("confirm: answer lost (unknown outcome)")
            if not retry:
                self.spawn(self.confirm(token, time.monotonic(), retry=True))
            return
        except Refused:
            self.count("confirm: no instance took it")
            return
        except Dropped:
            self.count("confirm: never sent (queued in the client when the window ended)")
            return
        prefix = "confirm retry" if retry else "confirm"
        if status == 200 and b'"confirmed"' in answer:
            self.count(f"{prefix}: 200 confirmed")
        elif status == 200 and b'"already-confirmed"' in answer:
            self.count(f"{prefix}: 200 already-confirmed")
        else:
            self.count(f"{prefix}: {status} {answer[:60].decode(errors='replace')}")
            instance.error(f"confirm: HTTP {status}")

    async def arrivals(self):
        """Open-loop signers: sign n is due at start + n / rate."""
        rate, n = self.options.rate, 0
        total = int(rate * self.options.seconds)
        while n < total:
            now = time.monotonic()
            due = self.start + n / rate
            if due > now:
                await asyncio.sleep(due - now)
                now = time.monotonic()
            while n < total and self.start + n / rate <= now:
                due = self.start + n / rate
                lag = now - due
                if lag > 0.005:
                    self.late_starts += 1
                self.worst_lag = max(self.worst_lag, lag)
                self.spawn(self.sign(n, due))
                n += 1

    async def tail(self, instance):
        """Reads the instance's stdout as it grows and confirms each link it prints."""
        with open(instance.stdout, "rb") as f:
            pending = b""
            while self.running or self.tasks:
                chunk = f.read()
                if chunk:
                    lines = (pending + chunk).split(b"\n")
                    pending = lines.pop()
                    seen = time.monotonic()
                    for line in lines:
                        match = TOKEN.search(line)
                        if match:
                            self.links += 1
                            self.last_link = seen
                            if seen < self.end:
                                self.spawn(self.confirm(match.group(1), seen))
                            else:
                                self.late_links += 1
                await asyncio.sleep(0.01)

    async def poller(self, number, connection_ready):
        """A reader of the count: once a second at its own phase, on one keep-alive connection."""
        request = f"GET /api/petitions/{SLUG} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
        instance, connection = await connection_ready
        due = self.start + number / self.options.pollers
        while due < self.end and time.monotonic() < self.end:
            now = time.monotonic()
            if due > now:
                await asyncio.sleep(due - now)
            try:
                if connection is None or connection.closed:
                    instance = self.pick(number)
                    connection = await connect(instance.port)
                status, _ = await connection.exchange(request)
                self.record("count", due, instance, status == 200)
                if status != 200:
                    instance.error(f"count: HTTP {status}")
            except (Lost, Refused) as error:
                instance.error(f"count: {'answer lost' if isinstance(error, Lost) else 'connection refused'}")
                self.mark_down(instance)
                connection = None
                await asyncio.sleep(0.05)
                continue  # a poller whose answer was lost asks again, elsewhere
            due += 1.0
        if connection is not None and connection.transport is not None:
            connection.transport.close()

    async def kill(self, instance):
        await asyncio.sleep(max(0.0, self.start + self.options.seconds / 2 - time.monotonic()))
        instance.memory()
        instance.cpu_end = instance.cpu()
        os.kill(instance.pid, signal.SIGKILL)
        instance.killed_at = time.monotonic() - self.start

    async def run(self):
        options = self.options
        # The pollers' connections are opened before the clock starts, spread over the instances.
        ready = []
        for number in range(options.pollers):
            instance = self.instances[number % len(self.instances)]
            future = self.loop.create_future()
            future.set_result((instance, await connect(instance.port)))
            ready.append(future)
        self.start = time.monotonic() + 0.2
        self.end = self.start + options.seconds
        self.last_link = self.start
        for instance in self.instances:
            instance.cpu_start = instance.cpu()
        postgres_start, machine_start, client_start = postgres_cpu(options.postgres_pid), machine_cpu(), client_cpu()
        tails = [self.loop.create_task(self.tail(i)) for i in self.instances]
        pollers = [self.loop.create_task(self.poller(n, ready[n])) for n in range(options.pollers)]
        killer = self.loop.create_task(self.kill(self.instances[options.kill - 1])) if options.kill else None
        await self.arrivals()
        # The CPU figures cover the window exactly; the drain after it is not in them.
        await asyncio.sleep(max(0.0, self.end - time.monotonic()))
        for instance in self.instances:
            instance.drop_waiting()
        wall = time.monotonic() - self.start
        client_used = client_cpu() - client_start
        postgres_used = postgres_cpu(options.postgres_pid) - postgres_start
        busy, total = machine_cpu()
        machine_busy = (busy - machine_start[0]) / max(1, total - machine_start[1]) * os.cpu_count()
        for instance in self.instances:
            if instance.killed_at is None:
                instance.cpu_end = instance.cpu()
                instance.memory()
        await asyncio.gather(*pollers)
        if killer:
            await killer
        # Drain: the requests in flight (a confirm sent again after a lost answer is sent even now), and the links
        # still to be printed (read, not confirmed).
        while self.tasks or time.monotonic() - self.last_link < 2.0:
            await asyncio.sleep(0.1)
            if time.monotonic() - self.end > max(self.DRAIN, 5 * options.seconds):
                break
        self.drained, self.left = not self.tasks, len(self.tasks)
        self.drain = time.monotonic() - self.end
        self.running = False
        await asyncio.gather(*tails)
        await asyncio.sleep(1.2)  # the count read is cached for a second
        final = await self.final_count()
        self.report(wall, client_used, postgres_used, machine_busy, final)

    async def final_count(self):
        request = f"GET /api/petitions/{SLUG} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        for instance in self.instances:
            if instance.killed_at is not None:
                continue
            connection = await connect(instance.port)
            status, body = await connection.exchange(request)
            if status == 200:
                return json.loads(body)["count"]
        return None

    def report(self, wall, client_used, postgres_used, machine_busy, final):
        options = self.options
        seconds = options.seconds
        print(f"{options.label}: {options.seconds:g} s at {options.rate:g} signers/s and {options.pollers} pollers/s;"
              f" {len(self.instances)} serve instance(s)")
        held = {kind: self.in_window[kind] / seconds for kind in self.in_window}
        print(f"  held in the window: signs {held['sign']:.0f}/s, confirms {held['confirm']:.0f}/s,"
              f" count reads {held['count']:.0f}/s (successes answered within the window)")
        p99s = {}
        for kind in ("sign", "confirm", "count"):
            values = sorted(self.latency[kind])
            if not values:
                print(f"  {kind}: no answers")
                p99s[kind] = float("inf")
                continue
            p50 = values[len(values) // 2] * 1000
            p99 = values[min(len(values) - 1, int(len(values) * 0.99))] * 1000
            p99s[kind] = p99
            origin = {"sign": "due time", "confirm": "link read", "count": "due time"}[kind]
            print(f"  {kind} latency from its {origin}: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {values[-1] * 1000:.1f} ms"
                  f" ({len(values)} answers)")
        if self.slow_seconds:
            seconds_slow = sorted(self.slow_seconds)
            worst = sorted(self.slow_seconds.items(), key=lambda item: -item[1])[:8]
            gaps = sorted({b - a for a, b in zip(seconds_slow, seconds_slow[1:]) if b - a > 1})
            print(f"  signs and confirms over {self.SLOW * 1000:.0f} ms came in {len(seconds_slow)} of the window's seconds;"
                  f" the worst (second: answers) {', '.join(f'{s}: {n}' for s, n in sorted(worst))};"
                  f" gaps between slow seconds {gaps[:12]} s")
        print(f"  client schedule: {self.late_starts} signs started more than 5 ms after their due time,"
              f" worst {self.worst_lag * 1000:.1f} ms late")
        signed = self.tally.get("sign: 202 pending", 0)
        print(f"  after the window: {self.drain:.1f} s until the requests in flight were answered and no new link came for 2 s"
              + ("" if self.drained else f"; gave up with {self.left} requests still in flight"))
        print(f"  links read from the mail logs: {self.links} (after the window, not confirmed: {self.late_links});"
              f" signs answered 202 whose link never appeared: {signed - self.links}")
        for what in sorted(self.tally):
            print(f"  {what}: {self.tally[what]}")
        cores = os.cpu_count()
        print(f"  CPU over the {wall:.1f} s window, in cores of {cores}: client {client_used / wall:.2f}"
              + "".join(f", serve {i.number} {(i.cpu_end - i.cpu_start) / (i.killed_at or wall):.2f}"
                        + (f" (until killed at {i.killed_at:.1f} s)" if i.killed_at else "") for i in self.instances)
              + (f", postgres {postgres_used / wall:.2f}" if options.postgres_pid else "")
              + f"; whole machine {machine_busy:.2f}")
        for instance in self.instances:
            errors = ", ".join(f"{k} {v}" for k, v in sorted(instance.errors.items())) or "none"
            print(f"  serve {instance.number} (pid {instance.pid}): peak RSS {instance.peak_rss} MB"
                  f"{' before the kill' if instance.killed_at else ''}, RSS {instance.rss} MB;"
                  f" answered {instance.answered['sign']} signs, {instance.answered['confirm']} confirms,"
                  f" {instance.answered['count']} count reads")
            print(textwrap.fill(f"errors: {errors}", 146, initial_indent="    ", subsequent_indent="      "))
        confirmed = self.tally.get("confirm: 200 confirmed", 0) + self.tally.get("confirm retry: 200 confirmed", 0)
        unknown = self.tally.get("confirm: answer lost (unknown outcome)", 0)
        resolved = self.tally.get("confirm retry: 200 already-confirmed", 0)
        print(f"  final count via the API: {final}; confirmations acknowledged (200 confirmed): {confirmed}")
        print(f"  unknown outcome (answer lost): {unknown}, of which a retry found {resolved} already confirmed")
        if not self.drained:
            print(f"  FAIL: requests were still in flight when the client gave up, so the count cannot be checked")
            verdict = False
        elif unknown == 0:
            verdict = final == confirmed
            print(f"  {'PASS' if verdict else 'FAIL'}: final count {final} == confirmations acknowledged {confirmed}")
        else:
            verdict = final is not None and confirmed <= final <= confirmed + unknown
            print(f"  {'PASS' if verdict else 'FAIL'}: acknowledged {confirmed} <= final {final} <= acknowledged + unknown"
                  f" {confirmed + unknown}")
            exact = final == confirmed + resolved
            print(f"  {'PASS' if exact else 'FAIL'}: final {final} == acknowledged + lost answers found already confirmed"
                  f" on retry {confirmed + resolved} (counted once, nothing lost)")
            verdict = verdict and exact
        if options.kill:
            killed = next(i for i in self.instances if i.killed_at is not None)
            after = all(i.last_answer - self.start > killed.killed_at + 1 for i in self.instances if i is not killed)
            print(f"  {'PASS' if after else 'FAIL'}: the surviving instance kept answering after the kill")
            verdict = verdict and after
        met = held["sign"] >= 0.99 * options.rate and held["confirm"] >= 0.99 * held["sign"] and all(
            p99 < 250 for p99 in p99s.values())
        if options.goal:
            print(f"  goal: the whole rate held (signs >= 99 % of {options.rate:g}/s, confirms >= 99 % of signs), p99 < 250 ms"
                  f" for all three: {'met' if met else 'not met'}")
        else:
            print(f"  no goal for this configuration (what it holds is above); the one-instance goal: {'met' if met else 'not met'}")
        sys.stdout.flush()
        self.passed = verdict


def instance_spec(text):
    port, pid, stdout = text.split(":", 2)
    return int(port), int(pid), stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instance", type=instance_spec, action="append", required=True, help="PORT:PID:STDOUT_FILE")
    parser.add_argument("--rate", type=float, default=1667)
    parser.add_argument("--pollers", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kill", type=int, default=0, help="the instance (1-based) to SIGKILL halfway through")
    parser.add_argument("--postgres-pid", type=int, help="the postmaster, to measure the cluster's CPU")
    parser.add_argument("--run", default=str(int(time.time())), help="tells this run's addresses apart")
    parser.add_argument("--label", default="surge")
    parser.add_argument("--goal", action="store_true", help="this configuration has the goal (SQLite, one instance)")
    options = parser.parse_args()
    async def go():
        surge = Surge(options)
        await surge.run()
        return surge.passed

    try:
        import uvloop
        run = uvloop.run
    except ImportError:
        print("(uvloop is not installed: the client runs on the standard asyncio loop and takes more CPU)", file=sys.stderr)
        run = asyncio.run
    sys.exit(0 if run(go()) else 1)


if __name__ == "__main__":
    main()
