/**
 * The environment of an app or CLI process a test starts: `env` and nothing else of the caller's variables, so the
 * test controls the configuration, except what runs Node.js itself: PATH, and NODE_OPTIONS, which carries the Node 22
 * run's native-addon preload (scripts/node22/test-unit.sh).
 */
export function childEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  const { PATH, NODE_OPTIONS } = process.env;
  return { PATH, ...(NODE_OPTIONS ? { NODE_OPTIONS } : {}), ...env };
}
