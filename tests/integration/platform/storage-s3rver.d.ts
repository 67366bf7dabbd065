/** The part of s3rver 3.7 (a fake S3 server for tests) the storage tests use; it ships no types. */
declare module "s3rver" {
  export default class S3rver {
    constructor(options: { port?: number; address?: string; directory: string; silent?: boolean });
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}
