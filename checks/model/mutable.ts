/**
 * A model type being built: its fields writable, so optional fields are added only when they are
 * set. Building large numbers of records with conditional spreads (`...(x ? { x } : {})`) gives each
 * object a separate property store; at 100,000 records that is tens of megabytes.
 */
export type Building<T> = { -readonly [K in keyof T]: T[K] };
