"""Run inside a fresh network+mount namespace by compose_services.sh.

Reads docker-compose.yml, and for the keys job and each of store, ingest,
analytics, notify and watch: takes its environment and command exactly, maps only
the image's file locations to the repository's (OFWATCH_DATA, the keys
volume), starts it once its dependencies are healthy, and runs its
healthcheck command with compose's retries. Then the same services again
as deploy/k8s runs them: the keys made by deploy/k8s/keys.sh (the Secret
ofwatch-keys), the environment the ConfigMaps and the Secret ofwatch-pg add
up to (envFrom, in order), each Deployment's command and readiness probe.
Both ways every socket speaks CURVE with the services' own keys, a
submission is stored and its history served, and the watch's key is
refused by store and analytics. Prints ok:/FAIL: lines and a
closing 'compose-services: N passed, M failed'.
"""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

import yaml

top, bindir = sys.argv[1], sys.argv[2]
results = {"passed": 0, "failed": 0}


def check(ok, what):
    results["passed" if ok else "failed"] += 1
    print(("ok: " if ok else "FAIL: ") + what, flush=True)
    return ok


def expand(value):
    """Compose's ${VAR:-default}: the default (this run sets no VAR)."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(value))


work = tempfile.mkdtemp(prefix="ofwatch-compose.")
os.chmod(work, 0o755)
keys = os.path.join(work, "keys")
os.makedirs(keys)
locations = {"/var/lib/ofwatch/keys": keys, "/usr/local/share/ofwatch": os.path.join(top, "data")}


def localise(value):
    value = expand(value)
    for image_path, here in locations.items():
        value = value.replace(image_path, here)
    return value


with open(os.path.join(top, "docker-compose.yml")) as f:
    compose = yaml.safe_load(f)
services = compose["services"]

# The namespace's own loopback and host names.
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
hosts = os.path.join(work, "hosts")
with open(hosts, "w") as f:
    f.write("127.0.0.1 localhost " + " ".join(services) + "\n")
subprocess.run(["mount", "--bind", hosts, "/etc/hosts"], check=True)

# PostgreSQL as the compose service offers it: port 5432, user and
# database ofwatch.
pg_env = services["postgres"]["environment"]
conn = subprocess.run([os.path.join(top, "tools/pg.sh"), "start", os.path.join(work, "pg"), "5432"],
                      capture_output=True, text=True)
check(conn.returncode == 0, "PostgreSQL started on postgres:5432 " + conn.stderr.strip())
psql = ["runuser", "-u", "postgres", "--", "psql", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres",
        "-d", "postgres", "-qc"]
subprocess.run(psql + ["CREATE ROLE %s LOGIN SUPERUSER PASSWORD '%s'"
                       % (pg_env["POSTGRES_USER"], expand(pg_env["POSTGRES_PASSWORD"]))], check=False)
subprocess.run(psql + ["ALTER DATABASE %s OWNER TO %s" % (pg_env["POSTGRES_DB"], pg_env["POSTGRES_USER"])],
               check=False)

base_env = {"PATH": bindir + ":/usr/bin:/bin:/usr/sbin:/sbin", "HOME": work}
processes = {}


def service_env(name):
    env = dict(base_env)
    for key, value in (services[name].get("environment") or {}).items():
        env[key] = localise(value)
    return env


def command_of(name):
    command = services[name]["command"]
    return [localise(part) for part in (command if isinstance(command, list) else ["sh", "-c", command])]


def healthy(name):
    health = services[name].get("healthcheck")
    if not health:
        return True
    test = [localise(part) for part in health["test"]]
    if test[0] == "CMD":
        argv = test[1:]
    else:
        argv = ["sh", "-c", test[1]]
    retries = int(health.get("retries", 3)) * 4
    for _ in range(retries):
        run = subprocess.run(argv, env=service_env(name), capture_output=True, text=True, timeout=30)
        if run.returncode == 0:
            return True
        time.sleep(0.5)
    print("   last healthcheck output: " + (run.stdout + run.stderr).strip()[:400])
    return False


def dependencies_ready(name):
    for dependency, rule in (services[name].get("depends_on") or {}).items():
        condition = rule.get("condition") if isinstance(rule, dict) else "service_started"
        if dependency == "postgres":
            continue                                   # started above, pg_ctl -w waited for it
        if condition == "service_completed_successfully":
            if processes.get(dependency) != 0:
                return False
        elif condition == "service_healthy" and not healthy(dependency):
            return False
    return True


def secured(log_path, what):
    """The service's log says its ROUTER speaks CURVE, and no development setting."""
    with open(log_path) as f:
        text = f.read()
    return check('"secured":"CURVE"' in text and "DEVELOPMENT SETTING" not in text,
                 what + ": its sockets speak CURVE")


def stop_all():
    for name, process in list(processes.items()):
        if isinstance(process, subprocess.Popen):
            process.send_signal(signal.SIGTERM)
    for name, process in list(processes.items()):
        if isinstance(process, subprocess.Popen):
            try:
                process.wait(timeout=10)
                check(True, f"{name}: exited within 10 s of SIGTERM (status {process.returncode})")
            except subprocess.TimeoutExpired:
                process.kill()
                check(False, f"{name}: still running 10 s after SIGTERM")
            del processes[name]


def submit_and_read(env, how):
    """A sample submitted on ingest's port 7101 is stored; its history is served."""
    client = dict(env)
    client["OFWATCH_INGEST"] = "tcp://127.0.0.1:7101"
    client["OFWATCH_STORE"] = "tcp://127.0.0.1:7102"
    client["OFWATCH_ANALYTICS"] = "tcp://127.0.0.1:7104"
    sample = os.path.join(top, "samples/herefordshire/2022-09-21.pdf")
    run = subprocess.run(["ofwatch", "submit", sample], env=client, capture_output=True, text=True)
    check(run.returncode == 0, how + ": a sample submitted to ingest on port 7101 is stored "
          + run.stderr.strip()[:300])
    run = subprocess.run(["ofwatch", "history", "E06000019"], env=client, capture_output=True, text=True)
    check(run.returncode == 0 and "2022-07-18" in run.stdout, how + ": its history is served")


def watch_key_only_submits(env, keys_dir, how):
    """The watch's key, as the keys job or keys.sh made it, is refused by
    store and analytics: it may only submit through ingest."""
    client = dict(env)
    client["OFWATCH_CERT"] = os.path.join(keys_dir, "watch.cert")
    client["OFWATCH_STORE"] = "tcp://127.0.0.1:7102"
    client["OFWATCH_ANALYTICS"] = "tcp://127.0.0.1:7104"
    for service in ("store", "analytics"):
        run = subprocess.run(["ofwatch", "health", "--service", service], env=client,
                             capture_output=True, text=True, timeout=30)
        refused = run.returncode != 0 and "refused the client certificate" in run.stdout
        check(refused, how + ": the watch's key is refused by " + service
              + ("" if refused else " (it was not: " + (run.stdout + run.stderr).strip()[:300] + ")"))


def run_k8s():
    """The five services as deploy/k8s configures them."""
    k8s_dir = os.path.join(top, "deploy", "k8s")
    docs = []
    for name in sorted(os.listdir(k8s_dir)):
        if name.endswith(".yaml"):
            with open(os.path.join(k8s_dir, name)) as f:
                docs += [d for d in yaml.safe_load_all(f) if d]
    configmaps = {d["metadata"]["name"]: d.get("data") or {} for d in docs if d["kind"] == "ConfigMap"}
    deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
    k8s_keys = os.path.join(work, "k8s-keys")
    run = subprocess.run([os.path.join(k8s_dir, "keys.sh"), k8s_keys], env=base_env,
                         capture_output=True, text=True)
    check(run.returncode == 0, "k8s: deploy/k8s/keys.sh makes the Secret's keys " + run.stderr.strip()[:300])
    k8s_locations = {"/var/lib/ofwatch/keys": k8s_keys, "/usr/local/share/ofwatch": os.path.join(top, "data")}

    def k8s_value(value):
        value = str(value)
        for image_path, here in k8s_locations.items():
            value = value.replace(image_path, here)
        return value
    # The Secret ofwatch-pg: the database compose's postgres offers.
    pg_secret = {"OFWATCH_PG": localise(compose["x-ofwatch-pg"]) if "x-ofwatch-pg" in compose
                 else service_env("store")["OFWATCH_PG"]}
    env_of = {}
    for name in ["store", "ingest", "analytics", "notify", "watch"]:
        container = deployments[name]["spec"]["template"]["spec"]["containers"][0]
        env = dict(base_env)
        for source in container.get("envFrom") or []:
            if "configMapRef" in source:
                env.update({k: k8s_value(v) for k, v in configmaps[source["configMapRef"]["name"]].items()})
            elif source.get("secretRef", {}).get("name") == "ofwatch-pg":
                env.update(pg_secret)
        env_of[name] = env
        command = [k8s_value(w) for w in container["command"]]
        log = open(os.path.join(work, "k8s-" + name + ".log"), "w")
        processes["k8s " + name] = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        probe = [k8s_value(w) for w in container["readinessProbe"]["exec"]["command"]]
        ok = False
        for _ in range(int(container["readinessProbe"].get("failureThreshold", 3)) * 20):
            if subprocess.run(probe, env=env, capture_output=True, text=True, timeout=30).returncode == 0:
                ok = True
                break
            time.sleep(0.5)
        if not check(ok, f"k8s {name}: started as {command} and its readiness probe passes"):
            with open(os.path.join(work, "k8s-" + name + ".log")) as f:
                print("   " + "   ".join(f.readlines()[-10:]))
        else:
            secured(os.path.join(work, "k8s-" + name + ".log"), "k8s " + name)
    if results["failed"] == 0:
        submit_and_read(env_of["ingest"], "k8s")
        watch_key_only_submits(env_of["ingest"], k8s_keys, "k8s")


try:
    # The one-shot keys job, then the five services in dependency order
    # (watch reads Ofsted's site as configured: this namespace has no
    # network beyond loopback, so it says once that the site cannot be
    # reached, and stays healthy).
    if "keys" in services:
        run = subprocess.run(command_of("keys"), env=service_env("keys"), capture_output=True, text=True)
        processes["keys"] = run.returncode
        check(run.returncode == 0, "keys job: " + " ".join(command_of("keys")) + " " + run.stderr.strip()[:300])
    for name in ["store", "ingest", "analytics", "notify", "watch"]:
        if not check(dependencies_ready(name), f"{name}: its depends_on conditions hold"):
            continue
        log = open(os.path.join(work, name + ".log"), "w")
        processes[name] = subprocess.Popen(command_of(name), env=service_env(name), stdout=log,
                                           stderr=subprocess.STDOUT)
        ok = healthy(name)
        if not check(ok, f"{name}: started as {command_of(name)} and its healthcheck passes"):
            with open(os.path.join(work, name + ".log")) as f:
                print("   " + "   ".join(f.readlines()[-10:]))
        else:
            secured(os.path.join(work, name + ".log"), name)
    # A submission through the published ingest port reaches the history.
    if results["failed"] == 0:
        submit_and_read(service_env("ingest"), "compose")
        watch_key_only_submits(service_env("ingest"), keys, "compose")
    stop_all()
    if results["failed"] == 0:
        run_k8s()
finally:
    stop_all()
    subprocess.run([os.path.join(top, "tools/pg.sh"), "stop", os.path.join(work, "pg")])
    subprocess.run(["rm", "-rf", work])

print("compose-services: %d passed, %d failed" % (results["passed"], results["failed"]))
sys.exit(1 if results["failed"] else 0)
