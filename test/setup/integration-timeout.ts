// Real servers answer in milliseconds but a consumer group's first rebalance can take seconds; a test that waits
// longer than this is hung, not slow. (Jest ignores `testTimeout` inside a project's configuration.)
jest.setTimeout(120_000);
