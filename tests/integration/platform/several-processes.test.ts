/**
 * Several app servers (issue 20, item 8): two real portal processes – the same build, as
 * `npm start` runs it, each with its job worker – on one PostgreSQL database and one
 * S3-compatible store (s3rver, started here), on two ports, as behind a load balancer
 * without sticky sessions. Shows that a session opened on one works on the other (and
 * ends on both), that a job scheduled for a time runs exactly once across both workers,
 * and that a file uploaded through one downloads byte for byte from the other.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/auth/password.server";
import { createPrismaClient } from "~/platform/db.server";
import { PASSWORD, client, text } from "../../support/accounts";
import { createTestDatabase } from "../../support/database";
import { createPlan } from "../../support/plan";
import { startPortal } from "../../support/portal";
import { files } from "./storage-files";

type Portal = Awaited<ReturnType<typeof startPortal>>;

describe("two portal processes on one database and one S3 store", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "abh-several-"));
  let s3: S3rver;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let prisma: ReturnType<typeof createPrismaClient>;
  let a: Portal;
  let b: Portal;
  const ids = {} as { office: string; measure: string; plan: string };

  beforeAll(async () => {
    s3 = new S3rver({ port: 0, address: "127.0.0.1", directory: path.join(dir, "s3"), silent: true });
    const { port } = await s3.run();
    const endpoint = `http://127.0.0.1:${port}`;
    await new S3Client({
      endpoint,
      region: "eu-central-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    }).send(new CreateBucketCommand({ Bucket: "abh-mehrere" }));
    database = await createTestDatabase();
    prisma = createPrismaClient(database.url, { max: 2 });

    const version = await prisma.frameworkVersion.findFirstOrThrow();
    const network = await prisma.network.create({
      data: { slug: "mehrere", name: "Netz Mehrere", state: "RP", frameworkVersionId: version.id },
    });
    const office = await prisma.office.create({
      data: { networkId: network.id, slug: "a", name: "ABH Alpha", kind: "LANDKREIS" },
    });
    const staff = await prisma.user.create({
      data: { email: "staff@mehrere.example", name: "Sami Zwei-Server", passwordHash: await hashPassword(PASSWORD) },
    });
    await prisma.membership.create({
      data: { userId: staff.id, networkId: network.id, officeId: office.id, role: "OFFICE_STAFF" },
    });
    const { plan, measures } = await createPlan(prisma, { networkId: network.id, officeId: office.id, startedById: staff.id });
    Object.assign(ids, { office: office.id, measure: measures[0].id, plan: plan.id });

    const env = {
      // Debug: graphile-worker's "Completed task …" lines show which process ran a job.
      LOG_LEVEL: "debug",
      DEMO_DATA: "false",
      WORKER: "inline",
      STORAGE_S3_BUCKET: "abh-mehrere",
      STORAGE_S3_ENDPOINT: endpoint,
      STORAGE_S3_REGION: "eu-central-1",
      STORAGE_S3_ACCESS_KEY: "S3RVER",
      STORAGE_S3_SECRET_KEY: "S3RVER",
      STORAGE_S3_FORCE_PATH_STYLE: "true",
      // Where a disk store would be: it must stay empty (the files go to S3).
      STORAGE_DIR: path.join(dir, "disk"),
    };
    // Both at once, as a deployment starts its app servers: migrations and seed are safe to race.
    [a, b] = await Promise.all([startPortal(env, { database }), startPortal(env, { database })]);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await prisma?.$disconnect();
    await prisma?.pool.end();
    await database?.drop();
    await s3?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("serves one session on both: signed in on A, recognised on B, signed out on B, gone on A", async () => {
    expect(a.baseUrl).not.toBe(b.baseUrl);
    const onA = client(a.baseUrl);
    const signIn = await onA.post("/anmelden", { email: "staff@mehrere.example", password: PASSWORD, redirectTo: "/konto" });
    expect(signIn.status).toBe(302);
    expect(onA.cookie).not.toBe("");

    const onB = client(b.baseUrl, onA.cookie);
    const account = await onB.get("/konto");
    expect(account.status).toBe(200);
    expect(text(await account.text())).toContain("staff@mehrere.example");

    const signOut = await onB.post("/abmelden", {});
    expect(signOut.status).toBe(302);
    const afterwards = await client(a.baseUrl, onA.cookie).get("/konto");
    expect(afterwards.status).toBe(302);
    expect(afterwards.headers.get("location")).toMatch(/^\/anmelden/);
  });

  it("runs a job scheduled for a time exactly once across both workers", async () => {
    const runAt = new Date(Date.now() + 1500);
    const messages = [];
    for (let i = 0; i < 8; i++) {
      const message = await prisma.emailMessage.create({
        data: {
          to: `ziel-${i}@mehrere.example`,
          subject: `Geplant ${i} ${crypto.randomUUID()}`,
          html: "<p>x</p>",
          text: "x",
          template: "test",
        },
      });
      messages.push(message);
      // As enqueueJob does it, for a later time: both workers see it, one takes it.
      await prisma.$executeRaw`SELECT graphile_worker.add_job('email.deliver', ${JSON.stringify({ messageId: message.id })}::json, run_at := ${runAt}::timestamptz)`;
    }
    const deadline = Date.now() + 30_000;
    for (;;) {
      const sent = await prisma.emailMessage.count({ where: { id: { in: messages.map((m) => m.id) }, status: "SENT" } });
      const [{ left }] = await prisma.$queryRaw<{ left: bigint }[]>`SELECT count(*) AS left FROM graphile_worker.jobs`;
      if (sent === messages.length && left === 0n) break;
      if (Date.now() > deadline) throw new Error(`only ${sent} of ${messages.length} sent, ${left} jobs left`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // Give a second (wrong) execution the time to show itself.
    await new Promise((r) => setTimeout(r, 1000));
    const both = a.output() + b.output();
    for (const message of messages) {
      // The local transport logs each message it sends: once, in one of the two processes.
      expect(both.split(`subject: ${message.subject}`).length - 1, message.subject).toBe(1);
    }
    const completed = (output: string) => (output.match(/Completed task \d+ \(email\.deliver/g) ?? []).length;
    expect(completed(a.output()) + completed(b.output())).toBe(messages.length);
    const rows = await prisma.emailMessage.findMany({ where: { id: { in: messages.map((m) => m.id) } } });
    expect(rows.every((r) => r.status === "SENT" && r.attempts === 0)).toBe(true);
  });

  it("downloads from B, byte for byte, a file uploaded through A (S3, not the disk)", async () => {
    const onA = client(a.baseUrl);
    await onA.post("/anmelden", { email: "staff@mehrere.example", password: PASSWORD, redirectTo: "/konto" });
    const bytes = await files.xlsx();
    const form = new FormData();
    form.set("measure", ids.measure);
    form.set("file", new Blob([new Uint8Array(bytes)]), "Zeitplan Terminvergabe.xlsx");
    const upload = await fetch(`${a.baseUrl}/behoerden/${ids.office}/plan/anlagen`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: onA.cookie, "Sec-Fetch-Site": "same-origin" },
      body: form,
    });
    expect(upload.status).toBe(302);
    const row = await prisma.planAttachment.findFirstOrThrow({ where: { planId: ids.plan } });

    const download = await fetch(`${b.baseUrl}/behoerden/${ids.office}/plan/anlagen/${row.id}`, {
      headers: { Cookie: onA.cookie },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    // Nothing landed on either process's disk.
    expect(
      fs.existsSync(path.join(dir, "disk"))
        ? fs.readdirSync(path.join(dir, "disk"), { recursive: true }).filter((f) => !String(f).startsWith(".staging"))
        : [],
    ).toEqual([]);
  });
});
