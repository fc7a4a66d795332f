"""Builds the Docker image's binary without Docker, from exactly what the Dockerfile copies.

No Docker engine runs here, so this reproduces the image step by step: the build stage's COPY
instructions copy into an empty folder and its `swift build` RUN runs there; the run stage is
checked for what a fresh container needs (every shared library the binary loads installed by
its apt-get line, each VOLUME created for USER before USER switches), and the binary is
started as an unprivileged user on a fresh data folder until the HEALTHCHECK command passes,
then stopped with the STOPSIGNAL and must exit 0.
"""
import fnmatch
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# Packages every debian:bookworm-slim image has (Priority: required, or apt's own dependencies).
BASE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g"}


def fail(message):
    print(f"docker check: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def instructions(path):
    """(keyword, argument text) pairs, continuation lines joined and comments dropped."""
    logical, pending = [], ""
    with open(path) as handle:
        for raw in handle:
            line = raw.rstrip("\n")
            if not pending and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            logical.append(pending + line)
            pending = ""
    result = []
    for line in logical:
        keyword, _, rest = line.strip().partition(" ")
        result.append((keyword.upper(), rest.strip()))
    return result


def stages(steps):
    split = []
    for keyword, rest in steps:
        if keyword == "FROM":
            split.append([])
        if split:
            split[-1].append((keyword, rest))
    return split


def ignored_patterns():
    path = os.path.join(ROOT, ".dockerignore")
    if not os.path.exists(path):
        return []
    with open(path) as handle:
        return [line.strip() for line in handle if line.strip() and not line.startswith("#")]


def copy_context(stage, destination):
    patterns = ignored_patterns()

    def ignore(folder, names):
        relative = os.path.relpath(folder, ROOT)
        return {name for name in names for pattern in patterns
                if fnmatch.fnmatch(os.path.normpath(os.path.join(relative, name)), pattern)}

    workdir = "/"
    for keyword, rest in stage:
        if keyword == "WORKDIR":
            workdir = rest
        if keyword != "COPY" or rest.startswith("--from"):
            continue
        *sources, target = shlex.split(rest)
        target_path = os.path.join(destination, os.path.relpath(os.path.join(workdir, target), workdir))
        for source in sources:
            origin = os.path.join(ROOT, source)
            if not os.path.exists(origin):
                fail(f"COPY {source}: no such path in the build context")
            if os.path.isdir(origin):
                # As Docker does: a folder's contents go into the target, never the folder itself.
                shutil.copytree(origin, target_path, ignore=ignore, dirs_exist_ok=True)
            else:
                os.makedirs(target_path if target.endswith("/") else os.path.dirname(target_path), exist_ok=True)
                shutil.copy2(origin, target_path)


def build(stage, source, output):
    commands = [rest for keyword, rest in stage if keyword == "RUN" and "swift build" in rest]
    if len(commands) != 1:
        fail("the build stage should have exactly one RUN with `swift build`")
    command = commands[0].replace("/out/", output + "/")
    print(f"docker check: building in {source}: {command}", flush=True)
    started = time.time()
    if subprocess.run(["bash", "-c", command], cwd=source).returncode != 0:
        fail("the build stage's swift build failed with exactly the files the Dockerfile copies")
    print(f"docker check: built in {time.time() - started:.0f} s", flush=True)


def installed_packages(stage):
    packages = set()
    for keyword, rest in stage:
        if keyword == "RUN":
            for match in re.finditer(r"apt-get install ([^&|;]*)", rest):
                packages.update(word for word in match.group(1).split() if not word.startswith("-"))
    return packages


def with_dependencies(packages):
    """The packages and, recursively, what they depend on (apt installs those too): libpq5
    brings its Kerberos and LDAP libraries. Read from this machine's dpkg database."""
    closure, pending = set(), list(packages)
    while pending:
        package = pending.pop()
        if package in closure:
            continue
        closure.add(package)
        result = subprocess.run(["dpkg-query", "-W", "-f=${Depends}", package], capture_output=True, text=True)
        for alternative in result.stdout.split(","):
            name = alternative.split("|")[0].split("(")[0].split(":")[0].strip()
            if name:
                pending.append(name)
    return closure


def check_libraries(binary, packages):
    packages = with_dependencies(packages)
    listing = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    for line in listing.splitlines():
        match = re.search(r"=> (/\S+)", line)
        if not match:
            continue
        owner = subprocess.run(["dpkg", "-S", os.path.realpath(match.group(1))], capture_output=True, text=True)
        if owner.returncode != 0:
            owner = subprocess.run(["dpkg", "-S", match.group(1)], capture_output=True, text=True)
        package = owner.stdout.split(":")[0].strip() if owner.returncode == 0 else "?"
        if package not in packages and package not in BASE_PACKAGES:
            fail(f"{line.strip()}: package {package} is not installed by the run stage")
    print("docker check: every shared library the binary loads is installed by the run stage")


def check_volumes(stage):
    user = next((rest for keyword, rest in stage if keyword == "USER"), None)
    if user is None:
        fail("the run stage never leaves root (no USER)")
    seen_user = False
    prepared = ""
    for keyword, rest in stage:
        if keyword == "USER":
            seen_user = True
        elif keyword == "RUN" and not seen_user:
            prepared += rest + "\n"
        elif keyword == "VOLUME":
            for volume in re.findall(r'"([^"]+)"', rest) or rest.split():
                owned = re.search(rf"install -d [^\n&]*-o {user}\b[^\n&]*{re.escape(volume)}", prepared) or \
                    re.search(rf"chown [^\n&]*{user}[^\n&]*{re.escape(volume)}", prepared)
                if not owned:
                    fail(f"VOLUME {volume} is not created and owned by {user} before USER: a new volume is root's")
    print(f"docker check: every VOLUME is created for {user}")
    return user


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_as_unprivileged(stage, binary, scratch):
    environment = {}
    for keyword, rest in stage:
        if keyword == "ENV":
            environment.update(pair.split("=", 1) for pair in shlex.split(rest))
    health = next((rest for keyword, rest in stage if keyword == "HEALTHCHECK"), "")
    command = health.split("CMD", 1)[1].strip() if "CMD" in health else fail("no HEALTHCHECK CMD")
    stop_signal = next((rest for keyword, rest in stage if keyword == "STOPSIGNAL"), "SIGTERM")
    image_port = environment.get("PACE_PORT", "8080")
    port = free_port()
    data = os.path.join(scratch, "volume")
    os.makedirs(data)
    shutil.chown(data, "nobody", "nogroup")
    os.chmod(data, 0o750)
    os.chmod(scratch, 0o755)
    environment.update(PACE_HOST="127.0.0.1", PACE_PORT=str(port), PACE_DATA_DIR=data)
    env = dict(os.environ, **environment)
    prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] if os.getuid() == 0 else []
    server = subprocess.Popen(prefix + [binary, "serve"], env=env)
    probe = command.replace(f":{image_port}/", f":{port}/")
    try:
        deadline = time.time() + 30
        while subprocess.run(["bash", "-c", probe], capture_output=True).returncode != 0:
            if server.poll() is not None:
                fail(f"pace exited with {server.returncode} on a fresh data folder as an unprivileged user")
            if time.time() > deadline:
                fail("the HEALTHCHECK command did not pass within 30 s")
            time.sleep(0.2)
        print("docker check: the HEALTHCHECK passes on a fresh volume, as an unprivileged user")
        server.send_signal(getattr(signal, stop_signal))
        if server.wait(timeout=15) != 0:
            fail(f"pace exited with {server.returncode} after {stop_signal}")
    finally:
        if server.poll() is None:
            server.kill()


def main():
    build_stage, run_stage = stages(instructions(os.path.join(ROOT, "Dockerfile")))
    scratch = tempfile.mkdtemp(prefix="pace-docker-")
    try:
        source, output = os.path.join(scratch, "src"), os.path.join(scratch, "out")
        os.makedirs(source)
        copy_context(build_stage, source)
        build(build_stage, source, output)
        binary = os.path.join(output, "pace")
        check_libraries(binary, installed_packages(run_stage))
        check_volumes(run_stage)
        run_as_unprivileged(run_stage, binary, scratch)
        print("docker check: passed")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
