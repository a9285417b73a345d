import { buildConsole, installChromium } from './console-browser';

/** Once per run, before any suite: Chromium on the machine, and the console built where the store serves it from. */
export default function setup(): void {
  installChromium();
  buildConsole();
}
