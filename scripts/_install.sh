# Shared install steps for scripts/serve and scripts/test (sourced, not run).

find_python() {
  for candidate in python3.11 python3.12 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 13) else 1)'; then
      echo "$candidate"
      return
    fi
  done
  echo "narrative_service needs Python 3.11 or 3.12; none was found on PATH." >&2
  exit 1
}

install_python() {
  local extras="$1"
  if [ ! -x .venv/bin/python ]; then
    "$(find_python)" -m venv .venv
  fi
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".${extras}"
}

install_assets() {
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is needed to install the NHS.UK front-end (nhsuk-frontend). Install Node.js 20 or later." >&2
    exit 1
  fi
  npm ci --no-audit --no-fund --loglevel=error
}

audit_dependencies() {
  # pip-audit (the dev extra) and npm audit: fails on a known vulnerability that
  # security/audit-exceptions.txt does not accept; warns and carries on when a registry's
  # vulnerability service does not answer.
  .venv/bin/python scripts/audit_dependencies.py
}

install_system_packages() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
  command -v flite >/dev/null 2>&1 || missing+=(flite)
  [ "${#missing[@]}" -eq 0 ] && return
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo -n"
    else
      echo "Cannot install ${missing[*]} (not root, no sudo): browser and audio tests will skip." >&2
      return
    fi
  fi
  if command -v apt-get >/dev/null 2>&1; then
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "No apt-get: install ${missing[*]} yourself to run browser and audio tests." >&2
  fi
}

use_local_postgres_if_running() {
  # PostgreSQL tests use TEST_POSTGRES_URL; default to a local server when one answers.
  if [ -z "${TEST_POSTGRES_URL:-}" ]; then
    if .venv/bin/python - <<'PY' 2>/dev/null; then
import psycopg
psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", connect_timeout=2).close()
PY
      export TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:5432/test"
    fi
  fi
}

use_local_redis_if_running() {
  # Redis queue tests use TEST_REDIS_URL; default to a local server when one answers.
  if [ -z "${TEST_REDIS_URL:-}" ]; then
    if .venv/bin/python - <<'PY' 2>/dev/null; then
import redis
redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=2).ping()
PY
      export TEST_REDIS_URL="redis://127.0.0.1:6379/0"
    fi
  fi
}

install_openai_whisper_for_tests() {
  # The reference engine (openai-whisper) is an optional extra that needs PyTorch. CI
  # machines hold a CPU build of torch 2.13.0 on disk; elsewhere pip would fetch a
  # multi-gigabyte CUDA build, so it is installed only with CI=true or
  # NS_TEST_OPENAI_WHISPER=1 (its tests skip, saying so, otherwise). openai-whisper is
  # installed without triton, which it asks for on Linux but uses only on a GPU.
  if [ "${CI:-}" = "true" ] || [ "${NS_TEST_OPENAI_WHISPER:-}" = "1" ]; then
    .venv/bin/python -m pip install --quiet "torch==2.13.0"
    .venv/bin/python -m pip install --quiet --no-deps "openai-whisper>=20240930"
    .venv/bin/python -m pip install --quiet numba tiktoken more-itertools tqdm
  fi
}
