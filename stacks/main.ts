import { App } from "cdktf";
import { ExampleStack } from "./example.js";

/** The cdktf app named in cdktf.json: `cdktf synth` writes cdktf.out/ from it. */
const app = new App();
new ExampleStack(app, "example");
app.synth();
