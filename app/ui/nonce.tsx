import { createContext, useContext } from "react";

/** The per-request CSP nonce (server/app.ts) for Remix's inline scripts. */
const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
