import { StartupError, startApp } from "./app.js";
import { ConfigError, loadConfig, requireBotToken } from "./config.js";
import { createLogger } from "./logger.js";

/** Shutdown must finish within this, or the process exits anyway (orchestrators kill at ~10 s). */
const SHUTDOWN_DEADLINE_MS = 9_000;

function fail(message: string): never {
  process.stderr.write(`kzuz-news-bot: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: ReturnType<typeof requireBotToken>;
  try {
    config = requireBotToken(loadConfig());
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const redisPassword = (() => {
    try {
      return decodeURIComponent(new URL(config.redisUrl).password);
    } catch {
      return "";
    }
  })();
  const logger = createLogger({
    level: config.logLevel,
    secrets: [
      config.botToken,
      redisPassword,
      config.webhook?.secret ?? "",
      config.redisSentinel?.password ?? "",
    ],
  });

  let app: Awaited<ReturnType<typeof startApp>>;
  try {
    app = await startApp(config, logger);
  } catch (err) {
    if (err instanceof StartupError) fail(err.message);
    throw err;
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const began = performance.now();
    const deadline = setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    try {
      await app.stop();
      logger.info({ ms: Math.round(performance.now() - began) }, "stopped");
      logger.flush();
      process.exit(0);
    } catch (err) {
      logger.error({ err, ms: Math.round(performance.now() - began) }, "error during shutdown");
      logger.flush();
      process.exit(1);
    }
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `kzuz-news-bot: unexpected error at start-up: ${err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
