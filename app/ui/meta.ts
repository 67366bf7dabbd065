/** Document titles read "<page> – ABH-Netz"; loaders translate the page part. */
export function documentTitle(page?: string | null) {
  return [{ title: page ? `${page} – ABH-Netz` : "ABH-Netz" }];
}
