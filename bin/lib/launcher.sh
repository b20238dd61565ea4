# Shared by the launchers in bin/: (re)builds a module when its build is missing or older than the
# sources, then runs the module's main class.
# usage: protolearn_launch <module> <main class> [args...]

# Prints the first build input (main sources, resources, pom.xml, contract sources) changed since
# the file $1 was written; prints nothing when the build is up to date.
protolearn_changed_since() {
  find "$ROOT" \( -path "$ROOT/.*" -o -name node_modules -o -name target \) -prune -o -type f \
    \( -path '*/src/main/*' -o -name pom.xml -o -path "$ROOT/contracts/src/*" \
    -o -path "$ROOT/contracts/scripts/*" -o -path "$ROOT/contracts/hardhat.config.js" \
    -o -path "$ROOT/contracts/package-lock.json" \) -newer "$1" -print -quit
}

protolearn_launch() {
  local module="$1" main="$2"
  shift 2
  local target="$ROOT/$module/target"
  local stamp="$target/launcher.stamp" # written by the last build this launcher finished
  local why=""
  if [[ ! -d "$target/lib" || ! -d "$target/classes" || ! -f "$stamp" ]]; then
    why="no launcher build yet"
  elif [[ -n "${PROTOLEARN_REBUILD:-}" ]]; then
    why="PROTOLEARN_REBUILD is set"
  else
    local changed
    changed="$(protolearn_changed_since "$stamp")"
    [[ -z "$changed" ]] || why="${changed#"$ROOT/"} changed since the last build"
  fi
  if [[ -n "$why" ]]; then
    echo "building $module ($why) ..." >&2
    mkdir -p "$target"
    touch "$target/launcher.stamp.new" # before the build: an edit made during it is seen next time
    rm -rf "$target/lib" # copy-dependencies never deletes jars of versions no longer used
    (cd "$ROOT" && mvn -q -B -ntp -DskipTests -Dspotless.check.skip=true package -pl "$module" -am) >&2
    mv "$target/launcher.stamp.new" "$stamp"
  fi
  export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
  export MKL_CBWR="${MKL_CBWR:-COMPATIBLE,STRICT}"
  export ATEN_CPU_CAPABILITY="${ATEN_CPU_CAPABILITY:-default}"
  export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
  export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$target/djl-cache}"
  # a bounded heap (DESIGN §13): PROTOLEARN_HEAP (default 2g); an -Xmx in PROTOLEARN_JAVA_OPTS,
  # which comes after it, wins. Tensors live in native memory; the heap holds requests and answers.
  exec java "-Xmx${PROTOLEARN_HEAP:-2g}" ${PROTOLEARN_JAVA_OPTS:-} -Dai.djl.offline=true -Dprotolearn.root="$ROOT" \
    -cp "$target/classes:$target/lib/*" "$main" "$@"
}
