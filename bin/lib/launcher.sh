# Shared by the launchers in bin/: builds what is missing, then runs a module's main class.
# usage: protolearn_launch <module> <main class> [args...]
protolearn_launch() {
  local module="$1" main="$2"
  shift 2
  local target="$ROOT/$module/target"
  if [[ ! -d "$target/lib" || ! -d "$target/classes" || -n "${PROTOLEARN_REBUILD:-}" ]]; then
    echo "building $module (first run) ..." >&2
    rm -rf "$target/lib" # copy-dependencies never deletes jars of versions no longer used
    (cd "$ROOT" && mvn -q -B -ntp -DskipTests -Dspotless.check.skip=true install -pl "$module" -am) >&2
  fi
  export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
  export MKL_CBWR="${MKL_CBWR:-COMPATIBLE,STRICT}"
  export ATEN_CPU_CAPABILITY="${ATEN_CPU_CAPABILITY:-default}"
  export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
  export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$target/djl-cache}"
  exec java ${PROTOLEARN_JAVA_OPTS:-} -Dai.djl.offline=true -Dprotolearn.root="$ROOT" \
    -cp "$target/classes:$target/lib/*" "$main" "$@"
}
