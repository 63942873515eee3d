import { type TfObject, Unknown } from "./value.js";

/**
 * The blocks a `dynamic` block over a collection not known before apply would make. It is an
 * `Unknown` like any other (readers that do not look further see an unknown block), and it also
 * carries the block's content evaluated once with the iterator bound to `EachElement`: a reader that
 * knows what the collection is (Cloudflare's ranges from `cloudflare_ip_ranges`) can still read the
 * rules, e.g. `dynamic "ingress" { for_each = data.cloudflare_ip_ranges.cf.ipv4_cidr_blocks ... }`.
 */
export class UnknownBlocks extends Unknown {
  constructor(
    expression: string,
    why: string,
    /** The content with the iterator's `key` and `value` standing for one element of `collection`. */
    readonly template: TfObject,
    readonly collection: Unknown,
  ) {
    super(expression, why);
  }
}

/** One element of a collection not known before apply (the iterator of an `UnknownBlocks`). */
export class EachElement extends Unknown {
  constructor(
    readonly collection: Unknown,
    iterator: string,
  ) {
    super(
      `${iterator}.value`,
      `one element of ${collection.expression}, which is not known: ${collection.why}`,
      collection.references,
      collection.sensitive,
    );
  }
}
