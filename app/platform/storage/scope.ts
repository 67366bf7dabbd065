/**
 * Whose file it is. Every key starts with its owner's prefix (offices/<id>/…,
 * networks/<id>/…), and every read, download and deletion names the acting scope: a
 * key outside it is answered exactly like a missing one (404), so a foreign tenant
 * learns nothing, not even that the file exists.
 */
export type StorageScope = { kind: "office"; officeId: string } | { kind: "network"; networkId: string };

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
/** A key as the storage makes it: the owner's prefix and a random UUID, nothing else. */
export const KEY = new RegExp(`^(offices|networks)/[A-Za-z0-9_-]{1,64}/${UUID}$`);

export function scopePrefix(scope: StorageScope) {
  const [folder, id] = scope.kind === "office" ? ["offices", scope.officeId] : ["networks", scope.networkId];
  if (!ID.test(id)) throw new Error(`Ungültige Kennung für den Dateispeicher: ${JSON.stringify(id)}`);
  return `${folder}/${id}/`;
}

/** True only for a well-formed key inside the scope. */
export function isKeyInScope(key: string, scope: StorageScope) {
  return KEY.test(key) && key.startsWith(scopePrefix(scope));
}
