import { ExampleStack } from "./example.js";
import { synthGated } from "./gate.js";

/**
 * The cdktf app named in cdktf.json. `cdktf synth` and `cdktf deploy` run it; the preflight gate
 * runs first and `cdktf.out` is written only when nothing blocks.
 */
await synthGated((app) => {
  new ExampleStack(app, "example");
});
