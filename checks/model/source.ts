/** Where a desired-state element came from, so that findings point at code. */
export interface SourceRef {
  /** The file it was read from (a `cdk.tf.json` or a hand-written Terraform JSON file). */
  readonly file: string;
  /** The cdktf stack name, when read from a `cdktf.out` folder. */
  readonly stack?: string;
  /** The Terraform address, e.g. `cloudflare_dns_record.www_a_0`. */
  readonly address?: string;
  /** The cdktf construct path, e.g. `example/www/a-0`. */
  readonly constructPath?: string;
}
