/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// Single Fetch (future.v3_singleFetch) changes what loaders return to the browser;
// this makes useLoaderData's types follow it.
declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
