import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";

/**
 * No test reaches the network: any outgoing HTTP request that a test has not given a
 * handler for fails the test. External services (Resend) get handlers in their tests.
 */
export const mswServer = setupServer();
beforeAll(() =>
  mswServer.listen({
    onUnhandledRequest: (request, print) => {
      const url = new URL(request.url);
      // Requests to the portal under test and the local database are not external.
      if (url.hostname === "127.0.0.1" || url.hostname === "localhost") return;
      print.error();
    },
  }),
);
afterEach(() => mswServer.resetHandlers());
afterAll(() => mswServer.close());
