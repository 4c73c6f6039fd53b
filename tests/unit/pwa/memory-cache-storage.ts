/**
 * Cache Storage held in memory, with the semantics the offline store relies on: a deleted
 * cache's open handle keeps working but is orphaned (a later `open` gets a new, empty cache).
 * Node has Request/Response but no Cache Storage.
 */
class MemoryCache {
  readonly entries = new Map<string, Response>();
  private key(request: RequestInfo | URL): string {
    return typeof request === "string" ? request : request instanceof URL ? request.pathname : new URL(request.url).pathname;
  }
  async match(request: RequestInfo | URL): Promise<Response | undefined> {
    return this.entries.get(this.key(request))?.clone();
  }
  async put(request: RequestInfo | URL, response: Response): Promise<void> {
    this.entries.set(this.key(request), response.clone());
  }
  async keys(): Promise<string[]> {
    return [...this.entries.keys()];
  }
}

export class MemoryCacheStorage {
  readonly caches = new Map<string, MemoryCache>();
  async open(name: string): Promise<Cache> {
    let cache = this.caches.get(name);
    if (!cache) {
      cache = new MemoryCache();
      this.caches.set(name, cache);
    }
    return cache as unknown as Cache;
  }
  async delete(name: string): Promise<boolean> {
    return this.caches.delete(name);
  }
  /** Everything stored, as text, to search for another user's data. */
  async dump(): Promise<string> {
    let out = "";
    for (const [name, cache] of this.caches) {
      for (const [key, res] of cache.entries) out += `${name} ${key} ${await res.clone().text()}\n`;
    }
    return out;
  }
}
