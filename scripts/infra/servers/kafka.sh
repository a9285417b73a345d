# shellcheck shell=bash
# Apache Kafka, single-node KRaft (one process is both broker and controller), from Maven Central jars.

KAFKA_HOME_DIR="$INFRA_HOME/kafka"
KAFKA_POM="$INFRA_REPO_ROOT/infra/kafka/pom.xml"

kafka_port() { printf '%s\n' "${INFRA_KAFKA_PORT:-39092}"; }
kafka_controller_port() { printf '%s\n' "${INFRA_KAFKA_CONTROLLER_PORT:-39093}"; }
kafka_endpoint() { printf '%s:%s\n' "$INFRA_HOST" "$(kafka_port)"; }

kafka_require_tools() {
  require_tool java "to run Kafka (Java 17 or newer)"
  require_tool mvn "to download Kafka from Maven Central"
}

kafka_install() {
  local stamp="$KAFKA_HOME_DIR/installed" wanted staging
  wanted=$(fingerprint "$KAFKA_POM")
  [[ -f $stamp && $(<"$stamp") == "$wanted" ]] && return 0
  staging="$KAFKA_HOME_DIR.staging"
  rm -rf "$staging" "$KAFKA_HOME_DIR"
  mkdir -p "$staging"
  run_with_progress "fetching Kafka jars with Maven (from ~/.m2, or Maven Central the first time)" \
    "$INFRA_LOG_DIR/kafka-install.log" \
    mvn -q -B -Dstyle.color=never -f "$KAFKA_POM" dependency:copy-dependencies -DoutputDirectory="$staging/libs"
  java -cp "$staging/libs/*" kafka.tools.StorageTool random-uuid >"$staging/cluster-id" \
    2>>"$INFRA_LOG_DIR/kafka-install.log"
  printf '%s\n' "$wanted" >"$staging/installed"
  mv "$staging" "$KAFKA_HOME_DIR"
}

# Console logging only: the server's stdout already goes to $INFRA_HOME/logs/kafka.log.
kafka_write_log4j_config() {
  cat <<'PROPERTIES'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
PROPERTIES
}

# Topics are not auto-created, as on a production cluster: code that forgets to create its topics fails
# here rather than in production. Internal topics get one replica and one partition because there is one
# broker; at the default replication factor of 3 consumer groups never form.
kafka_write_server_config() {
  local port controller_port
  port=$(kafka_port)
  controller_port=$(kafka_controller_port)
  cat <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$INFRA_HOST:$controller_port
listeners=PLAINTEXT://$INFRA_HOST:$port,CONTROLLER://$INFRA_HOST:$controller_port
advertised.listeners=PLAINTEXT://$INFRA_HOST:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_HOME_DIR/data
auto.create.topics.enable=false
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
PROPERTIES
}

# Every start begins with an empty log, so topics from earlier runs never pile up.
kafka_start() {
  local config="$KAFKA_HOME_DIR/server.properties"
  require_free_port "$(kafka_port)" "Kafka" INFRA_KAFKA_PORT
  require_free_port "$(kafka_controller_port)" "Kafka controller" INFRA_KAFKA_CONTROLLER_PORT
  kafka_write_server_config >"$config"
  kafka_write_log4j_config >"$KAFKA_HOME_DIR/log4j.properties"
  rm -rf "$KAFKA_HOME_DIR/data"
  java -cp "$KAFKA_HOME_DIR/libs/*" -Dlog4j.configuration="file:$KAFKA_HOME_DIR/log4j.properties" \
    kafka.tools.StorageTool format -t "$(<"$KAFKA_HOME_DIR/cluster-id")" -c "$config" \
    >"$INFRA_LOG_DIR/kafka-format.log" 2>&1 ||
    die "formatting Kafka's log directory failed; see $INFRA_LOG_DIR/kafka-format.log"
  start_detached kafka java -Xms512m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$KAFKA_HOME_DIR/log4j.properties" \
    -cp "$KAFKA_HOME_DIR/libs/*" kafka.Kafka "$config"
}

kafka_start_timeout_s() { printf '90\n'; }

kafka_ready() {
  grep -qF 'Kafka Server started' "$INFRA_LOG_DIR/kafka.log" && kafka_probe "$(kafka_endpoint)"
}

kafka_probe() { probe_with_node kafka "$1"; }
