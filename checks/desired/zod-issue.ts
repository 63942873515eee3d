import type { z } from "zod";
import { InputError } from "../errors.js";
import { quote } from "../printable.js";

/** A path inside a JSON document as people write it: `resource.cloudflare_dns_record.www.ttl`, `zones[0].name`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else {
      const key = String(part);
      out += /^[A-Za-z_/][\w/-]*$/.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out || "(top level)";
}

/** Turn zod's first issue into the knip-style message: what was expected, at which path, in which file. */
export function inputErrorFromZod(
  error: z.ZodError,
  file: string,
  pathPrefix: readonly PropertyKey[] = [],
): InputError {
  const issue = pickIssue(error.issues);
  const path = formatPath([...pathPrefix, ...issue.path]);
  const { expected, detail } = describeIssue(issue);
  return new InputError(file, path, expected, detail);
}

/** The deepest issue is the most precise one (a union's branches report at its own path). */
function pickIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue {
  let best = issues[0]!;
  for (const issue of issues) if (issue.path.length > best.path.length) best = issue;
  if (best.code === "invalid_union" && best.errors.length > 0) {
    const inner = best.errors.flat();
    if (inner.length > 0 && !best.message.startsWith("Invalid input")) return best;
    const deepest = inner.reduce((a, b) => (b.path.length > a.path.length ? b : a), inner[0]!);
    if (deepest.path.length > 0) return { ...deepest, path: [...best.path, ...deepest.path] };
  }
  return best;
}

/** Zod's own wording starts like this; any other message is ours and says what was expected. */
const ZOD_DEFAULT = /^(Invalid|Too (small|big)|Unrecognized)/;

function describeIssue(issue: z.core.$ZodIssue): { expected: string; detail?: string } {
  const received = /received (\w+)/.exec(issue.message)?.[1];
  if (!ZOD_DEFAULT.test(issue.message)) return { expected: issue.message };
  switch (issue.code) {
    case "invalid_type":
      return {
        expected:
          issue.expected === "object"
            ? "an object"
            : issue.expected === "array"
              ? "an array"
              : `a ${issue.expected}`,
        ...(received ? { detail: `got ${received}` } : {}),
      };
    case "unrecognized_keys":
      return {
        expected: "only known keys",
        detail: `unknown key ${issue.keys.map((k) => quote(k)).join(", ")}`,
      };
    case "invalid_value":
      return {
        expected:
          issue.values.length === 1
            ? JSON.stringify(issue.values[0])
            : `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`,
      };
    case "too_small":
      return { expected: issue.message.replace(/^Too small: expected /, "") };
    case "too_big":
      return { expected: issue.message.replace(/^Too big: expected /, "") };
    case "invalid_union": {
      // No branch got further than another: say what each would have taken ("an IPv4 address or
      // a Terraform expression"), never zod's "Invalid input".
      const wanted = [...new Set(issue.errors.flat().map((e) => describeIssue(e).expected))];
      if (wanted.length > 0) return { expected: wanted.join(" or ") };
      return { expected: "a value of another form" };
    }
    default:
      return {
        expected: issue.message.replace(/^Invalid input: (expected )?/i, "").replace(/^Invalid /, "a valid "),
      };
  }
}
