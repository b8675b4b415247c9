#!/usr/bin/env node
// The package's command. It runs the compiled code only (dist/), so it starts fast and needs no
// TypeScript tooling; from a checkout without a build it says how to make one.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const COMMANDS = {
  preview: { file: "../dist/cli/preview.js", run: "runPreview" },
};

const [command, ...args] = process.argv.slice(2);
const usage = `Usage: kzuz-news-bot <command> [options]

Commands:
  preview   run the news pipeline once and print the stories that would be sent (--help for options)`;

if (command === undefined || command === "--help" || command === "-h" || command === "help") {
  console.log(usage);
  process.exit(command === undefined ? 2 : 0);
}

const entry = COMMANDS[command];
if (!entry) {
  console.error(`kzuz-news-bot: unknown command "${command}"\n\n${usage}`);
  process.exit(2);
}

const path = fileURLToPath(new URL(entry.file, import.meta.url));
if (!existsSync(path)) {
  console.error(
    `kzuz-news-bot: the compiled code is missing (${path}).\nRun "npm run build" first, or use "npm run ${command}" to run it from source.`,
  );
  process.exit(1);
}

const module = await import(pathToFileURL(path).href);
process.exitCode = await module[entry.run](args);
