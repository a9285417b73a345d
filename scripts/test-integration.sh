#!/usr/bin/env bash
# Runs the integration suites. Their Jest global setup starts the local Kafka and MongoDB-compatible
# servers (scripts/infra/) unless KAFKA_BROKERS / MONGODB_URI name servers to use instead.
# The arguments come before --selectProjects: that option takes a list, so a test path after it would be
# read as a second project name and every integration suite would run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec npx jest "$@" --selectProjects integration
