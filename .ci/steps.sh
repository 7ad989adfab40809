# Sourced by .ci/run and .ci/full-api: steps that print their time, the spec validator, and
# Baseten's history unpacked. Run from the repository root.

STEPS_START=$SECONDS
STEP_NAME=
STEP_AT=$SECONDS
STEP_TIMES=()

# step NAME: ends the step before (printing its time) and opens NAME.
step() {
  step_end
  STEP_NAME=$1
  STEP_AT=$SECONDS
  echo "== $1"
}

step_end() {
  [ -n "$STEP_NAME" ] || return 0
  local took=$((SECONDS - STEP_AT))
  printf -- '-- %d s: %s\n' "$took" "$STEP_NAME"
  STEP_TIMES+=("$(printf '%5d s  %s' "$took" "$STEP_NAME")")
  STEP_NAME=
}

# The table of every step's time and the total.
steps_done() {
  step_end
  echo "== steps"
  printf '%s\n' "${STEP_TIMES[@]}"
  printf '%5d s  in all\n' "$((SECONDS - STEPS_START))"
}

# openapi-spec-validator, pinned, in a venv under target/ (once): its path in VALIDATOR.
validator() {
  local venv=target/ci-venv
  [ -x "$venv/bin/openapi-spec-validator" ] || {
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "openapi-spec-validator==0.9.0"
  }
  VALIDATOR=$PWD/$venv/bin/openapi-spec-validator
}

# The 103 versions of Baseten's spec unpacked in HISTORY_DIR (once), their file names in
# HISTORY_VERSIONS in history.md's order (by date): `cut --mix` picks among them by place.
history_versions() {
  HISTORY_DIR=$PWD/target/history-versions
  if [ ! -e "$HISTORY_DIR/.unpacked" ]; then
    rm -rf "$HISTORY_DIR"
    mkdir -p "$HISTORY_DIR"
    tar xJf tests/fixtures/openapi/history/history.tar.xz -C "$HISTORY_DIR"
    touch "$HISTORY_DIR/.unpacked"
  fi
  mapfile -t HISTORY_VERSIONS < <(sed -n 's/^| \([A-Za-z][^ ]*\.json\) .*/\1/p' tests/fixtures/openapi/history/history.md)
  [ "${#HISTORY_VERSIONS[@]}" = 103 ] || { echo "history.md lists ${#HISTORY_VERSIONS[@]} versions, not 103" >&2; exit 1; }
}
