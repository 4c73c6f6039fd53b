// Stand-in for the 'server-only' marker package in Vitest (tests run server code directly).
export {};
