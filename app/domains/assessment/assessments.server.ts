/**
 * The assessment draft, split by concern (decision 0013): form values and schemas, the steps
 * every save shares, goals, measures, reading, submit and reopen. Routes keep importing from
 * here; new code imports the file it needs.
 */
export * from "./schemas";
export * from "./goals.server";
export * from "./measures.server";
export * from "./load.server";
export * from "./submit.server";
