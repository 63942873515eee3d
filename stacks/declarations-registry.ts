import { Lazy, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import {
  DECLARATIONS_KEY,
  DECLARATIONS_SCHEMA_VERSION,
  type DeclarationsInput,
  type ZoneDeclarationInput,
} from "../checks/desired/declarations.js";

const registries = new WeakMap<TerraformStack, ZoneDeclarationInput[]>();

/**
 * Register one zone's preflight declarations with the stack that holds `scope`. The first site in a
 * stack adds a lazy `"//".cf_preflight` block (a comment to Terraform) that renders every registered
 * zone at synth time, so declarations made after construction (routes, acknowledgements) are kept.
 */
export function registerZoneDeclarations(scope: IConstruct, zone: ZoneDeclarationInput): void {
  const stack = TerraformStack.of(scope);
  let zones = registries.get(stack);
  if (!zones) {
    const list: ZoneDeclarationInput[] = [];
    zones = list;
    registries.set(stack, list);
    stack.addOverride(
      `//.${DECLARATIONS_KEY}`,
      Lazy.anyValue({
        produce: (): DeclarationsInput => ({ schemaVersion: DECLARATIONS_SCHEMA_VERSION, zones: list }),
      }),
    );
  }
  zones.push(zone);
}
