import type { SettingChange } from "../model/change.js";
import { isUnresolved } from "../model/value.js";
import type { DesiredZone, LiveZone } from "../model/zone.js";

/**
 * Zone settings the code sets against the live zone: today the SSL/TLS encryption mode. A mode the
 * code leaves unset is not drift (the live mode applies); a mode that is a Terraform reference
 * cannot be compared and is reported with the Unresolved value as `desired`.
 */
export function diffSettings(zone: string, desired: DesiredZone, live: LiveZone): SettingChange[] {
  const wanted = desired.sslMode;
  if (wanted === undefined) return [];
  if (!isUnresolved(wanted) && wanted === live.sslMode) return [];
  return [{ zone, setting: "ssl", desired: wanted, live: live.sslMode }];
}
