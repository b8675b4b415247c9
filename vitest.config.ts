import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // E2E files spawn bots and redis-servers; two cores run two files at a time comfortably.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
