import { createScrubber, type Scrub } from "../scrub.js";

/** The scrubber for everything the CLI writes: the API token of this environment and URL userinfo. */
export function scrubber(token: string | undefined): Scrub {
  return createScrubber([token]);
}
