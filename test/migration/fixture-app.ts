import { synthGated } from "../../stacks/gate.js";
import { addressesFromEnv, defineMigrationSite } from "./site.js";

/**
 * The app the migration gate test deploys with the real cdktf CLI: the migration scenario, with the
 * lab origins' addresses from MIG_OLD_V4, MIG_OLD_V6, MIG_NEW_V4 and MIG_NEW_V6.
 */
const addresses = addressesFromEnv(process.env);
await synthGated((app) => {
  defineMigrationSite(app, addresses);
});
