// Tells whether a development server answers real protocol requests, not only TCP connects, and prints
// what it reports. Usage: node probe.js kafka <host:port> | node probe.js mongo <mongodb-uri>
const { Kafka, logLevel } = require('kafkajs');
const { MongoClient } = require('mongodb');

const TIMEOUT_MS = 3000;

async function probeKafka(broker) {
  const admin = new Kafka({
    clientId: 'infra-probe',
    brokers: [broker],
    connectionTimeout: TIMEOUT_MS,
    requestTimeout: TIMEOUT_MS,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    return `brokers=${cluster.brokers.length} controller=${cluster.controller}`;
  } finally {
    await admin.disconnect();
  }
}

async function probeMongo(uri) {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: TIMEOUT_MS, connectTimeoutMS: TIMEOUT_MS });
  await client.connect();
  try {
    const admin = client.db('admin');
    await admin.command({ ping: 1 });
    // `isMaster` rather than `hello`: mongo-java-server implements only the legacy name.
    const handshake = await admin.command({ isMaster: 1 });
    const build = await admin.command({ buildInfo: 1 });
    return `version=${build.version} wire=${handshake.minWireVersion}..${handshake.maxWireVersion}`;
  } finally {
    await client.close();
  }
}

const probes = { kafka: probeKafka, mongo: probeMongo };

async function main([kind, target]) {
  const probe = probes[kind];
  if (!probe || !target) {
    throw new Error('usage: node probe.js kafka <host:port> | node probe.js mongo <mongodb-uri>');
  }
  console.log(await probe(target));
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error.message);
  process.exit(1);
});
