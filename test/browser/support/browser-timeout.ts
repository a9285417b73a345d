// A step of a browser test takes a second or two; the suite's set-up may also install Chromium (about a minute on
// a fresh machine) and build the console. Past this a step is hung, not slow.
jest.setTimeout(180_000);
