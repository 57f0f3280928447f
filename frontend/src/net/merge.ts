/**
 * RFC 7396 JSON Merge Patch, applied in place. `null` removes a member, an object merges
 * recursively, anything else (numbers, strings, arrays) replaces. Values taken from the patch are
 * copied where they are objects, so later patches never alias into the caller's document.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Applies `patch` to `target` and returns the result. When both are objects the target object is
 * modified and returned; otherwise the result is a fresh value.
 */
export function applyMergePatch<T>(target: T, patch: unknown): T {
  if (!isObject(patch)) return patch as T;
  const out: Record<string, unknown> = isObject(target) ? target : {};
  // for-in, not Object.keys(): no array per object patched (this runs for every row of every delta).
  // Patches are parsed JSON, plain objects with no inherited enumerable members.
  for (const key in patch) {
    const value = patch[key];
    if (value === null) {
      delete out[key];
    } else if (isObject(value)) {
      out[key] = applyMergePatch(out[key], value);
    } else {
      out[key] = value;
    }
  }
  return out as T;
}

/** Pure variant for tests and one-off use: `before` is left untouched. */
export function mergePatch(before: Json, patch: Json): Json {
  return applyMergePatch(structuredClone(before), patch);
}

/** Returns a copy of `value` without its null members (how a full record enters the state). */
export function stripNulls<T>(value: T): T {
  return applyMergePatch({}, value) as T;
}
