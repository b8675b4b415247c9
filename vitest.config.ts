import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // E2E files spawn bots and redis-servers, and spend most of their time waiting on the
    // emulator's latency (as slow as Telegram): four files at a time keep two cores busy without
    // crowding them (the suite in 260 s instead of 455 s with two, the same tests passing).
    maxWorkers: 4,
    reporters: ["default"],
  },
});
