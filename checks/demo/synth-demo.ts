import { App } from "cdktf";
import { DemoStack } from "../../stacks/demo.js";

export { DEMO_TUNNEL } from "../../stacks/demo.js";

/**
 * Synthesize the demo's stack into `outdir` in-process. cdktf is imported statically here and this
 * module is loaded only by the demo: a bundler then keeps cdktf's named exports (a dynamic
 * `import("cdktf")` of its CommonJS build would give a bundle only its default export).
 */
export function synthDemoStack(outdir: string): void {
  const app = new App({ outdir });
  new DemoStack(app, "example");
  app.synth();
}
