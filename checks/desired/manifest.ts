import { z } from "zod";

/** `cdktf.out/manifest.json` as cdktf-cli 0.21 writes it (the parts the checker reads). */
export const Manifest = z
  .object({
    version: z.string().optional(),
    stacks: z.record(
      z.string(),
      z
        .object({
          name: z.string().optional(),
          synthesizedStackPath: z.string({ error: "a synthesizedStackPath" }),
        })
        .loose(),
      { error: "an object of stacks keyed by name" },
    ),
  })
  .loose();
export type Manifest = z.output<typeof Manifest>;
