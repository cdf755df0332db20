#!/usr/bin/env python3
"""first-frame.py times the terminal UI from exec to its first frame, in a pty.

Usage: scripts/first-frame.py BINARY [FILE|-] [RUNS]
  FILE   the catalog to open; "-" opens the embedded one; by default a 4 MB
         Mockoon environment built like BenchmarkFirstFrame4MB's (the routes
         of ../shared/testdata/mockoon/environments, copied under their own
         prefixes until the file holds 4 MB)
  RUNS   how many starts (default 5)

Prints each run's wall time to the first frame (its bottom border and the
catalog's name on screen), the median, and the process's CPU time at that
moment, which other work on a shared machine inflates less than wall time.
The pty answers the terminal queries (background colour, cursor position)
a real terminal answers, so the app never waits for their timeout.
"""
import fcntl, glob, json, os, pty, select, signal, statistics, struct, sys, tempfile, termios, time


def big_environment(env_dir, out_dir):
    files = sorted(glob.glob(os.path.join(env_dir, "*.json")))
    routes, size, copy_n = [], 0, 0
    while size < 4 << 20:
        for f in files:
            for r in json.load(open(f)).get("routes", []):
                r = dict(r)
                name = os.path.basename(f)[: -len(".json")]
                r["endpoint"] = f"c{copy_n}/{name}/{r['endpoint']}"
                raw = json.dumps(r, separators=(",", ":"), sort_keys=True)
                routes.append(raw)
                size += len(raw)
        copy_n += 1
    path = os.path.join(out_dir, "big.json")
    with open(path, "w") as out:
        out.write('{"uuid": "big", "lastMigration": 33, "name": "Big", "routes": [' + ",".join(routes) + "]}")
    return path, b"Big"


def run(binary, catalog, name):
    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        args = [binary, "--port", "0", "--https-port", "0"] + ([catalog] if catalog else [])
        os.execv(binary, args)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    buf, wall, cpu = b"", None, None
    while time.monotonic() - t0 < 20:
        r, _, _ = select.select([fd], [], [], 0.5)
        if not r:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        buf += data
        if b"\x1b]11;?" in data:
            os.write(fd, b"\x1b]11;rgb:0000/0000/0000\x1b\\")
        if b"\x1b[6n" in data:
            os.write(fd, b"\x1b[1;1R")
        if "┗".encode() in buf and name in buf:
            wall = time.monotonic() - t0
            stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            cpu = (int(stat[11]) + int(stat[12])) * 1000 // os.sysconf("SC_CLK_TCK")
            break
    os.kill(pid, signal.SIGTERM)
    try:
        while select.select([fd], [], [], 0.2)[0]:
            os.read(fd, 65536)
    except OSError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)
    return wall, cpu


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    catalog = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    tmp = tempfile.TemporaryDirectory()
    name = b"routes"
    if catalog is None:
        here = os.path.dirname(os.path.abspath(__file__))
        catalog, name = big_environment(os.path.join(here, "../../shared/testdata/mockoon/environments"), tmp.name)
    elif catalog == "-":
        catalog = None
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = run(binary, catalog, name)
        if wall is None:
            sys.exit("the first frame never came")
        walls.append(round(wall * 1000))
        cpus.append(cpu)
        time.sleep(0.3)
    print(f"first frame, ms: {walls}, median {statistics.median(walls)}; "
          f"process CPU ms then: {cpus}, median {statistics.median(cpus)}; load {os.getloadavg()[0]:.1f}")


main()
