import { expect } from "vitest";
import { PASSWORD, tokenFragments } from "./scenarios.js";

const FRAGMENTS = tokenFragments();

/** The 8-character pieces of the token (or the base URL's password) found in a text. */
export function secretsIn(text: string): string[] {
  const found = FRAGMENTS.filter((f) => text.includes(f));
  if (text.includes(PASSWORD)) found.push(PASSWORD);
  return found;
}

/** Fails when a text holds the token, any 8-character piece of it, or the base URL's password. */
export function expectNoSecret(text: string, where: string): void {
  expect(secretsIn(text), `${where}: ${text.slice(0, 300)}`).toEqual([]);
}
