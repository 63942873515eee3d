/** The live reader scrubs its messages with the one scrubber (checks/scrub.ts). */
export { createScrubber, REDACTED_TOKEN, redactUserinfo, scrubSecret } from "../scrub.js";
