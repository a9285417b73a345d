# shellcheck shell=bash
# mongo-java-server (MongoDB wire protocol in Java) through the launcher in infra/mongo-java-server/.

MONGO_JAVA_HOME_DIR="$INFRA_HOME/mongo-java-server"
MONGO_JAVA_SOURCE_DIR="$INFRA_REPO_ROOT/infra/mongo-java-server"
MONGO_JAVA_LAUNCHER_SOURCE="$MONGO_JAVA_SOURCE_DIR/src/main/java/infra/MongoJavaServerLauncher.java"

mongo_java_server_port() { printf '%s\n' "${INFRA_MONGO_JAVA_PORT:-37017}"; }
mongo_java_server_endpoint() { printf 'mongodb://%s:%s\n' "$INFRA_HOST" "$(mongo_java_server_port)"; }

mongo_java_server_require_tools() {
  require_tool java "to run mongo-java-server (Java 17 or newer)"
  require_tool javac "to compile the mongo-java-server launcher (a JDK, not only a JRE)"
  require_tool mvn "to download mongo-java-server from Maven Central"
}

mongo_java_server_install() {
  local stamp="$MONGO_JAVA_HOME_DIR/installed" wanted staging
  wanted=$(fingerprint "$MONGO_JAVA_SOURCE_DIR/pom.xml" "$MONGO_JAVA_LAUNCHER_SOURCE")
  [[ -f $stamp && $(<"$stamp") == "$wanted" ]] && return 0
  staging="$MONGO_JAVA_HOME_DIR.staging"
  rm -rf "$staging" "$MONGO_JAVA_HOME_DIR"
  mkdir -p "$staging"
  run_with_progress "fetching mongo-java-server jars with Maven (from ~/.m2, or Maven Central the first time)" \
    "$INFRA_LOG_DIR/mongo-java-server-install.log" \
    mvn -q -B -Dstyle.color=never -f "$MONGO_JAVA_SOURCE_DIR/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$staging/libs"
  javac -d "$staging/classes" -cp "$staging/libs/*" "$MONGO_JAVA_LAUNCHER_SOURCE" ||
    die "compiling $MONGO_JAVA_LAUNCHER_SOURCE failed"
  printf '%s\n' "$wanted" >"$staging/installed"
  mv "$staging" "$MONGO_JAVA_HOME_DIR"
}

# In memory by default, so every start is empty; INFRA_MONGO_JAVA_H2_FILE keeps the data in an H2 file
# across restarts instead.
mongo_java_server_start() {
  local storage=()
  require_free_port "$(mongo_java_server_port)" "mongo-java-server" INFRA_MONGO_JAVA_PORT
  if [[ -n ${INFRA_MONGO_JAVA_H2_FILE:-} ]]; then
    mkdir -p "$(dirname "$INFRA_MONGO_JAVA_H2_FILE")"
    storage=("$INFRA_MONGO_JAVA_H2_FILE")
  fi
  # The memory backend holds every document as Java objects: native SessionView documents take several times their
  # BSON size, and out of heap the server acknowledges inserts it then does not keep (10,000 realistic views of the
  # list benchmark stopped at 7,000 under 512 MiB). 2 GiB holds the benchmarks' sizes and a day of test databases.
  start_detached mongo-java-server java -Xmx2g -Djava.awt.headless=true \
    -cp "$MONGO_JAVA_HOME_DIR/classes:$MONGO_JAVA_HOME_DIR/libs/*" infra.MongoJavaServerLauncher \
    "$INFRA_HOST" "$(mongo_java_server_port)" "${storage[@]}"
}

mongo_java_server_start_timeout_s() { printf '60\n'; }

mongo_java_server_ready() {
  port_open "$(mongo_java_server_port)" && mongo_java_server_probe "$(mongo_java_server_endpoint)"
}

mongo_java_server_probe() { probe_with_node mongo "$1"; }
