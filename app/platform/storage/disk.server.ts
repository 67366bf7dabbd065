import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type { FileMeta, StorageBackend, StoredObject } from "./backend";

/**
 * Files on the local disk: `<root>/<key>` with its metadata beside it in
 * `<root>/<key>.json`. Uploads are staged in `<root>/.staging` (same file system, so
 * storing one is a rename).
 */
export function createDiskBackend(root: string): StorageBackend {
  const base = path.resolve(root);
  const stagingDir = path.join(base, ".staging");
  const fileOf = (key: string) => {
    const file = path.resolve(base, key);
    // Keys are checked before they get here; this is the last line of defence.
    if (!file.startsWith(base + path.sep)) throw new Error("Schlüssel außerhalb des Dateispeichers");
    return file;
  };
  return {
    kind: "disk",
    stagingDir,
    async write(key, sourcePath, meta) {
      const file = fileOf(key);
      await fsp.mkdir(path.dirname(file), { recursive: true });
      // Metadata first: a file without it is never served (read() returns null).
      await fsp.writeFile(`${file}.json`, JSON.stringify(meta));
      try {
        await fsp.rename(sourcePath, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
        await fsp.copyFile(sourcePath, file);
      }
    },
    async read(key): Promise<StoredObject | null> {
      const file = fileOf(key);
      let meta: FileMeta;
      try {
        meta = JSON.parse(await fsp.readFile(`${file}.json`, "utf8")) as FileMeta;
        const stat = await fsp.stat(file);
        meta.size = stat.size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
      return { ...meta, key, body: fs.createReadStream(file) };
    },
    async remove(key) {
      const file = fileOf(key);
      await fsp.rm(file, { force: true });
      await fsp.rm(`${file}.json`, { force: true });
    },
    async list(prefix) {
      const dir = path.resolve(base, prefix);
      if (dir !== base && !dir.startsWith(base + path.sep)) return [];
      const entries = await fsp.readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return [];
        throw error;
      });
      return entries
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(base, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
        .sort();
    },
  };
}
