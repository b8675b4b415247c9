/**
 * The outside world of the image smoke test (scripts/image-smoke.sh): the project's Telegram
 * emulator and NBK stand-in, reachable on every interface of the host so that a container on a
 * compose network reaches them too (the emulator itself listens on loopback only).
 *
 *   node --import tsx scripts/smoke/fakeServices.ts CALLS_FILE
 *
 * Prints one JSON line {"telegramPort":…,"nbkPort":…} once listening; on SIGTERM writes how many
 * times the bot called each Bot API method it needs at start-up to CALLS_FILE, then exits.
 */
import { writeFileSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { TEST_TOKEN } from "../../test/support/botProcess.js";
import { NbkServer } from "../../test/support/nbkServer.js";
import { TelegramEmulator } from "../../test/support/telegramEmulator.js";

const callsFile = process.argv[2] ?? "/dev/stdout";
const STARTUP_METHODS = ["getMe", "deleteWebhook", "setMyCommands", "getUpdates"] as const;

/** A TCP forwarder 0.0.0.0:<free port> → 127.0.0.1:<target>. */
async function exposeOnAllInterfaces(target: number): Promise<{ server: Server; port: number }> {
  const server = createServer((inbound) => {
    const outbound = connect(target, "127.0.0.1");
    inbound.pipe(outbound).pipe(inbound);
    const end = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on("error", end);
    outbound.on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
  const address = server.address();
  return { server, port: typeof address === "object" && address ? address.port : 0 };
}

const telegram = await TelegramEmulator.start(TEST_TOKEN);
const nbk = await NbkServer.start();
const telegramPublic = await exposeOnAllInterfaces(Number(new URL(telegram.apiRoot).port));
const nbkPublic = await exposeOnAllInterfaces(Number(new URL(nbk.url).port));
process.stdout.write(`${JSON.stringify({ telegramPort: telegramPublic.port, nbkPort: nbkPublic.port })}\n`);

process.on("SIGTERM", () => {
  const counts = Object.fromEntries(STARTUP_METHODS.map((m) => [m, telegram.callsOf(m).length]));
  writeFileSync(callsFile, `${JSON.stringify(counts)}\n`);
  telegramPublic.server.close();
  nbkPublic.server.close();
  void Promise.all([telegram.stop(), nbk.stop()]).finally(() => process.exit(0));
});
