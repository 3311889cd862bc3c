#!/usr/bin/python3
"""Check docker-compose.yml and deploy/k8s/ against ofwatch's deployment rules.

What is checked, and why:

- Compose: each of the five services runs the matching binary
  (ofwatch-<service>) from the one image built from deploy/Dockerfile, is
  configured only through the variables of CONTRACTS.md section 2 (plus
  OFWATCH_DATA and OFWATCH_METRICS_PORT), binds its own endpoints on the
  contract's default ports, connects to its peers by service name on the
  same ports, has an `ofwatch health --service NAME` health check, and
  waits for what it needs with `condition: service_healthy`.
- Kubernetes: every Deployment/StatefulSet container has readiness and
  liveness probes, resource requests and limits, runs as a non-root user
  without privilege escalation, and takes its environment only from the
  project's ConfigMaps and Secrets (envFrom), never from inline `env:`.
  For the five services the environment those sources add up to is checked
  the same way as in Compose, and so are the probes, ports and Services.
- Security, the same way in both: no file turns CURVE off
  (OFWATCH_DEV_INSECURE_INTERNAL, or the retired OFWATCH_SECURE_INTERNAL);
  every service gets a service certificate (Compose's keys job,
  deploy/k8s/keys.sh, the example Secret); only the services that connect
  to store can reach it, and only those that use PostgreSQL can reach it
  (Compose's networks, Kubernetes' NetworkPolicies, which must exist with
  a default deny); Compose publishes ports on one address, not all.

Prints one "ok: ..." or "FAIL: ..." line per check ("skip: ..." for a check
that cannot run here, which counts as neither) and exits 1 if any failed.

Only the standard library and PyYAML (Debian: python3-yaml) are used.
"""

import argparse
import os
import re
import sys

try:
    import yaml
except ImportError:
    print("FAIL: PyYAML is missing for %s (Debian package python3-yaml)" % sys.executable)
    sys.exit(2)


# --- What the product promises (CONTRACTS.md section 2 and the deploy brief)

# Variables of CONTRACTS.md section 2.  If ../shared/CONTRACTS.md is there,
# it is read too and must agree (see check_contracts).
CONTRACT_VARS = [
    "OFWATCH_PG", "OFWATCH_INGEST", "OFWATCH_STORE", "OFWATCH_STORE_EVENTS",
    "OFWATCH_ANALYTICS", "OFWATCH_NOTIFY_PUB", "OFWATCH_NOTIFY_REPLAY",
    "OFWATCH_KEYS", "OFWATCH_CERT", "OFWATCH_LOG",
]
EXTRA_VARS = ["OFWATCH_DATA", "OFWATCH_METRICS_PORT",
              # The watch service's (README, "Configuration").
              "OFWATCH_WATCH", "OFWATCH_OFSTED_URL", "OFWATCH_WATCH_INTERVAL",
              "OFWATCH_WATCH_RATE", "OFWATCH_WATCH_CONTACT"]

# Endpoint variable -> (service that binds it, default port).
ENDPOINTS = {
    "OFWATCH_INGEST": ("ingest", 7101),
    "OFWATCH_STORE": ("store", 7102),
    "OFWATCH_STORE_EVENTS": ("store", 7103),
    "OFWATCH_ANALYTICS": ("analytics", 7104),
    "OFWATCH_NOTIFY_PUB": ("notify", 7105),
    "OFWATCH_NOTIFY_REPLAY": ("notify", 7106),
    "OFWATCH_WATCH": ("watch", 7107),
}

# Per service: endpoints it connects to, its metrics port, whether it uses
# PostgreSQL, the variable `ofwatch health --service NAME` connects to,
# and what Compose starts it after (healthy).
SERVICES = {
    "ingest": {"connects": ["OFWATCH_STORE"], "metrics": 9101, "pg": False,
               "health": "OFWATCH_INGEST", "needs": ["store"]},
    "store": {"connects": [], "metrics": 9102, "pg": True,
              "health": "OFWATCH_STORE", "needs": ["postgres"]},
    "analytics": {"connects": ["OFWATCH_STORE", "OFWATCH_STORE_EVENTS"],
                  "metrics": 9104, "pg": True, "health": "OFWATCH_ANALYTICS",
                  "needs": ["store"]},
    "notify": {"connects": ["OFWATCH_STORE", "OFWATCH_STORE_EVENTS"],
               "metrics": 9105, "pg": True, "health": "OFWATCH_NOTIFY_REPLAY",
               "needs": ["store"]},
    # The watch submits through ingest and keeps its own schema: it never
    # talks to store.
    "watch": {"connects": ["OFWATCH_INGEST"], "metrics": 9107, "pg": True,
              "health": "OFWATCH_WATCH", "needs": ["postgres", "ingest"]},
}

KEYS_DIR = "/var/lib/ofwatch/keys"
DATA_DIR = "/usr/local/share/ofwatch"
SAMPLES_DIR = DATA_DIR + "/samples"
IMAGE_UID = 10001
DOCKERFILE = "deploy/Dockerfile"

KNOWN_KINDS = {
    ("v1", "ConfigMap"), ("v1", "Secret"), ("v1", "Service"),
    ("apps/v1", "Deployment"), ("apps/v1", "StatefulSet"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("policy/v1", "PodDisruptionBudget"),
    ("networking.k8s.io/v1", "NetworkPolicy"),
}

# Settings no deployment file may set: they take CURVE off store's and
# analytics' sockets (development only; README "Security").
INSECURE_VARS = ["OFWATCH_DEV_INSECURE_INTERNAL", "OFWATCH_SECURE_INTERNAL"]


def store_clients():
    """The services that connect to store's sockets."""
    return {name for name, spec in SERVICES.items()
            if "OFWATCH_STORE" in spec["connects"] or "OFWATCH_STORE_EVENTS" in spec["connects"]}


def pg_clients():
    return {name for name, spec in SERVICES.items() if spec["pg"]}


def binds(service):
    """Endpoint variables a service binds, in a stable order."""
    return [var for var, (owner, _) in ENDPOINTS.items() if owner == service]


def bind_value(var):
    return "tcp://*:%d" % ENDPOINTS[var][1]


def connect_value(var):
    owner, port = ENDPOINTS[var]
    return "tcp://%s:%d" % (owner, port)


def local_value(var):
    return "tcp://127.0.0.1:%d" % ENDPOINTS[var][1]


# --- Reporting ------------------------------------------------------------

class Report:
    """Counts and prints results; one line per check."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, good, what, why=""):
        if good:
            self.passed += 1
            print("ok: %s" % what)
        else:
            self.failed += 1
            print("FAIL: %s%s" % (what, ": " + why if why else ""))
        return good

    def problems(self, what, problems):
        """One check whose failure reasons are a list (empty = passed)."""
        return self.check(not problems, what, "; ".join(problems))

    @staticmethod
    def skip(what):
        print("skip: %s" % what)


# --- Helpers ----------------------------------------------------------------

def load_yaml_docs(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def env_dict(environment):
    """Compose `environment` as a dict (it may be a mapping or KEY=VALUE list)."""
    if environment is None:
        return {}
    if isinstance(environment, dict):
        return {str(k): ("" if v is None else str(v)) for k, v in environment.items()}
    result = {}
    for item in environment:
        key, _, value = str(item).partition("=")
        result[key] = value
    return result


def words(command):
    """A command as a list of words (exec form, or a string split on blanks)."""
    if command is None:
        return []
    if isinstance(command, str):
        return command.split()
    return [str(w) for w in command]


def health_problems(command, service):
    """What is wrong with a health-check command for `service`.

    The command must run `ofwatch health --service SERVICE`, optionally behind
    `env VAR=tcp://127.0.0.1:PORT` that points the service's own endpoint
    variable (a bind address inside the container) at the local socket.
    """
    w = [x for x in words(command) if x not in ("CMD", "CMD-SHELL")]
    expected = ["ofwatch", "health", "--service", service]
    problems = []
    if not any(w[i:i + 4] == expected for i in range(len(w))):
        problems.append("does not run '%s' (has %r)" % (" ".join(expected), w))
    health_var = SERVICES[service]["health"]
    for word in w:
        m = re.match(r"^(OFWATCH_[A-Z_]+)=(.*)$", word)
        if not m:
            continue
        if m.group(1) != health_var or m.group(2) != local_value(health_var):
            problems.append("unexpected override %s (only %s=%s)"
                            % (word, health_var, local_value(health_var)))
    return problems


def endpoint_problems(env, service, allowed):
    """Check a service's effective environment against the contract."""
    spec = SERVICES[service]
    problems = []
    unknown = sorted(k for k in env if k not in allowed)
    if unknown:
        problems.append("variables not in CONTRACTS.md section 2: %s" % ", ".join(unknown))
    for var in binds(service):
        if env.get(var) != bind_value(var):
            problems.append("%s=%r, expected bind %s" % (var, env.get(var), bind_value(var)))
    for var in spec["connects"]:
        if env.get(var) != connect_value(var):
            problems.append("%s=%r, expected %s" % (var, env.get(var), connect_value(var)))
    for var, value in env.items():
        if var in ENDPOINTS and var not in binds(service) and var not in spec["connects"]:
            if value != connect_value(var):
                problems.append("%s=%r, expected %s" % (var, value, connect_value(var)))
    if spec["pg"] and not env.get("OFWATCH_PG"):
        problems.append("OFWATCH_PG missing")
    if not spec["pg"] and "OFWATCH_PG" in env:
        problems.append("OFWATCH_PG given to a service that does not use PostgreSQL")
    if str(env.get("OFWATCH_METRICS_PORT")) != str(spec["metrics"]):
        problems.append("OFWATCH_METRICS_PORT=%r, expected %d"
                        % (env.get("OFWATCH_METRICS_PORT"), spec["metrics"]))
    if env.get("OFWATCH_KEYS") != KEYS_DIR:
        problems.append("OFWATCH_KEYS=%r, expected %s" % (env.get("OFWATCH_KEYS"), KEYS_DIR))
    if env.get("OFWATCH_DATA", DATA_DIR) != DATA_DIR:
        problems.append("OFWATCH_DATA=%r, expected %s" % (env.get("OFWATCH_DATA"), DATA_DIR))
    return problems


# --- CONTRACTS.md -----------------------------------------------------------

def check_contracts(report, contracts_path):
    """Cross-check the lists above with CONTRACTS.md section 2, if present.

    Returns the set of allowed variable names.
    """
    allowed = set(CONTRACT_VARS) | set(EXTRA_VARS)
    if not contracts_path or not os.path.isfile(contracts_path):
        report.skip("CONTRACTS.md not found (%s); using the built-in variable list"
                    % contracts_path)
        return allowed
    with open(contracts_path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^## 2\..*?(?=^## 3\.|\Z)", text, re.S | re.M)
    section = m.group(0) if m else ""
    found = {}
    for row in re.finditer(r"^\|\s*(OFWATCH_[A-Z_]+)\s*\|\s*`?([^|`]*)`?\s*\|", section, re.M):
        found[row.group(1)] = row.group(2).strip()
    problems = ["%s not in section 2" % v for v in CONTRACT_VARS if v not in found]
    for var, (_, port) in ENDPOINTS.items():
        default = found.get(var, "")
        if default and not default.endswith(":%d" % port):
            problems.append("%s default is %s, checker expects port %d" % (var, default, port))
    report.problems("CONTRACTS.md section 2 lists the variables and default ports this check uses",
                    problems)
    return allowed | set(found)


# --- Compose ----------------------------------------------------------------

def check_compose(report, path, allowed):
    try:
        doc = load_yaml_docs(path)[0]
    except (OSError, yaml.YAMLError, IndexError) as e:
        report.check(False, "compose: %s parses" % path, str(e))
        return
    services = doc.get("services") or {}
    named_volumes = set((doc.get("volumes") or {}).keys())
    images = set()

    for name in SERVICES:
        svc = services.get(name)
        if not report.check(isinstance(svc, dict), "compose: service %s exists" % name):
            continue
        env = env_dict(svc.get("environment"))

        build = svc.get("build")
        if isinstance(build, str):
            build = {"context": build}
        build = build or {}
        report.check(build.get("context") in (".", "./")
                     and build.get("dockerfile") == DOCKERFILE,
                     "compose %s: built from %s with context ." % (name, DOCKERFILE),
                     "build is %r" % (svc.get("build"),))
        images.add(svc.get("image"))

        cmd = words(svc.get("command"))
        report.check(cmd[:1] == ["ofwatch-" + name],
                     "compose %s: command runs ofwatch-%s" % (name, name),
                     "command is %r" % (cmd,))

        report.problems("compose %s: environment follows CONTRACTS.md section 2" % name,
                        endpoint_problems(env, name, allowed))

        report.problems("compose %s: healthcheck runs ofwatch health --service %s" % (name, name),
                        health_problems((svc.get("healthcheck") or {}).get("test"), name)
                        or (["no healthcheck"] if not svc.get("healthcheck") else []))

        needs = SERVICES[name]["needs"]
        deps = svc.get("depends_on")
        problems = []
        if not isinstance(deps, dict):
            problems.append("depends_on must be a mapping with conditions, is %r" % (deps,))
        else:
            for dep in needs:
                cond = (deps.get(dep) or {}).get("condition")
                if cond != "service_healthy":
                    problems.append("%s: condition %r" % (dep, cond))
        report.problems("compose %s: depends_on %s with condition service_healthy"
                        % (name, ", ".join(needs)), problems)

        report.check(svc.get("restart") == "unless-stopped",
                     "compose %s: restart unless-stopped" % name,
                     "restart is %r" % (svc.get("restart"),))

        mounts = [str(v) for v in (svc.get("volumes") or [])]
        keys_mounts = [v for v in mounts if v.split(":")[1:2] == [KEYS_DIR]]
        report.check(bool(keys_mounts) and keys_mounts[0].split(":")[0] in named_volumes,
                     "compose %s: CURVE keys volume mounted at %s" % (name, KEYS_DIR),
                     "volumes are %r" % (mounts,))

        check_compose_ports(report, name, svc)

    report.check(len(images) == 1 and None not in images,
                 "compose: the five services share one image", "images are %r" % (images,))

    problems = []
    for name, svc in services.items():
        if name in SERVICES or not isinstance(svc, dict) or svc.get("image") not in images:
            continue
        unknown = sorted(k for k in env_dict(svc.get("environment")) if k not in allowed)
        if unknown:
            problems.append("%s: %s" % (name, ", ".join(unknown)))
    report.problems("compose: helper services of the ofwatch image use only CONTRACTS.md variables",
                    problems)

    check_compose_postgres(report, services.get("postgres"), named_volumes)
    check_compose_samples(report, services.get("samples"), allowed)
    return check_compose_security(report, doc)


def compose_reachers(services, target):
    """The services sharing a network with `target` (its reachers)."""
    def networks(svc):
        nets = svc.get("networks")
        if nets is None:
            return {"default"} if svc.get("network_mode") is None else set()
        return set(nets if isinstance(nets, list) else nets.keys())
    own = networks(services.get(target) or {})
    return {name for name, svc in services.items()
            if name != target and isinstance(svc, dict) and networks(svc) & own}


def check_compose_security(report, doc):
    """CURVE stays on, every service gets its key, and networks let only
    the services that need store and PostgreSQL reach them.  Returns the
    reachers found, for the comparison with Kubernetes."""
    services = doc.get("services") or {}
    problems = []
    for name, svc in services.items():
        env = env_dict((svc or {}).get("environment"))
        problems += ["%s sets %s" % (name, var) for var in INSECURE_VARS if var in env]
    report.problems("compose: no service turns CURVE off (%s)" % ", ".join(INSECURE_VARS),
                    problems)

    keys_job = " ".join(words((services.get("keys") or {}).get("command")))
    m = re.search(r"ofwatch keys services ([a-z ]+)", keys_job)
    named = set(m.group(1).split()) if m else set()
    report.check(set(SERVICES) <= named,
                 "compose: the keys job makes a service key for each service",
                 "it makes keys for %s" % sorted(named))

    reach_store = compose_reachers(services, "store") - {"postgres"}
    reach_pg = compose_reachers(services, "postgres")
    report.check(reach_store == store_clients(),
                 "compose: only %s share a network with store" % sorted(store_clients()),
                 "store is reachable from %s" % sorted(reach_store))
    report.check(reach_pg == pg_clients(),
                 "compose: only %s share a network with postgres" % sorted(pg_clients()),
                 "postgres is reachable from %s" % sorted(reach_pg))

    problems = []
    for name, svc in services.items():
        for entry in (svc or {}).get("ports") or []:
            text = str(entry.get("host_ip", "")) if isinstance(entry, dict) else str(entry)
            if isinstance(entry, dict):
                if not text or text in ("0.0.0.0", "::"):
                    problems.append("%s publishes %s on every address" % (name, entry))
            elif len(text.split("/")[0].rsplit(":", 2)) < 3:
                problems.append("%s publishes %s on every address" % (name, text))
    report.problems("compose: published ports are bound to one address (127.0.0.1 unless "
                    "OFWATCH_PUBLISH_ADDRESS)", problems)
    return {"store": reach_store, "postgres": reach_pg}


def parse_port(entry):
    """(published, target) from a short "7101:7101" or a long-form port."""
    if isinstance(entry, dict):
        return (int(entry["published"]) if entry.get("published") else None,
                int(entry["target"]))
    parts = str(entry).split("/")[0].split(":")
    target = int(parts[-1])
    published = int(parts[-2]) if len(parts) >= 2 and parts[-2] else None
    return published, target


def check_compose_ports(report, name, svc):
    own = {ENDPOINTS[v][1] for v in binds(name)}
    metrics = SERVICES[name]["metrics"]
    problems = []
    try:
        published = [parse_port(p) for p in svc.get("ports") or []]
        exposed = [int(str(p).split("/")[0]) for p in svc.get("expose") or []]
    except (ValueError, KeyError) as e:
        report.check(False, "compose %s: ports parse" % name, str(e))
        return
    for pub, target in published:
        if target not in own:
            problems.append("publishes %s, not one of its endpoints %s" % (target, sorted(own)))
        elif pub is not None and pub != target:
            problems.append("publishes %s as %s; CONTRACTS default is %s" % (target, pub, target))
    for port in exposed:
        if port not in own | {metrics}:
            problems.append("exposes %s, not one of %s" % (port, sorted(own | {metrics})))
    must_publish = {"ingest": {7101}, "notify": {7105, 7106}}.get(name, set())
    missing = must_publish - {t for _, t in published}
    if missing:
        problems.append("does not publish %s" % sorted(missing))
    report.problems("compose %s: ports match the CONTRACTS defaults" % name, problems)


def check_compose_postgres(report, svc, named_volumes):
    if not report.check(isinstance(svc, dict), "compose: service postgres exists"):
        return
    env = env_dict(svc.get("environment"))
    problems = []
    if not str(svc.get("image", "")).startswith("postgres:15"):
        problems.append("image %r is not postgres:15" % svc.get("image"))
    if env.get("POSTGRES_DB") != "ofwatch":
        problems.append("POSTGRES_DB is %r" % env.get("POSTGRES_DB"))
    if "pg_isready" not in " ".join(words((svc.get("healthcheck") or {}).get("test"))):
        problems.append("healthcheck does not run pg_isready")
    vols = [str(v).split(":")[0] for v in svc.get("volumes") or []]
    if not any(v in named_volumes for v in vols):
        problems.append("no named volume for the data")
    report.problems("compose postgres: postgres:15, pg_isready healthcheck, named volume", problems)


def check_compose_samples(report, svc, allowed):
    if not report.check(isinstance(svc, dict), "compose: one-shot service samples exists"):
        return
    env = env_dict(svc.get("environment"))
    problems = []
    if "samples" not in (svc.get("profiles") or []):
        problems.append("not in profile samples")
    if words(svc.get("command"))[:3] != ["ofwatch", "submit", SAMPLES_DIR]:
        problems.append("command %r is not ofwatch submit %s" % (svc.get("command"), SAMPLES_DIR))
    if env.get("OFWATCH_INGEST") != connect_value("OFWATCH_INGEST"):
        problems.append("OFWATCH_INGEST=%r" % env.get("OFWATCH_INGEST"))
    for var, value in env.items():
        if var in ENDPOINTS and value != connect_value(var):
            problems.append("%s=%r, expected %s" % (var, value, connect_value(var)))
    unknown = sorted(k for k in env if k not in allowed)
    if unknown:
        problems.append("variables not in CONTRACTS.md: %s" % ", ".join(unknown))
    cond = ((svc.get("depends_on") or {}).get("ingest") or {}).get("condition") \
        if isinstance(svc.get("depends_on"), dict) else None
    if cond != "service_healthy":
        problems.append("depends_on ingest condition %r" % cond)
    report.problems("compose samples: profile samples, submits %s to ingest" % SAMPLES_DIR,
                    problems)


# --- Kubernetes -------------------------------------------------------------

def load_k8s(report, k8s_dir):
    """All documents under k8s_dir (recursively), each with its file name."""
    docs = []
    for top, dirs, files in os.walk(k8s_dir):
        dirs.sort()
        for fname in sorted(files):
            if not fname.endswith((".yaml", ".yml")):
                continue
            path = os.path.join(top, fname)
            rel = os.path.relpath(path, os.path.dirname(k8s_dir.rstrip("/")))
            try:
                for d in load_yaml_docs(path):
                    docs.append((rel, d))
            except (OSError, yaml.YAMLError) as e:
                report.check(False, "k8s: %s parses" % rel, str(e))
    return docs


def effective(pod_sc, c_sc, key):
    """A securityContext field: the container's value wins over the pod's."""
    if key in (c_sc or {}):
        return c_sc[key]
    return (pod_sc or {}).get(key)


def check_k8s(report, k8s_dir, allowed):
    docs = load_k8s(report, k8s_dir)
    if not report.check(bool(docs), "k8s: manifests found under %s" % k8s_dir):
        return None

    problems = []
    for rel, d in docs:
        meta = d.get("metadata") or {}
        what = "%s %s/%s" % (rel, d.get("kind"), meta.get("name"))
        if (d.get("apiVersion"), d.get("kind")) not in KNOWN_KINDS:
            problems.append("%s: unexpected apiVersion/kind %s/%s"
                            % (what, d.get("apiVersion"), d.get("kind")))
        if not meta.get("name"):
            problems.append("%s: no metadata.name" % what)
        if "namespace" in meta:
            problems.append("%s: sets a namespace" % what)
    report.problems("k8s: every manifest has a known kind and a name, and no namespace", problems)

    configmaps = {d["metadata"]["name"]: dict(d.get("data") or {})
                  for _, d in docs if d.get("kind") == "ConfigMap"}
    secrets = {d["metadata"]["name"]: dict(d.get("stringData") or {}, **(d.get("data") or {}))
               for _, d in docs if d.get("kind") == "Secret"}
    by_kind = {}
    for rel, d in docs:
        by_kind.setdefault(d.get("kind"), []).append((rel, d))

    problems = []
    for rel, d in by_kind.get("Secret", []):
        note = ((d.get("metadata") or {}).get("annotations") or {}).get("ofwatch/placeholder", "")
        if not str(note).startswith("true"):
            problems.append("%s: Secret %s is not marked ofwatch/placeholder"
                            % (rel, d["metadata"]["name"]))
    report.problems("k8s: every Secret in the repository holds clearly marked placeholders",
                    problems)

    report.check("OFWATCH_PG" in secrets.get("ofwatch-pg", {}),
                 "k8s: Secret ofwatch-pg holds OFWATCH_PG")
    report.check("server.cert" in secrets.get("ofwatch-keys", {}),
                 "k8s: Secret ofwatch-keys holds the CURVE certificates (server.cert)")

    problems = []
    for name, data in configmaps.items():
        if name.startswith("ofwatch-") and name != "ofwatch-postgres":
            bad = sorted(k for k in data if k not in allowed)
            if bad:
                problems.append("%s: %s" % (name, ", ".join(bad)))
    report.problems("k8s: ofwatch ConfigMaps hold only CONTRACTS.md variables", problems)

    services = {d["metadata"]["name"]: d for _, d in by_kind.get("Service", [])}
    for kind in ("Deployment", "StatefulSet"):
        for rel, d in by_kind.get(kind, []):
            check_workload(report, rel, d, configmaps, secrets, services, allowed)

    for name in SERVICES:
        report.check(any(d["metadata"]["name"] == name for _, d in by_kind.get("Deployment", [])),
                     "k8s: Deployment %s exists" % name)

    check_hpa(report, by_kind)

    report.check(any(rel.startswith("k8s/optional/") for rel, _ in by_kind.get("StatefulSet", []))
                 and "postgres" in services,
                 "k8s: optional PostgreSQL StatefulSet and Service under k8s/optional/")
    return check_k8s_security(report, k8s_dir, docs, secrets)


def policy_sources(policies, labels, port):
    """Who the NetworkPolicies let reach a pod with `labels` on `port`: a
    set of component names, or {"*"} for anyone."""
    sources = set()
    for d in policies:
        spec = d.get("spec") or {}
        selector = (spec.get("podSelector") or {}).get("matchLabels") or {}
        if not all(labels.get(k) == v for k, v in selector.items()):
            continue
        for rule in spec.get("ingress") or []:
            ports = [p.get("port") for p in rule.get("ports") or []]
            if ports and port not in ports:
                continue
            peers = rule.get("from")
            if not peers:
                sources.add("*")
                continue
            for peer in peers:
                pods = peer.get("podSelector")
                if peer.get("namespaceSelector") is not None or peer.get("ipBlock") or pods is None:
                    sources.add("*")
                    continue
                component = (pods.get("matchLabels") or {}).get("app.kubernetes.io/component")
                if component:
                    sources.add(component)
                for e in pods.get("matchExpressions") or []:
                    if e.get("key") == "app.kubernetes.io/component" and e.get("operator") == "In":
                        sources.update(e.get("values") or [])
                if not component and not pods.get("matchExpressions"):
                    sources.add("*")
    return sources


def check_k8s_security(report, k8s_dir, docs, secrets):
    """CURVE stays on, every service has its key in the Secret and in
    keys.sh, and NetworkPolicies let only the services that need store and
    PostgreSQL reach them.  Returns the reachers found."""
    problems = []
    for rel, d in docs:
        if d.get("kind") == "ConfigMap":
            problems += ["%s ConfigMap %s sets %s" % (rel, d["metadata"]["name"], var)
                         for var in INSECURE_VARS if var in (d.get("data") or {})]
    report.problems("k8s: no ConfigMap turns CURVE off (%s)" % ", ".join(INSECURE_VARS), problems)

    keys = secrets.get("ofwatch-keys", {})
    missing = ["%s.%s" % (name, suffix) for name in sorted(SERVICES)
               for suffix in ("cert", "cert_secret") if "%s.%s" % (name, suffix) not in keys]
    report.check(not missing, "k8s: the example Secret ofwatch-keys holds each service's key",
                 "missing %s" % ", ".join(missing))
    script = os.path.join(k8s_dir, "keys.sh")
    named = set()
    if os.path.isfile(script):
        with open(script, encoding="utf-8") as f:
            m = re.search(r'^SERVICES="([a-z ]+)"', f.read(), re.M)
        named = set(m.group(1).split()) if m else set()
    report.check(set(SERVICES) <= named,
                 "k8s: deploy/k8s/keys.sh makes a service key for each service",
                 "it makes keys for %s" % sorted(named))

    policies = [d for _, d in docs if d.get("kind") == "NetworkPolicy"]
    deny = [d for d in policies
            if ((d.get("spec") or {}).get("podSelector") or {}).get("matchLabels")
            == {"app.kubernetes.io/part-of": "ofwatch"}
            and "Ingress" in ((d.get("spec") or {}).get("policyTypes") or [])
            and not (d.get("spec") or {}).get("ingress")]
    report.check(bool(deny), "k8s: a NetworkPolicy denies ingress to every ofwatch pod by default")

    def labels(component):
        return {"app.kubernetes.io/name": "ofwatch", "app.kubernetes.io/part-of": "ofwatch",
                "app.kubernetes.io/component": component}
    reach_store = set()
    for var in ("OFWATCH_STORE", "OFWATCH_STORE_EVENTS"):
        reach_store |= policy_sources(policies, labels("store"), ENDPOINTS[var][1])
    reach_pg = policy_sources(policies, labels("postgres"), 5432)
    # Under the default deny a service whose ports no policy admits could
    # not even be probed or scraped: each must have its own.
    closed = ["%s:%d" % (name, port) for name in sorted(SERVICES)
              for port in sorted({ENDPOINTS[v][1] for v in binds(name)}
                                 | {SERVICES[name]["metrics"]})
              if not policy_sources(policies, labels(name), port)]
    report.check(not closed, "k8s: NetworkPolicies admit each service's own ports",
                 "no policy admits %s" % ", ".join(closed))
    report.check(reach_store == store_clients(),
                 "k8s: NetworkPolicies let only %s reach store" % sorted(store_clients()),
                 "store is reachable from %s" % sorted(reach_store))
    report.check(reach_pg == pg_clients(),
                 "k8s: NetworkPolicies let only %s reach postgres" % sorted(pg_clients()),
                 "postgres is reachable from %s" % sorted(reach_pg))
    return {"store": reach_store, "postgres": reach_pg}


def check_workload(report, rel, d, configmaps, secrets, services, allowed):
    name = d["metadata"]["name"]
    label = "k8s %s %s" % (d["kind"], name)
    spec = d.get("spec") or {}
    template = spec.get("template") or {}
    pod = template.get("spec") or {}
    pod_labels = (template.get("metadata") or {}).get("labels") or {}
    match = (spec.get("selector") or {}).get("matchLabels") or {}
    report.check(bool(match) and all(pod_labels.get(k) == v for k, v in match.items()),
                 "%s: selector matches the pod labels" % label)

    pod_sc = pod.get("securityContext") or {}
    volumes = {v.get("name"): v for v in pod.get("volumes") or []}
    containers = pod.get("containers") or []
    if not report.check(bool(containers), "%s: has containers" % label):
        return

    for c in containers:
        cl = "%s container %s" % (label, c.get("name"))
        c_sc = c.get("securityContext") or {}

        report.check(bool(c.get("readinessProbe")) and bool(c.get("livenessProbe")),
                     "%s: readiness and liveness probes" % cl)

        res = c.get("resources") or {}
        missing = ["%s.%s" % (part, r) for part in ("requests", "limits")
                   for r in ("cpu", "memory") if r not in (res.get(part) or {})]
        report.problems("%s: resources.requests and resources.limits (cpu, memory)" % cl,
                        ["missing " + ", ".join(missing)] if missing else [])

        uid = effective(pod_sc, c_sc, "runAsUser")
        problems = []
        if effective(pod_sc, c_sc, "runAsNonRoot") is not True:
            problems.append("runAsNonRoot is not true")
        if not isinstance(uid, int) or uid == 0:
            problems.append("runAsUser is %r" % (uid,))
        if c_sc.get("allowPrivilegeEscalation") is not False:
            problems.append("allowPrivilegeEscalation is not false")
        report.problems("%s: runs as non-root (runAsNonRoot, runAsUser %s), no privilege escalation"
                        % (cl, uid), problems)

        problems = []
        if c.get("env"):
            problems.append("inline env: %s" % [e.get("name") for e in c["env"]])
        for src in c.get("envFrom") or []:
            if "configMapRef" in src:
                ref = src["configMapRef"].get("name")
                if ref not in configmaps:
                    problems.append("configMapRef %s is not a ConfigMap of deploy/k8s" % ref)
            elif "secretRef" in src:
                ref = src["secretRef"].get("name")
                if ref not in secrets:
                    problems.append("secretRef %s is not a Secret of deploy/k8s" % ref)
            else:
                problems.append("envFrom entry %r" % (src,))
            if src.get("prefix"):
                problems.append("envFrom prefix %r" % src["prefix"])
        if not c.get("envFrom"):
            problems.append("no envFrom")
        report.problems("%s: environment only from the project's ConfigMaps/Secrets (envFrom)" % cl,
                        problems)

        if name in SERVICES and c.get("name") == name:
            check_ofwatch_container(report, cl, name, c, c_sc, uid, volumes,
                                    configmaps, secrets, allowed)

    if name in SERVICES:
        check_ofwatch_service(report, name, pod_labels, template, services)


def check_ofwatch_container(report, cl, name, c, c_sc, uid, volumes, configmaps, secrets,
                            allowed):
    report.check(words(c.get("command"))[:1] == ["ofwatch-" + name],
                 "%s: command runs ofwatch-%s" % (cl, name),
                 "command is %r" % (c.get("command"),))
    report.check(uid == IMAGE_UID, "%s: runs as the image's user %d" % (cl, IMAGE_UID),
                 "runAsUser is %r" % (uid,))
    report.check(c_sc.get("readOnlyRootFilesystem") is True,
                 "%s: readOnlyRootFilesystem" % cl)

    problems = []
    for probe in ("readinessProbe", "livenessProbe"):
        command = ((c.get(probe) or {}).get("exec") or {}).get("command")
        problems += ["%s %s" % (probe, p) for p in
                     (health_problems(command, name) if command else ["is not an exec probe"])]
    report.problems("%s: probes run ofwatch health --service %s" % (cl, name), problems)

    env = {}
    for src in c.get("envFrom") or []:
        if "configMapRef" in src:
            env.update(configmaps.get(src["configMapRef"].get("name"), {}))
        elif "secretRef" in src:
            env.update(secrets.get(src["secretRef"].get("name"), {}))
    env = {k: str(v) for k, v in env.items()}
    report.problems("%s: environment from envFrom follows CONTRACTS.md section 2" % cl,
                    endpoint_problems(env, name, allowed))

    own = {ENDPOINTS[v][1] for v in binds(name)} | {SERVICES[name]["metrics"]}
    ports = {p.get("containerPort") for p in c.get("ports") or []}
    report.check(ports == own, "%s: container ports %s" % (cl, sorted(own)),
                 "has %s" % sorted(p for p in ports if p is not None))

    keys_dir = env.get("OFWATCH_KEYS", KEYS_DIR)
    mounts = [m for m in c.get("volumeMounts") or [] if m.get("mountPath") == keys_dir]
    vol = volumes.get(mounts[0].get("name")) if mounts else None
    report.check(bool(mounts) and mounts[0].get("readOnly") is True and vol is not None
                 and (vol.get("secret") or {}).get("secretName") in secrets,
                 "%s: CURVE keys mounted read-only from a Secret at %s" % (cl, keys_dir))


def check_ofwatch_service(report, name, pod_labels, template, services):
    svc = services.get(name)
    if not report.check(svc is not None, "k8s Service %s exists" % name):
        return
    spec = svc.get("spec") or {}
    selector = spec.get("selector") or {}
    report.check(bool(selector) and all(pod_labels.get(k) == v for k, v in selector.items()),
                 "k8s Service %s: selector matches the Deployment's pods" % name)
    containers = (template.get("spec") or {}).get("containers") or []
    named = {p.get("name"): p.get("containerPort")
             for c in containers for p in c.get("ports") or []}
    served = {}
    for p in spec.get("ports") or []:
        target = p.get("targetPort", p.get("port"))
        served[p.get("port")] = named.get(target, target)
    want = {ENDPOINTS[v][1] for v in binds(name)}
    problems = ["port %s" % port for port in sorted(want) if served.get(port) != port]
    report.problems("k8s Service %s: serves %s on the same container ports"
                    % (name, sorted(want)), problems and ["missing or remapped " + ", ".join(problems)])


def check_hpa(report, by_kind):
    hpas = [d for _, d in by_kind.get("HorizontalPodAutoscaler", [])
            if (d.get("spec") or {}).get("scaleTargetRef", {}).get("name") == "ingest"]
    if not report.check(bool(hpas), "k8s: HorizontalPodAutoscaler for ingest"):
        return
    spec = hpas[0]["spec"]
    problems = []
    if hpas[0].get("apiVersion") != "autoscaling/v2":
        problems.append("apiVersion %s" % hpas[0].get("apiVersion"))
    if spec["scaleTargetRef"].get("kind") != "Deployment":
        problems.append("target kind %s" % spec["scaleTargetRef"].get("kind"))
    lo, hi = spec.get("minReplicas", 1), spec.get("maxReplicas")
    if not isinstance(hi, int) or lo > hi:
        problems.append("minReplicas %r, maxReplicas %r" % (lo, hi))
    if not spec.get("metrics"):
        problems.append("no metrics")
    report.problems("k8s HPA ingest: autoscaling/v2, Deployment target, sane bounds", problems)


# --- Main -------------------------------------------------------------------

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root_default = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=root_default, help="repository root")
    ap.add_argument("--contracts", default=None,
                    help="CONTRACTS.md to cross-check (default ../shared/CONTRACTS.md "
                         "beside the repository, or $OFWATCH_CONTRACTS)")
    args = ap.parse_args()
    contracts = (args.contracts or os.environ.get("OFWATCH_CONTRACTS")
                 or os.path.join(os.path.dirname(os.path.abspath(args.root)),
                                 "shared", "CONTRACTS.md"))

    report = Report()
    allowed = check_contracts(report, contracts)
    compose = check_compose(report, os.path.join(args.root, "docker-compose.yml"), allowed)
    k8s = check_k8s(report, os.path.join(args.root, "deploy", "k8s"), allowed)
    if compose is not None and k8s is not None:
        report.check(compose == k8s, "compose and k8s let the same services reach store and "
                     "postgres", "compose %r, k8s %r" % (compose, k8s))
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
